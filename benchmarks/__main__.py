"""Run every benchmark, print the results table and write it to docs/benchmarks.md: ``make bench``.

``python -m benchmarks [--only upload,memory,waiting,triggers,parse,deployment]`` runs a subset (the document is
written only when all ran, or with ``--update-doc``: then only the sections that ran are replaced).
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks import deployment, parse_cost, triggers, upload, waiting
from benchmarks.emulator_process import self_signed_cert
from benchmarks.report import render, replace_sections

SECTIONS = ("upload", "memory", "waiting", "triggers", "parse", "deployment")
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
        "waiting": lambda: waiting.run(workdir),
        "triggers": lambda: triggers.run(workdir),
        "parse": lambda: parse_cost.run(workdir),
        "deployment": lambda: deployment.run(workdir),
    }
    for name in SECTIONS:
        if name in chosen:
            started = time.monotonic()
            print(f"running {name} ...", flush=True)
            results[name] = runners[name]()
            print(f"  done in {time.monotonic() - started:.0f} s", flush=True)
    text = render(results, machine=machine(), date=time.strftime("%Y-%m-%d"))
    print(text)
    if set(chosen) >= set(SECTIONS):
        DOC.write_text(text)
        print(f"written to {DOC}")
    elif args.update_doc:
        DOC.write_text(replace_sections(DOC.read_text(), text))
        print(f"sections {', '.join(chosen)} replaced in {DOC}")


if __name__ == "__main__":
    main()
