"""Turning X's answers into data or a ``TwitterApiError``, the same way for sync (workers) and async (triggerer).

Every answer also carries X's quota headers (docs.x.com fundamentals/rate-limits): ``x-rate-limit-limit``,
``-remaining`` and ``-reset`` (epoch seconds) for the 15-minute window, and ``x-user-limit-24hour-*`` /
``x-app-limit-24hour-*`` for the daily caps. They are read on each answer so that a quota running low is
logged before it runs out, and a 429 says when the limit that is actually spent resets.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from airflow_provider.exceptions import TwitterApiError, TwitterBillingError, TwitterRejectedError, format_utc

log = logging.getLogger(__name__)

DEFAULT_RATE_LIMIT_BACKOFF = 60.0  # a 429 without a reset: X advises "waiting a minute or two" (rate-limits.mdx)
LOW_QUOTA_FRACTION = 0.1
LOW_QUOTA_REQUESTS = 2
_WINDOWS = {"15-minute": "x-rate-limit", "user 24-hour": "x-user-limit-24hour", "app 24-hour": "x-app-limit-24hour"}
_BILLING_HINTS = {
    402: "This is billing, not a fault: the X developer account has no API credits left (pay-per-use). Top up "
    "credits in the X Developer Console, then run the task again.",
    429: "This is billing, not a rate limit: the app's usage cap{period} is reached. Wait for the cap period to "
    "reset, or raise the cap or change the plan in the X Developer Console.",
}


@dataclass(frozen=True)
class RateLimit:
    """One quota window as X reported it on an answer."""

    window: str  # "15-minute", "user 24-hour" or "app 24-hour"
    limit: int | None
    remaining: int | None
    reset: float | None  # epoch seconds

    @property
    def is_low(self) -> bool:
        """At most 2 requests, or 10% of the window, left."""
        if self.remaining is None:
            return False
        share = self.limit is not None and self.remaining <= self.limit * LOW_QUOTA_FRACTION
        return self.remaining <= LOW_QUOTA_REQUESTS or share

    def describe(self) -> str:
        resets = f", resets at {format_utc(self.reset)}" if self.reset is not None else ""
        of = f" of {self.limit}" if self.limit is not None else ""
        return f"{self.remaining}{of} requests left in the {self.window} window{resets}"


@dataclass(frozen=True)
class RateLimits:
    """The quota windows of one answer; none when X sent no quota headers."""

    windows: tuple[RateLimit, ...] = ()

    @classmethod
    def from_headers(cls, headers: Mapping[str, str]) -> RateLimits:
        lower = {k.lower(): v for k, v in headers.items()}
        windows = []
        for window, prefix in _WINDOWS.items():
            limit, remaining, reset = (
                _number(lower.get(f"{prefix}-{field}")) for field in ("limit", "remaining", "reset")
            )
            if remaining is not None or reset is not None:
                windows.append(RateLimit(window, _integer(limit), _integer(remaining), reset))
        return cls(tuple(windows))

    @property
    def reset(self) -> float | None:
        """When requests may go again: the latest reset of the spent windows (a spent 24-hour cap outlasts the
        15-minute window), else the 15-minute window's reset."""
        spent = [w.reset for w in self.windows if w.remaining == 0 and w.reset is not None]
        if spent:
            return max(spent)
        return next((w.reset for w in self.windows if w.window == "15-minute"), None)

    def warn_if_low(self, endpoint: str) -> None:
        for window in self.windows:
            if window.is_low:
                log.warning("X quota for %s is nearly spent: %s.", endpoint, window.describe())


def read_answer(endpoint: str, status: int, reason: str, headers: Mapping[str, str], content: bytes) -> dict[str, Any]:
    """X's JSON body when ``status`` is 2xx; otherwise raise the error X described.

    A 4xx is a ``TwitterRejectedError`` except a 429 rate limit, which carries the reset it can see; a 402 (no
    credits) or a 429 ``usage-capped`` is a ``TwitterBillingError``, never waited for.
    """
    try:
        body = json.loads(content) if content else {}
    except ValueError:
        body = {"detail": content[:200].decode(errors="replace")}
    if not isinstance(body, dict):
        body = {"detail": str(body)[:200]}
    limits = RateLimits.from_headers(headers)
    if status != 429:
        limits.warn_if_low(endpoint)
    if 200 <= status < 300:
        return body
    details: dict[str, Any] = {
        "endpoint": endpoint,
        "http_status": status,
        "title": body.get("title") or reason,
        "detail": body.get("detail"),
        "errors": body.get("errors"),
    }
    if status == 402 or (status == 429 and _is_usage_capped(body)):
        period = f" ({body['period']})" if isinstance(body.get("period"), str) else ""
        raise TwitterBillingError(**details, hint=_BILLING_HINTS[status].format(period=period))
    if status == 429:
        raise TwitterApiError(**details, rate_limit_reset=rate_limit_reset(headers))
    raise (TwitterRejectedError if 400 <= status < 500 else TwitterApiError)(**details)


def data_of(body: dict[str, Any], endpoint: str) -> dict[str, Any]:
    """The ``data`` object of a v2 answer; an answer without one is an error, not a ``KeyError`` later."""
    data = body.get("data")
    if not isinstance(data, dict):
        raise TwitterApiError(
            endpoint=endpoint,
            http_status=200,
            title="Unexpected answer",
            detail=f"no 'data' object in X's answer (keys: {sorted(body)})",
        )
    return data


def rate_limit_reset(headers: Mapping[str, str]) -> float | None:
    """When the exhausted limit resets: the 24-hour caps when those are spent, else the 15-minute window."""
    return RateLimits.from_headers(headers).reset or _retry_after(headers)


def rate_limit_wait(error: TwitterApiError, now: float | None = None) -> float:
    """Seconds to wait after a rate-limit 429 before asking again: until 1 s past the reset X gave, or
    ``DEFAULT_RATE_LIMIT_BACKOFF`` when X gave none. Compare it with how long the caller may wait."""
    if error.rate_limit_reset is None:
        return DEFAULT_RATE_LIMIT_BACKOFF
    return max(0.0, error.rate_limit_reset - (time.time() if now is None else now)) + 1.0


def _number(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _integer(value: float | None) -> int | None:
    return None if value is None else int(value)


def _retry_after(headers: Mapping[str, str]) -> float | None:
    value = next((v for k, v in headers.items() if k.lower() == "retry-after"), "")
    return time.time() + int(value) if value.isdigit() else None


def _is_usage_capped(body: dict[str, Any]) -> bool:
    """X's problem type ``https://api.twitter.com/2/problems/usage-capped``, at the top or in ``errors``."""
    problems = [body, *(e for e in body.get("errors") or [] if isinstance(e, dict))]
    return any(str(p.get("type", "")).endswith("/problems/usage-capped") for p in problems)
