"""The hook's arguments as tasks pass them (``twitter_conn_id``, ``hook_params``), checked in the tasks' constructors
without importing the hook, so that a DAG with a bad one fails at parse time, naming the argument and the fix."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from airflow_provider.exceptions import TwitterInputError
from airflow_provider.rules.numbers import check_number

# TwitterHook's tuning arguments (all but the connection id), as ``hook_params`` passes them: check_number's rules.
HOOK_PARAMS: dict[str, dict[str, Any]] = {
    "timeout": {"positive": True, "unit": "seconds"},
    "max_attempts": {"integer": True, "minimum": 1},
    "backoff_initial": {"unit": "seconds"},
    "backoff_max": {"unit": "seconds"},
    "max_rate_limit_wait": {"unit": "seconds"},
}


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
