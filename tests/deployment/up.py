"""``make up``: a local Airflow to watch the example DAGs in the browser.

The api-server (with the web UI), scheduler, dag-processor and triggerer run as separate processes with
LocalExecutor on the embedded PostgreSQL, against the emulator, as the deployment tests run them. Ctrl-C
stops everything; the logs stay in ``.deployment-logs/up``. Two settings differ from the tests' (docs/deployment.md):

- ``twitter_default`` is a row in the metadata database, made through the REST API once Airflow answers, so the
  UI lists it and an edit there is what the tasks use (no ``AIRFLOW_CONN_`` variable shadows it). Each start has a
  fresh database and a fresh emulator, so the runs, the posts and the connection begin together; a
  ``twitter_default`` that already exists is kept as it is, never overwritten.
- The emulator allows self-replies, so that ``example_twitter_thread`` posts: by default it refuses a reply to
  one's own post, the stricter reading of X's 2026 reply rule (docs/emulator.md); an app that may reply to its own
  posts, which the example assumes, is what ``make up`` shows.
"""

from __future__ import annotations

import signal
import time
from typing import Any

from tests.deployment.deployment import CONN_ID, EXAMPLE_DAGS, EXAMPLE_DAGS_DIR, WHOLE_POST_DAGS, Deployment
from tests.deployment.harness import Emulator, Postgres, Processes

# Long enough to watch the sensor wait in the UI; X advises polling every 2 s (the sensor waits 15 s at least).
PROCESSING_SECS = 20
CHECK_AFTER_SECS = 2
DAG_IDS = EXAMPLE_DAGS + WHOLE_POST_DAGS


def start(processes: Processes, postgres: Postgres) -> Deployment:
    """The emulator and Airflow with make up's settings; returns once every example DAG is parsed and unpaused."""
    emulator = Emulator(processes, self_replies=True)
    emulator.start(processing_secs=PROCESSING_SECS, check_after_secs=CHECK_AFTER_SECS)
    return Deployment(
        name="up",
        executor="LocalExecutor",
        postgres=postgres,
        emulator=emulator,
        processes=processes,
        home=processes.logs / "airflow-home",
        dag_ids=DAG_IDS,
        bundles={"example-dags": EXAMPLE_DAGS_DIR},
        connection_in_db=True,
        # The UI's Test button on a connection: the emulator answers X's GET /2/users/me.
        settings={"AIRFLOW__CORE__TEST_CONNECTION": "Enabled"},
    ).start()


def banner(airflow: Deployment) -> str:
    """Where everything is, and how to call the REST API; no secret (the token is fetched by the user's command)."""
    ui = airflow.api.url
    read = "python3 -c 'import json,sys; print(json.load(sys.stdin)[\"access_token\"])'"
    token = f"TOKEN=$(curl -s {ui}/auth/token | {read})"
    auth = '-H "Authorization: Bearer $TOKEN"'
    trigger = f"""curl -s {auth} -H 'Content-Type: application/json' -d '{{"logical_date": null}}' \\
                  {ui}/api/v2/dags/example_twitter_video/dagRuns"""
    return f"""
Airflow UI    {ui}  (no login: every user is admin)
REST API      {ui}/api/v2  (reference: {ui}/docs); take a token, then call it, e.g. trigger a run:
                {token}
                curl -s {auth} {ui}/api/v2/dags
                {trigger}
Connection    {CONN_ID} in Admin > Connections: the X emulator, with its demo credentials (not X's); edits apply
X emulator    {airflow.emulator.url}/_emulator/posts  (the posts made; replies to one's own posts allowed)
Logs          {airflow.processes.logs}
DAGs          {", ".join(DAG_IDS)}
Trigger them from the UI or the REST API. Ctrl-C stops everything."""


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def main() -> int:
    signal.signal(signal.SIGTERM, _interrupt)
    processes = Processes("up")
    postgres: Postgres | None = None
    try:
        print("Starting PostgreSQL, the X emulator and Airflow (about a minute)...", flush=True)
        started = time.monotonic()
        postgres = Postgres.start(processes)
        airflow = start(processes, postgres)
        print(f"{banner(airflow)}\n(started in {time.monotonic() - started:.0f} s)", flush=True)
        while True:
            processes.ensure_alive()
            time.sleep(1)
    except KeyboardInterrupt:
        print("\nStopping...", flush=True)
    finally:
        processes.stop_all()
        if postgres:
            postgres.remove_data()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
