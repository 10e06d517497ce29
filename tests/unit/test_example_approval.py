"""The approval example's wait: it ends before the uploaded media expire, and a timeout says what happened."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any
from unittest import mock

import pytest

from airflow_provider.rules.receipt import MediaReceipt as MediaReceipt

hitl = pytest.importorskip("airflow.providers.standard.operators.hitl")  # Airflow 3.1+
approval = pytest.importorskip("dags.example_twitter_approval")


def approve(expires_in: float | None) -> Any:
    expires_at = None if expires_in is None else time.time() + expires_in
    media = MediaReceipt(media_id="1", state="pending", uploaded_at=time.time(), expires_at=expires_at).to_xcom()
    return approval.ApproveBeforeExpiry(task_id="approve", subject="Post?", media=media, max_wait=timedelta(hours=12))


def waited(expires_in: float | None) -> timedelta:
    """How long the approval waits for an answer, as the standard provider is told before it parks the task."""
    task = approve(expires_in)
    with mock.patch.object(hitl, "upsert_hitl_detail"), mock.patch.object(task, "defer"):
        try:
            task.execute({"task_instance": mock.Mock(id="ti"), "ti": mock.Mock()})
        except BaseException as parked:  # Airflow 3.3+ parks the task by raising TaskAwaitingInput
            if type(parked).__name__ != "TaskAwaitingInput":
                raise
    return task.response_timeout if hasattr(task, "response_timeout") else task.execution_timeout


def test_the_wait_is_the_full_timeout_when_the_media_outlive_it() -> None:
    assert waited(24 * 3600) == timedelta(hours=12)
    assert waited(None) == timedelta(hours=12)  # an upload output without expires_at: X's expiry unknown


def test_the_wait_ends_the_posting_margin_before_the_media_expire() -> None:
    wait = waited(3600)
    assert timedelta(minutes=49) < wait <= timedelta(minutes=50)  # 1 h left, minus the 10 min margin


def test_media_too_close_to_expiry_fail_before_asking() -> None:
    with mock.patch.object(hitl, "upsert_hitl_detail") as asked, pytest.raises(Exception, match="too soon to ask"):
        approve(300).execute({"task_instance": mock.Mock(id="ti"), "ti": mock.Mock()})
    asked.assert_not_called()


def test_a_timeout_fails_saying_nothing_is_posted() -> None:
    event = {"error": "The timeout has passed", "error_type": "timeout"}
    with pytest.raises(Exception, match="No one approved or rejected the post in time") as err:
        approve(24 * 3600).execute_complete({}, event)
    assert type(err.value).__name__ == "AirflowFailException"  # no retries: a retry would ask again, too late
