"""POST /2/tweets, the user lookups, and what the admin API shows of posts."""

from __future__ import annotations

import pytest

from tests.emulator.helpers import (
    GIF_HEAD,
    MP4_HEAD,
    PNG_HEAD,
    FakeClock,
    XClient,
    error_messages,
    last_reason,
    media_bytes,
)

USER_ID = "1000000000000000001"


def _video(x: XClient, clock: FakeClock) -> str:
    media_id = x.upload(media_bytes(MP4_HEAD, 2000), "video/mp4", "tweet_video")
    clock.advance(6)
    return media_id


def _image(x: XClient, size: int = 300) -> str:
    return x.upload(media_bytes(PNG_HEAD, size), "image/png", "tweet_image")


def test_post_with_media_once_processing_succeeded(x: XClient, clock: FakeClock) -> None:
    media_id = x.upload(media_bytes(MP4_HEAD, 2000), "video/mp4", "tweet_video")
    early = x.tweet("my video", [media_id])
    assert early.status_code == 400
    assert early.json()["errors"][0] == {
        "message": "Your media IDs are invalid.",
        "parameters": {"media.media_ids": [media_id]},
    }
    assert early.json()["title"] == "Invalid Request"

    clock.advance(6)
    created = x.tweet("my video", [media_id])
    assert created.status_code == 201
    post_id = created.json()["data"]["id"]
    assert created.json()["data"] == {"id": post_id, "text": "my video", "edit_history_tweet_ids": [post_id]}
    assert len(post_id) == 19 and post_id.isdigit()
    assert x.admin("posts") == [
        {
            "id": post_id,
            "text": "my video",
            "media_ids": [media_id],
            "created_at": x.admin("posts")[0]["created_at"],
            "options": {},
        }
    ]


def test_failed_media_is_invalid(x: XClient, clock: FakeClock) -> None:
    media_id = x.upload(media_bytes(b"garbage", 200), "video/mp4", "tweet_video")
    clock.advance(6)
    response = x.tweet("broken", [media_id])
    assert error_messages(response) == ["Your media IDs are invalid."]  # X sends one entry, no reason
    assert last_reason(x) == f"Media {media_id} failed processing: Unsupported video format."


def test_unfinalized_and_unknown_media_are_invalid(x: XClient) -> None:
    media_id = x.initialize(media_bytes(PNG_HEAD, 100), "image/png", "tweet_image")
    assert error_messages(x.tweet("not yet", [media_id])) == ["Your media IDs are invalid."]
    assert error_messages(x.tweet("nope", ["1234"])) == ["Your media IDs are invalid."]
    assert last_reason(x) == "Media 1234 was not found."


@pytest.mark.parametrize(
    ("media_ids", "message"),
    [
        ([], "$.media.media_ids: there must be a minimum of 1 items in the array"),
        (["1", "2", "3", "4", "5"], "$.media.media_ids: there must be a maximum of 4 items in the array"),
        (["abc"], "$.media.media_ids[0]: does not match the regex pattern ^[0-9]{1,19}$"),
        ([123], "$.media.media_ids[0]: integer found, string expected"),
        (["1" * 20], "$.media.media_ids[0]: does not match the regex pattern ^[0-9]{1,19}$"),
    ],
    ids=["none", "five", "alpha", "int", "long"],
)
def test_malformed_media_ids_fail_the_schema(x: XClient, media_ids: list[object], message: str) -> None:
    response = x.post("/2/tweets", json={"text": "x", "media": {"media_ids": media_ids}})
    assert response.status_code == 400
    assert response.json()["errors"] == [{"parameters": {}, "message": message}]


def test_media_mixes_x_does_not_allow(x: XClient, clock: FakeClock) -> None:
    video, other_video, image = _video(x, clock), _video(x, clock), _image(x)
    gif = x.upload(media_bytes(GIF_HEAD, 500), "image/gif", "tweet_gif")
    clock.advance(6)
    for ids in ([video, other_video], [video, image], [gif, image]):
        response = x.tweet("mix", ids)
        assert response.status_code == 400
        assert "1 GIF, or 1 video" in last_reason(x)
    images = [_image(x, size) for size in (300, 301, 302, 303)]
    assert x.tweet("four images", images).status_code == 201


def test_text_or_media_is_required(x: XClient) -> None:
    assert x.post("/2/tweets", json={"text": ""}).status_code == 400
    assert x.post("/2/tweets", json={}).status_code == 400
    assert x.post("/2/tweets", json={"text": 42}).status_code == 400
    assert x.post("/2/tweets", data=b"{not json", headers={"content-type": "application/json"}).status_code == 400
    assert x.tweet("text only").status_code == 201


def test_duplicate_content_is_forbidden(x: XClient) -> None:
    image = _image(x)
    assert x.tweet("hello", [image]).status_code == 201
    duplicate = x.tweet("hello", [image])
    assert duplicate.status_code == 403
    assert duplicate.headers["content-type"] == "application/problem+json"
    assert duplicate.json() == {
        "detail": "You are not allowed to create a Tweet with duplicate content.",
        "type": "about:blank",
        "title": "Forbidden",
        "status": 403,
    }
    assert x.tweet("hello").status_code == 201  # same text, different media set


def test_user_tweets_lists_own_posts_newest_first(x: XClient, clock: FakeClock) -> None:
    assert x.get(f"/2/users/{USER_ID}/tweets").json() == {"meta": {"result_count": 0}}
    image = _image(x)
    first = x.tweet("first", [image]).json()["data"]["id"]
    clock.advance(1)
    second = x.tweet("second").json()["data"]["id"]

    listing = x.get(f"/2/users/{USER_ID}/tweets", params={"max_results": 5, "tweet.fields": "created_at,attachments"})
    body = listing.json()
    assert [post["id"] for post in body["data"]] == [second, first]
    assert body["meta"] == {"result_count": 2, "newest_id": second, "oldest_id": first}
    assert body["data"][1]["attachments"] == {"media_keys": [f"3_{image}"]}
    assert "attachments" not in body["data"][0]
    assert body["data"][0]["created_at"].endswith("Z") and body["data"][0]["created_at"] > body["data"][1]["created_at"]

    for _ in range(6):
        clock.advance(1)
        x.tweet(f"more {clock.now}")
    assert len(x.get(f"/2/users/{USER_ID}/tweets", params={"max_results": 5}).json()["data"]) == 5
    assert len(x.get(f"/2/users/{USER_ID}/tweets").json()["data"]) == 8
    assert x.get(f"/2/users/{USER_ID}/tweets", params={"max_results": 4}).status_code == 400
    assert x.get(f"/2/users/{USER_ID}/tweets", params={"max_results": 101}).status_code == 400
    assert x.get("/2/users/42/tweets").json() == {"meta": {"result_count": 0}}


def test_user_tweets_pages_with_next_token(x: XClient, clock: FakeClock) -> None:
    """``meta.next_token`` while older posts remain, taken back as ``pagination_token`` (X's OAS)."""
    made = []
    for n in range(12):
        clock.advance(1)
        made.append(x.tweet(f"post {n}").json()["data"]["id"])
    first = x.get(f"/2/users/{USER_ID}/tweets", params={"max_results": 10}).json()
    token = first["meta"]["next_token"]
    second = x.get(f"/2/users/{USER_ID}/tweets", params={"max_results": 10, "pagination_token": token}).json()
    assert [p["id"] for p in first["data"] + second["data"]] == made[::-1]
    assert "next_token" not in second["meta"]
    bad = x.get(f"/2/users/{USER_ID}/tweets", params={"pagination_token": "nonsense"})
    assert bad.status_code == 400


def test_unknown_routes_answer_json_problems(x: XClient) -> None:
    missing = x.get("/2/nothing-here")
    assert missing.status_code == 404 and missing.json()["title"] == "Not Found"
    assert x.get("/2/tweets").status_code == 405


def test_post_options_are_kept_and_replies_need_a_visible_post(x: XClient) -> None:
    """The body's other fields (reply_settings, labels, reply) are kept for tests to read; a reply to a post the
    emulator does not know is X's 403 (plhery/node-twitter-api-v2#366). The first post mentions the user, which
    summons it (X's reply rule since 2026-02-23, tests/emulator/test_replies.py)."""
    first = x.tweet("first, over to @emulator").json()["data"]["id"]
    body = {
        "text": "second",
        "reply_settings": "following",
        "made_with_ai": True,
        "reply": {"in_reply_to_tweet_id": first},
    }
    reply = x.post("/2/tweets", json=body)
    assert reply.status_code == 201
    assert x.admin("posts")[1]["options"] == {
        "reply_settings": "following",
        "made_with_ai": True,
        "reply": {"in_reply_to_tweet_id": first},
    }
    orphan = x.post("/2/tweets", json={"text": "third", "reply": {"in_reply_to_tweet_id": "1234"}})
    assert orphan.status_code == 403
    assert orphan.json()["detail"] == "You attempted to reply to a Tweet that is deleted or not visible to you."
