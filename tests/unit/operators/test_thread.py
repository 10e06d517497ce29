"""CreateThreadOperator: a chain of replies, checked first, resumed after a retry without posting an item twice."""

from __future__ import annotations

import datetime as dt
import json
import time
from typing import Any, cast
from unittest import mock

import pytest

from airflow_provider.exceptions import TwitterApiError, TwitterInputError, TwitterRejectedError
from airflow_provider.operators.thread import CreateThreadOperator
from airflow_provider.rules.threads import parse_thread, posted_chain
from tests.unit.fake_x import FakeX

ME = (200, {"data": {"id": "42", "username": "newsroom"}})
NOT_SUMMONED = (
    "Reply to this conversation is not allowed because you have not been mentioned or otherwise engaged by the "
    "author of the post you are replying to."
)


@pytest.fixture(autouse=True)
def _conn(twitter_conn: dict[str, object]) -> None:
    pass


def context(try_number: int = 1) -> Any:
    """A task context whose DAG run began 10 minutes ago (``run_after`` and ``start_date``)."""
    began = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=10)
    return cast(Any, {"ti": mock.Mock(try_number=try_number), "dag_run": mock.Mock(run_after=began, start_date=began)})


def snowflake(minutes_ago: float) -> str:
    return str(int((time.time() - minutes_ago * 60) * 1000 - 1288834974657) << 22)


def image(media_id: str) -> dict[str, Any]:
    return {"media_id": media_id, "media_key": f"3_{media_id}", "state": "succeeded"}


def iso(minutes_ago: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(time.time() - minutes_ago * 60))


def sent_bodies(fake_x: FakeX) -> list[dict[str, Any]]:
    return [json.loads(r.body or b"") for r in fake_x.sent("POST", "/2/tweets")]


def created(*ids: str) -> list[tuple[int, Any]]:
    return [(201, {"data": {"id": post_id, "text": "..."}}) for post_id in ids]


PHOTO = snowflake(5)
ITEMS: list[Any] = [
    {"text": "One (1/4)", "media_ids": [image(PHOTO)]},
    "Two (2/4)",
    {"text": "Three (3/4)"},
    "Four (4/4)",
]


def test_items_are_posted_as_a_chain_of_replies(fake_x: FakeX) -> None:
    fake_x.on("POST", "/2/tweets", *created("101", "102", "103", "104"))
    ids = CreateThreadOperator(task_id="thread", items=ITEMS, made_with_ai=True).execute(context())

    assert ids == ["101", "102", "103", "104"]
    assert sent_bodies(fake_x) == [
        {"text": "One (1/4)", "made_with_ai": True, "media": {"media_ids": [PHOTO]}},
        {"text": "Two (2/4)", "made_with_ai": True, "reply": {"in_reply_to_tweet_id": "101"}},
        {"text": "Three (3/4)", "made_with_ai": True, "reply": {"in_reply_to_tweet_id": "102"}},
        {"text": "Four (4/4)", "made_with_ai": True, "reply": {"in_reply_to_tweet_id": "103"}},
    ]
    assert fake_x.sent("GET") == []  # a first try does not look back, and images need no STATUS


def test_retry_after_item_2_of_4_posts_items_3_and_4_only(fake_x: FakeX) -> None:
    """Try 2 of a task whose first try died after X accepted item 2: the account's posts show items 1 and 2 (and
    others), so only 3 and 4 are posted, 3 as the reply to item 2's post."""
    fake_x.on("GET", "/2/users/me", ME)
    timeline = [
        {"id": "99", "text": "Two (2/4)", "created_at": iso(1)},  # the same text, but no reply to item 1: not item 2
        {
            "id": "202",
            "text": "Two (2/4)",
            "created_at": iso(2),
            "referenced_tweets": [{"type": "replied_to", "id": "201"}],
        },
        {
            "id": "201",
            "text": "One (1/4) https://t.co/x",
            "created_at": iso(3),
            "attachments": {"media_keys": [f"3_{PHOTO}"]},
        },
        {"id": "150", "text": "Yesterday's news", "created_at": iso(60 * 24)},
    ]
    fake_x.on("GET", "/2/users/42/tweets", (200, {"data": timeline, "meta": {"result_count": 4}}))
    fake_x.on("POST", "/2/tweets", *created("203", "204"))

    ids = CreateThreadOperator(task_id="thread", items=ITEMS).execute(context(try_number=2))

    assert ids == ["201", "202", "203", "204"]
    assert sent_bodies(fake_x) == [
        {"text": "Three (3/4)", "reply": {"in_reply_to_tweet_id": "202"}},
        {"text": "Four (4/4)", "reply": {"in_reply_to_tweet_id": "203"}},
    ]
    (read,) = fake_x.sent("GET", "/2/users/42/tweets")
    assert "referenced_tweets" in (read.url or "")


def test_retry_with_nothing_posted_posts_every_item(fake_x: FakeX) -> None:
    fake_x.on("GET", "/2/users/me", ME)
    fake_x.on("GET", "/2/users/42/tweets", (200, {"meta": {"result_count": 0}}))
    fake_x.on("POST", "/2/tweets", *created("301", "302", "303", "304"))
    assert CreateThreadOperator(task_id="thread", items=ITEMS).execute(context(try_number=2)) == [
        "301",
        "302",
        "303",
        "304",
    ]
    assert len(fake_x.sent("POST")) == 4


def test_refused_reply_names_what_is_posted_and_what_is_not(fake_x: FakeX) -> None:
    refusal = (403, {"title": "Forbidden", "type": "about:blank", "status": 403, "detail": NOT_SUMMONED})
    fake_x.on("POST", "/2/tweets", *created("401"), refusal)
    op = CreateThreadOperator(task_id="thread", items=ITEMS[:3])
    with pytest.raises(TwitterRejectedError) as err:
        op.execute(context())

    message = str(err.value)
    assert NOT_SUMMONED in message
    assert "Posted: item 1 https://x.com/i/web/status/401. Not posted: items 2 to 3." in message
    assert "post the rest by hand as replies to https://x.com/i/web/status/401" in message
    assert len(fake_x.sent("POST")) == 2  # no retry of a refusal


def test_transient_failure_part_way_is_retryable_and_says_so(fake_x: FakeX) -> None:
    fake_x.on("POST", "/2/tweets", *created("501"), (503, {"title": "Service Unavailable"}))
    op = CreateThreadOperator(task_id="thread", items=ITEMS[:2], hook_params={"max_attempts": 1})
    with pytest.raises(TwitterApiError) as err:
        op.execute(context())

    assert not isinstance(err.value, TwitterRejectedError)  # Airflow's retries apply, and resume after item 1
    assert "Not posted: item 2." in str(err.value) and "next try resumes after item 1" in str(err.value)


def test_media_of_every_item_is_checked_before_the_first_post(fake_x: FakeX) -> None:
    video = snowflake(2)
    processing = {"data": {"id": video, "media_key": f"7_{video}", "processing_info": {"state": "in_progress"}}}
    fake_x.on("GET", "/2/media/upload", (200, processing))
    items = ["First", {"text": "Clip", "media_ids": [{"media_id": video, "state": "pending"}]}]
    with pytest.raises(TwitterInputError, match="still in_progress"):
        CreateThreadOperator(task_id="thread", items=items).execute(context())
    assert fake_x.sent("POST") == []


def test_first_item_may_continue_an_existing_post(fake_x: FakeX) -> None:
    fake_x.on("POST", "/2/tweets", *created("601", "602"))
    CreateThreadOperator(task_id="thread", items=["a", "b"], in_reply_to_tweet_id=" 600 ").execute(context())
    assert [b.get("reply") for b in sent_bodies(fake_x)] == [
        {"in_reply_to_tweet_id": "600"},
        {"in_reply_to_tweet_id": "601"},
    ]


def test_template_fields_and_parse_time_options() -> None:
    assert CreateThreadOperator.template_fields == ("items", "in_reply_to_tweet_id")
    op = CreateThreadOperator(task_id="thread", items="{{ ti.xcom_pull('texts') }}")
    assert op.items == "{{ ti.xcom_pull('texts') }}"  # checked when the task runs, after rendering
    with pytest.raises(TwitterInputError, match="reply_settings must be one of"):
        CreateThreadOperator(task_id="thread", items=["a"], reply_settings="nobody")


class TestPostedChain:
    """What a retry takes as already posted: always a prefix of the thread, each item linked to the one before."""

    items = parse_thread(["root", {"text": "media", "media_ids": ["7"]}, "last"])

    def test_stops_at_the_first_missing_item(self) -> None:
        posts: list[dict[str, Any]] = [
            {"id": "10", "text": "root"},
            {"id": "12", "text": "last", "referenced_tweets": [{"type": "replied_to", "id": "11"}]},
        ]
        assert posted_chain(self.items, posts, None) == ["10"]  # item 3 replies to an item 2 that is not there

    def test_a_reply_needs_the_right_parent_and_media(self) -> None:
        posts: list[dict[str, Any]] = [
            {"id": "10", "text": "root"},
            {"id": "11", "text": "media", "referenced_tweets": [{"type": "replied_to", "id": "10"}]},  # no media
            {
                "id": "13",
                "text": "x",
                "referenced_tweets": [{"type": "replied_to", "id": "10"}],
                "attachments": {"media_keys": ["3_7"]},
            },
        ]
        assert posted_chain(self.items, posts, None) == ["10", "13"]

    def test_root_continuing_a_post_must_reply_to_it(self) -> None:
        alone: list[dict[str, Any]] = [{"id": "10", "text": "root"}]
        assert posted_chain(self.items, alone, "5") == []
        replying: list[dict[str, Any]] = [
            {"id": "10", "text": "root", "referenced_tweets": [{"type": "replied_to", "id": "5"}]}
        ]
        assert posted_chain(self.items, replying, "5") == ["10"]

    def test_a_root_with_a_url_is_known_by_its_text_as_x_reads_it_back(self) -> None:
        items = parse_thread(["Read it at example.com/notes today", "more"])
        posts: list[dict[str, Any]] = [{"id": "10", "text": "Read it at https://t.co/AbC123 today"}]
        assert posted_chain(items, posts, None) == ["10"]
        other: list[dict[str, Any]] = [{"id": "11", "text": "Read it at https://t.co/AbC123 tomorrow"}]
        assert posted_chain(items, other, None) == []
