"""``Log``: the client logs through any logger with the standard methods; the two it meets are a task's log (which
Airflow 3 makes a structlog logger) and ``logging.getLogger(...)``. Both must take the client's calls, with
%-style arguments, as they are made."""

from __future__ import annotations

import logging

import pytest
import structlog
from structlog.testing import capture_logs

from airflow_provider.client.log import Log
from airflow_provider.client.progress import UploadProgress
from airflow_provider.client.retry import RetryPolicy
from airflow_provider.exceptions import TwitterApiError


def log_through(log: Log) -> None:
    """What the client logs: an upload's progress (info) and a retry (warning)."""
    progress = UploadProgress(log, media_id="7", total_bytes=100)
    progress.add(100)
    progress.done()
    attempts = iter([TwitterApiError(endpoint="GET /2/users/me", http_status=503), None])

    def attempt(_: int) -> None:
        if error := next(attempts):
            raise error

    RetryPolicy(backoff_initial=0, backoff_max=0, log=log).call(attempt)


def test_a_stdlib_logger_is_a_log(caplog: pytest.LogCaptureFixture) -> None:
    log: Log = logging.getLogger("tests.client.log")
    with caplog.at_level(logging.INFO, logger="tests.client.log"):
        log_through(log)
    assert [(r.levelname, r.getMessage()[:7]) for r in caplog.records] == [("INFO", "Media 7"), ("WARNING", "X API G")]
    assert caplog.records[1].getMessage().endswith("(attempt 1 of 5; retrying in 0.0 s)")


def test_a_structlog_logger_as_airflow_gives_tasks_is_a_log() -> None:
    log: Log = structlog.get_logger("tests.client.log")
    with capture_logs() as logs:
        log_through(log)
    assert [(e["log_level"], e["event"][:7]) for e in logs] == [("info", "Media 7"), ("warning", "X API G")]
    # the arguments were formatted into the event
    assert logs[0]["event"].startswith("Media 7: uploaded 0.0 of 0.0 MiB (100%)")
    assert logs[1]["event"].endswith("(attempt 1 of 5; retrying in 0.0 s)")
