"""The wait for X's processing under a real scheduler: issue #7's run matrix and issue #11.4's figures.

Runs on the deployment tests' harness (``tests/deployment``): PostgreSQL, api-server, scheduler, dag-processor and
triggerer as separate processes, LocalExecutor, the emulator as its own process, runs triggered through the REST
API. Each way of waiting is a DAG of upload -> wait -> post:

- reschedule: ``example_twitter_video`` (MediaProcessingSensor in reschedule mode, 15 s reschedule floor);
- deferrable: ``example_twitter_video_deferrable`` (the wait in the triggerer);
- blocking: ``bench_deployment_blocking`` (``benchmarks/dags/wait_modes.py``): tweepy's sleep-and-poll loop in a task.

Per media (one run), from the task logs, the metadata DB and the emulator's admin API:

- task starts: processes started for the waiting task (tries, reschedule pokes, resumptions after deferral): one
  per ``::group::Pre Execute`` section in its task logs (``attempt=N.log``, every try); tries: those files.
- worker-slot seconds: the sum, over those starts, of the ``duration`` the LocalExecutor worker's supervisor logs
  as "Workload finished" (scheduler log; matched by the try's task-instance id): the worker is busy from setting
  up the task's log through the fork, the task process's whole life, to its final state report. Beside it, task
  seconds: the first to the last line of each start's own log section (DAG-file parse, poke, state report).
  Airflow's ``start_date`` comes ``startup_gap`` before that first line. Not ``task_reschedule.start_date``:
  Airflow 3.3 writes the time of the reschedule call there, not the start of the poke.
- scheduler-side latency: time when the run's next step was due but no process ran it: end of the upload -> first
  start of the wait; each time the wait was due again -> its restart (reschedule: ``task_reschedule.reschedule_date``;
  deferral: the triggerer's "Trigger fired event"; a retry: the failed start's end + ``retry_delay``); end of the
  wait -> start of the post.
- STATUS calls: those made before the waiting task's last process ended (the post task's own check comes later
  and is not counted); ideal ``ceil(processing / advice) + 1``; early: sooner than the advice after the previous
  STATUS or FINALIZE (request times at the emulator, 50 ms tolerance).
- delay to post: the post's ``created_at`` at the emulator minus the end of processing (FINALIZE + processing_secs).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import re
import statistics
import subprocess
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from airflow_provider.sensors.media import DEFAULT_MIN_RESCHEDULE_INTERVAL
from benchmarks.waiting import early_calls, ideal_calls
from tests.deployment.deployment import EXAMPLE_DAGS_DIR, VIDEO_DAGS, Deployment, Run
from tests.deployment.harness import Emulator, Postgres, Processes

HERE = Path(__file__).resolve().parent
DAGS = {"reschedule": VIDEO_DAGS[0], "deferrable": VIDEO_DAGS[1], "blocking": "bench_deployment_blocking"}
UPLOAD, WAIT, POST = "upload_media", "wait_for_processing", "post"
PER_BATCH = 5  # runs of each mode triggered together; the next batch starts when all have finished
# Issue #7's runs per setting: one batch by default (make bench within 15 minutes), 20 with --full (5 more minutes).
RUNS_7, RUNS_7_FULL = PER_BATCH, 20
RUN_TIMEOUT = 900.0
RETRY_DELAY = DEFAULT_MIN_RESCHEDULE_INTERVAL  # the sensor's default retry_delay
ATTEMPT_LOG = re.compile(r"attempt=(\d+)\.log")
WORKLOAD = re.compile(r"Workload finished .*?\bduration=([\d.]+).*?\bworkload_id=([0-9a-f-]+)")
# The scheduler's line when an executor event contradicts the task's state (the race of apache/airflow#71172).
STATE_MISMATCH = re.compile(r"reported that the task instance <TaskInstance: [^.\s]+\.(\S+) (\S+) \[")


@dataclass(frozen=True)
class Cell:
    """One setting: X's advice, the processing time, the modes run side by side, and the runs of each."""

    matrix: str
    check_after: float
    processing: float
    modes: tuple[str, ...]
    runs: int


def matrices(runs_7: int, runs_11: int = 3) -> list[Cell]:
    """Issue #7: advice 1, 2, 5 s, processing 3 x advice + 3 s (as the deployment tests); #11.4: 60 s video."""
    issue_7 = [Cell("7", c, 3 * c + 3, ("reschedule", "deferrable"), runs_7) for c in (1, 2, 5)]
    issue_11 = [Cell("11.4", c, 60, ("reschedule", "deferrable", "blocking"), runs_11) for c in (1, 5, 30)]
    return issue_7 + issue_11


@dataclass(frozen=True)
class Start:
    """One process of a task: its first and last log line, how it ended, its try, and its task-instance id."""

    began: float
    ended: float
    outcome: str  # rescheduled, deferred or ended
    attempt: int
    ti_id: str | None


def _epoch(timestamp: str) -> float:
    return datetime.fromisoformat(timestamp).timestamp()


def _log_events(path: Path) -> list[dict[str, Any]]:
    events = []
    for line in path.read_text(errors="replace").splitlines():
        with contextlib.suppress(ValueError):
            event = json.loads(line)
            if isinstance(event, dict) and "timestamp" in event:
                events.append(event)
    return events


def _attempt_logs(folder: Path) -> list[tuple[int, Path]]:
    """A task's logs, one per try, with its number, in order (not the ``.trigger.N.log`` files beside them)."""
    found = {int(m[1]): p for p in folder.glob("attempt=*.log") if (m := ATTEMPT_LOG.fullmatch(p.name))}
    return sorted(found.items())


def task_starts(folder: Path) -> list[Start]:
    """Every process a task's logs show, over all its tries; each begins with ``::group::Pre Execute``."""
    starts = []
    for attempt, path in _attempt_logs(folder):
        sections: list[list[dict[str, Any]]] = []
        for event in _log_events(path):
            if event.get("event") == "::group::Pre Execute" or not sections:
                sections.append([])
            sections[-1].append(event)
        for section in sections:
            said = " ".join(str(event.get("event")) for event in section)
            outcome = "rescheduled" if "UP_FOR_RESCHEDULE" in said else "deferred" if "as DEFERRED" in said else "ended"
            ti_id = next((str(event["ti_id"]) for event in section if "ti_id" in event), None)
            began, ended = _epoch(section[0]["timestamp"]), _epoch(section[-1]["timestamp"])
            starts.append(Start(began, ended, outcome, attempt, ti_id))
    return starts


@dataclass
class SchedulerLog:
    """What the scheduler's log (with its LocalExecutor workers' supervisors) tells about each task."""

    busy: dict[str, list[float]]  # task-instance id (one per try) -> seconds each workload kept a worker busy
    mismatches: dict[tuple[str, str], list[str]]  # (run id, task id) -> executor events contradicting the state

    @classmethod
    def read(cls, path: Path) -> SchedulerLog:
        log = cls({}, {})
        for line in path.read_text(errors="replace").splitlines():
            if match := WORKLOAD.search(line):
                log.busy.setdefault(match[2], []).append(float(match[1]))
            elif match := STATE_MISMATCH.search(line):
                log.mismatches.setdefault((match[2], match[1]), []).append(line[:400])
        return log

    def workloads(self, starts: Sequence[Start]) -> list[float]:
        """The busy seconds of every workload of these starts' tries."""
        return [secs for ti_id in {s.ti_id for s in starts if s.ti_id} for secs in self.busy.get(ti_id, [])]


def _trigger_fired(folder: Path) -> list[float]:
    events = (event for path in folder.glob("*.trigger.*.log") for event in _log_events(path))
    return sorted(_epoch(event["timestamp"]) for event in events if event.get("event") == "Trigger fired event")


def _reschedule_dates(deployment: Deployment, run: Run) -> list[float]:
    rows = deployment.postgres.query(
        deployment.database,
        "SELECT tr.reschedule_date FROM task_reschedule tr WHERE tr.ti_id IN ("
        " SELECT id FROM task_instance WHERE dag_id = %s AND run_id = %s AND task_id = %s UNION"
        " SELECT task_instance_id FROM task_instance_history WHERE dag_id = %s AND run_id = %s AND task_id = %s)"
        " ORDER BY tr.id",
        (run.dag_id, run.run_id, WAIT) * 2,
    )
    return [row[0].timestamp() for row in rows]


def _try_ends(deployment: Deployment, run: Run) -> dict[int, float]:
    """When each earlier try of the wait ended (was marked for retry), by try number."""
    rows = deployment.postgres.query(
        deployment.database,
        "SELECT try_number, end_date FROM task_instance_history WHERE dag_id = %s AND run_id = %s AND task_id = %s",
        (run.dag_id, run.run_id, WAIT),
    )
    return {int(try_number): end.timestamp() for try_number, end in rows if end}


def _recorded_start(deployment: Deployment, run: Run) -> float | None:
    rows = deployment.postgres.query(
        deployment.database,
        "SELECT start_date FROM task_instance WHERE dag_id = %s AND run_id = %s AND task_id = %s",
        (run.dag_id, run.run_id, WAIT),
    )
    return rows[0][0].timestamp() if rows and rows[0][0] else None


def scheduler_latency(
    upload: Sequence[Start],
    wait: Sequence[Start],
    post: Sequence[Start],
    rescheduled: list[float],
    fired: list[float],
    try_ends: dict[int, float],
) -> dict[str, float] | None:
    """Seconds the run's next step was due with no process running it, by hand-off; None if the run broke off."""
    if not (upload and wait and post):
        return None
    restarts = 0.0
    reschedule_dates, fire_times = iter(rescheduled), iter(fired)
    for before, after in itertools.pairwise(wait):
        if after.attempt != before.attempt:  # a new try: due retry_delay after the last was marked for retry
            due: float | None = try_ends.get(before.attempt, before.ended) + RETRY_DELAY
        elif before.outcome == "rescheduled":
            due = next(reschedule_dates, None)
        else:  # resumed after deferral
            due = next(fire_times, None)
        if due is None:
            return None
        restarts += after.began - due
    return {
        "upload_to_wait": wait[0].began - upload[-1].ended,
        "wait_restarts": restarts,
        "wait_to_post": post[0].began - wait[-1].ended,
    }


def x_side(
    cell: Cell, media_id: str, wait_ended: float, request_log: list[dict[str, Any]], posts: list[dict[str, Any]]
) -> dict[str, Any]:
    """STATUS calls of the wait (made before its last process ended), early ones, and the delay to the post."""
    finalized = [
        r["at"] for r in request_log if r["path"] == f"/2/media/upload/{media_id}/finalize" and r["status"] == 200
    ]
    if not finalized:
        return {}
    processed_at = finalized[-1] + cell.processing
    statuses = sorted(
        r["at"]
        for r in request_log
        if r["path"] == "/2/media/upload" and r["query"] == {"command": "STATUS", "media_id": media_id}
    )
    waiting = [at for at in statuses if at <= wait_ended]
    mine = [post for post in posts if media_id in post["media_ids"]]
    return {
        "status_calls": len(waiting),
        "early_calls": early_calls([finalized[-1], *waiting], cell.check_after),
        "delay_secs": _epoch(mine[0]["created_at"]) - processed_at if mine else None,
    }


def log_excerpt(deployment: Deployment, run: Run, task_ids: Sequence[str], lines: int = 8) -> list[str]:
    """The last errors and warnings (else the last lines) of each try of these tasks."""
    excerpt = []
    for task_id in task_ids:
        ti = run.tasks.get(task_id, {"state": None, "try_number": None})
        folder = deployment.processes.logs / "task-logs" / f"dag_id={run.dag_id}/run_id={run.run_id}/task_id={task_id}"
        for _, path in _attempt_logs(folder):
            events = _log_events(path)
            notable = [e for e in events if e.get("level") in ("warning", "error", "critical")] or events
            for event in notable[-lines:]:
                details = "; ".join(f"{d.get('exc_type')}: {d.get('exc_value')}" for d in event.get("error_detail", []))
                text = (
                    f"{task_id} {path.name} {event['timestamp']} {event.get('level')}: {event.get('event')} {details}"
                )
                excerpt.append(text.strip()[:400])
        excerpt.append(f"{task_id}: {ti['state']} (try {ti['try_number']})")
    return excerpt


def measure(
    deployment: Deployment,
    cell: Cell,
    mode: str,
    run: Run,
    request_log: list[dict[str, Any]],
    posts: list[dict[str, Any]],
    scheduler: SchedulerLog,
) -> dict[str, Any]:
    """Everything about one run (one media); figures a broken-off run cannot give are None."""
    logs = deployment.processes.logs / "task-logs" / f"dag_id={run.dag_id}" / f"run_id={run.run_id}"
    upload, wait, post = (task_starts(logs / f"task_id={task}") for task in (UPLOAD, WAIT, POST))
    recorded = _recorded_start(deployment, run)
    gaps = [s.began - recorded for s in wait if recorded is not None and s.began >= recorded]
    latency = scheduler_latency(
        upload,
        wait,
        post,
        _reschedule_dates(deployment, run),
        _trigger_fired(logs / f"task_id={WAIT}"),
        _try_ends(deployment, run),
    )
    problems = run.problems(posts)
    tries = {s.attempt for s in wait}
    mismatches = [line for task in (UPLOAD, WAIT, POST) for line in scheduler.mismatches.get((run.run_id, task), [])]
    failed_tasks = [task_id for task_id, ti in run.tasks.items() if ti["state"] != "success"]
    noted = failed_tasks if problems else [WAIT] if len(tries) > 1 or mismatches else []
    x = x_side(cell, run.media_id, wait[-1].ended, request_log, posts) if run.media_id and wait else {}
    return {
        "mode": mode,
        "run_id": run.run_id,
        "state": run.state,
        "media_id": run.media_id,
        "posts": sum(run.media_id in p["media_ids"] for p in posts) if run.media_id else None,
        "problems": problems,
        "excerpt": mismatches + log_excerpt(deployment, run, noted),
        "tries": len(tries),
        "state_mismatches": len(mismatches),
        "task_starts": len(wait),
        "outcomes": [s.outcome for s in wait],
        "slot_secs": sum(scheduler.workloads(wait)),
        "workloads": len(scheduler.workloads(wait)),
        "task_secs": sum(s.ended - s.began for s in wait),
        "startup_gap": min(gaps) if gaps else None,
        "latency": latency,
        "latency_secs": sum(latency.values()) if latency else None,
        "ideal_calls": ideal_calls(cell.processing, cell.check_after),
        "status_calls": x.get("status_calls"),
        "early_calls": x.get("early_calls"),
        "delay_secs": x.get("delay_secs"),
    }


def _trigger(deployment: Deployment, mode: str, run_id: str) -> Run:
    conf = {"text": f"bench {run_id}"}
    deployment.api.trigger(DAGS[mode], run_id, conf)
    return Run(DAGS[mode], run_id, conf)


def _load() -> float:
    return os.getloadavg()[0]


def _mean(values: Sequence[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return statistics.fmean(known) if known else None


def summarize(cell: Cell, runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per mode: failures, and the mean (and range) of each figure over the runs."""
    rows = []
    for mode in cell.modes:
        mine = [r for r in runs if r["mode"] == mode]
        starts = [r["task_starts"] for r in mine]
        delays = [r["delay_secs"] for r in mine if r["delay_secs"] is not None]
        rows.append(
            {
                "mode": mode,
                "runs": len(mine),
                "failures": sum(bool(r["problems"]) for r in mine),
                "retried": sum(r["tries"] > 1 for r in mine),
                "state_mismatches": sum(r["state_mismatches"] for r in mine),
                "starts_without_workload": sum(r["task_starts"] - r["workloads"] for r in mine),
                "one_post": sum(r["posts"] == 1 for r in mine),
                "starts_mean": _mean(starts),
                "starts_range": (min(starts), max(starts)),
                "slot_secs": _mean([r["slot_secs"] for r in mine]),
                "slot_max": max(r["slot_secs"] for r in mine),
                "task_secs": _mean([r["task_secs"] for r in mine]),
                "latency_secs": _mean([r["latency_secs"] for r in mine]),
                "restart_latency_secs": _mean([r["latency"]["wait_restarts"] if r["latency"] else None for r in mine]),
                "status_calls": _mean([r["status_calls"] for r in mine]),
                "ideal_calls": ideal_calls(cell.processing, cell.check_after),
                "early_calls": sum(r["early_calls"] or 0 for r in mine),
                "delay_secs": _mean(delays),
                "delay_max": max(delays) if delays else None,
                "startup_gap": _mean([r["startup_gap"] for r in mine]),
            }
        )
    return rows


def _complete_scheduler_log(deployment: Deployment, runs: list[Run], timeout: float = 30) -> SchedulerLog:
    """The scheduler log once every start of the runs' waits has its "Workload finished" line: a worker may still
    hold a wait's last start when its run has finished. After ``timeout``, the log as it is."""
    path = deployment.processes.logs / "scheduler.log"
    folders = [
        deployment.processes.logs / "task-logs" / f"dag_id={r.dag_id}/run_id={r.run_id}/task_id={WAIT}" for r in runs
    ]
    starts = [task_starts(folder) for folder in folders]

    def complete() -> SchedulerLog | None:
        log = SchedulerLog.read(path)
        return log if all(len(log.workloads(wait)) >= len(wait) for wait in starts) else None

    with contextlib.suppress(TimeoutError):
        return deployment.wait("every task start's workload logged", complete, timeout)
    return SchedulerLog.read(path)


def run_cell(deployment: Deployment, cell: Cell) -> dict[str, Any]:
    """The cell's runs in batches of ``PER_BATCH`` per mode, all modes side by side, then their figures."""
    deployment.emulator.start(processing_secs=cell.processing, check_after_secs=cell.check_after)
    started, batches, triggered = time.monotonic(), [], []
    label = f"i{cell.matrix.replace('.', '_')}_c{cell.check_after:g}"
    for first in range(0, cell.runs, PER_BATCH):
        numbers = range(first, min(cell.runs, first + PER_BATCH))
        batch = [(mode, _trigger(deployment, mode, f"{label}_{mode}_{n}")) for n in numbers for mode in cell.modes]
        load_before, batch_started = _load(), time.monotonic()
        note = ""
        try:
            deployment.wait_finished([run for _, run in batch], RUN_TIMEOUT)
        except TimeoutError as exc:  # the unfinished runs count as failures, with their logs
            note = str(exc)
        secs = time.monotonic() - batch_started
        batches.append({"runs": len(batch), "secs": secs, "load": (load_before, _load()), "note": note})
        print(f"    {label} batch {len(batches)}: {len(batch)} runs in {secs:.0f} s, load {_load():.2f}", flush=True)
        triggered += batch
    request_log, posts = deployment.emulator.request_log(), deployment.emulator.posts()
    (deployment.processes.logs / f"requests-{label}.json").write_text(json.dumps(request_log))
    scheduler = _complete_scheduler_log(deployment, [run for _, run in triggered])
    runs = [measure(deployment, cell, mode, run, request_log, posts, scheduler) for mode, run in triggered]
    return {
        "cell": asdict(cell),
        "batches": batches,
        "secs": time.monotonic() - started,
        "rows": summarize(cell, runs),
        "runs": runs,
    }


def _uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def run(workdir: Path, *, full: bool = False) -> dict[str, Any]:
    """Start one deployment, run every cell on it, stop it; the raw figures also go to ``<logs>/results.json``.
    ``full``: issue #7's matrix with ``RUNS_7_FULL`` runs per setting instead of ``RUNS_7``."""
    cells = matrices(RUNS_7_FULL if full else RUNS_7)
    started, uptime_before = time.monotonic(), _uptime()
    processes = Processes("bench")
    postgres: Postgres | None = None
    try:
        postgres = Postgres.start(processes)
        emulator = Emulator(processes).start(processing_secs=cells[0].processing, check_after_secs=cells[0].check_after)
        deployment = Deployment(
            name="bench",
            executor="LocalExecutor",
            postgres=postgres,
            emulator=emulator,
            processes=processes,
            home=workdir / "airflow-deployment",
            dag_ids=tuple(DAGS.values()),
            bundles={"example-dags": EXAMPLE_DAGS_DIR, "benchmark-dags": HERE / "dags"},
        ).start()
        results = []
        for cell in cells:
            print(f"  #{cell.matrix}: advice {cell.check_after:g} s, processing {cell.processing:g} s", flush=True)
            results.append(run_cell(deployment, cell))
    finally:
        processes.stop_all()
        if postgres:
            postgres.remove_data()
    summary = {
        "cells": results,
        "per_batch": PER_BATCH,
        "uptime": (uptime_before, _uptime()),
        "wall_secs": time.monotonic() - started,
        "logs": str(processes.logs),
    }
    (processes.logs / "results.json").write_text(json.dumps(summary, indent=1))
    return summary
