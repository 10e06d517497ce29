"""The results as a Markdown document, each figure beside its target and the measured ratio."""

from __future__ import annotations

import re
import statistics
from typing import Any

from benchmarks.upload import LATENCIES_MS, PROVIDER_DEFAULT, PROVIDER_SEQUENTIAL, TWEEPY_DEFAULT


def _verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def replace_sections(document: str, update: str) -> str:
    """``document`` with each ``## `` section of ``update`` in place of the one of the same title (the words before
    any parenthesis or colon), or added at the end; ``update``'s preamble is dropped."""

    def sections(text: str) -> list[str]:
        return ["## " + part for part in ("\n" + text).split("\n## ")[1:]]

    def title(section: str) -> str:
        return re.split(r"[(:\n]", section, maxsplit=1)[0].strip()

    new = {title(section): section for section in sections(update)}
    preamble = ("\n" + document).split("\n## ")[0].lstrip("\n")
    kept = [new.pop(title(section), section) for section in sections(document)]
    return "\n".join([preamble.rstrip("\n"), "", *(s.rstrip("\n") + "\n" for s in [*kept, *new.values()])])


def render(results: dict[str, Any], *, machine: str, date: str) -> str:
    out = [
        "# Benchmarks",
        "",
        f"Measured {date} on {machine}, with `make bench` (`python -m benchmarks`). Every X call goes to the bundled",
        "emulator on 127.0.0.1, which runs in its own process; figures move with machine load, so read ratios",
        "rather than absolute numbers.",
        "",
    ]
    if up := results.get("upload"):
        rates = up["mib_per_s"]
        out += [
            f"## Upload throughput ({up['size_mib']} MiB video, median of {up['rounds']} interleaved rounds)",
            "",
            "tweepy 4.17 `API.chunked_upload` uses the emulator's v1.1 endpoints; the provider uses the v2 ones.",
            "Both run over TLS (tweepy only speaks https), in the same process, against the same emulator.",
            "",
            "| client | 0 ms added latency | 40 ms added latency | 150 ms added latency |",
            "| --- | ---: | ---: | ---: |",
        ]
        names = dict.fromkeys(k.split("|", 1)[1] for k in rates)
        for name in names:
            cells = " | ".join(f"{rates[f'{ms} ms|{name}']:.1f} MiB/s" for ms in LATENCIES_MS)
            out.append(f"| {name} | {cells} |")
        at40 = rates[f"40 ms|{PROVIDER_DEFAULT}"] / rates[f"40 ms|{TWEEPY_DEFAULT}"]
        at0 = rates[f"0 ms|{PROVIDER_DEFAULT}"] / rates[f"0 ms|{PROVIDER_SEQUENTIAL}"]
        out += [
            "",
            f"- At 40 ms: provider default / tweepy default = **{at40:.1f}x** (target ≥ 5x): {_verdict(at40 >= 5)}.",
            f"- At 0 ms: provider default / provider sequential = **{at0:.2f}x** (target: no slower, ≥ 1x "
            f"within noise): {_verdict(at0 >= 0.95)}.",
            "",
        ]
    if mem := results.get("memory"):
        out += [
            "## Peak RSS growth while uploading (4 MiB chunks)",
            "",
            "Resident memory sampled every 2 ms in a fresh process, above its level just before the upload.",
            "",
            "| file | parallel segments | peak growth | target (N+1) x chunk + 20 MiB | |",
            "| ---: | ---: | ---: | ---: | --- |",
        ]
        for r in mem:
            ok = r["growth_mib"] <= r["target_mib"]
            row = [f"{r['size_mib']} MiB", r["parallel"], f"{r['growth_mib']:.1f} MiB", f"{r['target_mib']} MiB"]
            out.append("| " + " | ".join(map(str, [*row, _verdict(ok)])) + " |")
        out.append("")
    if wait := results.get("waiting"):
        blocking = next(r for r in wait if r["mode"] == "blocking")["slot_secs"]
        out += [
            "## Waiting while X processes a 60 s video (check_after_secs = 5)",
            "",
            "Each way of waiting runs as a real DAG with `airflow dags test` on SQLite. Slot time is the time the",
            "waiting task spent executing, summed over all of its runs (each poke, the deferral, the resumption),",
            "as the benchmark DAG times it: the metadata DB cannot, since a deferred task's dates span the deferral.",
            "`dags test` runs tasks in-process, so a real worker's start-up per run is not included; the task-run",
            "count shows how often it is paid. STATUS calls come from the emulator's log; an early call is one made",
            "sooner than the advised `check_after_secs` after the previous STATUS or FINALIZE answer.",
            "",
            "| way of waiting | task runs | worker-slot seconds | share of blocking | target "
            "| STATUS calls (ideal) | early calls |",
            "| --- | ---: | ---: | ---: | --- | ---: | ---: |",
        ]
        targets = {"blocking": ("—", None), "reschedule": ("≤ 5%", 0.05), "deferrable": ("≤ 1%", 0.01)}
        for r in wait:
            share = r["slot_secs"] / blocking
            label, limit = targets[r["mode"]]
            verdict, calls_verdict = "", ""
            if limit is not None:  # the blocking row is the baseline, not the provider: nothing to judge
                calls_ok = r["status_calls"] <= r["ideal_calls"] + 1 and r["early_calls"] == 0
                verdict, calls_verdict = f" {_verdict(share <= limit)}", f" {_verdict(calls_ok)}"
            out.append(
                f"| {r['mode']} | {r['task_runs']} | {r['slot_secs']:.1f} | {share:.1%} | {label}{verdict} | "
                f"{r['status_calls']} ({r['ideal_calls']}){calls_verdict} | {r['early_calls']} |"
            )
        out += [
            "",
            "The blocking row is what tweepy's `chunked_upload` loop costs inside an Airflow task; its early call is",
            "the STATUS it sends right after FINALIZE. Targets: 0 early calls and at most ideal + 1 calls, where",
            "ideal is `ceil(processing / check_after_secs) + 1`.",
            "",
        ]
    if trig := results.get("triggers"):
        ok = trig["succeeded"] == trig["triggers"] and trig["peak_rss_growth_mib"] <= 300
        out += [
            f"## {trig['triggers']} concurrent MediaProcessingTriggers in one event loop",
            "",
            f"Every media processes for {trig['processing_secs']:.0f} s with `check_after_secs` = "
            f"{trig['check_after_secs']:.0f}; the triggers run as in a triggerer, in one asyncio loop.",
            "",
            "| completed | peak RSS growth | CPU seconds | wall seconds | STATUS calls | late wake-ups (> 100 ms) |",
            "| ---: | ---: | ---: | ---: | ---: | ---: |",
            f"| {trig['succeeded']} / {trig['triggers']} | {trig['peak_rss_growth_mib']:.0f} MiB "
            f"| {trig['cpu_secs']:.1f} | {trig['wall_secs']:.1f} | {trig['status_calls']} "
            f"| {trig['late_wakeups']} (worst {trig['worst_late_secs']:.2f} s) |",
            "",
            f"Target: all complete and peak RSS ≤ 300 MiB: {_verdict(ok)} "
            f"(process peak {trig['peak_rss_mib']:.0f} MiB, including Airflow itself).",
            "",
            "Late wake-ups: the triggers all start at the same instant, so every `check_after_secs` they all wake",
            "together and the loop serves the whole burst of polls one after another (on 2 cores shared with the",
            "emulator); the last polls of a burst start up to the worst figure late. None is early. Uploads that",
            "finish at different times, as in production, spread these bursts out.",
            "",
        ]
    if parse := results.get("parse"):
        ok = parse["added_ms"] <= 50
        out += [
            "## DAG parse cost",
            "",
            f"Median of {parse['samples']} fresh interpreters each, after `import airflow.sdk`:",
            "",
            "| DAG file | parse time |",
            "| --- | ---: |",
            f"| `dags/example_twitter_video.py` | {parse['provider_ms']:.1f} ms |",
            f"| the same DAG from EmptyOperators | {parse['empty_ms']:.1f} ms |",
            "",
            f"The provider's imports add **{parse['added_ms']:.1f} ms** (target ≤ 50 ms): {_verdict(ok)}.",
            "Operators and the sensor import the hook (requests, tenacity, oauthlib) and the trigger (httpx) only",
            "when a task runs.",
            "",
        ]
    if dep := results.get("deployment"):
        out += _deployment(dep)
    return "\n".join(out)


def _num(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _excerpt(lines: list[str]) -> list[str]:
    return ["", "  ```", *(f"  {line}" for line in lines), "  ```", ""]


def _deployment(dep: dict[str, Any]) -> list[str]:
    """The real-deployment benchmark (benchmarks/deployment.py): issue #7's matrix and issue #11.4's figures."""
    cells = dep["cells"]
    gaps = [row["startup_gap"] for cell in cells for row in cell["rows"] if row["startup_gap"] is not None]
    gap_ms = f"{statistics.fmean(gaps) * 1000:.0f} ms (mean)" if gaps else "a little"
    out = [
        "## Under a real scheduler: LocalExecutor, PostgreSQL, triggerer",
        "",
        f"`python -m benchmarks --only deployment` ({dep['wall_secs'] / 60:.0f} min) on the deployment tests' harness",
        "(`tests/deployment`, see [deployment.md](deployment.md)): PostgreSQL, api-server, scheduler, dag-processor",
        "and triggerer as separate processes, LocalExecutor, the emulator as its own process, runs triggered",
        "through the REST API. Reschedule is `example_twitter_video`, deferrable `example_twitter_video_deferrable`,",
        "blocking `bench_deployment_blocking` (`benchmarks/dags/wait_modes.py`: tweepy's sleep-and-poll loop as the",
        f"wait task). A setting's runs go in batches of {dep['per_batch']} runs of each DAG triggered together (up",
        f"to {2 * dep['per_batch']} or {3 * dep['per_batch']} concurrent runs), the next batch once all have finished.",
        f"Machine load (`uptime`) before: `{dep['uptime'][0]}`; after: `{dep['uptime'][1]}`; other engineers' test",
        "runs shared the 2 cores. Figures are per media (one run), mean over the runs:",
        "",
        "- **retried**: runs whose wait needed more than one try (an `attempt=N.log` per try).",
        "- **task starts**: processes started for the waiting task (tries, reschedule pokes, resumption after",
        "  deferral), one per `::group::Pre Execute` section in its task logs, all tries.",
        "- **worker-slot s**: the sum over those starts of the `duration` that the LocalExecutor worker's",
        '  supervisor logs as "Workload finished" (scheduler log, matched by the try\'s task-instance id): the worker',
        "  is busy from opening the task's log through the fork and the task process's whole life to its final state",
        "  report. In brackets, **in task**: the first to the last line of each start's own task-log section (DAG-file",
        f"  parse, poke, state report); Airflow's `start_date` comes {gap_ms} before that first line.",
        "  The difference is the supervisor's own time around the task process: setting up before the fork, and",
        "  from the process's last line until it has seen the process end.",
        "  `task_reschedule.start_date` is no use: Airflow 3.3 writes the time of the reschedule call there.",
        "- **scheduler latency**: time when the run's next step was due and no process ran it: upload end → first",
        "  wait start, each time the wait was due again → its restart (`task_reschedule.reschedule_date`; the",
        '  triggerer\'s "Trigger fired event"; a retry: end + `retry_delay`), wait end → post start. In brackets the',
        "  wait's restarts alone.",
        "- **STATUS calls**: made before the wait's last process ended (the post task's own check is not counted);",
        "  ideal `ceil(processing / advice) + 1`; **early**: sooner than X's advice after the previous STATUS or",
        "  FINALIZE (request times at the emulator, 50 ms tolerance), summed over the runs.",
        "- **delay to post**: the post's `created_at` at the emulator minus the end of processing (FINALIZE +",
        "  processing time), mean (max).",
        "",
    ]
    by_matrix = {matrix: [c for c in cells if c["cell"]["matrix"] == matrix] for matrix in ("7", "11.4")}
    if by_matrix["7"]:
        runs = by_matrix["7"][0]["cell"]["runs"]
        out += [
            f"### Issue #7: {runs} runs per setting, processing 3 x advice + 3 s",
            "",
            "| X advises | processing | mode | runs | failed | exactly one post | retried | task starts (range) "
            "| worker-slot s (in task) | delay to post, s | STATUS calls (ideal) | early | load (1 min) |",
            "| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for cell in by_matrix["7"]:
            c, loads = cell["cell"], [x for b in cell["batches"] for x in b["load"]]
            for r in cell["rows"]:
                out.append(
                    f"| {c['check_after']:g} s | {c['processing']:g} s | {r['mode']} | {r['runs']} | {r['failures']} "
                    f"| {r['one_post']} | {r['retried']} "
                    f"| {_num(r['starts_mean'])} ({r['starts_range'][0]} to {r['starts_range'][1]}) "
                    f"| {_num(r['slot_secs'], 2)} ({_num(r['task_secs'], 2)}) "
                    f"| {_num(r['delay_secs'])} ({_num(r['delay_max'])}) "
                    f"| {_num(r['status_calls'])} ({r['ideal_calls']}) | {r['early_calls']} "
                    f"| {min(loads):.1f} to {max(loads):.1f} |"
                )
        out.append("")
    if by_matrix["11.4"]:
        runs = by_matrix["11.4"][0]["cell"]["runs"]
        out += [
            f"### Issue #11.4: a 60 s video, {runs} runs per setting",
            "",
            "| X advises | mode | runs | failed | retried | task starts | worker-slot s (in task) "
            "| scheduler latency s (restarts) | STATUS calls (ideal) | early | delay to post, s |",
            "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for cell in by_matrix["11.4"]:
            c = cell["cell"]
            for r in cell["rows"]:
                out.append(
                    f"| {c['check_after']:g} s | {r['mode']} | {r['runs']} | {r['failures']} | {r['retried']} "
                    f"| {_num(r['starts_mean'])} "
                    f"| {_num(r['slot_secs'], 2)} ({_num(r['task_secs'], 2)}) "
                    f"| {_num(r['latency_secs'])} ({_num(r['restart_latency_secs'])}) "
                    f"| {_num(r['status_calls'])} ({r['ideal_calls']}) | {r['early_calls']} "
                    f"| {_num(r['delay_secs'])} ({_num(r['delay_max'])}) |"
                )
        out.append("")
    runs = [run for cell in cells for run in cell["runs"]]
    failed = [run for run in runs if run["problems"]]
    out += ["### Failures", ""]
    if not failed:
        out += ["None: every run succeeded with exactly one post.", ""]
    for run in failed:
        out += [f"- `{run['run_id']}`: {'; '.join(run['problems'])}", *_excerpt(run["excerpt"])]
    retried = [run for run in runs if run["tries"] > 1 and not run["problems"]]
    if retried:
        out += [
            "### Retried runs",
            "",
            "Runs whose wait needed more than one try yet ended green with one post: "
            + ", ".join(f"`{run['run_id']}`" for run in retried)
            + f". With the scheduler's executor-state mismatch: {sum(r['state_mismatches'] > 0 for r in retried)}"
            f" of {len(retried)} (an executor event from an earlier start of the task arrives after the task has",
            "moved on, the same kind of race as apache/airflow#71172). The first one's scheduler line and task log:",
            *_excerpt(retried[0]["excerpt"]),
        ]
    if missing := sum(row["starts_without_workload"] for cell in cells for row in cell["rows"]):
        out += [
            'Task starts without a "Workload finished" line (cut short when Airflow marked the try for retry):',
            f"{missing}; their worker-slot time is not counted.",
            "",
        ]
    notes = [f"- {b['note']}" for cell in cells for b in cell["batches"] if b["note"]]
    if notes:
        out += ["Batches that timed out:", "", *notes, ""]
    return out
