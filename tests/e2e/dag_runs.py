"""Run a DAG for real: ``airflow dags test`` in a subprocess on a SQLite metadata DB, against the emulator on
loopback, and read back what the run left (states, reschedules, XComs, posts, X requests)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from airflow_provider.emulator import EmulatorConfig, EmulatorServer

ROOT = Path(__file__).resolve().parents[2]
AIRFLOW = str(Path(sys.executable).parent / "airflow")


@dataclass
class DagRun:
    """What a finished ``airflow dags test`` left behind, read from its metadata DB and the emulator."""

    returncode: int
    output: str
    state: str
    task_states: dict[str, str]
    reschedules: dict[str, int]
    xcom: dict[str, str]
    posts: list[dict[str, Any]] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)

    def calls(self, method: str, path_prefix: str) -> list[dict[str, Any]]:
        return [r for r in self.requests if r["method"] == method and r["path"].startswith(path_prefix)]


def emulator_config(**overrides: Any) -> EmulatorConfig:
    """Processing short enough for tests, long enough that the sensor must reschedule."""
    return EmulatorConfig(**{"processing_secs": 4.0, "check_after_secs": 1, **overrides})


def run_dag(
    airflow_env: dict[str, str],
    emulator: EmulatorServer,
    dag_id: str,
    conf: dict[str, Any] | None = None,
    conn_extra: dict[str, Any] | None = None,
    dags_folder: Path = ROOT / "dags",
) -> DagRun:
    connection = json.loads(emulator.connection_json())
    connection["extra"].update(conn_extra or {})
    env = {**airflow_env, "AIRFLOW_CONN_TWITTER_DEFAULT": json.dumps(connection)}
    env["AIRFLOW__CORE__DAGS_FOLDER"] = str(dags_folder)
    cmd = [AIRFLOW, "dags", "test", dag_id]
    if conf:
        cmd += ["-c", json.dumps(conf)]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    db = sqlite3.connect(Path(airflow_env["AIRFLOW_HOME"]) / "airflow.db")
    with db:
        run_id, state = db.execute(
            "SELECT run_id, state FROM dag_run WHERE dag_id = ? ORDER BY id DESC LIMIT 1", (dag_id,)
        ).fetchone()
        task_states = dict(
            db.execute("SELECT task_id, state FROM task_instance WHERE dag_id = ? AND run_id = ?", (dag_id, run_id))
        )
        reschedules = dict(
            db.execute(
                "SELECT ti.task_id, count(tr.id) FROM task_instance ti LEFT JOIN task_reschedule tr ON tr.ti_id = ti.id"
                " WHERE ti.dag_id = ? AND ti.run_id = ? GROUP BY ti.task_id",
                (dag_id, run_id),
            )
        )
        xcom = {
            task_id: value.decode() if isinstance(value, bytes) else str(value)
            for task_id, value in db.execute(
                "SELECT task_id, value FROM xcom WHERE dag_id = ? AND run_id = ?", (dag_id, run_id)
            )
        }
    db.close()
    admin = f"{emulator.url}/_emulator"
    return DagRun(
        returncode=proc.returncode,
        output=proc.stdout + proc.stderr,
        state=state,
        task_states=task_states,
        reschedules=reschedules,
        xcom=xcom,
        posts=requests.get(f"{admin}/posts", timeout=10).json(),
        requests=requests.get(f"{admin}/requests", timeout=10).json(),
    )
