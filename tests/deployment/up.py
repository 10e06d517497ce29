"""``make up``: a local Airflow to watch the example DAGs in the browser.

The api-server (with the web UI), scheduler, dag-processor and triggerer run as separate processes with
LocalExecutor on the embedded PostgreSQL, against the emulator, as the deployment tests run them. Ctrl-C
stops everything; the logs stay in ``.deployment-logs/up``.
"""

from __future__ import annotations

import signal
import time
from typing import Any

from tests.deployment.deployment import EXAMPLE_DAGS, EXAMPLE_DAGS_DIR, Deployment
from tests.deployment.harness import Emulator, Postgres, Processes


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def main() -> int:
    signal.signal(signal.SIGTERM, _interrupt)
    processes = Processes("up")
    postgres: Postgres | None = None
    try:
        print("Starting PostgreSQL, the X emulator and Airflow (about a minute)...", flush=True)
        postgres = Postgres.start(processes)
        emulator = Emulator(processes).start(processing_secs=20, check_after_secs=2)
        airflow = Deployment(
            name="up",
            executor="LocalExecutor",
            postgres=postgres,
            emulator=emulator,
            processes=processes,
            home=processes.logs / "airflow-home",
            dag_ids=EXAMPLE_DAGS,
            bundles={"example-dags": EXAMPLE_DAGS_DIR},
        ).start()
        print(
            f"\nAirflow UI:   {airflow.api.url}  (no login: every user is admin)\n"
            f"X emulator:   {emulator.url}/_emulator/posts  (the posts made)\n"
            f"Logs:         {processes.logs}\n"
            f"Trigger {', '.join(EXAMPLE_DAGS)} from the UI. Ctrl-C stops everything.",
            flush=True,
        )
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
