"""No credential of the connection may reach a task log, the ``dags test`` output, XCom or a rendered field, at INFO
or DEBUG, on success, deferred, on a 401 or when an answer is lost.

At DEBUG, the in-process supervisor of Airflow 3.3's ``airflow dags test`` logs every ``MaskSecret`` request it is
sent, the secret's value included, with no provider code involved (Airflow registers the connection's password and
extra itself when it reads them; docs/connection.md). Those lines are Airflow's and are counted apart; every other
line that holds a secret or signing material fails the test.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from airflow_provider.emulator import EmulatorServer, Fault
from tests.e2e.dag_runs import DagRun, emulator_config, run_dag

pytestmark = pytest.mark.e2e

SECRETS = {
    "api_key_secret": "k8Vq2-api-key-secret-do-not-log",
    "access_token": "1000000000000000001-access-token-do-not-log",
    "access_token_secret": "Zr41w-access-token-secret-do-not-log",
}
# What signing leaves in a log besides the secrets: a signature is a credential for its request.
SIGNING_MARKERS = ("oauth_signature", "signature base string", "Authorization")

VIDEO, DEFERRABLE = "example_twitter_video", "example_twitter_video_deferrable"
POST_401 = {"endpoint": "tweets", "kind": "status", "status": 401}
POST_ANSWER_LOST = {"endpoint": "tweets", "calls": [1], "kind": "lost_answer"}
# (id, DAG, fault plan, logging level, connection extra, state the run ends in)
SCENARIOS: list[tuple[str, str, list[dict[str, Any]], str, dict[str, Any], str]] = [
    ("success", VIDEO, [], "INFO", {}, "success"),
    ("rejected by X", VIDEO, [POST_401], "INFO", {}, "failed"),
    ("reschedule at DEBUG", VIDEO, [], "DEBUG", {}, "success"),
    # A token pasted with a newline around it: the provider signs with it stripped, and masks the stripped value.
    ("deferrable at DEBUG", DEFERRABLE, [], "DEBUG", {"access_token": f" {SECRETS['access_token']}\n"}, "success"),
    ("401 at DEBUG", VIDEO, [POST_401], "DEBUG", {}, "failed"),
    ("post answer lost at DEBUG", VIDEO, [POST_ANSWER_LOST], "DEBUG", {"timeout": 2}, "success"),
]


def is_airflows_own(line: str) -> bool:
    """Airflow's supervisor logging a ``MaskSecret`` request at DEBUG: Airflow prints the value it is asked to hide."""
    return "MaskSecret(" in line and "loc=supervisor.py" in line


def searchable(run: DagRun) -> dict[str, str]:
    """The run's output, and its XComs and rendered fields (from the REST API) as JSON, by where they come from."""
    texts = {"dags test output": run.output}
    texts |= {f"xcom of {task}": json.dumps(value) for task, value in run.xcom.items()}
    return texts | {f"rendered fields of {task}": json.dumps(f) for task, f in run.rendered_fields.items()}


@pytest.mark.parametrize(
    ("dag_id", "plan", "level", "conn_extra", "state"), [pytest.param(*s[1:], id=s[0]) for s in SCENARIOS]
)
def test_no_secret_in_logs_xcom_or_rendered_fields(
    airflow_env: dict[str, str],
    dag_id: str,
    plan: list[dict[str, Any]],
    level: str,
    conn_extra: dict[str, Any],
    state: str,
) -> None:
    env = {**airflow_env, "AIRFLOW__LOGGING__LOGGING_LEVEL": level}
    faults = tuple(Fault.from_json(f) for f in plan)
    with EmulatorServer(emulator_config(faults=faults, **SECRETS)) as emulator:
        run = run_dag(env, emulator, dag_id, conn_extra=conn_extra)

    assert run.state == state, run.output[-4000:]
    assert run.output and run.xcom and any(run.rendered_fields.values())
    if level == "DEBUG":
        assert "[debug" in run.output  # the level took effect: the search below covers DEBUG lines
    if plan == [POST_ANSWER_LOST]:
        assert len(run.posts) == 1 and len(run.calls("POST", "/2/tweets")) == 2
    log_files = list((Path(airflow_env["AIRFLOW_HOME"]) / "logs").rglob("*.log"))
    searched = searchable(run)
    searched |= {str(p): p.read_text(errors="replace") for p in log_files}
    markers = (*SECRETS.values(), *SIGNING_MARKERS)
    lines = [(where, line) for where, text in searched.items() for line in text.splitlines()]
    leaks = [(where, line) for where, line in lines if any(m in line for m in markers)]
    provider_leaks = [f"{where}: {line[:300]}" for where, line in leaks if not is_airflows_own(line)]
    assert provider_leaks == [], "\n".join(provider_leaks)
    if level == "INFO":
        assert leaks == []
    if "access_token" not in conn_extra:  # Airflow masks the tokens already: the provider registers them no more
        tokens = [f"MaskSecret(value={SECRETS[k]!r}" for k in ("access_token", "access_token_secret")]
        assert [line for _, line in leaks if any(t in line for t in tokens)] == []
    print(f"\n{dag_id} at {level}: {len(leaks)} lines from Airflow's supervisor carry a secret (MaskSecret requests)")
