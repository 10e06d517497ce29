"""The reschedule example DAG on CeleryExecutor: Redis as broker, two workers, each poke a separate task."""

from __future__ import annotations

import pytest

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
