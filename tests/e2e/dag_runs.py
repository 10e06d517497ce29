"""Run a DAG for real: ``airflow dags test`` in a subprocess on the session's SQLite metadata DB, against the emulator
on loopback; then read back what the run left through Airflow's REST API (the session's api-server,
tests/e2e/api_server.py), what it printed, and the emulator's admin API. No SQL on Airflow's tables."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import requests

from airflow_provider.emulator import EmulatorConfig, EmulatorServer
from tests.deployment.deployment import Api
from tests.deployment.harness import wait_until
from tests.e2e.api_server import API_URL

ROOT = Path(__file__).resolve().parents[2]
AIRFLOW = str(Path(sys.executable).parent / "airflow")
# What `dags test` prints (its in-process execution API) each time a task instance is rescheduled.
RESCHEDULED = re.compile(r"Task instance state updated .*new_state=up_for_reschedule .*ti_id=([0-9a-f-]+)")


@dataclass
class DagRun:
    """What a finished ``airflow dags test`` left behind, read from the REST API, its output and the emulator.

    Task instances are keyed by task id; the instances of a mapped task by ``task_id[map_index]``. ``xcom`` holds
    each instance's return value (as JSON decodes it), ``rendered_fields`` its rendered template fields.
    ``reschedules`` counts each instance's reschedules from the run's output: the REST API does not list them, and
    ``dags test`` prints each state change of its in-process execution API with the task instance's id, which the
    REST API maps to the task.
    """

    returncode: int
    output: str
    run_id: str
    state: str
    task_states: dict[str, str]
    reschedules: dict[str, int]
    xcom: dict[str, Any]
    rendered_fields: dict[str, dict[str, Any]]
    posts: list[dict[str, Any]] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)

    def calls(self, method: str, path_prefix: str) -> list[dict[str, Any]]:
        return [r for r in self.requests if r["method"] == method and r["path"].startswith(path_prefix)]


def emulator_config(**overrides: Any) -> EmulatorConfig:
    """Processing short enough for tests, long enough that the sensor must reschedule."""
    return EmulatorConfig(**{"processing_secs": 4.0, "check_after_secs": 1, **overrides})


def airflow_api(airflow_env: dict[str, str]) -> Api:
    """A client of the session's api-server, logged in (the simple auth manager, every user an admin)."""
    api = Api(airflow_env[API_URL])
    api.login()
    return api


def run_dag(
    airflow_env: dict[str, str],
    emulator: EmulatorServer,
    dag_id: str,
    conf: dict[str, Any] | None = None,
    conn_extra: dict[str, Any] | None = None,
    dags_folder: Path = ROOT / "dags",
    while_running: Callable[[subprocess.Popen[bytes], Api], None] | None = None,
) -> DagRun:
    """``airflow dags test dag_id``. With ``while_running``, the run goes through Airflow's LocalExecutor
    (``--use-executor``): each task in a process of its own, supervised, retried by Airflow when it dies, and
    ``while_running(process, api)`` is called once the run has started (to kill a task's process, say)."""
    connection = json.loads(emulator.connection_json())
    connection["extra"].update(conn_extra or {})
    env = {**airflow_env, "AIRFLOW_CONN_TWITTER_DEFAULT": json.dumps(connection)}
    env["AIRFLOW__CORE__DAGS_FOLDER"] = str(dags_folder)
    cmd = [AIRFLOW, "dags", "test", dag_id]
    if conf:
        cmd += ["-c", json.dumps(conf)]
    if while_running is not None:
        cmd.append("--use-executor")
        env["AIRFLOW__CORE__EXECUTOR"] = "LocalExecutor"
    api = airflow_api(airflow_env)
    with tempfile.TemporaryFile() as out:  # a file, not a pipe: nothing blocks while the test acts on the run
        with subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True) as proc:
            try:
                if while_running is not None:
                    while_running(proc, api)
                    _wait_finished_then_exit(proc, api, dag_id)
                proc.wait(timeout=600)
            finally:
                if proc.poll() is None:
                    os.killpg(proc.pid, signal.SIGKILL)  # `dags test` and the executor's workers
        out.seek(0)
        output = out.read().decode(errors="replace")
    runs = api.call("GET", f"/dags/{dag_id}/dagRuns", params={"order_by": "-id", "limit": 1})["dag_runs"]
    assert runs, f"airflow dags test {dag_id} left no run:\n{output[-3000:]}"
    run_id = runs[0]["dag_run_id"]
    path = f"/dags/{dag_id}/dagRuns/{quote(run_id, safe='')}/taskInstances"
    instances = {
        _key(ti["task_id"], ti["map_index"]): ti
        for ti in api.call("GET", path, params={"limit": 100})["task_instances"]
    }
    ids = {ti["id"]: key for key, ti in instances.items()}
    rescheduled = Counter(ids[ti_id] for ti_id in RESCHEDULED.findall(output))
    entries = api.call("GET", f"{path}/~/xcomEntries", params={"xcom_key": "return_value", "limit": 100})
    xcom = {
        _key(entry["task_id"], entry["map_index"]): api.call(
            "GET",
            f"{path}/{entry['task_id']}/xcomEntries/return_value",
            params={"map_index": entry["map_index"]},
        )["value"]
        for entry in entries["xcom_entries"]
    }
    admin = f"{emulator.url}/_emulator"
    return DagRun(
        returncode=proc.returncode,
        output=output,
        run_id=run_id,
        state=runs[0]["state"],
        task_states={key: ti["state"] for key, ti in instances.items()},
        reschedules={key: rescheduled[key] for key in instances},
        xcom=xcom,
        rendered_fields={key: ti["rendered_fields"] for key, ti in instances.items()},
        posts=requests.get(f"{admin}/posts", timeout=10).json(),
        requests=requests.get(f"{admin}/requests", timeout=10).json(),
    )


def _wait_finished_then_exit(proc: subprocess.Popen[bytes], api: Api, dag_id: str) -> None:
    """Once the run has finished, give ``dags test`` a while to stop its LocalExecutor, then stop its session: the
    executor's shutdown can wait forever on a worker that missed its stop message (seen on 3.3.2 after a task's
    process was killed), which is Airflow's and not what the test is about."""

    def finished() -> bool:
        runs = api.call("GET", f"/dags/{dag_id}/dagRuns", params={"order_by": "-id", "limit": 1})["dag_runs"]
        return proc.poll() is not None or bool(runs and runs[0]["state"] in ("success", "failed"))

    wait_until(f"the {dag_id} run finished", finished, 600, interval=2)
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:  # the run is over and recorded: nothing is lost
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def _key(task_id: str, map_index: int) -> str:
    return task_id if map_index < 0 else f"{task_id}[{map_index}]"
