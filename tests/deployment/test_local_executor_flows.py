"""The flows of issue #13 on the LocalExecutor deployment: a thread, a video with subtitles, a post approved or
rejected by a person through the api-server's REST API (the task waits in ``awaiting_input`` on Airflow 3.3, in
the triggerer before), and a video read from a ``file://`` URL.

The runs start together when the module starts (one emulator, self-replies allowed so that a thread can be
posted); each test waits for its own runs and checks them against what the emulator received.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest

from tests.deployment.deployment import HITL, Deployment, Run
from tests.deployment.harness import ROOT

pytestmark = pytest.mark.deployment

RUN_TIMEOUT = 600
SAMPLE_VIDEO = ROOT / "dags" / "media" / "sample.mp4"
THREAD = ["deployment thread 1/3", "deployment thread 2/3", "deployment thread 3/3"]
APPROVAL = "example_twitter_approval"
needs_hitl = pytest.mark.skipif(not HITL, reason="human-in-the-loop operators exist from Airflow 3.1")


@pytest.fixture(scope="module")
def runs(local: Deployment) -> Iterator[dict[str, Run]]:
    """Every flow's run, triggered at once on a fresh emulator that allows self-replies."""
    flows: dict[str, tuple[str, dict[str, Any]]] = {
        "thread": ("example_twitter_thread", {"texts": THREAD}),
        "subtitles": ("example_twitter_subtitles", {"text": "deployment subtitles"}),
        "file_url": (
            "example_twitter_video_deferrable",
            {"media_path": SAMPLE_VIDEO.as_uri(), "text": "deployment file url"},
        ),
    }
    if HITL:
        flows |= {
            "approve": (APPROVAL, {"text": "deployment approved"}),
            "reject": (APPROVAL, {"text": "deployment rejected"}),
        }
    local.emulator.self_replies = True
    try:
        local.emulator.start(processing_secs=6, check_after_secs=1)
        yield {flow: local.trigger(dag_id, f"flow_{flow}", conf) for flow, (dag_id, conf) in flows.items()}
    finally:
        local.emulator.self_replies = False


def reply_to(post: dict[str, Any]) -> Any:
    return post["options"].get("reply", {}).get("in_reply_to_tweet_id")


def answer(local: Deployment, run: Run, option: str) -> dict[str, Any]:
    """Wait for the run's approval to ask, then answer it as a person does in the UI; what it asked."""
    asked = local.wait(
        f"{run.run_id}: approval asked",
        lambda: local.api.waiting_for_input(run.dag_id, run.run_id, "approve"),
        RUN_TIMEOUT,
    )
    local.answerable(run, "approve", RUN_TIMEOUT)
    answered = local.api.respond(run.dag_id, run.run_id, "approve", [option])
    assert answered["chosen_options"] == [option]
    return asked


def test_thread_posts_each_item_once_as_a_chain_of_replies(local: Deployment, runs: dict[str, Run]) -> None:
    (run,) = local.wait_finished([runs["thread"]], RUN_TIMEOUT)

    assert run.state == "success", run.describe()
    posts = [post for post in local.emulator.posts() if post["text"] in THREAD]
    assert [post["text"] for post in posts] == THREAD
    first, second, third = posts
    assert [reply_to(post) for post in posts] == [None, first["id"], second["id"]]
    assert len(first["media_ids"]) == 1 and second["media_ids"] == third["media_ids"] == []
    assert local.api.xcom(run.dag_id, run.run_id, "post_thread") == [post["id"] for post in posts]
    # The task page's "View on X" button, as the UI reads it: the emulator's page of item 1.
    link = f"{local.emulator.url}/i/web/status/{first['id']}"
    assert local.api.extra_links(run.dag_id, run.run_id, "post_thread") == {"View on X": link}
    assert run.tasks["clean_up"]["state"] == run.tasks["thread_failed"]["state"] == "skipped"


def test_subtitles_are_attached_before_the_one_post(local: Deployment, runs: dict[str, Run]) -> None:
    (run,) = local.wait_finished([runs["subtitles"]], RUN_TIMEOUT)
    posts = local.emulator.posts()

    assert not run.problems(posts)
    assert run.media_id
    (post,) = [post for post in posts if run.media_id in post["media_ids"]]
    # The subtitles task hands the post the video's receipt, with the track it attached.
    receipt = local.api.xcom(run.dag_id, run.run_id, "add_subtitles")
    assert (receipt["media_id"], receipt["state"]) == (run.media_id, "succeeded")
    ((track_xcom),) = receipt["subtitles"]
    track = track_xcom["media_id"]
    assert track_xcom == {"language_code": "EN", "display_name": "English", "media_id": track}
    video = local.emulator.media(run.media_id)
    assert video["subtitles"] == [{"id": track, "language_code": "EN", "display_name": "English"}]
    assert local.emulator.media(track)["media_category"] == "subtitles"
    # This module's only subtitles run: X got its track (once) before the post was made.
    (attached,) = [
        r
        for r in local.emulator.request_log()
        if (r["method"], r["path"], r["status"]) == ("POST", "/2/media/subtitles", 200)
    ]
    assert attached["at"] < datetime.fromisoformat(post["created_at"]).timestamp()


@needs_hitl
def test_approved_post_is_made_once(local: Deployment, runs: dict[str, Run]) -> None:
    run = runs["approve"]
    asked = answer(local, run, "Approve")
    local.wait_finished([run], RUN_TIMEOUT)

    assert asked["subject"] == "Post this video to X?"
    assert asked["task_instance"]["state"] in ("deferred", "awaiting_input")  # 3.1-3.2: deferred; 3.3: awaiting
    assert not run.problems(local.emulator.posts())
    assert {ti["state"] for ti in run.tasks.values()} == {"success"}


@needs_hitl
def test_rejected_post_is_skipped_and_not_made(local: Deployment, runs: dict[str, Run]) -> None:
    run = runs["reject"]
    answer(local, run, "Reject")
    local.wait_finished([run], RUN_TIMEOUT)
    posts = local.emulator.posts()

    assert run.state == "success", run.describe()
    assert run.tasks["approve"]["state"] == "success" and run.tasks["post"]["state"] == "skipped", run.describe()
    assert run.media_id
    assert [post for post in posts if run.media_id in post["media_ids"] or post["text"] == run.conf["text"]] == []


def test_video_from_a_file_url_is_posted_once(local: Deployment, runs: dict[str, Run]) -> None:
    (run,) = local.wait_finished([runs["file_url"]], RUN_TIMEOUT)

    assert not run.problems(local.emulator.posts())
    assert run.media_id
    assert f"Uploading {SAMPLE_VIDEO.as_uri()}: video/mp4" in local.task_log(run, "upload_media", 1)
    media = local.emulator.media(run.media_id)
    assert media["received_bytes"] == media["total_bytes"] == SAMPLE_VIDEO.stat().st_size
