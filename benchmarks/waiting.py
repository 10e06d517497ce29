"""Worker-slot seconds and STATUS calls while X processes a video, for each way of waiting.

Runs ``benchmarks/dags/wait_modes.py`` with ``airflow dags test`` (tasks and triggers in-process, SQLite) against
the emulator processing each video for ``processing_secs``. Slot time is read from the metadata DB: every run of
the waiting task (each reschedule poke, the deferral and the resumption) from its start to its end; STATUS calls
and their spacing are read from the emulator's request log.
"""

from __future__ import annotations

import itertools
import math
import os
import sqlite3
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from benchmarks.emulator_process import emulator_process
from benchmarks.upload import MiB, make_video

HERE = Path(__file__).resolve().parent


def _seconds(start: str, end: str) -> float:
    return (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()


def _slot_seconds(db: Path, dag_id: str) -> tuple[float, int]:
    """Seconds the ``wait`` task spent in a worker, over all of its runs, and how many runs that was."""
    with sqlite3.connect(db) as conn:
        ti_id, start, end = conn.execute(
            "SELECT id, start_date, end_date FROM task_instance WHERE dag_id = ? AND task_id = 'wait'", (dag_id,)
        ).fetchone()
        pokes = conn.execute("SELECT start_date, end_date FROM task_reschedule WHERE ti_id = ?", (ti_id,)).fetchall()
        history = conn.execute(
            "SELECT start_date, end_date FROM task_instance_history WHERE dag_id = ? AND task_id = 'wait'", (dag_id,)
        ).fetchall()
    runs = [(start, end), *pokes, *history]
    return sum(_seconds(s, e) for s, e in runs if s and e), len(runs)


def _status_calls(log: list[dict[str, Any]], check_after: float) -> tuple[int, int]:
    """STATUS calls, and how many came sooner than ``check_after`` after the previous one (or FINALIZE)."""
    times = [r["at"] for r in log if r["path"] == "/2/media/upload" or r["path"].endswith("/finalize")]
    early = sum(1 for a, b in itertools.pairwise(times) if b - a < check_after - 0.05)
    return len(times) - 1, early


def run(workdir: Path, processing_secs: float = 60, check_after_secs: float = 5) -> list[dict[str, Any]]:
    home = workdir / "airflow-wait"
    home.mkdir(parents=True, exist_ok=True)
    db = home / "airflow.db"
    db.unlink(missing_ok=True)
    env = {
        **os.environ,
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(HERE / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{db}",
        "BENCH_VIDEO": str(make_video(workdir / "video-1MiB.mp4", MiB)),
    }
    airflow = str(Path(sys.executable).parent / "airflow")
    subprocess.run([airflow, "db", "migrate"], env=env, check=True, capture_output=True)
    ideal = math.ceil(processing_secs / check_after_secs) + 1
    rows = []
    for mode in ("blocking", "reschedule", "deferrable"):
        with emulator_process(processing_secs=processing_secs, check_after_secs=check_after_secs) as emulator:
            env["AIRFLOW_CONN_TWITTER_DEFAULT"] = emulator.connection_json()
            proc = subprocess.run(
                [airflow, "dags", "test", f"bench_wait_{mode}"], env=env, capture_output=True, text=True
            )
            if proc.returncode:
                raise RuntimeError(proc.stdout[-3000:] + proc.stderr[-3000:])
            calls, early = _status_calls(emulator.admin("requests"), check_after_secs)
        slot, runs = _slot_seconds(db, f"bench_wait_{mode}")
        rows.append(
            {
                "mode": mode,
                "slot_secs": slot,
                "task_runs": runs,
                "status_calls": calls,
                "early_calls": early,
                "ideal_calls": ideal,
            }
        )
    return rows
