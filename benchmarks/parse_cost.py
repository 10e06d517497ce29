"""What the provider adds to parsing a DAG file: the example DAG vs the same DAG made of EmptyOperators.

Each sample is a fresh interpreter that first imports what any DAG file needs (``airflow.sdk`` and the
standard provider's EmptyOperator), then times only the execution of the DAG file, as the DAG processor does.
The two files are sampled alternately; the median difference is the provider's cost.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PROBE = """
import json, runpy, sys, time
import airflow.sdk
from airflow.providers.standard.operators.empty import EmptyOperator
started = time.perf_counter()
runpy.run_path(sys.argv[1])
print(json.dumps(time.perf_counter() - started))
"""


def _sample(path: Path, env: dict[str, str]) -> float:
    out = subprocess.run([sys.executable, "-c", PROBE, str(path)], env=env, capture_output=True, text=True, check=True)
    return float(json.loads(out.stdout.strip().splitlines()[-1]))


def run(workdir: Path, samples: int = 7) -> dict[str, Any]:
    env = {**os.environ, "AIRFLOW_HOME": str(workdir / "airflow-parse"), "AIRFLOW__CORE__LOAD_EXAMPLES": "False"}
    files = {
        "provider": ROOT / "dags" / "example_twitter_video.py",
        "empty": ROOT / "benchmarks" / "dags" / "empty_equivalent.py",
    }
    times: dict[str, list[float]] = {name: [] for name in files}
    for _ in range(samples):
        for name, path in files.items():
            times[name].append(_sample(path, env))
    provider, empty = statistics.median(times["provider"]), statistics.median(times["empty"])
    return {
        "samples": samples,
        "provider_ms": provider * 1000,
        "empty_ms": empty * 1000,
        "added_ms": (provider - empty) * 1000,
    }
