"""X's answers read into data or a ``TwitterApiError``, and the quota headers every answer carries."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from airflow_provider.client.answers import (
    DEFAULT_RATE_LIMIT_BACKOFF,
    RateLimit,
    RateLimits,
    data_of,
    rate_limit_reset,
    rate_limit_wait,
    read_answer,
)
from airflow_provider.exceptions import TwitterApiError, TwitterBillingError, TwitterRejectedError, format_utc

RESET = 1_780_000_000  # 2026-05-28T20:26:40Z
DAY_RESET = RESET + 80_000
ENDPOINT = "POST /2/tweets"


def answer(status: int, body: Any = None, headers: dict[str, str] | None = None) -> dict[str, Any]:
    content = json.dumps(body).encode() if body is not None else b""
    return read_answer(ENDPOINT, status, "Reason", headers or {}, content)


def quota(remaining: int, limit: int = 100, reset: int = RESET) -> dict[str, str]:
    return {
        "X-Rate-Limit-Limit": str(limit),
        "X-Rate-Limit-Remaining": str(remaining),
        "X-Rate-Limit-Reset": str(reset),
    }


def raised(status: int, body: Any = None, headers: dict[str, str] | None = None) -> TwitterApiError:
    with pytest.raises(TwitterApiError) as info:
        answer(status, body, headers)
    return info.value


def test_all_quota_windows_are_read() -> None:
    headers = {
        **quota(7),
        "x-user-limit-24hour-limit": "17",
        "x-user-limit-24hour-remaining": "0",
        "x-user-limit-24hour-reset": str(DAY_RESET),
        "x-app-limit-24hour-remaining": "not a number",
    }
    limits = RateLimits.from_headers(headers)
    assert limits.windows == (
        RateLimit("15-minute", 100, 7, RESET),
        RateLimit("user 24-hour", 17, 0, DAY_RESET),
    )
    assert limits.reset == DAY_RESET  # the spent daily cap outlasts the 15-minute window
    assert RateLimits.from_headers(quota(7)).reset == RESET
    assert RateLimits.from_headers({}).reset is None


@pytest.mark.parametrize(
    ("remaining", "limit", "low"), [(11, 100, False), (10, 100, True), (3, 17, False), (2, 17, True), (0, 1, True)]
)
def test_low_is_ten_percent_or_two_requests(remaining: int, limit: int, low: bool) -> None:
    assert RateLimit("15-minute", limit, remaining, RESET).is_low is low


def test_low_quota_is_logged_with_endpoint_count_and_reset(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="airflow_provider.client.answers"):
        assert answer(201, {"data": {"id": "1"}}, quota(2)) == {"data": {"id": "1"}}
        answer(201, {"data": {"id": "2"}}, quota(50))
    assert caplog.messages == [
        "X quota for POST /2/tweets is nearly spent: 2 of 100 requests left in the 15-minute window, "
        "resets at 2026-05-28T20:26:40Z."
    ]


def test_rate_limit_carries_reset_and_names_it_in_utc() -> None:
    error = raised(429, {"title": "Too Many Requests"}, quota(0))
    assert type(error) is TwitterApiError and error.is_rate_limit
    assert error.rate_limit_reset == RESET
    assert "The limit resets at 2026-05-28T20:26:40Z (UTC)." in str(error)


def test_spent_daily_cap_gives_the_daily_reset() -> None:
    headers = {**quota(40), "x-app-limit-24hour-remaining": "0", "x-app-limit-24hour-reset": str(DAY_RESET)}
    error = raised(429, {"title": "Too Many Requests"}, headers)
    assert error.rate_limit_reset == DAY_RESET == rate_limit_reset(headers)
    assert format_utc(DAY_RESET) in str(error)


def test_rate_limit_without_reset_waits_the_default_backoff() -> None:
    error = raised(429, {"errors": [{"code": 88, "message": "Rate limit exceeded"}]})
    assert error.is_rate_limit and error.rate_limit_reset is None
    assert rate_limit_wait(error, now=RESET) == DEFAULT_RATE_LIMIT_BACKOFF
    assert "resets at" not in str(error)


def test_retry_after_is_the_reset_when_no_quota_headers() -> None:
    error = raised(429, None, {"Retry-After": "30"})
    assert rate_limit_wait(error) == pytest.approx(31, abs=1)


@pytest.mark.parametrize(("now", "wait"), [(RESET - 100, 101.0), (RESET + 5, 1.0)])
def test_rate_limit_wait_is_one_second_past_the_reset(now: float, wait: float) -> None:
    assert rate_limit_wait(raised(429, None, quota(0)), now=now) == wait


def test_payment_required_is_a_billing_error() -> None:
    error = raised(402, {"title": "Payment Required", "detail": "Your account has no credits", "status": 402})
    assert isinstance(error, TwitterBillingError) and isinstance(error, TwitterRejectedError)
    assert not error.is_rate_limit and not error.is_transient
    assert "(HTTP 402): Payment Required; Your account has no credits." in str(error)
    assert "billing, not a fault" in str(error) and "Top up credits in the X Developer Console" in str(error)


@pytest.mark.parametrize("where", ["top", "errors"])
def test_usage_capped_is_billing_not_a_rate_limit(where: str) -> None:
    problem = {
        "title": "UsageCapExceeded",
        "detail": "Usage cap exceeded: Monthly product cap",
        "type": "https://api.twitter.com/2/problems/usage-capped",
        "period": "Monthly",
    }
    body = problem if where == "top" else {"errors": [problem]}
    error = raised(429, body, quota(0))
    assert isinstance(error, TwitterBillingError) and not error.is_rate_limit
    assert error.rate_limit_reset is None  # the 15-minute reset says nothing about the cap period
    assert "usage cap" in str(error) and "Wait for the cap period to reset" in str(error)


@pytest.mark.parametrize(
    ("status", "cls"), [(400, TwitterRejectedError), (404, TwitterRejectedError), (503, TwitterApiError)]
)
def test_other_errors_keep_their_class(status: int, cls: type[TwitterApiError]) -> None:
    error = raised(status, {"title": "Nope"}, quota(0))
    assert type(error) is cls and not error.is_rate_limit and error.rate_limit_reset is None


def test_a_2xx_is_its_body_an_empty_one_included() -> None:
    assert answer(200, {"data": {"id": "1"}}) == {"data": {"id": "1"}}
    assert answer(204) == {}  # a v1.1 APPEND


@pytest.mark.parametrize(
    ("content", "detail"),
    [(b"<html>upstream down</html>", "<html>upstream down</html>"), (b'["a", "list"]', "['a', 'list']")],
)
def test_an_error_body_that_is_no_json_object_keeps_its_start_as_the_detail(content: bytes, detail: str) -> None:
    with pytest.raises(TwitterApiError) as err:
        read_answer(ENDPOINT, 502, "Bad Gateway", {}, content)
    assert (err.value.title, err.value.detail) == ("Bad Gateway", detail)
    assert err.value.is_transient  # a 5xx may pass


def test_a_long_error_body_is_cut() -> None:
    with pytest.raises(TwitterApiError) as err:
        read_answer(ENDPOINT, 500, "Error", {}, b"x" * 1000)
    assert err.value.detail == "x" * 200


def test_data_of_is_the_data_object_or_an_error_naming_the_keys() -> None:
    assert data_of({"data": {"id": "1"}}, ENDPOINT) == {"id": "1"}
    with pytest.raises(TwitterApiError, match=r"no 'data' object in X's answer \(keys: \['errors', 'meta'\]\)") as err:
        data_of({"meta": {}, "errors": []}, ENDPOINT)
    assert (err.value.endpoint, err.value.http_status) == (ENDPOINT, 200)


def test_when_several_windows_are_spent_the_latest_reset_counts() -> None:
    headers = {**quota(0), "x-user-limit-24hour-remaining": "0", "x-user-limit-24hour-reset": str(DAY_RESET)}
    assert RateLimits.from_headers(headers).reset == DAY_RESET
