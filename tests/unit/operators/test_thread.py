"""CreateThreadOperator: a chain of replies, checked first, resumed after a retry without posting an item twice."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any
from unittest import mock

import pytest

from airflow_provider.exceptions import TwitterApiError, TwitterInputError, TwitterRejectedError
from airflow_provider.operators.thread import CreateThreadOperator
from airflow_provider.rules.post_options import PostOptions
from airflow_provider.rules.receipt import MediaReceipt
from tests.unit.task_context import task_context, xcom_pushes

NOT_SUMMONED = (
    "Reply to this conversation is not allowed because you have not been mentioned or otherwise engaged by the "
    "author of the post you are replying to."
)
BEGAN = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=10)


def snowflake(minutes_ago: float) -> str:
    return str(int((time.time() - minutes_ago * 60) * 1000 - 1288834974657) << 22)


def image(media_id: str) -> dict[str, Any]:
    return {"media_id": media_id, "media_key": f"3_{media_id}", "state": "succeeded"}


def iso(minutes_ago: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(time.time() - minutes_ago * 60))


def created(*ids: str) -> list[dict[str, str]]:
    return [{"id": post_id, "text": "..."} for post_id in ids]


def posted(hook: mock.MagicMock) -> list[tuple[str, list[Any], str | None]]:
    """Each post the operator asked for: its text, its media as given, and the post it replies to."""
    calls = hook.create_tweet.call_args_list
    return [(c.args[0], c.args[1], c.kwargs["options"].in_reply_to_tweet_id) for c in calls]


PHOTO = snowflake(5)
ITEMS: list[Any] = [
    {"text": "One (1/4)", "media_ids": [image(PHOTO)]},
    "Two (2/4)",
    {"text": "Three (3/4)"},
    "Four (4/4)",
]


def test_items_are_posted_as_a_chain_of_replies(
    hook_class: mock.MagicMock, hook: mock.MagicMock, capsys: pytest.CaptureFixture[str]
) -> None:
    hook.create_tweet.side_effect = created("101", "102", "103", "104")
    op = CreateThreadOperator(task_id="thread", items=ITEMS, made_with_ai=True, hook_params={"max_attempts": 2})
    ids = op.execute(task_context(run_started=BEGAN, run_after=BEGAN))

    assert ids == ["101", "102", "103", "104"]
    hook_class.assert_called_once_with("twitter_default", max_attempts=2)
    parents = [None, "101", "102", "103"]
    texts = ["One (1/4)", "Two (2/4)", "Three (3/4)", "Four (4/4)"]
    media: list[list[Any]] = [[image(PHOTO)], [], [], []]
    assert hook.create_tweet.call_args_list == [
        mock.call(
            text,
            media_ids,
            check_media=False,  # checked once for the whole thread, below
            options=PostOptions(made_with_ai=True, in_reply_to_tweet_id=parent),
            earlier_attempt_since=None,  # a first try does not look back
        )
        for text, media_ids, parent in zip(texts, media, parents, strict=True)
    ]
    hook.check_media_postable.assert_called_once_with([MediaReceipt.parse(image(PHOTO))])
    hook.own_posts_since.assert_not_called()
    out = capsys.readouterr().out  # structlog
    assert "Posted item 1 of 4: https://x.com/i/web/status/101" in out
    assert "Posted item 4 of 4: https://x.com/i/web/status/104" in out


def test_retry_after_item_2_of_4_posts_items_3_and_4_only(
    hook: mock.MagicMock, capsys: pytest.CaptureFixture[str]
) -> None:
    """Try 2 of a task whose first try died after X accepted item 2: the account's posts show items 1 and 2 (and
    others), so only 3 and 4 are posted, 3 as the reply to item 2's post."""
    hook.own_posts_since.return_value = [
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
    ]
    hook.create_tweet.side_effect = created("203", "204")
    cleared = BEGAN + dt.timedelta(minutes=5)  # clearing the task restarts the run: run_after stays

    ids = CreateThreadOperator(task_id="thread", items=ITEMS).execute(
        task_context(try_number=2, run_started=cleared, run_after=BEGAN)
    )

    assert ids == ["201", "202", "203", "204"]
    hook.own_posts_since.assert_called_once_with(BEGAN.timestamp())
    assert posted(hook) == [("Three (3/4)", [], "202"), ("Four (4/4)", [], "203")]
    assert {c.kwargs["earlier_attempt_since"] for c in hook.create_tweet.call_args_list} == {BEGAN.timestamp()}
    hook.check_media_postable.assert_not_called()  # item 1's media are posted already
    assert (
        "An earlier try posted items 1 to 2 of 4 (last https://x.com/i/web/status/202); posting the rest."
        in capsys.readouterr().out
    )


@pytest.mark.parametrize(
    ("run_after", "run_started", "since"),
    [(None, BEGAN, BEGAN.timestamp()), (None, None, 0.0)],
)
def test_retry_looks_back_to_the_run_start_else_to_the_beginning(
    hook: mock.MagicMock, run_after: dt.datetime | None, run_started: dt.datetime | None, since: float
) -> None:
    hook.own_posts_since.return_value = []
    hook.create_tweet.side_effect = created("301", "302", "303", "304")
    context = task_context(try_number=2, run_started=run_started, run_after=run_after)

    assert CreateThreadOperator(task_id="thread", items=ITEMS).execute(context) == ["301", "302", "303", "304"]
    hook.own_posts_since.assert_called_once_with(since)
    assert [parent for _, _, parent in posted(hook)] == [None, "301", "302", "303"]
    hook.check_media_postable.assert_called_once_with([MediaReceipt.parse(image(PHOTO))])


def test_refused_reply_names_what_is_posted_and_what_is_not(hook: mock.MagicMock) -> None:
    refusal = TwitterRejectedError(endpoint="POST /2/tweets", http_status=403, title="Forbidden", detail=NOT_SUMMONED)
    hook.create_tweet.side_effect = [*created("401"), refusal]
    op = CreateThreadOperator(task_id="thread", items=ITEMS[:3])
    with pytest.raises(TwitterRejectedError) as err:
        op.execute(task_context())

    message = str(err.value)
    assert NOT_SUMMONED in message
    assert "Posted: item 1 https://x.com/i/web/status/401. Not posted: items 2 to 3." in message
    assert "post the rest by hand as replies to https://x.com/i/web/status/401" in message
    assert hook.create_tweet.call_count == 2  # item 3 is not tried after item 2 was refused


def test_transient_failure_part_way_is_retryable_and_says_so(hook: mock.MagicMock) -> None:
    hook.create_tweet.side_effect = [*created("501"), TwitterApiError(endpoint="POST /2/tweets", http_status=503)]
    with pytest.raises(TwitterApiError) as err:
        CreateThreadOperator(task_id="thread", items=ITEMS[:2]).execute(task_context())

    assert not isinstance(err.value, TwitterRejectedError)  # Airflow's retries apply, and resume after item 1
    assert "Not posted: item 2." in str(err.value) and "next try resumes after item 1" in str(err.value)


def test_failure_of_item_1_is_the_hooks_error_as_it_is(hook: mock.MagicMock) -> None:
    refusal = TwitterRejectedError(endpoint="POST /2/tweets", http_status=403, title="Forbidden")
    hook.create_tweet.side_effect = refusal
    with pytest.raises(TwitterRejectedError) as err:
        CreateThreadOperator(task_id="thread", items=ITEMS[:2]).execute(task_context())
    assert err.value is refusal


def test_media_of_every_item_is_checked_before_the_first_post(hook: mock.MagicMock) -> None:
    video = {"media_id": snowflake(2), "state": "pending"}
    hook.check_media_postable.side_effect = TwitterInputError(f"Media {video['media_id']} is still in_progress")
    items = ["First", {"text": "Clip", "media_ids": [video]}]
    with pytest.raises(TwitterInputError, match="still in_progress"):
        CreateThreadOperator(task_id="thread", items=items).execute(task_context())
    hook.check_media_postable.assert_called_once_with([MediaReceipt.parse(video)])
    hook.create_tweet.assert_not_called()


def test_a_bad_item_fails_before_any_post(hook_class: mock.MagicMock) -> None:
    with pytest.raises(TwitterInputError, match="Thread item 2 has unknown key"):
        CreateThreadOperator(task_id="thread", items=["First", {"txt": "Second"}]).execute(task_context())
    hook_class.assert_not_called()


def test_first_item_may_continue_an_existing_post(hook: mock.MagicMock) -> None:
    hook.create_tweet.side_effect = created("601", "602")
    CreateThreadOperator(task_id="thread", items=["a", "b"], in_reply_to_tweet_id=" 600 ").execute(task_context())
    assert posted(hook) == [("a", [], "600"), ("b", [], "601")]


def test_templated_items_are_checked_after_rendering(hook_class: mock.MagicMock) -> None:
    op = CreateThreadOperator(task_id="thread", items="{{ params.texts }}", in_reply_to_tweet_id="{{ params.to }}")
    context = task_context()
    context["params"] = {"texts": ["a", "b"], "to": "x"}
    op.render_template_fields(context)  # without native rendering, the list renders as its text
    with pytest.raises(TwitterInputError, match="items must be a non-empty list"):
        op.execute(context)
    op.items = ["a", "b"]
    with pytest.raises(TwitterInputError, match="in_reply_to_tweet_id must be an X id"):
        op.execute(context)
    hook_class.assert_not_called()


def test_template_fields_and_parse_time_options() -> None:
    assert CreateThreadOperator.template_fields == ("items", "in_reply_to_tweet_id")
    op = CreateThreadOperator(task_id="thread", items="{{ ti.xcom_pull('texts') }}")
    assert op.items == "{{ ti.xcom_pull('texts') }}"  # checked when the task runs, after rendering
    with pytest.raises(TwitterInputError, match="reply_settings must be one of"):
        CreateThreadOperator(task_id="thread", items=["a"], reply_settings="nobody")
    with pytest.raises(TwitterInputError, match="twitter_conn_id must name an Airflow connection"):
        CreateThreadOperator(task_id="thread", items=["a"], twitter_conn_id="my conn")


def test_what_is_posted_is_kept_as_it_goes_and_item_1_is_the_link(hook: mock.MagicMock) -> None:
    """XCom ``posted`` before the first post and after each, so that a clean-up task can delete a thread that
    stopped part-way; item 1's URL (from the hook, as the client makes it) once, for "View on X"."""
    hook.create_tweet.side_effect = [
        *created("101", "102"),
        TwitterRejectedError(endpoint="POST /2/tweets", http_status=403, title="Forbidden"),
    ]
    hook.post_url.side_effect = lambda post_id: f"http://emulator/i/web/status/{post_id}"
    context = task_context(run_started=BEGAN, run_after=BEGAN)

    with pytest.raises(TwitterRejectedError):
        CreateThreadOperator(task_id="thread", items=ITEMS).execute(context)

    assert xcom_pushes(context) == [
        mock.call(key="posted", value=[]),
        mock.call(key="posted", value=["101"]),
        mock.call(key="url", value="http://emulator/i/web/status/101"),
        mock.call(key="posted", value=["101", "102"]),
    ]


def test_a_retry_keeps_the_earlier_items_and_links_item_1_at_once(hook: mock.MagicMock) -> None:
    hook.own_posts_since.return_value = [{"id": "201", "text": "One", "created_at": iso(3)}]
    hook.create_tweet.side_effect = created("202")
    hook.post_url.return_value = "https://x.com/i/web/status/201"
    context = task_context(try_number=2, run_started=BEGAN, run_after=BEGAN)

    CreateThreadOperator(task_id="thread", items=["One", "Two"]).execute(context)

    assert xcom_pushes(context) == [
        mock.call(key="posted", value=["201"]),
        mock.call(key="url", value="https://x.com/i/web/status/201"),
        mock.call(key="posted", value=["201", "202"]),
    ]
    hook.post_url.assert_called_once_with("201")
