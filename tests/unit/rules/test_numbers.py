"""check_number: numeric arguments refused where they enter, naming the argument, the rule and the value."""

from __future__ import annotations

import math
import re
from typing import Any

import pytest

from airflow_provider.exceptions import TwitterInputError
from airflow_provider.rules.numbers import check_number


@pytest.mark.parametrize(
    ("value", "rules"),
    [
        (0, {}),
        (2.5, {}),
        (1, {"integer": True, "minimum": 1}),
        (5242880, {"integer": True, "minimum": 1, "maximum": 5242880}),
        (0.1, {"positive": True}),
    ],
)
def test_a_number_within_the_rules_is_returned_as_it_is(value: Any, rules: dict[str, Any]) -> None:
    assert check_number("n", value, **rules) is value


@pytest.mark.parametrize(
    ("value", "rules", "message"),
    [
        (-1, {}, "n must be a number, at least 0; got int -1."),
        (0, {"positive": True, "unit": "seconds"}, "n must be a number of seconds, above 0; got int 0."),
        (1.5, {"integer": True}, "n must be a whole number, at least 0; got float 1.5."),
        (0, {"integer": True, "minimum": 1}, "n must be a whole number, at least 1; got int 0."),
        (
            5242881,
            {"integer": True, "minimum": 1, "maximum": 5242880, "unit": "bytes"},
            "n must be a whole number of bytes, from 1 to 5242880; got int 5242881.",
        ),
        (3, {"minimum": 0.5, "maximum": 2.5}, "n must be a number, from 0.5 to 2.5; got int 3."),
        (True, {}, "n must be a number, at least 0; got bool True."),  # a bool is not a number here
        ("5", {}, "n must be a number, at least 0; got str '5'."),
        (None, {}, "n must be a number, at least 0; got NoneType None."),
        (math.inf, {}, "n must be a number, at least 0; got float inf."),
        (math.nan, {}, "n must be a number, at least 0; got float nan."),
    ],
)
def test_anything_else_is_refused_naming_argument_rule_and_value(
    value: Any, rules: dict[str, Any], message: str
) -> None:
    with pytest.raises(TwitterInputError, match=f"^{re.escape(message)}$"):
        check_number("n", value, **rules)
