"""PostEndpoints.create as a task with a durable memory calls it (Airflow 3.3): told that no earlier try sent the post
(``search_first=False``), it reads no timeline before posting; and ``on_sending`` runs right before the POST, after
every check, so that a record of intent never stands for a post X was not asked for."""

from __future__ import annotations

import time

import pytest

from airflow_provider.client.api import XClient
from airflow_provider.exceptions import TwitterInputError
from tests.unit.fake_x import FakeX, x_client

ME = (200, {"data": {"id": "42", "username": "newsroom", "name": "Newsroom"}})
DUPLICATE = (403, {"detail": "You are not allowed to create a Tweet with duplicate content.", "status": 403})
TIMELINE = "/2/users/42/tweets"


def snowflake(hours_ago: float) -> str:
    return str(int((time.time() - hours_ago * 3600) * 1000 - 1288834974657) << 22)


def now_iso() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())


@pytest.fixture
def x(fake_x: FakeX) -> XClient:
    return x_client()


def test_a_retry_with_no_intent_left_posts_without_reading_the_timeline(x: XClient, fake_x: FakeX) -> None:
    media_id = snowflake(hours_ago=0.1)
    fake_x.on("GET", "/2/media/upload", (200, {"data": {"id": media_id, "media_key": f"3_{media_id}"}}))
    fake_x.on("POST", "/2/tweets", (201, {"data": {"id": "1803", "text": "hi"}}))
    sent: list[int] = []

    post = x.posts.create(
        "hi",
        [media_id],
        earlier_attempt_since=time.time() - 60,
        search_first=False,
        on_sending=lambda: sent.append(len(fake_x.requests)),
    )

    assert post["id"] == "1803"
    assert [r.path_url.split("?")[0] for r in fake_x.requests] == ["/2/media/upload", "/2/tweets"]  # no /users/me
    assert sent == [1]  # after the STATUS check, right before the POST


def test_a_duplicate_still_sends_it_looking_when_it_was_told_a_retry(x: XClient, fake_x: FakeX) -> None:
    """A record that expired, or was cleared on success: X's duplicate refusal is the safety net."""
    media_id = snowflake(hours_ago=0.1)
    fake_x.on("GET", "/2/media/upload", (200, {"data": {"id": media_id, "media_key": f"3_{media_id}"}}))
    fake_x.on("POST", "/2/tweets", DUPLICATE)
    fake_x.on("GET", "/2/users/me", ME)
    ours = {"id": "1804", "text": "hi https://t.co/a", "attachments": {"media_keys": [f"3_{media_id}"]}}
    fake_x.on("GET", TIMELINE, (200, {"data": [{**ours, "created_at": now_iso()}]}))

    post = x.posts.create("hi", [media_id], earlier_attempt_since=time.time() - 60, search_first=False)

    assert (post["id"], post["text"]) == ("1804", ours["text"])
    assert len(fake_x.sent("POST", "/2/tweets")) == 1


def test_nothing_is_noted_when_a_check_refuses_the_post(x: XClient, fake_x: FakeX) -> None:
    fake_x.on("GET", "/2/media/upload", (200, {"data": {"id": "11", "processing_info": {"state": "in_progress"}}}))
    sent: list[bool] = []
    with pytest.raises(TwitterInputError, match="still in_progress"):
        x.posts.create("hi", ["11"], on_sending=lambda: sent.append(True))
    assert sent == [] and fake_x.sent("POST", "/2/tweets") == []


def test_an_earlier_post_found_first_notes_nothing(x: XClient, fake_x: FakeX) -> None:
    """Without a store (or with an intent left), the search finds the post: nothing is sent, nothing noted."""
    media_id = snowflake(hours_ago=0.1)
    fake_x.on("GET", "/2/media/upload", (200, {"data": {"id": media_id, "media_key": f"3_{media_id}"}}))
    fake_x.on("GET", "/2/users/me", ME)
    ours = {"id": "1805", "text": "hi", "attachments": {"media_keys": [f"3_{media_id}"]}, "created_at": now_iso()}
    fake_x.on("GET", TIMELINE, (200, {"data": [ours]}))
    sent: list[bool] = []

    post = x.posts.create(
        "hi", [media_id], earlier_attempt_since=time.time() - 60, on_sending=lambda: sent.append(True)
    )

    assert post["id"] == "1805" and sent == []
