"""Answer a DAG run's approval the way a person does: through Airflow's own REST API (the route the UI's Required
Actions page calls), in-process with FastAPI's test client on the metadata DB that ``airflow dags test`` uses.

    python -m tests.e2e.hitl_responder <dag_id> <task_id> Approve|Reject|none

Run it alongside ``airflow dags test`` (Airflow 3.3+, where the task waits in ``awaiting_input``): it waits for the
task's request for input and answers it; the route moves the task back to ``scheduled``. With ``none`` nobody
answers: it runs the scheduler's own sweep of timed-out requests (``dags test`` has no scheduler) until the task
is resumed. It prints what it was asked and answered.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

from fastapi.testclient import TestClient

WAITING = ("deferred", "awaiting_input")


def answer(dag_id: str, task_id: str, option: str, timeout: float = 240) -> dict[str, Any]:
    from airflow.api_fastapi.app import create_app

    client = TestClient(create_app())
    token = client.get("/auth/token").json()["access_token"]  # the simple auth manager, all users admins
    client.headers["Authorization"] = f"Bearer {token}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        listed = client.get(f"/api/v2/dags/{dag_id}/dagRuns/~/hitlDetails", params={"task_id": task_id})
        listed.raise_for_status()
        waiting = [
            detail
            for detail in listed.json()["hitl_details"]
            if not detail["response_received"] and detail["task_instance"]["state"] in WAITING
        ]
        if waiting:
            ti = waiting[0]["task_instance"]
            url = f"/api/v2/dags/{dag_id}/dagRuns/{ti['dag_run_id']}/taskInstances/{task_id}/{ti['map_index']}"
            if option == "none":
                return {"asked": waiting[0]["subject"], "answered": None, "swept": sweep(client, url, deadline)}
            answered = client.patch(f"{url}/hitlDetails", json={"chosen_options": [option]})
            answered.raise_for_status()
            return {"asked": waiting[0]["subject"], "answered": answered.json()["chosen_options"]}
        time.sleep(1)
    raise TimeoutError(f"no request for input from {dag_id}.{task_id} within {timeout} s")


def sweep(client: TestClient, url: str, deadline: float) -> int:
    """Run the scheduler's timeout sweep once a second until the task is no longer waiting; how many sweeps."""
    from airflow.jobs.job import Job
    from airflow.jobs.scheduler_job_runner import SchedulerJobRunner

    scheduler = SchedulerJobRunner(job=Job())
    sweeps = 0
    while time.monotonic() < deadline:
        scheduler.check_awaiting_input_timeouts()
        sweeps += 1
        if client.get(url).json()["state"] not in WAITING:
            return sweeps
        time.sleep(1)
    raise TimeoutError(f"{url} still waiting for input")


if __name__ == "__main__":
    dag_id, task_id, option = sys.argv[1:4]
    print(json.dumps(answer(dag_id, task_id, option)))
