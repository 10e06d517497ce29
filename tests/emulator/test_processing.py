"""The processing timeline and content sniffing, on their own (no server, no sleeping)."""

from __future__ import annotations

import math

import pytest

from airflow_provider.emulator.processing import ProcessingJob
from airflow_provider.emulator.sniffing import format_problem
from tests.emulator.helpers import GIF_HEAD, MP4_HEAD, PNG_HEAD

ERROR = {"code": 1, "name": "InvalidMedia", "message": "Unsupported video format"}


def test_pending_then_in_progress_then_succeeded() -> None:
    job = ProcessingJob(started_at=100.0, duration=6.0)
    assert job.info(100.0, 1, False) == {"state": "pending", "check_after_secs": 1}
    assert job.info(100.99, 1, False)["state"] == "pending"
    assert job.info(101.0, 1, False) == {"state": "in_progress", "check_after_secs": 1, "progress_percent": 0}
    assert job.info(103.5, 1, False)["progress_percent"] == 50
    assert job.info(105.99, 1, False)["progress_percent"] == 99
    assert job.info(106.0, 1, False) == {"state": "succeeded", "progress_percent": 100}
    assert (job.phase(105.9), job.phase(106.0)) == ("in_progress", "succeeded")


def test_short_jobs_are_pending_for_a_fifth_of_the_time() -> None:
    job = ProcessingJob(started_at=0.0, duration=2.0)
    assert job.info(0.39, 1, False)["state"] == "pending"
    assert job.info(0.4, 1, False)["state"] == "in_progress"


def test_failure_and_stuck_failure() -> None:
    job = ProcessingJob(started_at=0.0, duration=3.0, error=ERROR)
    assert job.info(1.5, 1, False)["state"] == "in_progress"
    assert job.info(3.0, 1, False) == {"state": "failed", "error": ERROR}
    assert job.info(3.0, 1, True) == {"state": "in_progress", "error": ERROR}
    assert job.phase(10.0) == "failed"


def test_fractional_check_after_is_kept() -> None:
    assert ProcessingJob(0.0, 6.0).info(0.0, 0.25, False)["check_after_secs"] == 0.25


@pytest.mark.parametrize(("duration", "check_after"), [(6, 1), (6, 4), (5, 2), (1, 1), (0.5, 1), (13, 5)])
def test_a_client_following_check_after_makes_ceil_plus_one_calls(duration: float, check_after: int) -> None:
    job = ProcessingJob(started_at=0.0, duration=duration)
    now, calls, info = 0.0, 1, job.info(0.0, check_after, False)  # FINALIZE
    while info["state"] in ("pending", "in_progress"):
        now += info["check_after_secs"]
        calls, info = calls + 1, job.info(now, check_after, False)
    assert info["state"] == "succeeded"
    assert calls == math.ceil(duration / check_after) + 1


@pytest.mark.parametrize(
    ("kind", "head", "problem"),
    [
        ("video", MP4_HEAD, None),
        ("video", b"\x1a\x45\xdf\xa3webm", None),
        ("video", (b"\x47\x40\x00\x10" + bytes(184)) * 2, None),  # two MPEG-TS packets
        ("video", b"Good morning, this is a text file" + bytes(200), "Unsupported video format"),
        ("video", b"RIFF....AVI ", "Unsupported video format"),
        ("gif", GIF_HEAD, None),
        ("gif", PNG_HEAD, "Unsupported gif format"),
        ("image", PNG_HEAD, None),
        ("image", b"\xff\xd8\xff\xe0JFIF", None),
        ("image", b"RIFF\x00\x00\x00\x00WEBPVP8 ", None),
        ("image", b"BM\x00\x00", None),
        ("image", b"II*\x00", None),
        ("image", GIF_HEAD, None),
        ("image", b"%PDF-1.7", "Unsupported image format"),
        ("subtitles", b"1\n00:00:00,000 --> 00:00:01,000", None),
    ],
)
def test_sniffing(kind: str, head: bytes, problem: str | None) -> None:
    assert format_problem(kind, head) == problem
