"""X's processing of uploaded media read one way for the upload, the sensor, the trigger and the post; and how old a
media id is, read from the id itself."""

from __future__ import annotations

import time
from typing import Any

import pytest

from airflow_provider.exceptions import TwitterApiError, TwitterInputError, TwitterRejectedError
from airflow_provider.rules.media import IMAGE, VIDEO
from airflow_provider.rules.processing import ProcessingStatus, minted_at, unknown_media, uploaded_ago

SNOWFLAKE_EPOCH_MS = 1288834974657


def snowflake(hours_ago: float) -> str:
    """A media id X would have minted ``hours_ago``."""
    return str(int((time.time() - hours_ago * 3600) * 1000 - SNOWFLAKE_EPOCH_MS) << 22)


def test_no_processing_info_means_nothing_to_wait_for() -> None:
    """An image's FINALIZE: done, with its kind from the answer."""
    status = ProcessingStatus.from_media({"id": "11", "image": {"image_type": "image/png"}})
    assert (status.media_id, status.state, status.succeeded, status.failed, status.kind) == (
        "11",
        "succeeded",
        True,
        False,
        IMAGE,
    )
    status.require_succeeded("unused")


def test_an_answer_in_processing_is_read_whole() -> None:
    data = {
        "media_id_string": "7",
        "media_key": "7_7",
        "processing_info": {"state": "in_progress", "check_after_secs": 5, "progress_percent": 40},
    }
    status = ProcessingStatus.from_media(data)
    assert (status.media_id, status.state, status.check_after_secs, status.progress_percent) == (
        "7",
        "in_progress",
        5,
        40,
    )
    assert (status.succeeded, status.failed, status.kind, status.data) == (False, False, VIDEO, data)
    assert status.describe() == "media 7 is in_progress 40%"
    assert (
        ProcessingStatus.from_media({"id": 7, "processing_info": {}}).state == "succeeded"
    )  # empty: nothing to wait for
    assert ProcessingStatus.from_media({"id": "7", "processing_info": {"check_after_secs": 1}}).describe() == (
        "media 7 is pending"
    )


@pytest.mark.parametrize(
    ("info", "text"),
    [
        (
            {"state": "failed", "error": {"name": "InvalidMedia", "message": "Unsupported video format"}},
            "InvalidMedia: Unsupported video format",
        ),
        ({"state": "in_progress", "error": {"code": 1}}, "{'code': 1}"),  # an error while in progress is final too
        ({"state": "failed"}, "processing failed without an error from X"),
    ],
)
def test_a_failure_is_final_and_names_xs_error(info: dict[str, Any], text: str) -> None:
    status = ProcessingStatus.from_media({"id": "7", "processing_info": info})
    assert status.failed and not status.succeeded
    assert status.error_text == text and status.failure == f"X could not process media 7: {text}"
    with pytest.raises(TwitterInputError, match=r"^X could not process media 7"):
        status.require_succeeded("wait for it")


@pytest.mark.parametrize(
    ("info", "may"),
    [
        ({"state": "failed", "error": {"code": 1, "name": "InvalidMedia", "message": "Unsupported gif format"}}, True),
        ({"state": "in_progress", "error": {"code": 1, "name": "InvalidMedia"}}, True),  # X's stuck failure
        ({"state": "failed", "error": {"code": 3, "name": "UnsupportedMedia", "message": "Duration ..."}}, False),
        ({"state": "failed"}, False),
        ({"state": "in_progress"}, False),
    ],
)
def test_only_unreadable_media_may_come_from_segment_order(info: dict[str, Any], may: bool) -> None:
    assert ProcessingStatus.from_media({"id": "1", "processing_info": info}).may_come_from_segment_order is may


def test_media_still_processing_is_refused_with_the_advice() -> None:
    status = ProcessingStatus.from_media({"id": "7", "processing_info": {"state": "pending"}})
    with pytest.raises(TwitterInputError, match=r"^Media 7 is still pending; put the sensor first$"):
        status.require_succeeded("put the sensor first")


def test_minted_at_reads_a_recent_snowflake() -> None:
    assert minted_at(snowflake(hours_ago=2)) == pytest.approx(time.time() - 7200, abs=1)


@pytest.mark.parametrize("media_id", ["12a", "", snowflake(hours_ago=24 * 16), snowflake(hours_ago=-1)])
def test_an_id_no_live_media_can_have_was_minted_at_no_known_time(media_id: str) -> None:
    """Older than 15 days (the longest a media id lives), from the future, or no number at all."""
    assert minted_at(media_id) is None


def test_uploaded_ago_from_the_upload_record_else_the_id() -> None:
    assert uploaded_ago("12a", uploaded_at=time.time() - 25 * 3600) == "25.0 h ago"
    assert uploaded_ago(snowflake(hours_ago=0.5)) == "30 min ago"
    assert uploaded_ago("12a") == "at an unknown time (the id is not one X minted in the last 15 days)"


def test_unknown_media_says_expired_when_and_what_to_do() -> None:
    refusal = TwitterRejectedError(
        endpoint="GET /2/media/upload", http_status=400, detail="Not found", errors=[{"message": "BadRequest"}]
    )
    error = unknown_media("7", refusal, uploaded_at=time.time() - 25 * 3600)
    assert isinstance(error, TwitterRejectedError)
    assert (error.endpoint, error.http_status, error.title) == (
        "GET /2/media/upload",
        400,
        "Media 7 has expired or is unknown to X",
    )
    assert error.detail == "it was uploaded 25.0 h ago"
    assert error.errors == [{"message": "Not found"}, {"message": "BadRequest"}]
    assert "upload it again" in str(error)


def test_unknown_media_keeps_an_error_without_detail_short() -> None:
    error = unknown_media("7", TwitterApiError(endpoint="GET /2/media/upload", http_status=404))
    assert error.errors == []
