"""OAuth 2.0 end to end: the example DAGs run one after another with ``airflow dags test`` (tasks, reschedules and
the deferred sensor's trigger each in their own process or loop) against the emulator with access tokens that
last a few seconds, sharing the token Variable in one metadata DB. Every run posts exactly once, no spent refresh
token is ever presented (the emulator would also revoke the grant), and no token or secret reaches a log, XCom or
rendered field."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
import requests

from airflow_provider.emulator import EmulatorServer
from tests.e2e.dag_runs import AIRFLOW, airflow_api, emulator_config, run_dag
from tests.e2e.test_secrets import searchable

pytestmark = pytest.mark.e2e

SEED = "e2e-oauth2-seed-do-not-log"
CLIENT_SECRET = "e2e-client-secret-do-not-log"
TOKEN_SECS = 6
TOKEN_VARIABLE = "twitter_oauth2_token__twitter_default"
RUNS = (
    "example_twitter_video",
    "example_twitter_video_deferrable",
    "example_twitter_images",
    "example_twitter_taskflow",
    "example_twitter_video",
    "example_twitter_video_deferrable",
)


def test_runs_in_a_row_share_rotated_tokens(airflow_env: dict[str, str]) -> None:
    config = emulator_config(
        oauth2_seed=SEED,
        oauth2_client_secret=CLIENT_SECRET,
        oauth2_access_token_secs=TOKEN_SECS,
        oauth2_reuse_revokes_grant=True,
    )
    results: list[tuple[str, Any]] = []
    with EmulatorServer(config) as emulator:
        for dag_id in RUNS:
            before = len(emulator.state.posts())
            conf = None if dag_id == "example_twitter_taskflow" else {"text": f"oauth2 {len(results)} {dag_id}"}
            run = run_dag(airflow_env, emulator, dag_id, conf=conf)
            results.append((dag_id, run))
            assert run.state == "success", run.output[-4000:]
            assert len(run.posts) == before + 1, run.output[-4000:]
        oauth2 = requests.get(f"{emulator.url}/_emulator/oauth2", timeout=10).json()
        secrets = [*emulator.app.context.oauth2.issued(), CLIENT_SECRET]

    assert oauth2["spent_presented"] == [] and oauth2["revoked_grants"] == 0
    assert oauth2["refreshes"] >= len(RUNS)  # each run outlived a token: the runs rotated and shared them
    home = airflow_env["AIRFLOW_HOME"]
    searched = {
        f"run {n}, {where}": text for n, (_, run) in enumerate(results) for where, text in searchable(run).items()
    }
    searched |= {str(p): p.read_text(errors="replace") for p in (Path(home) / "logs").rglob("*.log")}
    leaks = [
        f"{where}: {line[:200]}"
        for where, text in searched.items()
        for line in text.splitlines()
        if any(secret in line for secret in secrets) or "Bearer " in line
    ]
    assert leaks == [], "\n".join(leaks)
    # The Variable holds the rotated tokens; the seed itself was used once and is not in it. The REST API shows the
    # tokens masked (the Variable's key holds "token"), so its value is read with the CLI.
    masked = json.loads(airflow_api(airflow_env).call("GET", f"/variables/{TOKEN_VARIABLE}")["value"])
    assert masked["refresh_token"] == masked["access_token"] == "***"
    get = [AIRFLOW, "variables", "get", TOKEN_VARIABLE]
    stored = subprocess.run(get, env=airflow_env, capture_output=True, text=True, check=True, timeout=300).stdout
    assert SEED not in stored and json.loads(stored)["refresh_token"] in secrets
    print(
        f"\n{len(RUNS)} runs in a row, {TOKEN_SECS} s tokens: {len(results)} posts, {oauth2['refreshes']} refreshes, "
        f"{len(oauth2['spent_presented'])} spent refresh tokens presented; {len(secrets)} secrets searched in "
        f"{len(searched)} logs, outputs, XComs and rendered fields: {len(leaks)} found"
    )
