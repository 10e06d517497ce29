# mypy: disable-error-code="arg-type"
# (XComArgs fill templated arguments typed as their rendered value.)
"""The posts an upload feeds, checked before it uploads, rendered for the run, with the post's own check."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from airflow.providers.common.compat.sdk import DAG

from airflow_provider.exceptions import TwitterInputError
from airflow_provider.operators.media import MediaUploadOperator
from airflow_provider.operators.post_checks import check_downstream_posts, media_count, not_yet_known
from airflow_provider.operators.thread import CreateThreadOperator
from airflow_provider.operators.tweet import CreateTweetOperator
from tests.unit.task_context import task_context

IMAGE = Path(__file__).resolve().parents[3] / "dags" / "media"


def context(**params: Any) -> Any:
    return {**task_context(), "params": params}


def dag() -> DAG:
    return DAG("posts", schedule=None, start_date=dt.datetime(2026, 1, 1))


def test_a_post_is_checked_as_rendered_for_the_run_with_its_media_count(hook: mock.MagicMock) -> None:
    with dag():
        upload = MediaUploadOperator(task_id="upload", file_path="x.png")
        other = MediaUploadOperator(task_id="other", file_path="y.png")
        CreateTweetOperator(task_id="post", text="{{ params.text }}!", media_ids=[upload.output, other.output])
        CreateTweetOperator(task_id="unrelated", text="no media")
    check_downstream_posts(upload, context(text="hello"))
    hook.check_post.assert_called_once_with("hello!", 2)


def test_a_refusal_names_the_post_the_param_and_that_nothing_was_uploaded(hook: mock.MagicMock) -> None:
    hook.check_post.side_effect = TwitterInputError("The post text is 300 characters as X counts them; …")
    with dag():
        upload = MediaUploadOperator(task_id="upload", file_path="x.png")
        CreateTweetOperator(task_id="post", text="{{ params.text }}", media_ids=[upload.output])
    with pytest.raises(TwitterInputError) as raised:
        check_downstream_posts(upload, context(text="x" * 300))
    message = str(raised.value)
    assert message.startswith("Post task 'post' cannot be made, so nothing was uploaded for it: The post text is 300")
    assert "text came from DAG param 'text' ('{{ params.text }}' rendered 'xxx" in message


def test_options_are_checked_as_rendered(hook: mock.MagicMock) -> None:
    with dag():
        upload = MediaUploadOperator(task_id="upload", file_path="x.png")
        CreateTweetOperator(
            task_id="post", text="hi", media_ids=[upload.output], in_reply_to_tweet_id="{{ params.parent }}"
        )
    with pytest.raises(TwitterInputError, match=r"in_reply_to_tweet_id must be an X id .* got 'the last post'"):
        check_downstream_posts(upload, context(parent="the last post"))


def test_what_upstream_tasks_leave_is_left_to_the_post(hook: mock.MagicMock) -> None:
    with dag():
        upload = MediaUploadOperator(task_id="upload", file_path="x.png")
        writer = MediaUploadOperator(task_id="writer", file_path="y.png")
        CreateTweetOperator(task_id="a", text=writer.output, media_ids=upload.output)
        CreateTweetOperator(task_id="b", text="{{ ti.xcom_pull('writer') }}", media_ids=[upload.output])
        CreateTweetOperator(task_id="c", text="mapped", media_ids=upload.output, in_reply_to_tweet_id=writer.output)
    check_downstream_posts(upload, context())
    hook.check_post.assert_called_once_with("mapped", None)  # a mapped upload's count is known only at the post


def test_each_literal_thread_item_is_checked(hook: mock.MagicMock) -> None:
    with dag():
        upload = MediaUploadOperator(task_id="upload", file_path="x.png")
        items = ["{{ params.first }}", {"text": "second", "media_ids": [upload.output]}, 5]
        CreateThreadOperator(task_id="thread", items=items)
        CreateThreadOperator(task_id="from_xcom", items=upload.output)
    check_downstream_posts(upload, context(first="one"))
    assert hook.check_post.call_args_list == [mock.call("one", 0), mock.call("second", 1)]


def test_a_thread_item_refused_is_named(hook: mock.MagicMock) -> None:
    hook.check_post.side_effect = [None, TwitterInputError("5 media ids given; a post carries at most 4.")]
    with dag():
        upload = MediaUploadOperator(task_id="upload", file_path="x.png")
        CreateThreadOperator(task_id="thread", items=["one", {"text": "two", "media_ids": [upload.output] * 5}])
    with pytest.raises(TwitterInputError, match=r"^Post task 'thread' cannot .*: Thread item 2: 5 media ids given"):
        check_downstream_posts(upload, context())


@pytest.mark.parametrize(
    ("value", "unknown"),
    [("{{ params.x }}", False), ("{{ ti.xcom_pull('a') }}", True), ("plain ti text", False), ({"a": ["b"]}, False)],
)
def test_not_yet_known(value: Any, unknown: bool) -> None:
    assert not_yet_known(value) is unknown


def test_media_count() -> None:
    assert (media_count(None), media_count(["1", "2"]), media_count("{{ x }}")) == (0, 2, None)
