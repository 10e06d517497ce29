"""Fixtures of the end-to-end tests: per session (so per pytest-xdist worker) a migrated SQLite AIRFLOW_HOME and an
api-server on it; an emulator per test; and the fault-injection table printed at the end of the run, with the rows
of every worker.

The tier runs serially or in parallel, ``pytest tests/e2e -n 3``: a worker shares nothing with another (its own
temp dir, AIRFLOW_HOME, api-server, S3 server; emulators and servers on free ports).
"""

from __future__ import annotations

import os
import secrets
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest

from airflow_provider.emulator import EmulatorServer
from tests.e2e.api_server import API_URL, api_server
from tests.e2e.dag_runs import AIRFLOW, ROOT, emulator_config
from tests.e2e.fault_table import RESULTS, print_fault_table

WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
FAULT_ROWS = "fault_table_rows"


@pytest.fixture(scope="session")
def airflow_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The DAG runs' environment: an AIRFLOW_HOME with a migrated SQLite DB, shared by the session's DAG runs, and
    the api-server the runs are read back through (its URL in ``AIRFLOW__API__BASE_URL``)."""
    home = tmp_path_factory.mktemp("airflow_home")
    env = {
        **os.environ,
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(ROOT / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home}/airflow.db",
        # The simple auth manager gives anyone a token, as an admin: the tests' REST calls and the approval's
        # answers (tests/e2e/hitl_responder.py).
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "True",
        # Task tokens of `dags test --use-executor` runs are signed by the run and checked by the api-server.
        "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_urlsafe(32),
    }
    env.pop("AIRFLOW_CONN_TWITTER_DEFAULT", None)
    subprocess.run([AIRFLOW, "db", "migrate"], env=env, check=True, capture_output=True, timeout=300)
    with api_server(env, f"e2e-{WORKER}") as url:
        yield {**env, API_URL: url, "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"{url}/execution/"}


@pytest.fixture
def emulator() -> Iterator[EmulatorServer]:
    with EmulatorServer(emulator_config()) as server:
        yield server


def pytest_sessionfinish(session: pytest.Session) -> None:
    """On a pytest-xdist worker: hand this worker's fault-table rows to the controller."""
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput[FAULT_ROWS] = RESULTS


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """On the pytest-xdist controller: gather the rows of each worker as it finishes."""
    RESULTS.extend(getattr(node, "workeroutput", {}).get(FAULT_ROWS, []))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Print the reliability figures kept in docs/reliability.md, from this run."""
    print_fault_table(terminalreporter.write_line)
