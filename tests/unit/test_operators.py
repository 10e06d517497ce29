from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from airflow_provider.exceptions import TwitterInputError
from airflow_provider.operators.media import MediaUploadOperator
from airflow_provider.operators.tweet import CreateTweetOperator
from tests.unit.fake_x import FakeX
from tests.unit.task_context import task_context

SAMPLE_VIDEO = Path(__file__).resolve().parents[2] / "dags" / "media" / "sample.mp4"


@pytest.fixture(autouse=True)
def _conn(twitter_conn: dict[str, object]) -> None:
    pass


def test_upload_returns_what_the_next_tasks_need(fake_x: FakeX) -> None:
    fake_x.on("POST", "/2/media/upload/initialize", (200, {"data": {"id": 1880028106020515840}}))
    fake_x.on("POST", "/2/media/upload/1880028106020515840/append", (200, {"data": {}}))
    finalize = {"data": {"id": "1880028106020515840", "processing_info": {"state": "pending", "check_after_secs": 1}}}
    fake_x.on("POST", "/2/media/upload/1880028106020515840/finalize", (200, finalize))
    op = MediaUploadOperator(task_id="upload", file_path=str(SAMPLE_VIDEO), chunk_size=16 * 1024)
    context = task_context()
    before = time.time()
    uploaded = op.execute(context)
    assert (uploaded["media_id"], uploaded["processing"]) == ("1880028106020515840", True)
    assert before + 1 <= uploaded["next_status_at"] <= time.time() + 1
    assert before <= uploaded["uploaded_at"] <= time.time()
    size = SAMPLE_VIDEO.stat().st_size
    assert len(fake_x.sent("POST", "/2/media/upload/1880028106020515840/append")) == -(-size // (16 * 1024))


def test_upload_bad_file_sends_nothing(fake_x: FakeX, tmp_path: Path) -> None:
    op = MediaUploadOperator(task_id="upload", file_path=str(tmp_path / "missing.mp4"))
    with pytest.raises(TwitterInputError, match="does not exist"):
        op.execute(task_context())
    assert fake_x.requests == []


@pytest.mark.parametrize(
    "bad",
    [
        {"chunk_size": 6 * 1024 * 1024},
        {"parallel_segments": 0},
        {"max_video_duration": "long"},
        {"twitter_conn_id": ""},
        {"hook_params": {"retries": 3}},
    ],
)
def test_upload_arguments_checked_at_parse_time(bad: dict[str, Any]) -> None:
    """The constructor refuses them (a DAG-parse error); templated arguments wait for execute."""
    with pytest.raises(TwitterInputError, match=next(iter(bad))):
        MediaUploadOperator(task_id="upload", file_path="{{ params.path }}", **bad)


def test_templated_arguments_are_not_checked_at_parse_time() -> None:
    op = MediaUploadOperator(task_id="upload", file_path="{{ params.path }}", media_type="{{ params.type }}")
    post = CreateTweetOperator(task_id="post", text="{{ params.text }}", media_ids="{{ ti.xcom_pull('upload') }}")
    assert (op.media_type, post.media_ids) == ("{{ params.type }}", "{{ ti.xcom_pull('upload') }}")


def test_upload_template_fields() -> None:
    assert set(MediaUploadOperator.template_fields) == {"file_path", "media_type", "media_category", "alt_text"}
    assert CreateTweetOperator.template_fields == ("text", "media_ids")


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
