"""A worker killed mid-upload (Airflow 3.3's task state store): the upload task's process is SIGKILLed at about 60% of a
48 MiB video and Airflow retries it. The retry continues the same media id from the segments X had not acknowledged,
so X sees one media id, at most half the bytes again, and one post; and the upload's record is gone after success.

The run goes through Airflow's LocalExecutor (``dags test --use-executor``), so the task runs in a process of its own
under Airflow's supervisor, which sees it die and hands it to the scheduler for its retry, as in a deployment. The
figures are in docs/reliability.md."""

from __future__ import annotations

import os
import signal
import struct
import subprocess
import time
from pathlib import Path
from typing import Any

import requests

from airflow_provider.emulator import EmulatorServer
from airflow_provider.emulator.faults import Fault
from airflow_provider.rules.media import MiB
from tests.deployment.deployment import Api
from tests.deployment.harness import wait_until
from tests.e2e.dag_runs import airflow_api, emulator_config, run_dag
from tests.unit.mp4 import FTYP_BOX, box, mvhd

DAG_ID = "e2e_killed_upload"
DAGS = Path(__file__).parent / "dags"
SIZE, CHUNK = 48 * MiB, 4 * MiB  # 12 segments of 4 MiB, the default chunk
SEGMENTS = SIZE // CHUNK
KILL_AFTER = 7  # segments acknowledged when the process is killed: 58%
# APPEND calls 8 to 11 (the 4 in flight once 7 are acknowledged) hang: the first try can get no further.
HANG = Fault.from_json({"endpoint": "append", "calls": [8, 9, 10, 11], "kind": "slow", "delay_secs": 20})


def large_video(path: Path) -> Path:
    """A 10 s MP4 of ``SIZE`` bytes, mostly zeros (a sparse file): ``ftyp``, ``mdat`` up to ``moov`` at the end."""
    moov = box(b"moov", mvhd(1000, 10_000))
    with path.open("wb") as f:
        f.write(FTYP_BOX + struct.pack(">I4s", SIZE - len(FTYP_BOX) - len(moov), b"mdat"))
        f.seek(SIZE - len(moov))
        f.write(moov)
    return path


def acknowledged(api: Api, run_id: str) -> list[int]:
    """The segments the upload task's state store says X acknowledged (public REST API, Airflow 3.3)."""
    path = f"/dags/{DAG_ID}/dagRuns/{run_id}/taskInstances/upload_media/state-store"
    entries = {e["key"]: e["value"] for e in api.call("GET", path)["task_state_store"]}
    return list(entries.get("x_upload", {}).get("acknowledged", []))


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
            lambda: (acks := acknowledged(api, rid)) and len(acks) >= KILL_AFTER and acks,
            180,
        )
        pid = int(api.task_instances(DAG_ID, rid)["upload_media"]["pid"])
        assert _descends_from(pid, process.pid), "the task instance's pid is not a process of this run"
        killed["at"] = time.time()  # the emulator's clock: each request's "at" is when it began
        os.kill(pid, signal.SIGKILL)

    return act


def test_upload_killed_at_60_percent_continues_the_same_media_id(airflow_env: dict[str, str], tmp_path: Path) -> None:
    video = large_video(tmp_path / "large.mp4")
    killed: dict[str, Any] = {}
    with EmulatorServer(emulator_config(processing_secs=2.0, faults=(HANG,))) as emulator:
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
    appends = run.calls("POST", f"/2/media/upload/{media_id}/append")
    again = [a for a in appends if a["at"] > killed["at"]]
    assert len(again) == SEGMENTS - KILL_AFTER  # the retry sent exactly the segments not acknowledged
    assert len(again) * CHUNK <= SIZE // 2  # at most 50% of the bytes again
    assert (media["segment_count"], media["received_bytes"]) == (SEGMENTS, SIZE)
    assert run.xcom["upload_media"]["media_id"] == media_id
    assert f"Continuing media {media_id} from an earlier try: X acknowledged 7 of 12 segment(s)." in _task_log(
        airflow_env, killed["run_id"], try_number=2
    )
    # Nothing left behind: the upload's record is removed once FINALIZE and the metadata are done.
    assert acknowledged(airflow_api(airflow_env), killed["run_id"]) == []
    assert _state_store(airflow_env, killed["run_id"]) == {}
    print(
        f"\nkilled upload: {KILL_AFTER}/{SEGMENTS} segments acknowledged at the kill; on retry {len(again)} APPENDs "
        f"({len(again) * CHUNK / MiB:.0f} of {SIZE / MiB:.0f} MiB, {len(again) * CHUNK / SIZE:.0%}), "
        f"INIT {len(run.calls('POST', '/2/media/upload/initialize')) - 1}"
    )


def _state_store(airflow_env: dict[str, str], run_id: str) -> dict[str, Any]:
    path = f"/dags/{DAG_ID}/dagRuns/{run_id}/taskInstances/upload_media/state-store"
    return {e["key"]: e["value"] for e in airflow_api(airflow_env).call("GET", path)["task_state_store"]}


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
