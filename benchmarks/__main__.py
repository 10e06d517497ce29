"""Run every benchmark, print the results table and write it to docs/benchmarks.md: ``make bench``.

``python -m benchmarks [--only upload,memory,requests,waiting,triggers,parse,deployment]`` runs a subset (the
document is written only when all ran, or with ``--update-doc``: then only the sections that ran are replaced).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from benchmarks import deployment, parse_cost, requests_per_media, triggers, upload, waiting
from benchmarks.emulator_process import self_signed_cert
from benchmarks.report import render, replace_sections

SECTIONS = ("upload", "memory", "requests", "waiting", "triggers", "parse", "deployment")
# Sections that mostly wait for X's processing (a 60 s video each): run side by side, they take the time of one.
SIDE_BY_SIDE = {"requests", "waiting"}
DOC = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"


def machine() -> str:
    with open("/proc/cpuinfo") as f:
        cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "unknown CPU")
    memory_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    python = platform.python_version()
    return f"{os.cpu_count()} cores ({cpu}), {memory_gib:.0f} GiB, Python {python}, {platform.system()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", default=",".join(SECTIONS), help="comma-separated sections")
    parser.add_argument("--update-doc", action="store_true", help="replace the sections that ran in the document")
    parser.add_argument(
        "--full", action="store_true", help="deployment: issue #7's matrix with 20 runs per setting (5 more minutes)"
    )
    args = parser.parse_args()
    chosen = args.only.split(",")
    os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
    workdir = Path(tempfile.mkdtemp(prefix="airflow-provider-twitter-bench-"))
    os.environ["AIRFLOW_HOME"] = str(workdir / "airflow")
    tls = self_signed_cert(workdir)
    results: dict[str, Any] = {}
    runners = {
        "upload": lambda: upload.throughput(workdir, tls),
        "memory": lambda: upload.memory(workdir, tls),
        "requests": lambda: requests_per_media.run(workdir, tls),
        "waiting": lambda: waiting.run(workdir),
        "triggers": lambda: triggers.run(workdir),
        "parse": lambda: parse_cost.run(workdir),
        "deployment": lambda: deployment.run(workdir, full=args.full),
    }
    command = " ".join(["python -m benchmarks", *sys.argv[1:]])
    runs: dict[str, str] = {}
    begun = time.monotonic()

    def measure(name: str, group: list[str]) -> None:
        started, load = time.monotonic(), os.getloadavg()[0]
        print(f"running {name} ...", flush=True)
        results[name] = runners[name]()
        secs = time.monotonic() - started
        others = [other for other in group if other != name]
        runs[name] = (
            f"`{command}`, {time.strftime('%Y-%m-%d %H:%M %Z')}: {secs:.0f} s, "
            f"load (1 min) {load:.1f} before, {os.getloadavg()[0]:.1f} after"
            + (f", side by side with {', '.join(others)}" if others else "")
        )
        print(f"  {name} done in {secs:.0f} s", flush=True)

    groups: list[list[str]] = []
    for name in SECTIONS:
        if name in chosen:
            if name in SIDE_BY_SIDE and groups and groups[-1][0] in SIDE_BY_SIDE:
                groups[-1].append(name)
            else:
                groups.append([name])
    for group in groups:
        with ThreadPoolExecutor(len(group)) as pool:
            list(pool.map(lambda name, group=group: measure(name, group), group))
    minutes = (time.monotonic() - begun) / 60
    text = render(results, runs, machine=machine(), date=time.strftime("%Y-%m-%d"), minutes=minutes)
    print(text)
    print(f"all sections in {minutes:.1f} min")
    if set(chosen) >= set(SECTIONS):
        DOC.write_text(text)
        print(f"written to {DOC}")
    elif args.update_doc:
        DOC.write_text(replace_sections(DOC.read_text(), text))
        print(f"sections {', '.join(chosen)} replaced in {DOC}")


if __name__ == "__main__":
    main()
