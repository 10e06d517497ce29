"""Per-endpoint rate limits: a 15-minute window per user plus optional 24-hour caps per user and per app.

X sends ``x-rate-limit-limit/remaining/reset`` on every answer (DOCS x-api/fundamentals/rate-limits.mdx, "Checking
your limits") and, where a 24-hour cap applies, ``x-app-limit-24hour-*`` / ``x-user-limit-24hour-*`` (undocumented
names, seen on real answers: plhery/node-twitter-api-v2#495, #553, PR #618). An exhausted window or cap answers 429
until the advertised reset and not before: requests refused meanwhile do not move the reset.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from airflow_provider.emulator.errors import RateLimited

WINDOW_SECS = 15 * 60
DAY_SECS = 24 * 60 * 60


@dataclass(frozen=True)
class RateLimit:
    """Limits of one endpoint: ``window`` calls per user per window, optional 24-hour caps (None = no cap)."""

    endpoint: str
    window: int
    user_day: int | None = None
    app_day: int | None = None

    @classmethod
    def parse(cls, spec: str) -> RateLimit:
        """``ENDPOINT=WINDOW[/USER_DAY[/APP_DAY]]`` with ``-`` for no cap, e.g. ``tweets=2/-/5`` (CLI form)."""
        endpoint, _, numbers = spec.partition("=")
        parts = numbers.split("/")
        if endpoint not in DEFAULT_LIMITS or not 1 <= len(parts) <= 3:
            raise ValueError(f"rate limit must be ENDPOINT=WINDOW[/USER_DAY[/APP_DAY]] for a known endpoint: {spec!r}")
        values = [None if part == "-" else _count(part, spec) for part in parts] + [None] * (3 - len(parts))
        if values[0] is None:
            raise ValueError(f"the window limit cannot be '-': {spec!r}")
        return cls(endpoint, values[0], values[1], values[2])

    @classmethod
    def from_json(cls, endpoint: str, raw: Any) -> RateLimit:
        """Admin API form: ``{"window": 2, "user_day": null, "app_day": 10}`` (omitted keys keep the default)."""
        if endpoint not in DEFAULT_LIMITS or not isinstance(raw, dict) or set(raw) - {"window", "user_day", "app_day"}:
            raise ValueError(
                f'expected {{"<endpoint>": {{"window", "user_day", "app_day"}}}}, got {endpoint!r}: {raw!r}'
            )
        limit = replace(DEFAULT_LIMITS[endpoint], **raw)
        for value in (limit.window, limit.user_day, limit.app_day):
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
                raise ValueError(f"limits must be non-negative integers or null, got {raw!r}")
        if limit.window is None:
            raise ValueError("window cannot be null")
        return limit

    def to_json(self) -> dict[str, Any]:
        return {"window": self.window, "user_day": self.user_day, "app_day": self.app_day}


def _count(text: str, spec: str) -> int:
    if not text.isdigit():
        raise ValueError(f"limits must be whole numbers or '-': {spec!r}")
    return int(text)


# X's documented limits (DOCS x-api/fundamentals/rate-limits.mdx, OAS 2.167 era), per user per 15 minutes and per
# app per 24 hours. No per-user 24-hour cap is documented for pay-per-use accounts, so none is set by default.
# POST /2/tweets: the table says 100/15 min, the manage-Posts guide 200 (x-api/posts/manage-tweets/integrate.mdx):
# the stricter 100 is used. GET /2/users/:id/tweets and /2/tweets/:id have app limits only for app-only auth.
DEFAULT_LIMITS: Mapping[str, RateLimit] = {
    limit.endpoint: limit
    for limit in (
        RateLimit("initialize", 1875, app_day=180_000),
        RateLimit("append", 1875, app_day=180_000),
        RateLimit("finalize", 1875, app_day=180_000),
        RateLimit("status", 1000, app_day=100_000),
        RateLimit("metadata", 500, app_day=50_000),
        RateLimit("subtitles", 100, app_day=10_000),
        RateLimit("subtitles_delete", 100, app_day=10_000),
        RateLimit("tweets", 100, app_day=10_000),
        RateLimit("tweets_delete", 50),
        RateLimit("tweet", 900),
        RateLimit("users_me", 75),
        RateLimit("user_tweets", 900),
    )
}


@dataclass
class _Usage:
    """Calls counted in the current window and day of one endpoint, and when each started."""

    window_start: float
    window_calls: int = 0
    day_start: float = 0.0
    day_calls: int = 0


class RateLimiter:
    """Counts calls per endpoint for the emulator's one user (so its app counts the same calls)."""

    def __init__(self, overrides: Iterable[RateLimit], clock: Any, window_secs: int = WINDOW_SECS) -> None:
        self._clock = clock
        self._window_secs = window_secs
        self._configured = tuple(overrides)
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        """Back to the configured limits, nothing counted."""
        with self._lock:
            self._limits = {**DEFAULT_LIMITS, **{limit.endpoint: limit for limit in self._configured}}
            self._usage: dict[str, _Usage] = {}

    def set_limits(self, limits: Iterable[RateLimit]) -> None:
        """Change limits at run time (admin API); calls already counted stay counted."""
        with self._lock:
            self._limits.update({limit.endpoint: limit for limit in limits})

    def take(self, endpoint: str) -> dict[str, str]:
        """Count one call and return its headers, or raise :class:`RateLimited` if a window or cap is spent.

        A request that names no endpoint (a v1.1 call with an unknown ``command``) is not counted.
        """
        with self._lock:
            if endpoint not in self._limits:
                return {}
            limit, usage = self._limits[endpoint], self._current(endpoint)
            spent = [
                name
                for name, calls, cap in (
                    ("15-minute window", usage.window_calls, limit.window),
                    ("user 24-hour cap", usage.day_calls, limit.user_day),
                    ("app 24-hour cap", usage.day_calls, limit.app_day),
                )
                if cap is not None and calls >= cap
            ]
            if spent:
                raise RateLimited(self._headers(limit, usage), f"{endpoint}: {', '.join(spent)} spent")
            usage.window_calls += 1
            usage.day_calls += 1
            return self._headers(limit, usage)

    def exhaust(self, endpoint: str, reset_after_secs: float, daily: bool) -> RateLimited:
        """Spend the window (and with ``daily`` the 24-hour caps) so that it resets in ``reset_after_secs``.

        This is the ``rate_limit`` fault: it stays in force until that reset, like a real exhausted window.
        """
        with self._lock:
            limit, usage, now = self._limits[endpoint], self._current(endpoint), self._clock()
            usage.window_start, usage.window_calls = now + reset_after_secs - self._window_secs, limit.window
            if daily:
                caps = [cap for cap in (limit.user_day, limit.app_day) if cap is not None]
                usage.day_start, usage.day_calls = now + reset_after_secs - DAY_SECS, max(caps, default=0)
            return RateLimited(self._headers(limit, usage), f"{endpoint}: rate_limit fault")

    def describe(self) -> dict[str, Any]:
        with self._lock:
            return {
                endpoint: {**limit.to_json(), "headers": self._headers(limit, self._current(endpoint))}
                for endpoint, limit in self._limits.items()
            }

    def _current(self, endpoint: str) -> _Usage:
        """The endpoint's usage with finished windows and days rolled over. Caller holds the lock."""
        now = self._clock()
        usage = self._usage.setdefault(endpoint, _Usage(window_start=now, day_start=now))
        if now >= usage.window_start + self._window_secs:
            usage.window_start, usage.window_calls = now, 0
        if now >= usage.day_start + DAY_SECS:
            usage.day_start, usage.day_calls = now, 0
        return usage

    def _headers(self, limit: RateLimit, usage: _Usage) -> dict[str, str]:
        """Resets are whole epoch seconds rounded up, so a client that waits until one is never early."""
        headers = {
            "x-rate-limit-limit": str(limit.window),
            "x-rate-limit-remaining": str(max(0, limit.window - usage.window_calls)),
            "x-rate-limit-reset": str(math.ceil(usage.window_start + self._window_secs)),
        }
        for scope, cap in (("user", limit.user_day), ("app", limit.app_day)):
            if cap is not None:
                headers[f"x-{scope}-limit-24hour-limit"] = str(cap)
                headers[f"x-{scope}-limit-24hour-remaining"] = str(max(0, cap - usage.day_calls))
                headers[f"x-{scope}-limit-24hour-reset"] = str(math.ceil(usage.day_start + DAY_SECS))
        return headers
