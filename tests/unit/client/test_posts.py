"""PostEndpoints: the account, its timeline, and a post made exactly once across retries; against a fake X, with a
client built from credentials alone."""

from __future__ import annotations

import time
from typing import Any

import pytest
import requests

from airflow_provider.client.api import XClient
from airflow_provider.client.posts import TIMELINE_PAGES
from airflow_provider.exceptions import TwitterApiError, TwitterInputError, TwitterRejectedError
from airflow_provider.rules.post_options import PostOptions
from tests.unit.fake_x import FakeX, json_body, query, x_client

ME = (200, {"data": {"id": "42", "username": "newsroom", "name": "Newsroom"}})
PHOTO_READY = (200, {"data": {"id": "11", "media_key": "3_11"}})
DUPLICATE = (403, {"detail": "You are not allowed to create a Tweet with duplicate content.", "status": 403})
TIMELINE = "/2/users/42/tweets"
X_POST = "https://x.com/i/web/status/"


def iso(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(epoch))


def now_iso() -> str:
    return iso(time.time())


def snowflake(hours_ago: float) -> str:
    """A media id X would have minted ``hours_ago``."""
    return str(int((time.time() - hours_ago * 3600) * 1000 - 1288834974657) << 22)


@pytest.fixture
def x(fake_x: FakeX) -> XClient:
    return x_client()


def test_me_is_the_accounts_data(x: XClient, fake_x: FakeX) -> None:
    fake_x.on("GET", "/2/users/me", ME)
    assert x.posts.me() == ME[1]["data"]


def test_an_answer_without_data_is_an_error(x: XClient, fake_x: FakeX) -> None:
    fake_x.on("GET", "/2/users/me", (200, ["not", "an", "object"]))
    with pytest.raises(TwitterApiError, match="no 'data' object"):
        x.posts.me()


class TestCreate:
    @pytest.fixture(autouse=True)
    def _media_ready(self, fake_x: FakeX) -> None:
        fake_x.on("GET", "/2/media/upload", PHOTO_READY)

    def test_posts_text_and_media_each_checked_first(self, x: XClient, fake_x: FakeX) -> None:
        fake_x.on("POST", "/2/tweets", (201, {"data": {"id": "1800", "text": "hi"}}))
        assert x.posts.create("hi", ["11", 12]) == {"id": "1800", "text": "hi", "url": f"{X_POST}1800"}
        assert json_body(fake_x.sent("POST")[0]) == {"text": "hi", "media": {"media_ids": ["11", "12"]}}
        assert len(fake_x.sent("GET", "/2/media/upload")) == 2

    def test_options_go_in_the_body(self, x: XClient, fake_x: FakeX) -> None:
        fake_x.on("POST", "/2/tweets", (201, {"data": {"id": "1800", "text": "hi"}}))
        options = PostOptions(reply_settings="following", in_reply_to_tweet_id="1799")
        x.posts.create("hi", options=options)
        assert json_body(fake_x.sent("POST")[0]) == {"text": "hi", **options.body()}

    def test_x_errors_array_is_reported(self, x: XClient, fake_x: FakeX) -> None:
        body = {
            "errors": [{"message": "Your media IDs are invalid.", "parameters": {"media.media_ids": ["1"]}}],
            "title": "Invalid Request",
            "detail": "One or more parameters to your request was invalid.",
        }
        fake_x.on("POST", "/2/tweets", (400, body))
        with pytest.raises(TwitterApiError, match="Your media IDs are invalid") as err:
            x.posts.create("hello", ["1"])
        assert err.value.errors == body["errors"]

    def test_images_ready_are_posted_without_asking_status(self, x: XClient, fake_x: FakeX) -> None:
        fake_x.routes.clear()
        fake_x.on("POST", "/2/tweets", (201, {"data": {"id": "1800", "text": "hi"}}))
        images = [{"media_id": str(n), "media_key": f"3_{n}", "state": "succeeded"} for n in (11, 12)]
        assert x.posts.create("hi", images) == {"id": "1800", "text": "hi", "url": f"{X_POST}1800"}
        assert [r.method for r in fake_x.requests] == ["POST"]
        assert json_body(fake_x.requests[0])["media"] == {"media_ids": ["11", "12"]}

    def test_a_bare_id_x_gives_no_status_for_is_posted(self, x: XClient, fake_x: FakeX) -> None:
        fake_x.routes.clear()
        fake_x.on("GET", "/2/media/upload", (400, {"errors": [{"message": "BadRequest: Not found"}]}))
        fake_x.on("POST", "/2/tweets", (201, {"data": {"id": "1801", "text": "hi"}}))
        assert x.posts.create("hi", ["11"]) == {"id": "1801", "text": "hi", "url": f"{X_POST}1801"}

    @pytest.mark.parametrize(
        ("status", "error"),
        [
            (
                (200, {"data": {"id": "11", "media_key": "7_11", "processing_info": {"state": "pending"}}}),
                TwitterInputError,
            ),
            ((200, {"data": {"id": "12", "media_key": "7_12"}}), TwitterInputError),  # a video among images
            ((400, {"errors": [{"message": "BadRequest: Not found"}]}), TwitterRejectedError),  # expired
        ],
        ids=["pending", "mix", "expired"],
    )
    def test_media_x_would_refuse_are_not_posted(
        self, x: XClient, fake_x: FakeX, status: tuple[int, Any], error: type[Exception]
    ) -> None:
        """Each refusal itself is tested in test_media.py (check_postable)."""
        fake_x.routes.clear()
        fake_x.on("GET", "/2/media/upload", PHOTO_READY, status)
        uploaded = {"media_id": "12", "state": "pending"}
        with pytest.raises(error):
            x.posts.create("hi", ["11", uploaded])
        assert fake_x.sent("POST") == []

    def test_check_media_can_be_skipped(self, x: XClient, fake_x: FakeX) -> None:
        fake_x.on("POST", "/2/tweets", (201, {"data": {"id": "1", "text": "hi"}}))
        x.posts.create("hi", ["11"], check_media=False)
        assert fake_x.sent("GET") == []

    def test_text_x_would_refuse_sends_nothing(self, x: XClient, fake_x: FakeX) -> None:
        with pytest.raises(TwitterInputError, match="281 characters as X counts them"):
            x.posts.create("x" * 281, ["11"])
        with pytest.raises(TwitterInputError, match="cashtags"):
            x.posts.create("$TSLA and $AAPL", ["11"])
        assert fake_x.requests == []
        fake_x.on("POST", "/2/tweets", (201, {"data": {"id": "1803", "text": "t"}}))
        long_url = "https://example.com/" + "a" * 400  # counts 23, like every URL
        assert x.posts.create(f"Read {long_url}", ["11"])["id"] == "1803"

    @pytest.mark.parametrize(
        ("text", "media_ids", "message"),
        [
            ("", [], "text is empty"),
            ("   ", None, "text is empty"),
            (None, None, "text must be a string, got NoneType"),
            ("hi", ["1", "2", "3", "4", "5"], "at most 4"),
            ("hi", ["12a"], "'12a' is not an X media id"),
            ("hi", [None], "media_ids must be a media id string or the output of MediaUploadOperator"),
            ("hi", "123", "must be a list"),
            ("hi", [["11"]], r"media_ids\[0\] is a list"),
        ],
    )
    def test_bad_input_sends_nothing(
        self, x: XClient, fake_x: FakeX, text: str, media_ids: object, message: str
    ) -> None:
        with pytest.raises(TwitterInputError, match=message):
            x.posts.create(text, media_ids)  # type: ignore[arg-type]
        assert fake_x.requests == []


class TestExactlyOnce:
    def test_a_lost_answer_adopts_the_post_made(self, x: XClient, fake_x: FakeX) -> None:
        fake_x.on("GET", "/2/media/upload", PHOTO_READY)
        fake_x.on("POST", "/2/tweets", requests.ReadTimeout("lost"), DUPLICATE)
        fake_x.on("GET", "/2/users/me", ME)
        timeline = {
            "data": [
                {"id": "1900", "text": "other", "created_at": now_iso()},
                {"id": "1801", "text": "hi", "created_at": now_iso(), "attachments": {"media_keys": ["7_11"]}},
            ]
        }
        fake_x.on("GET", TIMELINE, (200, timeline))
        assert x.posts.create("hi", ["11"]) == {"id": "1801", "text": "hi", "url": f"{X_POST}1801"}
        assert len(fake_x.sent("POST", "/2/tweets")) == 2

    def test_a_retry_adopts_the_post_an_earlier_try_made_by_its_media(self, x: XClient, fake_x: FakeX) -> None:
        """A try killed after X accepted the post: the retry finds it by the media ids, beyond the first page (12
        newer posts here) and although X reads it back with a t.co link appended, and posts nothing."""
        media_id = snowflake(hours_ago=0.1)
        fake_x.on("GET", "/2/media/upload", (200, {"data": {"id": media_id, "media_key": f"3_{media_id}"}}))
        fake_x.on("GET", "/2/users/me", ME)
        newer = [{"id": str(2000 + n), "text": f"other {n}", "created_at": now_iso()} for n in range(12)]
        ours = {"id": "1999", "text": "hi https://t.co/abc", "attachments": {"media_keys": [f"7_{media_id}"]}}
        fake_x.on(
            "GET",
            TIMELINE,
            (200, {"data": newer[:10], "meta": {"next_token": "p2"}}),
            (200, {"data": [*newer[10:], {**ours, "created_at": now_iso()}]}),
        )
        earlier = time.time() - 600
        assert x.posts.create("hi", [media_id], earlier_attempt_since=earlier) == {
            "id": "1999",
            "text": ours["text"],
            "url": f"{X_POST}1999",
        }
        assert fake_x.sent("POST", "/2/tweets") == []
        second_page = query(fake_x.sent("GET", TIMELINE)[1])
        assert second_page["pagination_token"] == ["p2"] and second_page["max_results"] == ["100"]

    def test_a_retry_posts_when_no_earlier_post_exists(self, x: XClient, fake_x: FakeX) -> None:
        media_id = snowflake(hours_ago=0.1)
        fake_x.on("GET", "/2/media/upload", (200, {"data": {"id": media_id, "media_key": f"3_{media_id}"}}))
        fake_x.on("GET", "/2/users/me", ME)
        fake_x.on("GET", TIMELINE, (200, {"data": [{"id": "7", "text": "x", "created_at": now_iso()}]}))
        fake_x.on("POST", "/2/tweets", (201, {"data": {"id": "1802", "text": "hi"}}))
        assert x.posts.create("hi", [media_id], earlier_attempt_since=time.time() - 60)["id"] == "1802"

    def test_a_genuine_duplicate_fails_clearly_without_a_search(self, x: XClient, fake_x: FakeX) -> None:
        fake_x.on("GET", "/2/media/upload", PHOTO_READY)
        fake_x.on("POST", "/2/tweets", DUPLICATE)
        with pytest.raises(TwitterRejectedError, match="made before this task") as err:
            x.posts.create("hi", ["11"])
        assert err.value.http_status == 403 and err.value.title == "Duplicate post"
        assert fake_x.sent("GET", "/2/users/me") == []

    def test_a_duplicate_after_a_retry_without_own_post_fails(self, x: XClient, fake_x: FakeX) -> None:
        fake_x.on("POST", "/2/tweets", (503, {"title": "Service Unavailable"}), DUPLICATE)
        fake_x.on("GET", "/2/users/me", ME)
        fake_x.on(
            "GET", TIMELINE, (200, {"data": [{"id": "5", "text": "hi", "created_at": "2020-01-01T00:00:00.000Z"}]})
        )
        with pytest.raises(TwitterApiError, match="Duplicate post"):
            x.posts.create("hi")

    def test_a_text_post_is_found_by_its_text_since_the_attempt_began(self, x: XClient, fake_x: FakeX) -> None:
        started = time.time() - 60
        fake_x.on("POST", "/2/tweets", requests.ConnectionError("reset"), DUPLICATE)
        fake_x.on("GET", "/2/users/me", ME)
        posts = [
            {"id": "1902", "text": "hello", "created_at": iso(started + 30)},
            {"id": "1901", "text": "hi", "created_at": iso(started + 20)},
            {"id": "1900", "text": "hi", "created_at": iso(started - 3600)},  # an older post with the same text
        ]
        fake_x.on("GET", TIMELINE, (200, {"data": posts}))
        assert x.posts.create("hi", earlier_attempt_since=started) == {
            "id": "1901",
            "text": "hi",
            "url": f"{X_POST}1901",
        }


class TestTimeline:
    def test_own_posts_since_keeps_the_posts_made_since(self, x: XClient, fake_x: FakeX) -> None:
        since = time.time() - 600
        fake_x.on("GET", "/2/users/me", ME)
        posts = [
            {"id": "3", "text": "new", "created_at": iso(since + 60)},
            {"id": "2", "text": "within the clock slack", "created_at": iso(since - 5)},
            {"id": "1", "text": "old", "created_at": iso(since - 3600)},
        ]
        fake_x.on("GET", TIMELINE, (200, {"data": posts, "meta": {"next_token": "more"}}))
        assert [p["id"] for p in x.posts.own_posts_since(since)] == ["3", "2"]
        (request,) = fake_x.sent("GET", TIMELINE)  # the page reached back past `since`: no next page
        assert query(request)["tweet.fields"] == ["created_at,attachments,referenced_tweets"]

    def test_the_search_reads_at_most_ten_pages(self, x: XClient, fake_x: FakeX) -> None:
        fake_x.on("GET", "/2/users/me", ME)
        page = {"data": [{"id": "9", "text": "recent", "created_at": now_iso()}], "meta": {"next_token": "next"}}
        fake_x.on("GET", TIMELINE, (200, page))
        assert x.posts.find_own_post("hi", [snowflake(hours_ago=1)]) is None
        assert len(fake_x.sent("GET", TIMELINE)) == TIMELINE_PAGES == 10


class TestDelete:
    POST = "/2/tweets/1800"
    NOT_FOUND = {"type": "https://api.twitter.com/2/problems/resource-not-found", "detail": "Could not find tweet"}

    def test_deleted_now(self, x: XClient, fake_x: FakeX) -> None:
        fake_x.on("DELETE", self.POST, (200, {"data": {"deleted": True}}))
        assert x.posts.delete("1800") is True

    @pytest.mark.parametrize(
        "answer",
        [(404, {"errors": [NOT_FOUND]}), (200, {"errors": [NOT_FOUND]})],
        ids=["404", "200 resource-not-found"],
    )
    def test_a_post_already_gone_is_no_error(self, x: XClient, fake_x: FakeX, answer: Any) -> None:
        """X documents neither answer for an id already deleted: a 404, or the partial error its GET gives."""
        fake_x.on("DELETE", self.POST, answer)
        assert x.posts.delete("1800") is False
        assert len(fake_x.sent("DELETE", self.POST)) == 1  # not retried

    def test_a_lost_answer_retried_finds_the_post_gone(self, x: XClient, fake_x: FakeX) -> None:
        fake_x.on("DELETE", self.POST, requests.ConnectionError("reset"), (404, {"errors": [self.NOT_FOUND]}))
        assert x.posts.delete("1800") is False
        assert len(fake_x.sent("DELETE", self.POST)) == 2

    def test_deleted_false_is_gone_when_x_cannot_find_the_post(self, x: XClient, fake_x: FakeX) -> None:
        fake_x.on("DELETE", self.POST, (200, {"data": {"deleted": False}}))
        fake_x.on("GET", self.POST, (200, {"errors": [self.NOT_FOUND]}))
        assert x.posts.delete("1800") is False

    def test_deleted_false_for_a_post_x_still_shows_fails_the_task(self, x: XClient, fake_x: FakeX) -> None:
        fake_x.on("DELETE", self.POST, (200, {"data": {"deleted": False}}))
        fake_x.on("GET", self.POST, (200, {"data": {"id": "1800", "text": "still here"}}))
        with pytest.raises(TwitterRejectedError, match="deleted: false for post 1800, and still shows it"):
            x.posts.delete("1800")

    def test_another_refusal_is_raised(self, x: XClient, fake_x: FakeX) -> None:
        fake_x.on("DELETE", self.POST, (403, {"detail": "You are not allowed to delete this Tweet.", "status": 403}))
        with pytest.raises(TwitterRejectedError, match="not allowed to delete"):
            x.posts.delete("1800")


def test_url_is_on_x_or_on_the_host_that_is_not_x() -> None:
    assert x_client().posts.url("1800") == "https://x.com/i/web/status/1800"
    emulator = x_client(base_url="http://127.0.0.1:8080")
    assert emulator.posts.url("1800") == "http://127.0.0.1:8080/i/web/status/1800"
