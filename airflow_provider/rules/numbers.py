"""Numeric arguments, checked where they enter with a message that names the argument, the rule and the value."""

from __future__ import annotations

import math
from typing import Any

from airflow_provider.exceptions import TwitterInputError


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


def _plain(number: float) -> str:
    """5242880, not 5.24288e+06; 0.5 as it is."""
    return str(int(number)) if float(number).is_integer() else str(number)
