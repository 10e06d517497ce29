"""Fixtures of the end-to-end tests: a migrated SQLite AIRFLOW_HOME per session, an emulator per test, and the
fault-injection table printed at the end of the run."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest

from airflow_provider.emulator import EmulatorServer
from tests.e2e.dag_runs import AIRFLOW, ROOT, emulator_config
from tests.e2e.fault_table import print_fault_table


@pytest.fixture(scope="session")
def airflow_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """An AIRFLOW_HOME with a migrated SQLite DB, shared by the session's DAG runs."""
    home = tmp_path_factory.mktemp("airflow_home")
    env = {
        **os.environ,
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(ROOT / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home}/airflow.db",
    }
    env.pop("AIRFLOW_CONN_TWITTER_DEFAULT", None)
    subprocess.run([AIRFLOW, "db", "migrate"], env=env, check=True, capture_output=True, timeout=300)
    return env


@pytest.fixture
def emulator() -> Iterator[EmulatorServer]:
    with EmulatorServer(emulator_config()) as server:
        yield server


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Print the reliability figures kept in docs/reliability.md, from this run."""
    print_fault_table(terminalreporter.write_line)
