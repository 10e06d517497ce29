"""Fault injection: a plan of failures keyed by endpoint and 1-based call number, and the answers they give.

A plan is JSON, e.g. ``{"faults": [{"endpoint": "append", "calls": [2], "kind": "drop"}]}``. Each call of an
endpoint is numbered from 1 since the plan was installed; the first fault whose endpoint and call numbers match
fires (``calls`` omitted = every call). Counts of calls and firings are kept so tests can assert on them.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from airflow_provider.emulator.ratelimits import DEFAULT_LIMITS

# Every emulated X endpoint has a rate limit, so the limiter's table names them all; the OAuth 2.0 token endpoint
# (whose limit X does not document) is added so that a refresh can fail or lose its answer.
OAUTH2_TOKEN = "oauth2_token"
ENDPOINTS = frozenset(DEFAULT_LIMITS) | {OAUTH2_TOKEN}
KINDS = frozenset({"status", "rate_limit", "drop", "slow", "lost_answer"})

_FIELDS = {
    "endpoint",
    "calls",
    "kind",
    "status",
    "reset_after_secs",
    "daily",
    "delay_secs",
    "then_status",
}


def _http_status(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 400 <= value <= 599:
        raise ValueError(f"{name} must be an HTTP error status (400-599), got {value!r}")
    return value


def _is_call_number(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def _seconds(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ValueError(f"{name} must be a non-negative number of seconds, got {value!r}")
    return float(value)


@dataclass(frozen=True)
class Fault:
    """One planned failure. ``status`` is used by kind ``status``; ``reset_after_secs`` and ``daily`` by
    ``rate_limit``; ``delay_secs`` by ``slow``; ``then_status`` by ``lost_answer`` (None = drop the connection).
    """

    endpoint: str
    kind: str
    calls: frozenset[int] | None = None
    status: int = 503
    reset_after_secs: float = 2.0
    daily: bool = False
    delay_secs: float = 0.0
    then_status: int | None = None

    @classmethod
    def from_json(cls, raw: Any) -> Fault:
        """Parse and validate one fault; ``ValueError`` names the offending field."""
        if not isinstance(raw, dict):
            raise ValueError(f"a fault must be a JSON object, got {raw!r}")
        unknown = set(raw) - _FIELDS
        if unknown:
            raise ValueError(f"unknown fault field(s): {', '.join(sorted(unknown))}")
        endpoint, kind = raw.get("endpoint"), raw.get("kind")
        if endpoint not in ENDPOINTS:
            raise ValueError(f"endpoint must be one of {sorted(ENDPOINTS)}, got {endpoint!r}")
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {sorted(KINDS)}, got {kind!r}")
        calls = raw.get("calls")
        if calls is not None and (not isinstance(calls, list) or not all(_is_call_number(n) for n in calls)):
            raise ValueError(f"calls must be a list of call numbers (1, 2, ...), got {calls!r}")
        if not isinstance(raw.get("daily", False), bool):
            raise ValueError("daily must be true or false")
        then_status = raw.get("then_status")
        return cls(
            endpoint=endpoint,
            kind=kind,
            calls=None if calls is None else frozenset(calls),
            status=_http_status(raw.get("status", 503), "status"),
            reset_after_secs=_seconds(raw.get("reset_after_secs", 2.0), "reset_after_secs"),
            daily=raw.get("daily", False),
            delay_secs=_seconds(raw.get("delay_secs", 0.0), "delay_secs"),
            then_status=None if then_status is None else _http_status(then_status, "then_status"),
        )

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"endpoint": self.endpoint, "kind": self.kind}
        if self.calls is not None:
            data["calls"] = sorted(self.calls)
        options: dict[str, dict[str, Any]] = {
            "status": {"status": self.status},
            "rate_limit": {"reset_after_secs": self.reset_after_secs, "daily": self.daily},
            "slow": {"delay_secs": self.delay_secs},
            "lost_answer": {"then_status": self.then_status},
        }
        data.update(options.get(self.kind, {}))
        return data


def parse_plan(raw: Any) -> tuple[Fault, ...]:
    """Accept ``{"faults": [...]}`` or a bare list of faults."""
    items = raw.get("faults") if isinstance(raw, dict) else raw
    if not isinstance(items, list):
        raise ValueError('a fault plan must be {"faults": [...]} or a list of faults')
    return tuple(Fault.from_json(item) for item in items)


class FaultPlan:
    """The installed faults with per-endpoint call counters; thread-safe so tests can swap plans mid-run."""

    def __init__(self, faults: Iterable[Fault] = ()) -> None:
        self._lock = threading.Lock()
        self.replace(faults)

    def replace(self, faults: Iterable[Fault]) -> None:
        """Install a new plan; call numbering restarts at 1."""
        with self._lock:
            self._faults = tuple(faults)
            self._fired = [0] * len(self._faults)
            self._calls: Counter[str] = Counter()

    def take(self, endpoint: str) -> Fault | None:
        """Count one call of ``endpoint`` and return the fault that fires on it, if any."""
        with self._lock:
            self._calls[endpoint] += 1
            number = self._calls[endpoint]
            for position, fault in enumerate(self._faults):
                if fault.endpoint == endpoint and (fault.calls is None or number in fault.calls):
                    self._fired[position] += 1
                    return fault
            return None

    def describe(self) -> dict[str, Any]:
        with self._lock:
            faults = [
                {**fault.to_json(), "fired": fired} for fault, fired in zip(self._faults, self._fired, strict=True)
            ]
            return {"faults": faults, "calls": dict(self._calls)}
