"""Worker-slot seconds and STATUS calls while X processes a video, for each way of waiting.

Runs ``benchmarks/dags/wait_modes.py`` with ``airflow dags test`` (tasks and triggers in-process, SQLite) against
the emulator processing each video for ``processing_secs``. Slot time is the time the waiting task spends
executing, summed over its runs (each reschedule poke, the deferral and the resumption), as the DAG logs it; the
metadata DB cannot tell it for a deferred task, whose start and end dates span the deferral. The task runner's own
start-up per run is not in it (``dags test`` runs tasks in-process); the run count shows how often it is paid.
STATUS calls and their spacing are read from the emulator's request log. The three DAGs run side by side.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from benchmarks.emulator_process import emulator_process
from benchmarks.upload import MiB, make_video

HERE = Path(__file__).resolve().parent


def _slot_time(log: Path) -> tuple[float, int]:
    """Seconds the waiting task spent executing, and in how many runs."""
    phases = [json.loads(line) for line in log.read_text().splitlines()]
    return sum(p["secs"] for p in phases), len(phases)


def early_calls(times: Sequence[float], check_after: float) -> int:
    """How many calls came sooner than ``check_after`` after the call before (``times[0]``: FINALIZE)."""
    return sum(1 for a, b in itertools.pairwise(times) if b - a < check_after - 0.05)


def ideal_calls(processing_secs: float, check_after_secs: float) -> int:
    """STATUS calls a client following X's advice needs, plus one: ``ceil(processing / check_after) + 1``."""
    return math.ceil(processing_secs / check_after_secs) + 1


def _status_calls(log: list[dict[str, Any]], check_after: float) -> tuple[int, int]:
    """STATUS calls, and how many came sooner than ``check_after`` after the previous one (or FINALIZE)."""
    times = [r["at"] for r in log if r["path"] == "/2/media/upload" or r["path"].endswith("/finalize")]
    return len(times) - 1, early_calls(times, check_after)


def run(workdir: Path, processing_secs: float = 60, check_after_secs: float = 5) -> list[dict[str, Any]]:
    """The three ways of waiting side by side, each with an emulator and a copy of one migrated metadata DB."""
    video = str(make_video(workdir / "video-1MiB.mp4", MiB))
    airflow = str(Path(sys.executable).parent / "airflow")

    def environment(home: Path) -> dict[str, str]:
        home.mkdir(parents=True, exist_ok=True)
        return {
            **os.environ,
            "AIRFLOW_HOME": str(home),
            "AIRFLOW__CORE__DAGS_FOLDER": str(HERE / "dags"),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}",
            "BENCH_VIDEO": video,
        }

    migrated = workdir / "airflow-wait"
    (migrated / "airflow.db").unlink(missing_ok=True)
    subprocess.run([airflow, "db", "migrate"], env=environment(migrated), check=True, capture_output=True)

    def one(mode: str) -> dict[str, Any]:
        home = workdir / f"airflow-wait-{mode}"
        env = environment(home)
        shutil.copy(migrated / "airflow.db", home / "airflow.db")
        slot_log = home / "slot-times.jsonl"
        slot_log.unlink(missing_ok=True)
        with emulator_process(processing_secs=processing_secs, check_after_secs=check_after_secs) as emulator:
            env["AIRFLOW_CONN_TWITTER_DEFAULT"] = emulator.connection_json()
            env["BENCH_SLOT_LOG"] = str(slot_log)
            proc = subprocess.run(
                [airflow, "dags", "test", f"bench_wait_{mode}"], env=env, capture_output=True, text=True
            )
            if proc.returncode:
                raise RuntimeError(proc.stdout[-3000:] + proc.stderr[-3000:])
            calls, early = _status_calls(emulator.admin("requests"), check_after_secs)
        slot, runs = _slot_time(slot_log)
        return {
            "mode": mode,
            "slot_secs": slot,
            "task_runs": runs,
            "status_calls": calls,
            "early_calls": early,
            "ideal_calls": ideal_calls(processing_secs, check_after_secs),
        }

    with ThreadPoolExecutor(3) as pool:
        return list(pool.map(one, ("blocking", "reschedule", "deferrable")))
