"""MediaUploadOperator: what it checks before the hook is built, what it asks the hook, and the receipt it returns."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any
from unittest import mock

import pytest

from airflow_provider.exceptions import TwitterInputError
from airflow_provider.operators.media import MediaUploadOperator
from airflow_provider.rules.metadata import MediaMetadata
from tests.unit.mp4 import mp4
from tests.unit.task_context import FakeTaskStateStore, task_context

MEDIA = Path(__file__).resolve().parents[3] / "dags" / "media"
VIDEO_ID = "1880028106020515840"


def test_video_upload_returns_the_receipt_the_next_tasks_need(hook_class: mock.MagicMock, hook: mock.MagicMock) -> None:
    hook.upload_media.return_value = {
        "id": VIDEO_ID,
        "media_key": f"7_{VIDEO_ID}",
        "expires_after_secs": 86400,
        "processing_info": {"state": "pending", "check_after_secs": 1},
    }
    op = MediaUploadOperator(
        task_id="upload",
        file_path=str(MEDIA / "sample.mp4"),
        chunk_size=16 * 1024,
        parallel_segments=2,
        twitter_conn_id="x_prod",
        hook_params={"max_attempts": 2},
    )
    before = time.time()
    receipt = op.execute(task_context())
    after = time.time()

    hook_class.assert_called_once_with("x_prod", max_attempts=2)
    (media,), kwargs = hook.upload_media.call_args
    assert (media.path, media.size, media.media_type, media.media_category) == (
        str(MEDIA / "sample.mp4"),
        (MEDIA / "sample.mp4").stat().st_size,
        "video/mp4",
        "tweet_video",
    )
    # Airflow before 3.3 (no task state store in the context): no journal, the upload as it always was.
    assert kwargs == {"chunk_size": 16 * 1024, "parallel_segments": 2, "metadata": MediaMetadata(), "journal": None}
    uploaded_at = receipt["uploaded_at"]
    assert before <= uploaded_at <= after
    assert receipt == {
        "media_id": VIDEO_ID,
        "media_key": f"7_{VIDEO_ID}",
        "state": "pending",
        "next_status_at": uploaded_at + 1,
        "uploaded_at": uploaded_at,
        "expires_at": uploaded_at + 86400,
        "subtitles": [],
        # Sent 2 segments at a time: what the sensor needs to send it again one at a time (docs/operators.md).
        "resend": {
            "file_path": str(MEDIA / "sample.mp4"),
            "media_type": "video/mp4",
            "media_category": "tweet_video",
            "chunk_size": 16 * 1024,
            "max_video_duration": None,  # the account decides; the first upload checked it
            "metadata": {
                "alt_text": None,
                "sensitive_media_warning": None,
                "allow_download": None,
                "found_media_origin": None,
            },
        },
    }


@pytest.mark.parametrize(
    ("file_name", "chunk_size", "parallel_segments"),
    [
        ("sample.mp4", 16 * 1024, 1),  # sequential: nothing to fear from the order
        ("sample.mp4", 64 * 1024 * 1024, 4),  # one segment: nothing to reorder
        ("sample.png", 1024, 4),  # an image: final at FINALIZE, no processing to fail
    ],
)
def test_no_resend_when_the_segments_cannot_arrive_out_of_order(
    hook: mock.MagicMock, file_name: str, chunk_size: int, parallel_segments: int
) -> None:
    processing = {"processing_info": {"state": "pending", "check_after_secs": 1}} if file_name.endswith("mp4") else {}
    hook.upload_media.return_value = {"id": VIDEO_ID, "media_key": f"7_{VIDEO_ID}", **processing}
    op = MediaUploadOperator(
        task_id="upload",
        file_path=str(MEDIA / file_name),
        chunk_size=min(chunk_size, 5 * 1024 * 1024),
        parallel_segments=parallel_segments,
    )
    assert op.execute(task_context())["resend"] is None


def test_resend_carries_the_metadata_arguments(hook: mock.MagicMock) -> None:
    hook.upload_media.return_value = {"id": VIDEO_ID, "processing_info": {"state": "pending"}}
    op = MediaUploadOperator(
        task_id="upload",
        file_path=MEDIA / "sample.mp4",
        chunk_size=16 * 1024,
        alt_text="A clip",
        sensitive_media_warning=["other"],
        allow_download=False,
        found_media_origin={"provider": "giphy", "id": "abc"},
    )
    resend = op.execute(task_context())["resend"]
    assert resend["file_path"] == str(MEDIA / "sample.mp4")  # a Path, as a string XCom can carry
    assert MediaMetadata.checked(**resend["metadata"]) == MediaMetadata.checked(
        alt_text="A clip",
        sensitive_media_warning=["other"],
        allow_download=False,
        found_media_origin={"provider": "giphy", "id": "abc"},
    )


def test_image_is_ready_at_finalize(hook: mock.MagicMock, capsys: pytest.CaptureFixture[str]) -> None:
    """X does not process images: FINALIZE without ``processing_info`` makes the receipt say so, and the log too."""
    hook.upload_media.return_value = {"id": "1880028106020515841", "media_key": "3_1880028106020515841"}
    receipt = MediaUploadOperator(task_id="upload", file_path=str(MEDIA / "sample.png")).execute(task_context())

    assert (receipt["state"], receipt["next_status_at"]) == ("succeeded", None)
    (media,), kwargs = hook.upload_media.call_args
    assert (media.media_type, media.media_category, kwargs["parallel_segments"]) == ("image/png", "tweet_image", 4)
    out = capsys.readouterr().out  # structlog
    assert "Uploading " in out and "image/png, tweet_image" in out
    assert "Media 1880028106020515841 is ready to post." in out


def test_metadata_goes_to_the_hook_with_the_upload(hook: mock.MagicMock) -> None:
    hook.upload_media.return_value = {"id": "1880028106020515841", "media_key": "3_1880028106020515841"}
    MediaUploadOperator(
        task_id="upload",
        file_path=str(MEDIA / "sample.png"),
        alt_text="A chart",
        sensitive_media_warning=["other", "adult_content"],
        allow_download=False,
        found_media_origin={"provider": "giphy", "id": "u5BzatR15TZ04"},
    ).execute(task_context())

    assert hook.upload_media.call_args.kwargs["metadata"] == MediaMetadata(
        alt_text="A chart",
        sensitive_media_warning=("adult_content", "other"),
        allow_download=False,
        found_media_origin={"provider": "giphy", "id": "u5BzatR15TZ04"},
    )


def test_bad_file_fails_before_the_hook_is_built(hook_class: mock.MagicMock, tmp_path: Path) -> None:
    op = MediaUploadOperator(task_id="upload", file_path=str(tmp_path / "missing.mp4"))
    with pytest.raises(TwitterInputError, match="does not exist"):
        op.execute(task_context())
    hook_class.assert_not_called()


@pytest.mark.parametrize(
    "bad",
    [
        {"chunk_size": 6 * 1024 * 1024},
        {"parallel_segments": 0},
        {"max_video_duration": "long"},
        {"sensitive_media_warning": ["nudity"]},
        {"allow_download": "yes"},
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


def test_templated_arguments_are_checked_after_rendering(hook_class: mock.MagicMock, hook: mock.MagicMock) -> None:
    op = MediaUploadOperator(task_id="upload", file_path="{{ params.path }}", alt_text="{{ params.alt }}")
    context = task_context()
    context["params"] = {"path": str(MEDIA / "sample.png"), "alt": "x" * 1001}
    op.render_template_fields(context)
    with pytest.raises(TwitterInputError, match="alt_text is 1001 characters"):
        op.execute(context)
    hook_class.assert_not_called()

    hook.upload_media.return_value = {"id": "1880028106020515841", "media_key": "3_1880028106020515841"}
    op.alt_text = "A chart"
    op.execute(context)
    assert hook.upload_media.call_args.args[0].path == str(MEDIA / "sample.png")


def test_template_fields() -> None:
    assert set(MediaUploadOperator.template_fields) == {
        "file_path",
        "media_type",
        "media_category",
        "alt_text",
        "found_media_origin",
    }


@pytest.mark.parametrize(("account_limit", "uploaded"), [(140.0, False), (None, True)])
def test_a_video_over_140_s_follows_the_account(
    hook: mock.MagicMock, tmp_path: Path, account_limit: float | None, uploaded: bool
) -> None:
    """Left out, max_video_duration is the account's: 140 s without X Premium; a subscriber's video is X's to judge."""
    clip = tmp_path / "long.mp4"
    clip.write_bytes(mp4(149.0))
    hook.max_video_seconds.return_value = account_limit
    hook.upload_media.return_value = {"id": VIDEO_ID, "media_key": f"7_{VIDEO_ID}", "processing_info": {}}
    op = MediaUploadOperator(task_id="upload", file_path=str(clip))
    if uploaded:
        op.execute(task_context())
    else:
        with pytest.raises(TwitterInputError, match=r"lasts 149\.00 s; X takes videos of 0\.5 to 140 s"):
            op.execute(task_context())
    assert hook.upload_media.called is uploaded


def test_a_video_within_140_s_needs_no_account(hook: mock.MagicMock, tmp_path: Path) -> None:
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(mp4(139.0))
    hook.upload_media.return_value = {"id": VIDEO_ID, "media_key": f"7_{VIDEO_ID}", "processing_info": {}}
    MediaUploadOperator(task_id="upload", file_path=str(clip)).execute(task_context())
    hook.max_video_seconds.assert_not_called()


def test_with_a_state_store_the_upload_gets_a_journal_of_this_file(hook: mock.MagicMock) -> None:
    """Airflow 3.3: the hook is handed the journal a retry continues from, for this file and chunk size."""
    hook.upload_media.return_value = {"id": VIDEO_ID, "media_key": f"7_{VIDEO_ID}"}
    store = FakeTaskStateStore()
    op = MediaUploadOperator(task_id="upload", file_path=str(MEDIA / "sample.mp4"), chunk_size=16 * 1024)
    op.execute(task_context(task_state_store=store))

    journal = hook.upload_media.call_args.kwargs["journal"]
    journal.began(VIDEO_ID, 86400)
    assert store.get("x_upload")["source"]["chunk_size"] == 16 * 1024
    assert store.get("x_upload")["source"]["path"] == str(MEDIA / "sample.mp4")
