"""Fixtures that start a real deployment once per topology (module) on one PostgreSQL server (session).

Every process's log, and the task logs, stay in ``.deployment-logs/<topology>`` until that topology starts
again; a failed test's report names the directory.
"""

from __future__ import annotations

import signal
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.deployment.deployment import EXAMPLE_DAGS, TEST_DAGS, WHOLE_POST_DAGS, Deployment
from tests.deployment.harness import Emulator, Postgres, Processes, Redis


def _terminate(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


@pytest.fixture(scope="session")
def postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Postgres]:
    # A SIGTERM (a CI time-out) becomes KeyboardInterrupt, so that pytest still runs every teardown.
    signal.signal(signal.SIGTERM, _terminate)
    processes = Processes("postgres")
    try:
        server = Postgres.start(processes)
        yield server
    finally:
        processes.stop_all()
    server.remove_data()


def _deployment(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    postgres: Postgres,
    *,
    name: str,
    executor: str,
    celery_workers: int = 0,
) -> Generator[Deployment, None, None]:
    """Start a topology's processes, the emulator and (for Celery) Redis; always stop them, keeping their logs."""
    processes = Processes(name)
    request.config.stash.setdefault(LOG_DIRS, {})[request.module.__name__] = processes.logs
    try:
        emulator = Emulator(processes).start(processing_secs=6, check_after_secs=1)
        yield Deployment(
            name=name,
            executor=executor,
            postgres=postgres,
            emulator=emulator,
            processes=processes,
            home=tmp_path_factory.mktemp(f"airflow-home-{name}"),
            redis=Redis.start(processes) if celery_workers else None,
            celery_workers=celery_workers,
            dag_ids=EXAMPLE_DAGS + TEST_DAGS + WHOLE_POST_DAGS,
        ).start()
    finally:
        processes.stop_all()


LOG_DIRS = pytest.StashKey[dict[str, Path]]()
NEXT_ITEM = pytest.StashKey[pytest.Item | None]()
CELERY_WORKERS = 2


Kept = dict[str, tuple[Generator[Deployment, None, None], Deployment]]


@pytest.fixture(scope="session")
def kept() -> Iterator[Kept]:
    """Deployments kept running from one module to the next that uses them too; stopped at the end at the latest."""
    running: Kept = {}
    yield running
    for stopping, _ in running.values():
        stopping.close()


@pytest.fixture(scope="module")
def local(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, postgres: Postgres, kept: Kept
) -> Iterator[Deployment]:
    """LocalExecutor: api-server, scheduler, dag-processor and triggerer, each its own process. Started once for
    consecutive modules that use it (a start takes 20 to 30 s), stopped before a module that does not."""
    if "local" in kept and not kept["local"][1].processes.all_alive():
        kept.pop("local")[0].close()
    if "local" not in kept:
        starting = _deployment(request, tmp_path_factory, postgres, name="local", executor="LocalExecutor")
        kept["local"] = (starting, next(starting))
    deployment = kept["local"][1]
    request.config.stash.setdefault(LOG_DIRS, {})[request.module.__name__] = deployment.processes.logs
    yield deployment
    following = request.config.stash.get(NEXT_ITEM, None)
    if "local" not in getattr(following, "fixturenames", ()):
        kept.pop("local")[0].close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Any:
    """Module fixtures tear down within the last test's teardown: tell them which test comes next."""
    item.config.stash[NEXT_ITEM] = nextitem
    return (yield)


@pytest.fixture(scope="module")
def celery(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, postgres: Postgres
) -> Iterator[Deployment]:
    """CeleryExecutor: the same, plus Redis as broker and two Celery workers."""
    yield from _deployment(
        request, tmp_path_factory, postgres, name="celery", executor="CeleryExecutor", celery_workers=CELERY_WORKERS
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    logs = item.config.stash.get(LOG_DIRS, {}).get(item.module.__name__ if isinstance(item, pytest.Function) else "")
    if report.failed and logs:
        report.sections.append(("deployment logs", f"process and task logs of this deployment: {logs}"))
    return report
