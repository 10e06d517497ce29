"""UploadProgress: a line per few seconds of a long upload (bytes, percent, MiB/s), and one when it is done."""

from __future__ import annotations

from typing import Any

import pytest

from airflow_provider.client import progress
from airflow_provider.client.progress import UploadProgress
from airflow_provider.rules.media import MiB


class Lines:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def info(self, event: Any, *args: Any, **kw: Any) -> None:
        self.lines.append(event % args)

    def warning(self, event: Any, *args: Any, **kw: Any) -> None:
        raise AssertionError("progress is information")


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The monotonic clock the progress reads: set ``clock[0]`` to move it."""
    now = [100.0]
    monkeypatch.setattr(progress.time, "monotonic", lambda: now[0])
    return now


def test_at_most_one_line_per_interval_then_one_when_done(clock: list[float]) -> None:
    log = Lines()
    upload = UploadProgress(log, media_id="7", total_bytes=40 * MiB, every_secs=5)
    clock[0] += 2
    upload.add(4 * MiB)  # 2 s in: too soon for a line
    assert log.lines == []
    clock[0] += 3
    upload.add(6 * MiB)
    clock[0] += 1
    upload.add(10 * MiB)  # 1 s after the last line
    assert log.lines == ["Media 7: uploading 10.0 of 40.0 MiB (25%) in 5.0 s, 2.0 MiB/s"]
    clock[0] += 4
    upload.add(20 * MiB)
    upload.done()
    assert log.lines[1:] == [
        "Media 7: uploading 40.0 of 40.0 MiB (100%) in 10.0 s, 4.0 MiB/s",
        "Media 7: uploaded 40.0 of 40.0 MiB (100%) in 10.0 s, 4.0 MiB/s",
    ]


def test_an_upload_done_at_once_logs_no_division_by_zero(clock: list[float]) -> None:
    log = Lines()
    upload = UploadProgress(log, media_id="7", total_bytes=MiB)
    upload.add(MiB)
    upload.done()
    assert log.lines == [f"Media 7: uploaded 1.0 of 1.0 MiB (100%) in 0.0 s, {1 / 1e-6:.1f} MiB/s"]
