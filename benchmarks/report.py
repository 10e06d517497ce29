"""The results as a Markdown document, each figure beside its target and the measured ratio."""

from __future__ import annotations

from typing import Any

from benchmarks.upload import LATENCIES_MS, PROVIDER_DEFAULT, PROVIDER_SEQUENTIAL, TWEEPY_DEFAULT


def _verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


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
    return "\n".join(out)
