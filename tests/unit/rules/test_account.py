"""The limits that follow the account, by X's subscription_type."""

from __future__ import annotations

import pytest

from airflow_provider.exceptions import TwitterInputError, TwitterRejectedError
from airflow_provider.rules.account import (
    check_literal_post_text,
    check_subscription_type,
    describe,
    explain_refusal,
    max_post_length,
    max_video_seconds,
)


@pytest.mark.parametrize(
    ("subscription", "length", "seconds"),
    [("None", 280, 140.0), ("Basic", 25_000, None), ("Premium", 25_000, None), ("PremiumPlus", 25_000, None)],
)
def test_limits_by_subscription(subscription: str, length: int, seconds: float | None) -> None:
    assert max_post_length(subscription) == length
    assert max_video_seconds(subscription) == seconds


def test_an_unknown_account_has_no_limit_here() -> None:
    assert max_post_length(None) is None
    assert max_video_seconds(None) is None
    assert describe(None, "") == "an account X did not describe"


@pytest.mark.parametrize("value", [None, "", "Premium", "None"])
def test_the_extra_takes_x_values_or_nothing(value: str | None) -> None:
    assert check_subscription_type(value) == (value or None)


def test_the_extra_refuses_other_values() -> None:
    with pytest.raises(TwitterInputError, match="extra 'subscription_type' is 'premium'; use one of X's values"):
        check_subscription_type("premium")


def test_literal_text_fails_only_over_what_any_account_may_post() -> None:
    check_literal_post_text("x" * 25_000)
    check_literal_post_text("{{ params.text }}" + "x" * 30_000)  # rendered later: the task judges it
    check_literal_post_text(None)
    with pytest.raises(TwitterInputError, match=r"25,001 .* at most 25,000 for any account \(X Premium"):
        check_literal_post_text("x" * 25_001)


def test_other_refusals_are_left_as_they_are() -> None:
    error = TwitterRejectedError(endpoint="POST /2/tweets", http_status=400, title="Invalid Request")
    assert explain_refusal(error, "someone") is error


def test_a_refused_length_keeps_class_and_attempts() -> None:
    error = TwitterRejectedError(endpoint="POST /2/tweets", http_status=400, detail="Your Tweet text is too long.")
    error.attempts = 2
    explained = explain_refusal(error, "an account X did not describe")
    assert type(explained) is TwitterRejectedError and explained.attempts == 2
    assert "280 weighted characters without X Premium, up to 25,000 for subscribers" in str(explained)
