"""DeleteTweetOperator: what it hands the hook, what it returns and logs."""

from __future__ import annotations

from unittest import mock

import pytest

from airflow_provider.operators.delete import DeleteTweetOperator
from tests.unit.task_context import task_context


def test_delete_hands_the_posts_to_the_hook_and_returns_what_happened(
    hook_class: mock.MagicMock, hook: mock.MagicMock, capsys: pytest.CaptureFixture[str]
) -> None:
    hook.delete_tweet.return_value = {"deleted": ["1803", "1801"], "already_gone": ["1802"]}
    op = DeleteTweetOperator(task_id="clean_up", posts=["1801", "1802", "1803"], twitter_conn_id="x_prod")

    assert op.execute(task_context()) == hook.delete_tweet.return_value
    hook_class.assert_called_once_with("x_prod")
    hook.delete_tweet.assert_called_once_with(["1801", "1802", "1803"])
    out = capsys.readouterr().out  # structlog
    assert "Deleted post 1803" in out and "Deleted post 1801" in out
    assert "Already gone (deleted before): 1802" in out


def test_posts_is_templated() -> None:
    assert DeleteTweetOperator.template_fields == ("posts",)
