"""The clock-driven life of a video or GIF after FINALIZE: pending, in_progress, then succeeded or failed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

PENDING_MAX_SECS = 1.0
PENDING_SHARE = 0.2


def _whole_if_possible(value: float) -> float | int:
    """``check_after_secs`` is an integer on X; keep it one unless a test configured a fraction."""
    return int(value) if float(value).is_integer() else value


@dataclass(frozen=True)
class ProcessingJob:
    """Processing that starts at ``started_at``, lasts ``duration`` seconds and ends with ``error`` or success.

    The state is derived from the clock on every read, so nothing has to run in the background.
    """

    started_at: float
    duration: float
    error: dict[str, Any] | None = None

    def _pending_for(self) -> float:
        return min(PENDING_MAX_SECS, PENDING_SHARE * self.duration)

    def phase(self, now: float) -> str:
        """The true state at ``now``: pending, in_progress, succeeded or failed."""
        elapsed = now - self.started_at
        if elapsed < self._pending_for():
            return "pending"
        if elapsed < self.duration:
            return "in_progress"
        return "succeeded" if self.error is None else "failed"

    def info(self, now: float, check_after_secs: float, stuck_error: bool) -> dict[str, Any]:
        """``processing_info`` as STATUS shows it at ``now``.

        A failure reported as stuck (``stuck_error``) keeps ``state: in_progress`` but carries the ``error`` and
        no ``check_after_secs``, which is what made naive clients poll forever or crash on X.
        """
        phase = self.phase(now)
        check_after = _whole_if_possible(check_after_secs)
        if phase == "pending":
            return {"state": "pending", "check_after_secs": check_after}
        if phase == "in_progress":
            pending_for = self._pending_for()
            percent = min(99, int(100 * (now - self.started_at - pending_for) / (self.duration - pending_for)))
            return {"state": "in_progress", "check_after_secs": check_after, "progress_percent": percent}
        if phase == "succeeded":
            return {"state": "succeeded", "progress_percent": 100}
        return {"state": "in_progress" if stuck_error else "failed", "error": self.error}
