"""Checks of the arguments that the operators, the sensor, the trigger and the hook take, made where each enters.

Arguments that are not templated are checked in the constructors, so a DAG with a bad one fails at parse time with
the argument's name, what is wrong and what to pass, instead of a ``TypeError`` from deep inside a request.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from airflow_provider.exceptions import TwitterInputError

# TwitterHook's tuning arguments (all but the connection id), as ``hook_params`` passes them: check_number's rules.
HOOK_PARAMS: dict[str, dict[str, Any]] = {
    "timeout": {"positive": True, "unit": "seconds"},
    "max_attempts": {"integer": True, "minimum": 1},
    "backoff_initial": {"unit": "seconds"},
    "backoff_max": {"unit": "seconds"},
    "max_rate_limit_wait": {"unit": "seconds"},
}


def check_number(
    name: str,
    value: Any,
    *,
    minimum: float = 0,
    maximum: float = math.inf,
    integer: bool = False,
    positive: bool = False,
    unit: str = "",
) -> Any:
    """``value`` when it is a finite number (a whole one with ``integer``) from ``minimum`` to ``maximum``, above 0
    with ``positive``; else refused, naming ``name``, the rule and the value. A bool is not a number here."""
    kinds = int if integer else int | float
    if (
        isinstance(value, kinds)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and minimum <= value <= maximum
        and (value > 0 or not positive)
    ):
        return value
    kind = ("a whole number" if integer else "a number") + (f" of {unit}" if unit else "")
    if maximum < math.inf:
        bounds = f"from {_plain(minimum)} to {_plain(maximum)}"
    else:
        bounds = "above 0" if positive else f"at least {_plain(minimum)}"
    raise TwitterInputError(f"{name} must be {kind}, {bounds}; got {type(value).__name__} {value!r}.")


def check_conn_id(value: Any) -> str:
    """A connection id: Airflow's ids are non-empty and have no whitespace."""
    if not isinstance(value, str) or not value or any(c.isspace() for c in value):
        raise TwitterInputError(
            f"twitter_conn_id must name an Airflow connection of type 'twitter' (default 'twitter_default'), got "
            f"{type(value).__name__} {value!r}."
        )
    return value


def check_hook_params(params: Any, *, label: str = "hook_params") -> dict[str, Any]:
    """``params`` as :class:`~airflow_provider.hooks.twitter.TwitterHook` takes them: known names, numbers in range
    (``timeout`` may be None: the connection's, else 60 s). ``label`` prefixes the names in errors."""
    if params is None:
        return {}
    if not isinstance(params, Mapping):
        raise TwitterInputError(
            f"{label} must be a dict of TwitterHook arguments ({', '.join(HOOK_PARAMS)}), got {type(params).__name__}."
        )
    if unknown := sorted(map(str, set(params) - set(HOOK_PARAMS))):
        raise TwitterInputError(
            f"{label} has unknown key(s) {', '.join(map(repr, unknown))}; TwitterHook takes {', '.join(HOOK_PARAMS)}."
        )
    for name, value in params.items():
        if not (name == "timeout" and value is None):
            check_number(f"{label}[{name!r}]" if label else name, value, **HOOK_PARAMS[name])
    return dict(params)


def _plain(number: float) -> str:
    """5242880, not 5.24288e+06; 0.5 as it is."""
    return str(int(number)) if float(number).is_integer() else str(number)
