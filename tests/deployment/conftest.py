"""Fixtures that start a real deployment once per topology (module) on one PostgreSQL server (session).

Every process's log, and the task logs, stay in ``.deployment-logs/<topology>`` until that topology starts
again; a failed test's report names the directory.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.deployment.deployment import EXAMPLE_DAGS, TEST_DAGS, Deployment
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
) -> Iterator[Deployment]:
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
            dag_ids=EXAMPLE_DAGS + TEST_DAGS,
        ).start()
    finally:
        processes.stop_all()


LOG_DIRS = pytest.StashKey[dict[str, Path]]()
CELERY_WORKERS = 2


@pytest.fixture(scope="module")
def local(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, postgres: Postgres
) -> Iterator[Deployment]:
    """LocalExecutor: api-server, scheduler, dag-processor and triggerer, each its own process."""
    yield from _deployment(request, tmp_path_factory, postgres, name="local", executor="LocalExecutor")


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
