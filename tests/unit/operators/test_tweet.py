"""CreateTweetOperator: what it asks the hook to post, with which options, and when it says an earlier try may have
posted already (the hook then finds that post instead of posting again)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

import pytest
from airflow.providers.common.compat.sdk import AirflowFailException

from airflow_provider.exceptions import TwitterInputError, TwitterRejectedError
from airflow_provider.operators.tweet import CreateTweetOperator
from airflow_provider.rules.post_options import PostOptions
from tests.unit.task_context import task_context, xcom_pushes

IMAGE = {"media_id": "1880028106020515841", "media_key": "3_1880028106020515841", "state": "succeeded"}


def test_tweet_returns_the_post_and_logs_its_url(
    hook_class: mock.MagicMock, hook: mock.MagicMock, capsys: pytest.CaptureFixture[str]
) -> None:
    hook.create_tweet.return_value = {
        "id": "1800000000000000001",
        "text": "Hello",
        "url": "https://x.com/i/web/status/1800000000000000001",
    }
    op = CreateTweetOperator(task_id="post", text="Hello", media_ids=[IMAGE, "123"])
    context = task_context()

    assert op.execute(context) == hook.create_tweet.return_value
    # The URL the client made is the task page's "View on X" link (ViewOnXLink reads XCom ``url``).
    assert xcom_pushes(context) == [mock.call(key="url", value="https://x.com/i/web/status/1800000000000000001")]
    assert [link.name for link in op.operator_extra_links] == ["View on X"]
    hook_class.assert_called_once_with("twitter_default")
    # The receipts go as they are: from them the hook knows which media need no STATUS.
    hook.create_tweet.assert_called_once_with(
        "Hello", [IMAGE, "123"], options=PostOptions(), earlier_attempt_since=None
    )
    assert "Posted https://x.com/i/web/status/1800000000000000001" in capsys.readouterr().out  # structlog


def test_hook_params_reach_the_hook(hook_class: mock.MagicMock) -> None:
    op = CreateTweetOperator(
        task_id="post", text="Hi", twitter_conn_id="x_prod", hook_params={"timeout": 5, "max_attempts": 2}
    )
    assert op.hook is hook_class.return_value
    hook_class.assert_called_once_with("x_prod", timeout=5, max_attempts=2)


def test_post_options_reach_the_hook(hook: mock.MagicMock) -> None:
    hook.create_tweet.return_value = {"id": "1902", "text": "Hello", "url": "https://x.com/i/web/status/1902"}
    CreateTweetOperator(
        task_id="post",
        text="Hello",
        reply_settings="following",
        made_with_ai=True,
        paid_partnership=False,
        community_id="1700",
        share_with_followers=True,
        in_reply_to_tweet_id="1800",
    ).execute(task_context())
    assert hook.create_tweet.call_args.kwargs["options"] == PostOptions(
        reply_settings="following",
        made_with_ai=True,
        paid_partnership=False,
        community_id="1700",
        share_with_followers=True,
        in_reply_to_tweet_id="1800",
    )


def test_empty_rendered_ids_are_no_option(hook: mock.MagicMock) -> None:
    """A template that renders to "" (no community, no post to reply to) leaves the option out."""
    hook.create_tweet.return_value = {"id": "1903", "text": "Hello", "url": "https://x.com/i/web/status/1903"}
    CreateTweetOperator(task_id="post", text="Hello", community_id="", in_reply_to_tweet_id="").execute(task_context())
    assert hook.create_tweet.call_args.kwargs["options"] == PostOptions()


def test_templated_option_is_checked_after_rendering(hook: mock.MagicMock) -> None:
    op = CreateTweetOperator(task_id="post", text="Hello", in_reply_to_tweet_id="{{ params.parent }}")
    context = task_context()
    context["params"] = {"parent": "not an id"}
    op.render_template_fields(context)
    with pytest.raises(TwitterInputError, match="in_reply_to_tweet_id must be an X id"):
        op.execute(context)
    hook.create_tweet.assert_not_called()


def test_first_try_posts_without_looking_back(hook: mock.MagicMock) -> None:
    hook.create_tweet.return_value = {"id": "1901", "text": "Hello", "url": "https://x.com/i/web/status/1901"}
    started = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=10)
    CreateTweetOperator(task_id="post", text="Hello").execute(task_context(run_started=started))
    assert hook.create_tweet.call_args.kwargs["earlier_attempt_since"] is None


def test_retried_task_says_since_when_an_earlier_try_may_have_posted(hook: mock.MagicMock) -> None:
    """Try 2 of a task whose first try may have died after X accepted the post: the hook looks for that post among
    the account's posts since the DAG run was due (run_after, kept when the task is cleared, unlike start_date), and
    returns it instead of posting again."""
    hook.create_tweet.return_value = {
        "id": "1900",
        "text": "Hello https://t.co/x",
        "url": "https://x.com/i/web/status/1900",
    }
    due = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=30)
    cleared = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    op = CreateTweetOperator(task_id="post", text="Hello", media_ids=[IMAGE])
    assert op.execute(task_context(try_number=2, run_started=cleared, run_after=due))["id"] == "1900"
    hook.create_tweet.assert_called_once_with(
        "Hello", [IMAGE], options=PostOptions(), earlier_attempt_since=due.timestamp()
    )


def test_retry_in_a_run_without_start_looks_back_to_the_beginning(hook: mock.MagicMock) -> None:
    hook.create_tweet.return_value = {"id": "1900", "text": "Hello", "url": "https://x.com/i/web/status/1900"}
    CreateTweetOperator(task_id="post", text="Hello").execute(task_context(try_number=3))
    assert hook.create_tweet.call_args.kwargs["earlier_attempt_since"] == 0.0


def test_x_refusing_the_post_fails_without_retry(hook: mock.MagicMock) -> None:
    """The hook's refusal reaches Airflow as it is: an AirflowFailException, which Airflow does not retry."""
    refusal = TwitterRejectedError(endpoint="POST /2/tweets", http_status=403, title="Forbidden", detail="Duplicate")
    hook.create_tweet.side_effect = refusal
    with pytest.raises(TwitterRejectedError) as err:
        CreateTweetOperator(task_id="post", text="Hello").execute(task_context())
    assert err.value is refusal and isinstance(err.value, AirflowFailException)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"reply_settings": "nobody"}, "reply_settings must be one of"),
        ({"made_with_ai": "yes"}, "made_with_ai must be True, False or None"),
        ({"paid_partnership": 1}, "paid_partnership must be True, False or None"),
        ({"hook_params": {"retries": 3}}, "hook_params has unknown key"),
    ],
)
def test_bad_argument_fails_the_dag_at_parse_time(bad: dict[str, Any], message: str) -> None:
    with pytest.raises(TwitterInputError, match=message):
        CreateTweetOperator(task_id="post", text="Hello", **bad)


def test_templated_arguments_are_not_checked_at_parse_time() -> None:
    post = CreateTweetOperator(task_id="post", text="{{ params.text }}", media_ids="{{ ti.xcom_pull('upload') }}")
    assert post.media_ids == "{{ ti.xcom_pull('upload') }}"


def test_template_fields() -> None:
    assert CreateTweetOperator.template_fields == ("text", "media_ids", "community_id", "in_reply_to_tweet_id")
