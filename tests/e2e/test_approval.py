"""The approval example end to end: ``airflow dags test`` against the emulator, answered through Airflow's REST API
while the run waits for it (tests/e2e/hitl_responder.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from airflow import __version__
from packaging.version import Version

from airflow_provider.emulator import EmulatorServer
from tests.e2e.dag_runs import ROOT, emulator_config, run_dag

pytestmark = [
    pytest.mark.e2e,
    # Before 3.3 `dags test` cannot run the approval's trigger in line (apache/airflow#68492 made it wait instead).
    pytest.mark.skipif(
        Version(__version__) < Version("3.3"), reason="airflow dags test runs human-in-the-loop from 3.3"
    ),
]

DAG_ID = "example_twitter_approval"


@contextmanager
def answering(airflow_env: dict[str, str], option: str) -> Iterator[dict[str, Any]]:
    """A person answering the run's approval with ``option`` while the block runs; what they saw and chose."""
    responder = subprocess.Popen(
        [sys.executable, "-m", "tests.e2e.hitl_responder", DAG_ID, "approve", option],
        env=airflow_env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    seen: dict[str, Any] = {}
    try:
        yield seen
        out, err = responder.communicate(timeout=120)
        assert responder.returncode == 0, err[-3000:]
        seen.update(json.loads(out.splitlines()[-1]))
    finally:
        responder.kill()


def test_approved_post_is_made(airflow_env: dict[str, str], emulator: EmulatorServer) -> None:
    with answering(airflow_env, "Approve") as seen:
        run = run_dag(airflow_env, emulator, DAG_ID)

    assert seen == {"asked": "Post this video to X?", "answered": ["Approve"]}
    assert run.state == "success", run.output[-3000:]
    assert set(run.task_states.values()) == {"success"}
    media_id = run.xcom["upload_media"]["media_id"]
    (post,) = run.posts
    assert post["media_ids"] == [media_id] and post["text"] == "Published from Airflow after approval"
    assert run.xcom["approve"]["chosen_options"] == ["Approve"]
    assert "waiting at most 12:00:00 for an answer" in run.output  # the media expire in 24 h: the full wait


def test_rejected_post_is_not_made(airflow_env: dict[str, str], emulator: EmulatorServer) -> None:
    with answering(airflow_env, "Reject") as seen:
        run = run_dag(airflow_env, emulator, DAG_ID)

    assert seen["answered"] == ["Reject"]
    assert run.state == "success", run.output[-3000:]
    assert run.task_states["approve"] == "success" and run.task_states["post"] == "skipped"
    assert run.calls("POST", "/2/tweets") == [] and run.posts == []


def test_no_answer_before_the_media_would_expire_fails_the_approval_and_posts_nothing(
    airflow_env: dict[str, str],
) -> None:
    """The media expire 30 s after the wait's 10-minute margin: the approval waits under 30 s, then fails."""
    with (
        EmulatorServer(emulator_config(expires_after_secs=600 + 30)) as emulator,
        answering(airflow_env, "none") as seen,
    ):
        run = run_dag(airflow_env, emulator, DAG_ID)

    assert seen["answered"] is None and seen["swept"] > 1
    assert run.task_states["approve"] == "failed" and run.task_states["post"] == "upstream_failed"
    assert "waiting at most 0:00:" in run.output
    assert "No one approved or rejected the post in time, before its media would expire; nothing is posted." in (
        run.output
    )
    assert run.calls("POST", "/2/tweets") == [] and run.posts == []
