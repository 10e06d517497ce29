"""MediaSubtitlesOperator at the transport level: what it sends X, in which order, and what a retry does."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from airflow_provider.exceptions import TwitterInputError, TwitterRejectedError
from airflow_provider.operators.subtitles import MediaSubtitlesOperator
from tests.unit.fake_x import FakeX
from tests.unit.task_context import task_context

VIDEO = {"media_id": "1880028106020515840", "media_key": "7_1880028106020515840", "state": "pending"}
SUBS_ID = "1880028106020515999"
SRT = b"1\n00:00:00,500 --> 00:00:02,000\nHello\n"
STATUS_DONE = {"data": {"id": VIDEO["media_id"], "processing_info": {"state": "succeeded", "progress_percent": 100}}}


@pytest.fixture(autouse=True)
def _conn(twitter_conn: dict[str, object]) -> None:
    pass


def script(fake_x: FakeX, *attach: Any) -> None:
    fake_x.on("GET", "/2/media/upload", (200, STATUS_DONE))
    fake_x.on("POST", "/2/media/upload/initialize", (200, {"data": {"id": SUBS_ID}}))
    fake_x.on("POST", f"/2/media/upload/{SUBS_ID}/append", (200, {"data": {}}))
    fake_x.on(
        "POST", f"/2/media/upload/{SUBS_ID}/finalize", (200, {"data": {"id": SUBS_ID, "media_key": f"3_{SUBS_ID}"}})
    )
    fake_x.on("POST", "/2/media/subtitles", *(attach or [(200, {"data": {"id": VIDEO["media_id"]}})]))


def subtitles(path: Path, **kwargs: Any) -> MediaSubtitlesOperator:
    defaults = {"media": VIDEO, "file_path": str(path), "language_code": "en", "display_name": "English"}
    return MediaSubtitlesOperator(task_id="subtitles", **{**defaults, **kwargs})


def body(request: Any) -> Any:
    return json.loads(request.body)


def test_checks_the_video_uploads_the_file_then_attaches_it(fake_x: FakeX, tmp_path: Path) -> None:
    script(fake_x)
    (path := tmp_path / "clip.en.srt").write_bytes(SRT)

    result = subtitles(path).execute(task_context())

    order = [(r.method, r.path_url.split("?")[0]) for r in fake_x.requests]
    assert order == [
        ("GET", "/2/media/upload"),  # the video is processed: X may refuse subtitles otherwise
        ("POST", "/2/media/upload/initialize"),
        ("POST", f"/2/media/upload/{SUBS_ID}/append"),
        ("POST", f"/2/media/upload/{SUBS_ID}/finalize"),
        ("POST", "/2/media/subtitles"),
    ]
    init = body(fake_x.sent("POST", "/2/media/upload/initialize")[0])
    assert init == {"total_bytes": len(SRT), "media_type": "text/srt", "media_category": "subtitles"}
    assert body(fake_x.sent("POST", "/2/media/subtitles")[0]) == {
        "id": VIDEO["media_id"],
        "media_category": "TweetVideo",
        "subtitles": {"id": SUBS_ID, "language_code": "EN", "display_name": "English"},
    }
    assert result == {
        **VIDEO,
        "state": "succeeded",
        "next_status_at": None,
        "uploaded_at": None,
        "expires_at": None,
        "subtitles": [{"language_code": "EN", "display_name": "English", "media_id": SUBS_ID}],
    }


def test_a_retried_try_replaces_the_track_an_earlier_try_attached(fake_x: FakeX, tmp_path: Path) -> None:
    script(fake_x)
    fake_x.on("DELETE", "/2/media/subtitles", (200, {"data": {"deleted": True}}))
    (path := tmp_path / "clip.vtt").write_bytes(b"WEBVTT\n\n00:01.000 --> 00:02.000\nHi\n")

    subtitles(path, media_category="amplify_video").execute(task_context(try_number=2))

    (deleted,) = fake_x.sent("DELETE", "/2/media/subtitles")
    assert body(deleted) == {"id": VIDEO["media_id"], "media_category": "AmplifyVideo", "language_code": "EN"}
    assert fake_x.requests.index(deleted) < fake_x.requests.index(fake_x.sent("POST", "/2/media/subtitles")[0])
    assert body(fake_x.sent("POST", "/2/media/upload/initialize")[0])["media_type"] == "text/vtt"


def test_a_retry_finding_no_track_goes_on(fake_x: FakeX, tmp_path: Path) -> None:
    """X's answer to deleting a language the video does not have is not documented: a 400 means none."""
    script(fake_x)
    fake_x.on("DELETE", "/2/media/subtitles", (400, {"errors": [{"message": "no EN subtitles"}]}))
    (path := tmp_path / "clip.srt").write_bytes(SRT)

    subtitles(path).execute(task_context(try_number=3))

    assert len(fake_x.sent("POST", "/2/media/subtitles")) == 1


def test_an_answer_lost_in_transit_deletes_before_sending_again(fake_x: FakeX, tmp_path: Path) -> None:
    """The lost attempt may have attached the track; attaching again could be refused or make two."""
    script(fake_x, (503, {"title": "Service Unavailable"}), (200, {"data": {"id": VIDEO["media_id"]}}))
    fake_x.on("DELETE", "/2/media/subtitles", (200, {"data": {"deleted": True}}))
    (path := tmp_path / "clip.srt").write_bytes(SRT)

    subtitles(path, hook_params={"backoff_initial": 0, "backoff_max": 0}).execute(task_context())

    methods = [r.method for r in fake_x.requests if r.path_url == "/2/media/subtitles"]
    assert methods == ["POST", "DELETE", "POST"]


def test_x_refusing_the_track_fails_without_retry(fake_x: FakeX, tmp_path: Path) -> None:
    script(fake_x, (400, {"errors": [{"message": "The subtitle file is invalid"}]}))
    (path := tmp_path / "clip.srt").write_bytes(SRT)

    with pytest.raises(TwitterRejectedError, match="The subtitle file is invalid"):
        subtitles(path).execute(task_context())
    assert fake_x.sent("DELETE", "/2/media/subtitles") == []


def test_a_video_still_processing_is_refused_before_the_upload(fake_x: FakeX, tmp_path: Path) -> None:
    pending = {"data": {"id": VIDEO["media_id"], "processing_info": {"state": "in_progress", "check_after_secs": 2}}}
    fake_x.on("GET", "/2/media/upload", (200, pending))
    (path := tmp_path / "clip.srt").write_bytes(SRT)

    with pytest.raises(TwitterInputError, match="is still in_progress; wait for X to process it before you attach"):
        subtitles(path).execute(task_context())
    assert [r.method for r in fake_x.requests] == ["GET"]


def test_an_image_is_refused_before_any_request(fake_x: FakeX, tmp_path: Path) -> None:
    (path := tmp_path / "clip.srt").write_bytes(SRT)
    image = {"media_id": "1880028106020515840", "media_key": "3_1880028106020515840", "state": "succeeded"}
    with pytest.raises(TwitterInputError, match="is not a video"):
        subtitles(path, media=image).execute(task_context())
    assert fake_x.requests == []


def test_template_fields_and_parse_time_checks() -> None:
    assert set(MediaSubtitlesOperator.template_fields) == {"media", "file_path", "language_code", "display_name"}
    with pytest.raises(TwitterInputError, match="media_category must be the video's upload category"):
        subtitles(Path("x.srt"), media_category="dm_video")
