"""MediaUploadOperator: what it checks before any request, and what it hands to the next tasks."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from airflow_provider.exceptions import TwitterInputError
from airflow_provider.operators.media import MediaUploadOperator
from tests.unit.fake_x import FakeX
from tests.unit.task_context import task_context

SAMPLE_VIDEO = Path(__file__).resolve().parents[3] / "dags" / "media" / "sample.mp4"


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
    assert (uploaded["media_id"], uploaded["state"]) == ("1880028106020515840", "pending")
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
    assert op.media_type == "{{ params.type }}"


def test_template_fields() -> None:
    assert set(MediaUploadOperator.template_fields) == {
        "file_path",
        "media_type",
        "media_category",
        "alt_text",
        "found_media_origin",
    }
