"""No credential of the connection may reach a task log or XCom, on success or on failure."""

from __future__ import annotations

from pathlib import Path

import pytest

from airflow_provider.emulator import EmulatorServer, Fault
from tests.e2e.conftest import emulator_config, run_dag

pytestmark = pytest.mark.e2e

SECRETS = {
    "api_key_secret": "k8Vq2-api-key-secret-do-not-log",
    "access_token": "1000000000000000001-access-token-do-not-log",
    "access_token_secret": "Zr41w-access-token-secret-do-not-log",
}


@pytest.mark.parametrize("scenario", ["success", "rejected by X"])
def test_no_secret_in_logs_or_xcom(airflow_env: dict[str, str], scenario: str) -> None:
    faults: tuple[Fault, ...] = ()
    if scenario == "rejected by X":
        faults = (Fault.from_json({"endpoint": "tweets", "kind": "status", "status": 401}),)
    with EmulatorServer(emulator_config(faults=faults, **SECRETS)) as emulator:
        run = run_dag(airflow_env, emulator, "example_twitter_video")

    assert run.state == ("success" if scenario == "success" else "failed")
    log_files = list((Path(airflow_env["AIRFLOW_HOME"]) / "logs").rglob("*.log"))
    searched = {"dags test output": run.output, **{f"xcom {k}": v for k, v in run.xcom.items()}}
    searched |= {str(p): p.read_text(errors="replace") for p in log_files}
    assert run.output and run.xcom
    leaks = [(name, where) for name, secret in SECRETS.items() for where, text in searched.items() if secret in text]
    assert leaks == []
