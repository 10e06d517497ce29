"""``make up`` (tests/deployment/up.py) as a user meets it: the connection in the metadata database, where the UI and
the REST API show it and an edit is kept; every example DAG green under its settings, the thread included; a banner
that says how to reach the UI and the REST API, and holds no secret."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from tests.deployment.conftest import LOG_DIRS
from tests.deployment.deployment import CONN_ENV_VAR, CONN_ID, HITL, Deployment
from tests.deployment.harness import Postgres, Processes
from tests.deployment.up import DAG_IDS, banner, start

pytestmark = pytest.mark.deployment

RUN_TIMEOUT = 600
THREAD = "example_twitter_thread"
APPROVAL = "example_twitter_approval"


@pytest.fixture(scope="module")
def up(request: pytest.FixtureRequest, postgres: Postgres) -> Iterator[Deployment]:
    processes = Processes("up-test")
    request.config.stash.setdefault(LOG_DIRS, {})[request.module.__name__] = processes.logs
    try:
        yield start(processes, postgres)
    finally:
        processes.stop_all()


def test_the_connection_is_in_the_metadata_database(up: Deployment) -> None:
    # The REST API lists the metadata database's connections only, never those of variables or secrets backends.
    (listed,) = up.api.call("GET", "/connections")["connections"]
    emulator = up.emulator.connection_fields()

    assert CONN_ENV_VAR not in up.env
    assert (listed["connection_id"], listed["conn_type"]) == (CONN_ID, "twitter")
    assert (listed["host"], listed["login"]) == (up.emulator.url, emulator["login"])
    assert "emulator" in listed["description"]
    assert json.loads(listed["extra"]).keys() == {"access_token", "access_token_secret"}


def test_the_ui_s_test_button_asks_the_emulator(up: Deployment) -> None:
    fields = up.emulator.connection_fields()
    body = {**fields, "connection_id": CONN_ID, "extra": json.dumps(fields["extra"])}
    answer = up.api.call("POST", "/connections/test", json=body)

    assert answer["status"] is True, answer
    assert answer["message"].startswith(f"Connected to {up.emulator.url} as @emulator"), answer


def test_a_connection_edited_in_the_ui_is_kept(up: Deployment) -> None:
    edit = {"connection_id": CONN_ID, "conn_type": "twitter", "description": "edited by a user"}
    up.api.call("PATCH", f"/connections/{CONN_ID}", params={"update_mask": "description"}, json=edit)

    assert up.add_connection() is False
    assert up.api.call("GET", f"/connections/{CONN_ID}")["description"] == "edited by a user"


def test_every_example_dag_succeeds(up: Deployment) -> None:
    runs = {dag_id: up.trigger(dag_id, f"up_{dag_id}") for dag_id in DAG_IDS}
    if HITL:
        run = runs[APPROVAL]
        up.wait("approval asked", lambda: up.api.waiting_for_input(run.dag_id, run.run_id, "approve"), RUN_TIMEOUT)
        up.answerable(run, "approve", RUN_TIMEOUT)
        up.api.respond(run.dag_id, run.run_id, "approve", ["Approve"])
    up.wait_finished(runs.values(), RUN_TIMEOUT)
    posts = up.emulator.posts()

    assert {dag_id: run.state for dag_id, run in runs.items()} == dict.fromkeys(DAG_IDS, "success")
    problems = [problem for dag_id, run in runs.items() if dag_id != THREAD for problem in run.problems(posts)]
    assert not problems, "\n".join(problems)
    # The thread: three posts, each a reply to the one before, which the emulator allows under make up only.
    thread = up.api.xcom(THREAD, runs[THREAD].run_id, "post_thread")
    by_id = {post["id"]: post for post in posts}
    assert [_reply_to(by_id[post_id]) for post_id in thread] == [None, *thread[:-1]]
    assert len(posts) == len(DAG_IDS) - 1 + len(thread)


def _reply_to(post: dict[str, Any]) -> Any:
    return post["options"].get("reply", {}).get("in_reply_to_tweet_id")


def test_the_banner_shows_the_ui_and_the_rest_api_and_no_secret(up: Deployment) -> None:
    shown = banner(up)
    fields = up.emulator.connection_fields()

    assert f"Airflow UI    {up.api.url} " in shown
    assert f"REST API      {up.api.url}/api/v2 " in shown
    for secret in (fields["password"], *fields["extra"].values()):
        assert secret not in shown
    # What the banner tells the user to run: a token from /auth/token, then the API with it.
    token = requests.get(f"{up.api.url}/auth/token", timeout=30).json()["access_token"]
    dags = requests.get(
        f"{up.api.url}/api/v2/dags", headers={"Authorization": f"Bearer {token}"}, params={"limit": 100}, timeout=30
    ).json()
    assert f"curl -s {up.api.url}/auth/token" in shown
    assert {dag["dag_id"] for dag in dags["dags"]} == set(DAG_IDS)
