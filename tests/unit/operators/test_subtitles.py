"""MediaSubtitlesOperator: what it checks before the hook is built, what it asks the hook and in which order, what a
retry asks differently, and the receipt it returns."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from unittest import mock

import pytest

from airflow_provider.exceptions import TwitterInputError, TwitterRejectedError
from airflow_provider.operators.subtitles import MediaSubtitlesOperator
from airflow_provider.rules.receipt import MediaReceipt
from tests.unit.task_context import FakeTaskStateStore, task_context

VIDEO = {"media_id": "1880028106020515840", "media_key": "7_1880028106020515840", "state": "pending"}
SUBS_ID = "1880028106020515999"
SRT = b"1\n00:00:00,500 --> 00:00:02,000\nHello\n"
VTT = b"WEBVTT\n\n00:01.000 --> 00:02.000\nHi\n"


@pytest.fixture
def processed(hook: mock.MagicMock) -> dict[str, Any]:
    """The hook finds the video processed (as X's STATUS would tell) and uploads the track as ``SUBS_ID``."""
    receipt = {**VIDEO, "state": "succeeded", "expires_at": 1_900_000_000.0}
    hook.check_media_processed.return_value = MediaReceipt.parse(receipt)
    hook.upload_media.return_value = {"id": SUBS_ID, "media_key": f"3_{SUBS_ID}"}
    hook.create_media_subtitles.return_value = {"id": VIDEO["media_id"]}
    return receipt


def subtitles(path: Path, **kwargs: Any) -> MediaSubtitlesOperator:
    defaults = {"media": VIDEO, "file_path": str(path), "language_code": "en", "display_name": "English"}
    return MediaSubtitlesOperator(task_id="subtitles", **{**defaults, **kwargs})


def test_checks_the_video_uploads_the_file_then_attaches_it(
    hook_class: mock.MagicMock, hook: mock.MagicMock, processed: dict[str, Any], tmp_path: Path
) -> None:
    (path := tmp_path / "clip.en.srt").write_bytes(SRT)

    result = subtitles(path, hook_params={"timeout": 9}).execute(task_context())

    hook_class.assert_called_once_with("twitter_default", timeout=9)
    assert [name for name, _, _ in hook.mock_calls] == [
        "check_media_processed",  # the video is processed: X may refuse subtitles otherwise
        "upload_media",
        "create_media_subtitles",
    ]
    hook.check_media_processed.assert_called_once_with(MediaReceipt.parse(VIDEO), purpose="attach subtitles to it")
    (track,), kwargs = hook.upload_media.call_args
    assert (track.path, track.size, track.media_type, track.media_category) == (
        str(path),
        len(SRT),
        "text/srt",
        "subtitles",
    )
    assert kwargs == {"parallel_segments": 1}
    hook.create_media_subtitles.assert_called_once_with(
        VIDEO["media_id"],
        SUBS_ID,
        language_code="EN",
        display_name="English",
        media_category="tweet_video",
        replace=False,
    )
    assert result == {
        **processed,  # the receipt as the hook found it, processed
        "next_status_at": None,
        "uploaded_at": None,
        "subtitles": [{"language_code": "EN", "display_name": "English", "media_id": SUBS_ID}],
        "resend": None,
    }


def test_a_retried_try_replaces_the_track_an_earlier_try_attached(
    hook: mock.MagicMock, processed: dict[str, Any], tmp_path: Path
) -> None:
    (path := tmp_path / "clip.vtt").write_bytes(VTT)

    subtitles(path, media_category="amplify_video").execute(task_context(try_number=2))

    assert hook.upload_media.call_args.args[0].media_type == "text/vtt"
    hook.create_media_subtitles.assert_called_once_with(
        VIDEO["media_id"],
        SUBS_ID,
        language_code="EN",
        display_name="English",
        media_category="amplify_video",
        replace=True,
    )


def test_a_track_of_the_same_language_is_replaced_in_the_receipt(
    hook: mock.MagicMock, processed: dict[str, Any], tmp_path: Path
) -> None:
    """Subtitles in two languages are two tasks in a row; a second EN track replaces the first, on X and here."""
    french = {"language_code": "FR", "display_name": "Français", "media_id": "1880028106020515997"}
    english = {"language_code": "EN", "display_name": "English (old)", "media_id": "1880028106020515998"}
    hook.check_media_processed.return_value = MediaReceipt.parse({**processed, "subtitles": [english, french]})
    (path := tmp_path / "clip.srt").write_bytes(SRT)

    result = subtitles(path, media={**processed, "subtitles": [english, french]}).execute(task_context())

    new = {"language_code": "EN", "display_name": "English", "media_id": SUBS_ID}
    assert result["subtitles"] == [french, new]


def test_x_refusing_the_track_fails_without_retry(
    hook: mock.MagicMock, processed: dict[str, Any], tmp_path: Path
) -> None:
    refusal = TwitterRejectedError(
        endpoint="POST /2/media/subtitles", http_status=400, errors=[{"message": "The subtitle file is invalid"}]
    )
    hook.create_media_subtitles.side_effect = refusal
    (path := tmp_path / "clip.srt").write_bytes(SRT)

    with pytest.raises(TwitterRejectedError, match="The subtitle file is invalid") as err:
        subtitles(path).execute(task_context())
    assert err.value is refusal


def test_a_video_still_processing_is_refused_before_the_upload(hook: mock.MagicMock, tmp_path: Path) -> None:
    hook.check_media_processed.side_effect = TwitterInputError(
        "Media 1880028106020515840 is still in_progress; wait for X to process it before you attach subtitles to it"
    )
    (path := tmp_path / "clip.srt").write_bytes(SRT)

    with pytest.raises(TwitterInputError, match="is still in_progress"):
        subtitles(path).execute(task_context())
    hook.upload_media.assert_not_called()
    hook.create_media_subtitles.assert_not_called()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"media": {"media_id": "1880028106020515840", "media_key": "3_1880028106020515840", "state": "succeeded"}},
            "is not a video",
        ),
        ({"media": ["1880028106020515840"]}, "media must be a media id string"),
        ({"language_code": "English"}, "language_code must be a two-letter language code"),
        ({"display_name": ""}, "display_name must be the language's name"),
        ({"file_path": "missing.srt"}, "does not exist"),
    ],
)
def test_bad_input_fails_before_the_hook_is_built(
    hook_class: mock.MagicMock, tmp_path: Path, kwargs: dict[str, Any], message: str
) -> None:
    (path := tmp_path / "clip.srt").write_bytes(SRT)
    with pytest.raises(TwitterInputError, match=message):
        subtitles(path, **kwargs).execute(task_context())
    hook_class.assert_not_called()


def test_templated_arguments_are_checked_after_rendering(
    hook: mock.MagicMock, processed: dict[str, Any], tmp_path: Path
) -> None:
    (path := tmp_path / "clip.srt").write_bytes(SRT)
    op = subtitles(path, language_code="{{ params.lang }}", display_name="{{ params.name }}")
    context = task_context()
    context["params"] = {"lang": "es", "name": "Español"}
    op.render_template_fields(context)
    assert op.execute(context)["subtitles"] == [{"language_code": "ES", "display_name": "Español", "media_id": SUBS_ID}]


def test_template_fields_and_parse_time_checks() -> None:
    assert set(MediaSubtitlesOperator.template_fields) == {"media", "file_path", "language_code", "display_name"}
    op = subtitles(Path("x.srt"), language_code="{{ params.lang }}")
    assert op.language_code == "{{ params.lang }}"  # checked when the task runs, after rendering
    with pytest.raises(TwitterInputError, match="media_category must be the video's upload category"):
        subtitles(Path("x.srt"), media_category="dm_video")
    with pytest.raises(TwitterInputError, match="hook_params has unknown key"):
        subtitles(Path("x.srt"), hook_params={"retries": 3})


# -- Airflow 3.3: the task state store records the attached track ----------------------------------------------------


def test_with_a_state_store_the_attached_track_is_recorded(
    hook: mock.MagicMock, processed: dict[str, Any], tmp_path: Path
) -> None:
    (path := tmp_path / "clip.en.srt").write_bytes(SRT)
    store = FakeTaskStateStore()
    hook.create_media_subtitles.side_effect = lambda *a, **k: (
        {} if store.get("x_subtitles") == {"sending": True, "done": []} else pytest.fail("no intent before attach")
    )

    result = subtitles(path).execute(task_context(task_state_store=store))

    assert store.get("x_subtitles") == {"sending": False, "output": result}
    assert result["subtitles"] == [{"language_code": "EN", "display_name": "English", "media_id": SUBS_ID}]


def test_a_retry_returns_the_recorded_receipt_without_asking_x(hook_class: mock.MagicMock, tmp_path: Path) -> None:
    (path := tmp_path / "clip.en.srt").write_bytes(SRT)
    recorded = {**VIDEO, "subtitles": [{"language_code": "EN", "display_name": "English", "media_id": SUBS_ID}]}
    store = FakeTaskStateStore()
    store.set("x_subtitles", {"sending": False, "output": recorded})

    assert subtitles(path).execute(task_context(try_number=2, task_state_store=store)) == recorded
    hook_class.assert_not_called()
