"""Threads end to end: ``airflow dags test`` of a CreateThreadOperator against the emulator.

X's reply rule since 2026-02-23 leaves self-replies undocumented, so the emulator refuses them unless started with
``self_replies``. A user whose app can reply to its own posts (X's later refusal wording says authors may) runs as
the first and third tests do; the second shows what the operator does where X refuses.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from airflow_provider.emulator import EmulatorServer, Fault
from airflow_provider.emulator.errors import REPLY_NOT_SUMMONED
from tests.e2e.dag_runs import emulator_config, run_dag

pytestmark = pytest.mark.e2e

THREAD = "example_twitter_thread"


def parents(posts: list[dict[str, object]]) -> list[object]:
    return [post["options"].get("reply", {}).get("in_reply_to_tweet_id") for post in posts]  # type: ignore[attr-defined]


def test_example_thread_is_a_chain_of_replies(airflow_env: dict[str, str]) -> None:
    with EmulatorServer(emulator_config(self_replies=True)) as emulator:
        run = run_dag(airflow_env, emulator, THREAD)

    assert run.state == "success", run.output[-3000:]
    assert run.task_states["clean_up"] == run.task_states["thread_failed"] == "skipped"  # nothing to clean up
    first, second, third = run.posts
    assert parents(run.posts) == [None, first["id"], second["id"]]
    assert len(first["media_ids"]) == 1 and second["media_ids"] == third["media_ids"] == []
    assert run.xcom["post_thread"] == [first["id"], second["id"], third["id"]]


def test_refused_reply_fails_naming_the_posted_items(airflow_env: dict[str, str], emulator: EmulatorServer) -> None:
    """The emulator's default, the stricter reading of X's rule: X refuses the first reply. The task fails at once
    (a refusal is not retried), naming item 1 and its link, the items not posted, and what to do."""
    run = run_dag(airflow_env, emulator, THREAD)

    assert run.task_states["post_thread"] == "failed"
    (deleted,) = run.calls("DELETE", "/2/tweets/")  # the example's clean-up deleted item 1
    first_id = deleted["path"].rsplit("/", 1)[-1]
    assert REPLY_NOT_SUMMONED in run.output
    assert f"Posted: item 1 https://x.com/i/web/status/{first_id}. Not posted: items 2 to 3." in run.output
    assert "post the rest by hand as replies to" in run.output
    assert len(run.calls("POST", "/2/tweets")) == 2  # item 1, then the refused reply, tried once
    assert run.posts == [] and run.state == "failed"


def test_a_thread_that_fails_part_way_is_cleaned_up(airflow_env: dict[str, str]) -> None:
    """X refuses item 3 (a fault): the example's clean_up deletes items 2 then 1, from the thread's XCom ``posted``
    (pushed before the failure, and kept), and the run fails through thread_failed. The answer to the first DELETE
    is lost: the client asks again, X says the post is gone, and that counts as deleted."""
    refused = Fault.from_json({"endpoint": "tweets", "calls": [3], "kind": "status", "status": 403})
    lost = Fault.from_json({"endpoint": "tweets_delete", "calls": [1], "kind": "lost_answer"})
    with EmulatorServer(emulator_config(self_replies=True, faults=(refused, lost))) as emulator:
        run = run_dag(airflow_env, emulator, THREAD)

    assert run.task_states["post_thread"] == "failed"
    assert run.task_states["clean_up"] == "success" and run.task_states["thread_failed"] == "failed"
    assert run.state == "failed"
    assert run.posts == []  # nothing of the thread stays on X
    posted = [r for r in run.calls("POST", "/2/tweets") if r["status"] == 201]
    assert len(posted) == 2
    deletes = run.calls("DELETE", "/2/tweets/")
    # Item 2 (deleted, its answer lost: no status sent), item 2 again (gone), item 1.
    assert [r["status"] for r in deletes] == [None, 404, 200]
    assert deletes[0]["path"] == deletes[1]["path"] != deletes[2]["path"]
    assert "Already gone (deleted before)" in run.output


def test_retry_resumes_after_the_items_an_earlier_try_posted(airflow_env: dict[str, str]) -> None:
    """Item 2 is posted but its answer lost; the task gives up (max_attempts 1) and is retried. The retry reads the
    account's posts, finds items 1 and 2, and posts 3 and 4 only, 3 as the reply to item 2."""
    lost = Fault.from_json({"endpoint": "tweets", "calls": [2], "kind": "lost_answer", "then_status": 503})
    with EmulatorServer(emulator_config(self_replies=True, faults=(lost,))) as emulator:
        run = run_dag(airflow_env, emulator, "e2e_thread_retry", dags_folder=Path(__file__).parent / "dags")

    assert run.state == "success", run.output[-3000:]
    assert [post["text"] for post in run.posts] == [f"Part {n} of the story (Dec 5)" for n in range(1, 5)]
    ids = [post["id"] for post in run.posts]
    assert parents(run.posts) == [None, *ids[:3]]
    assert len(run.calls("POST", "/2/tweets")) == 4  # one per item: none twice
    assert len(run.calls("GET", "/2/users/1000000000000000001/tweets")) == 1  # read once, by the retry
    assert run.xcom["post_thread"] == ids
