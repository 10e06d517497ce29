"""A worker killed mid-upload (Airflow 3.3's task state store): the upload task's process is SIGKILLed at about 60% of a
48 MiB video and Airflow retries it. The retry continues the same media id from the segments X had not acknowledged,
so X sees one media id, at most half the bytes again, and one post; and the upload's record is gone after success.

The run goes through Airflow's LocalExecutor (``dags test --use-executor``), so the task runs in a process of its own
under Airflow's supervisor, which sees it die and hands it to the scheduler for its retry, as in a deployment. The
figures are in docs/reliability.md."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import requests

from airflow_provider.emulator import EmulatorServer
from airflow_provider.emulator.faults import Fault
from airflow_provider.rules.media import MiB
from tests.deployment.crashes import (
    CHUNK,
    HANG_AFTER_7,
    KILL_AFTER,
    RUN_TIMEOUT,
    SEGMENTS,
    SIZE,
    acknowledged,
    appends_after,
    at_least,
    state_store,
)
from tests.deployment.deployment import Api
from tests.deployment.harness import wait_until
from tests.e2e.dag_runs import airflow_api, emulator_config, run_dag
from tests.unit.mp4 import large_mp4

DAG_ID = "e2e_killed_upload"
DAGS = Path(__file__).parent / "dags"
HANG = Fault.from_json(HANG_AFTER_7)


def kill_at_60_percent(killed: dict[str, Any]) -> Any:
    def act(process: subprocess.Popen[bytes], api: Api) -> None:
        def run_id() -> str | None:
            try:
                runs = api.call("GET", f"/dags/{DAG_ID}/dagRuns", params={"order_by": "-id", "limit": 1})["dag_runs"]
            except RuntimeError:  # 404 until `dags test` has written the DAG to the metadata DB
                return None
            return runs[0]["dag_run_id"] if runs and runs[0]["state"] == "running" else None

        killed["run_id"] = rid = wait_until("the run", run_id, 120)
        killed["acknowledged"] = wait_until(
            f"{KILL_AFTER} segments acknowledged in the state store",
            lambda: at_least(KILL_AFTER, acknowledged(api, DAG_ID, rid)),
            RUN_TIMEOUT,
        )
        pid = int(api.task_instances(DAG_ID, rid)["upload_media"]["pid"])
        assert _descends_from(pid, process.pid), "the task instance's pid is not a process of this run"
        killed["at"] = time.time()  # the emulator's clock: each request's "at" is when it began
        os.kill(pid, signal.SIGKILL)

    return act


def test_upload_killed_at_60_percent_continues_the_same_media_id(airflow_env: dict[str, str], tmp_path: Path) -> None:
    video = large_mp4(tmp_path / "large.mp4", SIZE)
    killed: dict[str, Any] = {}
    with EmulatorServer(emulator_config(processing_secs=2.0, faults=(HANG,))) as emulator:
        connection = json.loads(emulator.connection_json())
        run = run_dag(
            airflow_env,
            emulator,
            DAG_ID,
            conf={"path": str(video)},
            dags_folder=DAGS,
            while_running=kill_at_60_percent(killed),
        )
        media = requests.get(f"{emulator.url}/_emulator/media/{run.posts[0]['media_ids'][0]}", timeout=10).json()

    assert run.state == "success", run.output[-3000:]
    assert run.task_states["upload_media"] == "success"
    assert len(killed["acknowledged"]) == KILL_AFTER
    assert len(run.calls("POST", "/2/media/upload/initialize")) == 1  # one media id, minted by the first try
    (post,) = run.posts  # one post, with that media
    media_id = post["media_ids"][0]
    again = appends_after(run.requests, media_id, killed["at"])
    assert len(again) == SEGMENTS - KILL_AFTER  # the retry sent exactly the segments not acknowledged
    assert len(again) * CHUNK <= SIZE // 2  # at most 50% of the bytes again
    assert (media["segment_count"], media["received_bytes"]) == (SEGMENTS, SIZE)
    assert run.xcom["upload_media"]["media_id"] == media_id
    assert f"Continuing media {media_id} from an earlier try: X acknowledged 7 of 12 segment(s)." in _task_log(
        airflow_env, killed["run_id"], try_number=2
    )
    # Nothing left behind: the upload's record is removed once FINALIZE and the metadata are done.
    api = airflow_api(airflow_env)
    assert state_store(api, DAG_ID, killed["run_id"], "upload_media") == {}
    recorded = state_store(api, DAG_ID, killed["run_id"], "post")["x_post"]
    assert recorded == {"sending": False, "output": run.xcom["post"]}  # the whole output, for a later try
    secrets = [connection["password"], *connection["extra"].values()]
    assert not [s for s in secrets if s in json.dumps(recorded)]  # no credential is ever stored
    print(
        f"\nkilled upload: {KILL_AFTER}/{SEGMENTS} segments acknowledged at the kill; on retry {len(again)} APPENDs "
        f"({len(again) * CHUNK / MiB:.0f} of {SIZE / MiB:.0f} MiB, {len(again) * CHUNK / SIZE:.0%}), "
        f"INIT {len(run.calls('POST', '/2/media/upload/initialize')) - 1}"
    )


def _task_log(airflow_env: dict[str, str], run_id: str, try_number: int) -> str:
    """The task's log file as the LocalExecutor's task process wrote it, under AIRFLOW_HOME."""
    path = f"dag_id={DAG_ID}/run_id={run_id}/task_id=upload_media/attempt={try_number}.log"
    return (Path(airflow_env["AIRFLOW_HOME"]) / "logs" / path).read_text()


def _descends_from(pid: int, ancestor: int) -> bool:
    while pid > 1:
        if pid == ancestor:
            return True
        # /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may contain spaces, so split after ")".
        pid = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    return False
