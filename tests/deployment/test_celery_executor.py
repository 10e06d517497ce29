"""The reschedule example DAG on CeleryExecutor: Redis as broker, two workers, each poke a separate task."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.deployment.conftest import deployment
from tests.deployment.deployment import Deployment
from tests.deployment.harness import Postgres

pytestmark = pytest.mark.deployment

WORKERS = 2
RUNS = 4
RUN_TIMEOUT = 600


@pytest.fixture(scope="module")
def celery(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, postgres: Postgres
) -> Iterator[Deployment]:
    yield from deployment(
        request, tmp_path_factory, postgres, name="celery", executor="CeleryExecutor", celery_workers=WORKERS
    )


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
