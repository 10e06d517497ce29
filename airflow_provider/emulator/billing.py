"""The emulated account's billing state: out of credits (402) or over its usage cap (429 ``usage-capped``).

X bills pay-per-use since 2026-02 (DOCS x-api/getting-started/pricing.mdx, changelog.mdx). Which endpoints refuse
when credits run out is not documented: 402 is seen on POST /2/tweets (tryethernal/ethernal#1314) and on reads
(client fixtures), so the emulator refuses every X endpoint, the stricter reading. The usage cap is seen on a read
(xdevplatform/xdk#25) and is applied the same way.
"""

from __future__ import annotations

import threading
from typing import Any

from airflow_provider.emulator.errors import CreditsDepleted, UsageCapped


class Billing:
    """Two switches, set from the config at start and reset, and changed at run time by the admin API."""

    def __init__(self, out_of_credits: bool, usage_capped: bool) -> None:
        self._configured = (out_of_credits, usage_capped)
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._out_of_credits, self._usage_capped = self._configured

    def update(self, raw: Any) -> None:
        """Admin API form: ``{"out_of_credits": true}`` and/or ``{"usage_capped": true}``."""
        if not isinstance(raw, dict) or not raw or set(raw) - {"out_of_credits", "usage_capped"}:
            raise ValueError('expected {"out_of_credits": bool, "usage_capped": bool} (either or both)')
        if not all(isinstance(value, bool) for value in raw.values()):
            raise ValueError("billing switches must be true or false")
        with self._lock:
            self._out_of_credits = raw.get("out_of_credits", self._out_of_credits)
            self._usage_capped = raw.get("usage_capped", self._usage_capped)

    def describe(self) -> dict[str, bool]:
        with self._lock:
            return {"out_of_credits": self._out_of_credits, "usage_capped": self._usage_capped}

    def check(self) -> None:
        """Raise the refusal of an account that may not be billed for this request."""
        with self._lock:
            if self._out_of_credits:
                raise CreditsDepleted("billing: out of credits")
            if self._usage_capped:
                raise UsageCapped("billing: usage cap reached")
