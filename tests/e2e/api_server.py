"""``airflow api-server`` on the end-to-end tests' AIRFLOW_HOME: how they read what a DAG run left (states, XComs,
rendered fields, Variables) through Airflow's public REST API instead of SQL on its tables, whose layout changes
between Airflow versions (3.4 writes XComs to ``xcom_v2``).

One server per session, so per pytest-xdist worker: started by its own PID on a free loopback port, within a
bounded time, and stopped by that PID with the children it forked (tests/deployment/harness.py). Its log stays in
``.deployment-logs/<name>/api-server.log`` until a session of the same name starts again.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import requests

from tests.deployment.deployment import AIRFLOW
from tests.deployment.harness import LOOPBACK, Process, Processes, free_port, wait_until

START_TIMEOUT_SECS = 180.0
# Where the DAG runs' environment names the server; the setting is Airflow's own ([api] base_url).
API_URL = "AIRFLOW__API__BASE_URL"


@contextmanager
def api_server(env: dict[str, str], name: str) -> Iterator[str]:
    """The server's URL while it runs, on the metadata DB of ``env``, one worker: the core API (``/api/v2``,
    ``/auth``) the tests read runs through, and the execution API (``/execution/``) for the runs that go through an
    executor (``dags test --use-executor``), whose task processes a test can kill and Airflow retry."""
    processes = Processes(name)
    port = free_port()
    url = f"http://{LOOPBACK}:{port}"
    argv = [AIRFLOW, "api-server", "--apps", "core,execution", "--workers", "1", "--host", LOOPBACK]
    argv += ["--port", str(port)]
    try:
        process = processes.start("api-server", argv, {**env, API_URL: url})
        wait_until(f"api-server answering (log: {process.log})", lambda: _healthy(process, url), START_TIMEOUT_SECS)
        yield url
    finally:
        processes.stop_all()


def _healthy(process: Process, url: str) -> bool:
    process.ensure_alive()
    try:
        health = requests.get(f"{url}/api/v2/monitor/health", timeout=5).json()
    except (requests.RequestException, ValueError):
        return False
    return bool(health["metadatabase"]["status"] == "healthy")
