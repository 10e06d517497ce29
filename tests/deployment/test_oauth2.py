"""OAuth 2.0 on a real deployment: CeleryExecutor with two workers and a triggerer, every task and trigger in its own
process, sharing the token Variable through the API server, against the emulator with access tokens that last a few
seconds and a grant revoked at the first reused refresh token. Runs in a row, then in parallel."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.deployment.conftest import LOG_DIRS
from tests.deployment.deployment import EXAMPLE_DAGS, Deployment
from tests.deployment.harness import BIN, LOOPBACK, Emulator, Postgres, Processes, Redis, wait_until

pytestmark = pytest.mark.deployment

SEED = "deployment-oauth2-seed-do-not-log"
TOKEN_SECS = 8
RUN_TIMEOUT = 900
PARALLEL_PER_DAG = 2


class OAuth2Emulator(Emulator):
    """The emulator handing out an OAuth 2.0 connection whose seed it knows from the start."""

    def connection_fields(self) -> dict[str, Any]:
        from airflow_provider.emulator import EmulatorConfig
        from airflow_provider.emulator.connection import connection_fields

        return connection_fields(EmulatorConfig(oauth2_seed=SEED), self.url)

    def start(self, *, processing_secs: float, check_after_secs: float, timeout: float = 60) -> Emulator:
        self.starts += 1
        argv = [str(BIN / "python"), "-m", "airflow_provider.emulator", "--host", LOOPBACK, "--port", str(self.port)]
        argv += ["--processing-secs", str(processing_secs), "--check-after-secs", str(check_after_secs)]
        argv += ["--oauth2-seed", SEED, "--oauth2-access-token-secs", str(TOKEN_SECS), "--oauth2-reuse-revokes-grant"]
        self.process = self.processes.start(f"emulator-{self.starts}", argv)
        wait_until("emulator answering", self._answers, timeout, interval=0.2)
        return self

    def oauth2(self, what: str = "") -> Any:
        return requests.get(f"{self.url}/_emulator/oauth2{what}", timeout=10).json()


@pytest.fixture(scope="module")
def oauth2(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, postgres: Postgres
) -> Iterator[Deployment]:
    processes = Processes("oauth2")
    request.config.stash.setdefault(LOG_DIRS, {})[request.module.__name__] = processes.logs
    try:
        emulator = OAuth2Emulator(processes).start(processing_secs=10, check_after_secs=1)
        yield Deployment(
            name="oauth2",
            executor="CeleryExecutor",
            postgres=postgres,
            emulator=emulator,
            processes=processes,
            home=tmp_path_factory.mktemp("airflow-home-oauth2"),
            redis=Redis.start(processes),
            celery_workers=2,
            dag_ids=EXAMPLE_DAGS,
        ).start()
    finally:
        processes.stop_all()


def test_runs_in_a_row_then_in_parallel_post_once_and_never_present_a_spent_token(oauth2: Deployment) -> None:
    emulator = oauth2.emulator
    assert isinstance(emulator, OAuth2Emulator)
    in_a_row = []
    for dag_id in EXAMPLE_DAGS:
        in_a_row += oauth2.wait_finished([oauth2.trigger(dag_id, f"row_{dag_id}")], RUN_TIMEOUT)
    parallel = [oauth2.trigger(d, f"parallel_{n}_{d}") for n in range(PARALLEL_PER_DAG) for d in EXAMPLE_DAGS]
    oauth2.wait_finished(parallel, RUN_TIMEOUT)
    posts = emulator.posts()
    state = emulator.oauth2()

    problems = [problem for run in in_a_row + parallel for problem in run.problems(posts)]
    assert not problems, "\n".join(problems)
    assert len(posts) == len(in_a_row) + len(parallel)
    assert state["spent_presented"] == [] and state["revoked_grants"] == 0
    assert state["refreshes"] >= 2
    # Every token the emulator issued, the seed and the client secret: in no Airflow process log, task log or XCom
    # (the emulator's own log, X's side, prints its seed and connection at start-up).
    secrets = [*emulator.oauth2("/issued"), "emulator-client-secret"]
    logs = {
        str(p): p.read_text(errors="replace")
        for p in Path(oauth2.processes.logs).rglob("*.log")
        if not p.name.startswith("emulator-")
    }
    xcoms = {
        f"xcom {run.run_id} {task}": json.dumps(oauth2.api.xcom(run.dag_id, run.run_id, task))
        for run in in_a_row + parallel
        for task in ("upload_media",)
        if run.tasks.get(task, {}).get("state") == "success"
    }
    leaks = [
        f"{where}: {line[:200]}"
        for where, text in (logs | xcoms).items()
        for line in text.splitlines()
        if any(secret in line for secret in secrets) or "Bearer " in line
    ]
    assert leaks == [], "\n".join(leaks[:20])
    print(
        f"\n{len(in_a_row)} runs in a row and {len(parallel)} in parallel on Celery (2 workers) and a triggerer, "
        f"{TOKEN_SECS} s tokens: {len(posts)} posts, {state['refreshes']} refreshes, "
        f"{len(state['spent_presented'])} spent refresh tokens presented; {len(secrets)} secrets searched in "
        f"{len(logs)} logs and {len(xcoms)} XComs: {len(leaks)} found"
    )
