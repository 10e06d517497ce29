"""CreateTweetOperator: the post, its checks, and exactly one post when the task is retried."""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest

from airflow_provider.exceptions import TwitterInputError
from airflow_provider.operators.tweet import CreateTweetOperator
from tests.unit.fake_x import FakeX
from tests.unit.task_context import task_context

ME = (200, {"data": {"id": "42", "username": "newsroom"}})


@pytest.fixture(autouse=True)
def _conn(twitter_conn: dict[str, object]) -> None:
    pass


def test_tweet_returns_data_and_logs_url(fake_x: FakeX, capsys: pytest.CaptureFixture[str]) -> None:
    fake_x.on("GET", "/2/media/upload", (200, {"data": {"id": "123", "media_key": "7_123"}}))
    fake_x.on("POST", "/2/tweets", (201, {"data": {"id": "1800000000000000001", "text": "Hello"}}))
    op = CreateTweetOperator(task_id="post", text="Hello", media_ids=["123"])
    assert op.execute(task_context()) == {"id": "1800000000000000001", "text": "Hello"}
    assert "Posted https://x.com/i/web/status/1800000000000000001" in capsys.readouterr().out  # structlog


def test_tweet_with_five_media_sends_nothing(fake_x: FakeX) -> None:
    op = CreateTweetOperator(task_id="post", text="Hello", media_ids=["1", "2", "3", "4", "5"])
    with pytest.raises(TwitterInputError, match="at most 4"):
        op.execute(task_context())
    assert fake_x.requests == []


def test_hook_params_reach_the_hook() -> None:
    op = CreateTweetOperator(task_id="post", text="Hi", hook_params={"timeout": 5, "max_attempts": 2})
    assert (op.hook.timeout, op.hook.max_attempts) == (5, 2)


def test_templated_arguments_are_not_checked_at_parse_time() -> None:
    post = CreateTweetOperator(task_id="post", text="{{ params.text }}", media_ids="{{ ti.xcom_pull('upload') }}")
    assert post.media_ids == "{{ ti.xcom_pull('upload') }}"


def test_template_fields() -> None:
    assert CreateTweetOperator.template_fields == ("text", "media_ids", "community_id", "in_reply_to_tweet_id")


def test_post_options_reach_x(fake_x: FakeX) -> None:
    fake_x.on("POST", "/2/tweets", (201, {"data": {"id": "1902", "text": "Hello"}}))
    op = CreateTweetOperator(
        task_id="post", text="Hello", reply_settings="following", made_with_ai=True, in_reply_to_tweet_id="1800"
    )
    op.execute(task_context())
    assert json.loads(fake_x.requests[0].body or b"") == {
        "text": "Hello",
        "reply_settings": "following",
        "made_with_ai": True,
        "reply": {"in_reply_to_tweet_id": "1800"},
    }


def test_bad_option_fails_the_dag_at_parse_time() -> None:
    with pytest.raises(TwitterInputError, match="reply_settings must be one of"):
        CreateTweetOperator(task_id="post", text="Hello", reply_settings="nobody")


def test_retried_task_adopts_the_post_its_earlier_try_made(fake_x: FakeX) -> None:
    """Try 2 of a task whose first try died after X accepted the post: the post is found, none is made."""
    media_id = str(int((time.time() - 300) * 1000 - 1288834974657) << 22)
    image = {"media_id": media_id, "media_key": f"3_{media_id}", "state": "succeeded"}
    fake_x.on("GET", "/2/users/me", ME)
    ours = {"id": "1900", "text": "Hello https://t.co/x", "attachments": {"media_keys": [f"3_{media_id}"]}}
    fake_x.on("GET", "/2/users/42/tweets", (200, {"data": [ours]}))
    op = CreateTweetOperator(task_id="post", text="Hello", media_ids=[image])
    started = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=10)
    assert op.execute(task_context(try_number=2, run_started=started))["id"] == "1900"
    assert fake_x.sent("POST") == []


def test_first_try_posts_without_looking_back(fake_x: FakeX) -> None:
    fake_x.on("POST", "/2/tweets", (201, {"data": {"id": "1901", "text": "Hello"}}))
    assert CreateTweetOperator(task_id="post", text="Hello").execute(task_context())["id"] == "1901"
    assert [r.method for r in fake_x.requests] == ["POST"]
    assert json.loads(fake_x.requests[0].body or b"") == {"text": "Hello"}
