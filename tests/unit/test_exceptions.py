"""The provider's errors: what Airflow does with each (retry or fail now), and what their messages say."""

from __future__ import annotations

import pytest
from airflow.providers.common.compat.sdk import AirflowException, AirflowFailException

from airflow_provider.exceptions import (
    TwitterApiError,
    TwitterBillingError,
    TwitterInputError,
    TwitterRejectedError,
    TwitterTriggerError,
    format_utc,
)


def test_refusals_fail_the_task_without_retries_and_the_rest_may_retry() -> None:
    """Airflow retries a task for any exception but ``AirflowFailException``: running bad input or a 4xx again
    cannot help, a 5xx or a lost trigger may pass."""
    assert issubclass(TwitterInputError, AirflowFailException) and issubclass(TwitterInputError, ValueError)
    assert issubclass(TwitterRejectedError, AirflowFailException) and issubclass(TwitterRejectedError, TwitterApiError)
    assert issubclass(TwitterBillingError, TwitterRejectedError)
    for retried in (TwitterApiError, TwitterTriggerError):
        assert issubclass(retried, AirflowException) and not issubclass(retried, AirflowFailException)


@pytest.mark.parametrize(
    ("status", "transient", "rate_limit"),
    [(None, True, False), (503, True, False), (429, False, True), (400, False, False)],
)
def test_what_waiting_can_cure(status: int | None, transient: bool, rate_limit: bool) -> None:
    error = TwitterApiError(endpoint="GET /2/users/me", http_status=status)
    assert (error.is_transient, error.is_rate_limit) == (transient, rate_limit)


def test_billing_is_never_a_rate_limit() -> None:
    assert not TwitterBillingError(endpoint="POST /2/tweets", http_status=429).is_rate_limit


def test_message_names_endpoint_status_reasons_reset_and_fix() -> None:
    error = TwitterApiError(
        endpoint="POST /2/tweets",
        http_status=429,
        title="Too Many Requests",
        detail="Too Many Requests.",
        errors=[{"message": "Rate limit exceeded"}],
        rate_limit_reset=1_772_367_300,
    )
    assert str(error) == (
        "X API POST /2/tweets failed (HTTP 429): Too Many Requests; Rate limit exceeded. The limit resets at "
        "2026-03-01T12:15:00Z (UTC). Rate limit reached; retry after the reset time."
    )
    assert error.attempts == 1


def test_no_answer_says_so_and_what_to_check() -> None:
    error = TwitterApiError(endpoint="GET /2/media/upload", http_status=None, title="ConnectTimeout")
    assert str(error).startswith("X API GET /2/media/upload failed (no answer): ConnectTimeout.")
    assert "check network access to the API base URL" in str(error)


def test_a_hint_given_replaces_the_status_default() -> None:
    error = TwitterRejectedError(endpoint="POST /2/tweets", http_status=403, hint="Change the text.")
    assert str(error).endswith("Change the text.") and "permissions" not in str(error)


def test_format_utc() -> None:
    assert format_utc(0) == "1970-01-01T00:00:00Z"


def test_a_refusal_of_the_credentials_names_the_connection_to_edit() -> None:
    unauthorized = TwitterRejectedError(endpoint="GET /2/users/me", http_status=401)
    unauthorized.attempts = 1
    named = unauthorized.naming_connection("x-news")
    assert type(named) is TwitterRejectedError
    assert str(named).startswith(
        "X API GET /2/users/me failed (HTTP 401). Edit the connection 'x-news' (Admin > Connections, or "
        "AIRFLOW_CONN_X_NEWS): X did not accept its credentials. Check the connection's credentials."
    )
    assert unauthorized.naming_connection(None) is unauthorized
    own_hint = TwitterRejectedError(endpoint="POST /2/tweets", http_status=403, hint="Change the text.")
    assert own_hint.naming_connection("x") is own_hint  # a 403 with its own explanation keeps it
    assert "Check the id" in str(TwitterRejectedError(endpoint="x", http_status=404).naming_connection("x"))
