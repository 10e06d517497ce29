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


def render(results: dict[str, Any], runs: dict[str, str], *, machine: str, date: str, minutes: float) -> str:
    """The document: a preamble, then each section that ran, headed by the run that produced it."""
    out = [
        "# Benchmarks",
        "",
        f"Measured {date} on {machine}, with `make bench` (`python -m benchmarks`, {minutes:.1f} minutes for the",
        "sections below; target 15). Every X call goes to the bundled emulator on 127.0.0.1, which runs in its own",
        "process; figures move with machine load, so read ratios rather than absolute numbers. Under each heading:",
        "the command that produced the section, when, how long it took and the machine's load (a section can be",
        "re-run alone with `--only <section> --update-doc`).",
        "",
    ]
    for name, section in SECTIONS.items():
        if name in results:
            heading, blank, *rest = section(results[name])
            out += [heading, blank, *([f"Run: {runs[name]}.", ""] if name in runs else []), *rest]
    return "\n".join(out)


def _upload(up: Any) -> list[str]:
    """Upload throughput against tweepy (benchmarks/upload.py), and issue #11.1's targets."""
    rates = up["mib_per_s"]
    out = [
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
    return out


def _memory(mem: Any) -> list[str]:
    """Peak RSS growth while uploading (benchmarks/upload.py)."""
    out = [
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
    return out


def _waiting(wait: Any) -> list[str]:
    """Slot time and STATUS calls per way of waiting under `airflow dags test` (benchmarks/waiting.py)."""
    blocking = next(r for r in wait if r["mode"] == "blocking")["slot_secs"]
    out = [
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
    return out


def _parse(parse: Any) -> list[str]:
    """What the provider adds to parsing a DAG file (benchmarks/parse_cost.py)."""
    ok = parse["added_ms"] <= 50
    out = [
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
    return out


def _requests(req: dict[str, Any]) -> list[str]:
    """Requests per media (benchmarks/requests_per_media.py), by kind, as the emulator received them."""
    kinds = ("INIT", "APPEND", "FINALIZE", "STATUS", "metadata", "post")
    out = [
        "## Requests per media: the provider against tweepy",
        "",
        "Every request the emulator received for one media, from its upload (with alt text) to its post. The",
        "provider runs the example DAGs with `airflow dags test` (4 MiB segments, its default); tweepy 4.17 runs",
        "`API.media_upload` (1 MiB segments, its default; for a video its own STATUS loop),",
        "`API.create_media_metadata` and `Client.create_tweet`. The video is "
        f"{req['video_mib']} MiB (a 60 s clip at about 5 Mbit/s); X processes",
        f"it for {req['processing_secs']:g} s and advises checking every {req['check_after_secs']:g} s. Each flow has",
        "an emulator process of its own; all run side by side.",
        "",
        "| media | client | " + " | ".join(kinds) + " | total |",
        "| --- | --- | " + " | ".join("---:" for _ in kinds) + " | ---: |",
    ]
    totals = {}
    for name, counts in req["counts"].items():
        media, client = name.split("|", 1)
        totals[name] = sum(counts.values())
        cells = " | ".join(str(counts.get(kind, 0)) for kind in kinds)
        other = f" (and {counts['other']} other)" if counts.get("other") else ""
        out.append(f"| {media} | {client} | {cells} | {totals[name]}{other} |")
    video_tweepy = totals["video|tweepy"]
    out += [
        "",
        *(
            f"- Video, {name.split('|', 1)[1]}: **{totals[name]}** requests, "
            f"{totals[name] / video_tweepy:.2f}x tweepy's {video_tweepy}."
            for name in totals
            if name.startswith("video|provider")
        ),
        f"- Image: provider {totals['image|provider']}, tweepy {totals['image|tweepy']}.",
        "",
        "The provider's STATUS calls are the sensor's alone: the post reads the sensor's receipt, which says X has",
        "processed the media, and asks X nothing more (a receipt that does not say so costs it one STATUS).",
        "tweepy's image goes chunked: its default for an image, one v1.1 simple upload, is not modelled by the",
        "emulator; nor is its",
        "v1.1 `media/metadata/create` (X retired v1.1 media upload in 2025), which the emulator answers 404: the",
        "request still counts. Segments stay at 4 MiB rather than X's 5 MB limit, as",
        "[operators.md](operators.md#mediauploadoperator) says: X's samples and xurl send 4 MiB, and a client saw",
        "HTTP 431 with 5 MiB segments on v2 (abraham/twitteroauth#1257).",
        "",
    ]
    return out


def _triggers(trig: dict[str, Any]) -> list[str]:
    """The 10,000-trigger run (benchmarks/triggers.py) against issue #11.3's targets."""
    completed = trig["succeeded"] == trig["triggers"]
    rss_ok, late_ok = trig["peak_rss_growth_mib"] <= 300, trig["lateness_p99"] <= 1
    out = [
        f"## {trig['triggers']:,} concurrent MediaProcessingTriggers in one triggerer event loop",
        "",
        "The real trigger and hook in one asyncio loop, in a process of its own, against the emulator over loopback",
        "HTTP (one emulator process per profile below, since the emulator gives all its media one processing time",
        f"and advice). Uploads finish at random times over {trig['ramp_secs']:.0f} s: the benchmark FINALIZEs each",
        "media then hands its wait to the triggerer with X's advice, as the sensor defers; every processing time is",
        "longer than that, so at the end of it every trigger is alive at once. Lateness: a STATUS poll's arrival at",
        "X minus the advised time (the previous STATUS or FINALIZE answer plus `check_after_secs`). X's own limits",
        "(STATUS: 1,000 per user per 15 min, 100,000 per app per day) are lifted: a triggerer this busy serves",
        "many accounts. RSS is sampled every 20 ms from outside, above the level once Airflow and the provider",
        "are imported.",
        "",
        "| share of media | media | X processes for | X advises checking every |",
        "| ---: | ---: | ---: | ---: |",
        *(
            f"| {p['share']:.1%} | {p['count']:,} | {p['processing_secs']:g} s | {p['check_after_secs']:g} s |"
            for p in trig["profiles"]
        ),
        "",
        "| completed | most alive at once | STATUS polls (peak per s) | CPU s (per poll) | peak RSS growth "
        "| lateness p50 / p99 / max | early polls |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| {trig['succeeded']:,} / {trig['triggers']:,} | {trig['most_alive']:,} "
        f"| {trig['polls']:,} ({trig['peak_polls_per_sec']}) "
        f"| {trig['cpu_secs']:.1f} ({trig['cpu_ms_per_poll']:.2f} ms) | {trig['peak_rss_growth_mib']:.0f} MiB "
        f"| {trig['lateness_p50']:.2f} / {trig['lateness_p99']:.2f} / {trig['lateness_max']:.2f} s "
        f"| {trig['early_polls']} |",
        "",
        f"- All complete: {_verdict(completed)} ({trig['succeeded']:,} succeeded of {trig['triggers']:,}).",
        f"- Peak RSS growth **{trig['peak_rss_growth_mib']:.0f} MiB** (target ≤ 300 MiB, "
        f"{trig['peak_rss_growth_mib'] / 300:.0%} of it): {_verdict(rss_ok)}; process peak "
        f"{trig['peak_rss_mib']:.0f} MiB, Airflow included.",
        f"- p99 lateness **{trig['lateness_p99']:.2f} s** (target ≤ 1 s): {_verdict(late_ok)}.",
        f"- CPU: **{trig['cpu_ms_per_poll']:.2f} ms per poll** (the triggerer process's CPU seconds over its polls,",
        f"  {trig['wall_secs']:.0f} s wall): one core of this machine serves about "
        f"{1000 / trig['cpu_ms_per_poll']:,.0f} polls a second, less what else it runs.",
        "",
    ]
    return out


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
        f"{dep['wall_secs'] / 60:.0f} min (issue #7's matrix: 20 runs per setting with `--full`) on the deployment",
        "tests' harness (`tests/deployment`, see [deployment.md](deployment.md)): PostgreSQL, api-server,",
        "scheduler, dag-processor and triggerer as separate processes, LocalExecutor, the emulator as its own",
        "process, runs triggered through the REST API. Reschedule is `example_twitter_video`, deferrable",
        "`example_twitter_video_deferrable`, blocking `bench_deployment_blocking`",
        "(`benchmarks/dags/wait_modes.py`: tweepy's sleep-and-poll loop as the",
        f"wait task). A setting's runs go in batches of {dep['per_batch']} runs of each DAG triggered together (up",
        f"to {2 * dep['per_batch']} or {3 * dep['per_batch']} concurrent runs), the next batch once all have finished.",
        f"Machine load (`uptime`) before: `{dep['uptime'][0]}`; after: `{dep['uptime'][1]}`.",
        "Figures are per media (one run), mean over the runs:",
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


SECTIONS = {
    "upload": _upload,
    "memory": _memory,
    "requests": _requests,
    "waiting": _waiting,
    "triggers": _triggers,
    "parse": _parse,
    "deployment": _deployment,
}
