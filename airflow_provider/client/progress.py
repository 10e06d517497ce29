"""Progress lines for long uploads: bytes, percent and MiB/s, at most one every few seconds."""

from __future__ import annotations

import time

from airflow_provider.client.log import Log
from airflow_provider.rules.media import MiB


class UploadProgress:
    def __init__(self, log: Log, *, media_id: str, total_bytes: int, every_secs: float = 5.0) -> None:
        self.log = log
        self.media_id = media_id
        self.total_bytes = total_bytes
        self.every_secs = every_secs
        self.sent = 0
        self.started = self._last_logged = time.monotonic()

    def add(self, nbytes: int) -> None:
        self.sent += nbytes
        now = time.monotonic()
        if now - self._last_logged >= self.every_secs:
            self._last_logged = now
            self._log("uploading")

    def done(self) -> None:
        self._log("uploaded")

    def _log(self, verb: str) -> None:
        elapsed = max(time.monotonic() - self.started, 1e-6)
        self.log.info(
            "Media %s: %s %.1f of %.1f MiB (%d%%) in %.1f s, %.1f MiB/s",
            self.media_id,
            verb,
            self.sent / MiB,
            self.total_bytes / MiB,
            100 * self.sent // self.total_bytes,
            elapsed,
            self.sent / MiB / elapsed,
        )
