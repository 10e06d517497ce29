"""The reschedule example DAG on CeleryExecutor: Redis as broker, two workers, each poke a separate task; and the
workers' task processes killed mid-upload and right after X accepted the post (tests/deployment/crashes.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.deployment.crashes import post_killed_after_x_accepted_the_post, upload_killed_mid_way
from tests.deployment.deployment import Deployment

pytestmark = pytest.mark.deployment

RUNS = 4
RUN_TIMEOUT = 600


def test_reschedule_pokes_land_on_both_workers(celery: Deployment) -> None:
    """Each worker runs one task at a time, so concurrent runs' pokes must spread over both workers."""
    celery.emulator.start(processing_secs=12, check_after_secs=1)
    runs = [celery.trigger("example_twitter_video", f"celery_{n}") for n in range(RUNS)]
    celery.wait_finished(runs, RUN_TIMEOUT)
    posts = celery.emulator.posts()

    problems = [problem for run in runs for problem in run.problems(posts)]
    assert not problems, "\n".join(problems)
    assert len(posts) == len(runs)
    pokes = {worker.name: celery.executed(worker, "wait_for_processing") for worker in celery.workers}
    assert all(pokes.values()), f"pokes per worker: {pokes}"


def test_upload_task_killed_mid_upload(celery: Deployment, tmp_path: Path) -> None:
    upload_killed_mid_way(celery, tmp_path, "celery_upload_killed")


def test_post_task_killed_after_x_accepted_the_post(celery: Deployment) -> None:
    post_killed_after_x_accepted_the_post(celery, "celery_post_killed")
