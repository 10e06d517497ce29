"""The two ways a call to X can go wrong: X (or the network) said no, or the input was never sendable."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from airflow.providers.common.compat.sdk import AirflowException, AirflowFailException

_HINTS = {
    0: "No answer from X (timeout or connection error): check network access to the API base URL.",
    400: "X rejected the request's content; the message above names the parameter.",
    401: "Check the connection's credentials. OAuth 1.0a: the API Key, API Key Secret, Access Token and Access "
    "Token Secret must belong to the same app and user, and the machine's clock must be right. OAuth 2.0: authorize "
    "again with `python -m airflow_provider.oauth2 authorize` and put the new refresh token in the connection.",
    403: "Check the app's permissions in the X developer portal (Read and Write) and that the tokens were "
    "regenerated after changing them.",
    404: "Check the id: it may be wrong, expired or made with other credentials.",
    429: "Rate limit reached; retry after the reset time.",
}


def format_utc(epoch: float) -> str:
    """``2026-03-01T12:15:00Z``: a reset time as X's headers give it (epoch seconds), readable in any log."""
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


class TwitterApiError(AirflowException):
    """X answered with an error, or did not answer usefully.

    Carries what is needed to act on it (HTTP status, endpoint, X's ``title`` / ``detail`` / ``errors``)
    and nothing from the request: no headers, so no credentials.
    """

    def __init__(
        self,
        *,
        endpoint: str,
        http_status: int | None,
        title: str | None = None,
        detail: str | None = None,
        errors: list[dict[str, Any]] | None = None,
        rate_limit_reset: float | None = None,
        hint: str | None = None,
    ) -> None:
        self.endpoint = endpoint
        self.http_status = http_status
        self.title = title
        self.detail = detail
        self.errors = errors or []
        self.rate_limit_reset = rate_limit_reset
        self.hint = hint or _HINTS.get(http_status or 0)
        self.attempts = 1  # set by the hook: how many attempts were made before giving up
        super().__init__(self._message())

    @property
    def is_transient(self) -> bool:
        """5xx and network failures may pass; anything X answered with 4xx will not."""
        return self.http_status is None or self.http_status >= 500

    @property
    def is_rate_limit(self) -> bool:
        """A 429 that waiting cures: ``rate_limit_reset`` (None when X gave no reset) says until when."""
        return self.http_status == 429

    def with_hint(self, hint: str) -> TwitterApiError:
        """This error, of the same class and attempts, with ``hint`` in place of its own."""
        error = type(self)(
            endpoint=self.endpoint,
            http_status=self.http_status,
            title=self.title,
            detail=self.detail,
            errors=self.errors,
            rate_limit_reset=self.rate_limit_reset,
            hint=hint,
        )
        error.attempts = self.attempts
        return error

    def naming_connection(self, conn_id: str | None) -> TwitterApiError:
        """A 401 or 403 with X's default hint, saying which Airflow connection's credentials or app to fix."""
        if conn_id is None or self.http_status not in (401, 403) or self.hint != _HINTS[self.http_status]:
            return self
        env = "AIRFLOW_CONN_" + conn_id.upper().replace("-", "_")
        where = f"Edit the connection {conn_id!r} (Admin > Connections, or {env})"
        if self.http_status == 401:
            return self.with_hint(f"{where}: X did not accept its credentials. {self.hint}")
        return self.with_hint(f"{where} or its app: X refused its credentials this action. {self.hint}")

    def _message(self) -> str:
        status = f"HTTP {self.http_status}" if self.http_status is not None else "no answer"
        reasons = [r for r in (self.title, self.detail) if r]
        reasons += [str(e.get("message") or e.get("detail") or e) for e in self.errors]
        text = "; ".join(dict.fromkeys(r.strip().rstrip(".") for r in reasons))
        message = f"X API {self.endpoint} failed ({status})" + (f": {text}." if text else ".")
        if self.rate_limit_reset is not None:
            message += f" The limit resets at {format_utc(self.rate_limit_reset)} (UTC)."
        return f"{message} {self.hint}" if self.hint else message


class TwitterInputError(AirflowFailException, ValueError):
    """Input that X would reject, found before any request was sent.

    Fails the task without retries: running it again with the same input cannot succeed.
    """


class TwitterRejectedError(TwitterApiError, AirflowFailException):
    """X refused the request itself (a 4xx other than 429): retrying the task cannot help, so it fails now."""


class TwitterBillingError(TwitterRejectedError):
    """X refused for money, not for the request: the account has no API credits left (HTTP 402, pay-per-use
    billing since 2026-02) or the app's usage cap is reached (429 with problem type ``usage-capped``,
    docs.x.com x-api/fundamentals/response-codes-and-errors). Retries cannot help before someone pays or the
    cap period ends, so the task fails now.
    """

    @property
    def is_rate_limit(self) -> bool:
        return False


class TwitterTriggerError(AirflowException):
    """The triggerer could not learn X's answer (connection unreadable, X unreachable or refusing the poll).

    The task's ``retries`` apply: a new try polls again, which is harmless.
    """
