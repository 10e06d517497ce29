"""The example DAG under injected faults: it ends green with exactly one post, or fails cleanly with none.

Each case runs ``example_twitter_video`` with ``airflow dags test`` against an emulator whose fault plan
breaks one endpoint in one way. The figures (faults injected and survived, posts duplicated or lost) are
printed at the end of the run and kept in docs/reliability.md.
"""

from __future__ import annotations

from typing import Any

import pytest
import requests

from airflow_provider.emulator import EmulatorServer, Fault
from tests.e2e.dag_runs import emulator_config, run_dag
from tests.e2e.fault_table import CLEAN_FAILURE, GREEN, RESULTS

pytestmark = pytest.mark.e2e

# (case id, fault plan, expected outcome). The client's read timeout is 2 s in every case.
CASES: list[tuple[str, list[dict[str, Any]], str]] = [
    ("initialize 503", [{"endpoint": "initialize", "calls": [1], "kind": "status", "status": 503}], GREEN),
    ("initialize 429", [{"endpoint": "initialize", "calls": [1], "kind": "rate_limit", "reset_after_secs": 2}], GREEN),
    ("append 500 on segment 1", [{"endpoint": "append", "calls": [1], "kind": "status", "status": 500}], GREEN),
    ("append dropped connection", [{"endpoint": "append", "calls": [1], "kind": "drop"}], GREEN),
    ("append slower than timeout", [{"endpoint": "append", "calls": [1], "kind": "slow", "delay_secs": 3}], GREEN),
    ("finalize 502", [{"endpoint": "finalize", "calls": [1], "kind": "status", "status": 502}], GREEN),
    ("finalize answer lost", [{"endpoint": "finalize", "calls": [1], "kind": "lost_answer"}], GREEN),
    ("metadata 503", [{"endpoint": "metadata", "calls": [1], "kind": "status", "status": 503}], GREEN),
    ("status 503 x2", [{"endpoint": "status", "calls": [1, 2], "kind": "status", "status": 503}], GREEN),
    ("status dropped connection", [{"endpoint": "status", "calls": [2], "kind": "drop"}], GREEN),
    ("status 429 (sensor reschedules)", [{"endpoint": "status", "calls": [2], "kind": "rate_limit"}], GREEN),
    (
        "status 429, 24-hour cap",
        [{"endpoint": "status", "calls": [2], "kind": "rate_limit", "daily": True, "reset_after_secs": 3}],
        GREEN,
    ),
    ("post 503 before posting", [{"endpoint": "tweets", "calls": [1], "kind": "status", "status": 503}], GREEN),
    ("post 429", [{"endpoint": "tweets", "calls": [1], "kind": "rate_limit", "reset_after_secs": 2}], GREEN),
    ("post answer lost (dropped)", [{"endpoint": "tweets", "calls": [1], "kind": "lost_answer"}], GREEN),
    (
        "post answer lost (503 after posting)",
        [{"endpoint": "tweets", "calls": [1], "kind": "lost_answer", "then_status": 503}],
        GREEN,
    ),
    ("post slower than timeout", [{"endpoint": "tweets", "calls": [1], "kind": "slow", "delay_secs": 3}], GREEN),
    ("initialize 401", [{"endpoint": "initialize", "kind": "status", "status": 401}], CLEAN_FAILURE),
    ("append 500 on every call", [{"endpoint": "append", "kind": "status", "status": 500}], CLEAN_FAILURE),
    ("post 403 forbidden", [{"endpoint": "tweets", "kind": "status", "status": 403}], CLEAN_FAILURE),
]


@pytest.mark.parametrize(("plan", "expected"), [pytest.param(p, e, id=c) for c, p, e in CASES])
def test_fault(
    airflow_env: dict[str, str], plan: list[dict[str, Any]], expected: str, request: pytest.FixtureRequest
) -> None:
    faults = tuple(Fault.from_json(f) for f in plan)
    with EmulatorServer(emulator_config(faults=faults)) as emulator:
        run = run_dag(airflow_env, emulator, "example_twitter_video", conn_extra={"timeout": 2})
        fired = sum(f["fired"] for f in requests.get(f"{emulator.url}/_emulator/faults", timeout=10).json()["faults"])

    outcome = GREEN if run.state == "success" and len(run.posts) == 1 else CLEAN_FAILURE if not run.posts else "bad"
    case = request.node.callspec.id
    RESULTS.append(
        {
            "order": [c for c, _, _ in CASES].index(case),
            "case": case,
            "fired": fired,
            "expected": expected,
            "outcome": outcome,
            "posts": len(run.posts),
        }
    )
    assert fired >= 1, "the fault never fired: the case tests nothing"
    assert outcome == expected, run.output[-4000:]
    if expected == GREEN:
        assert run.xcom["post"]["id"] == run.posts[0]["id"]  # the task reports the real post
    else:
        assert run.state == "failed"
