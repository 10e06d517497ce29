"""Subtitle files X takes: SRT and WebVTT as written in the wild (BOM, CRLF, hours left out, cue settings)."""

from __future__ import annotations

from pathlib import Path

import pytest

from airflow_provider.exceptions import TwitterInputError
from airflow_provider.files.media_file import inspect_subtitles_file
from airflow_provider.rules.subtitles import check_language_code


@pytest.mark.parametrize(
    ("content", "media_type"),
    [
        (b"1\n00:00:00,500 --> 00:00:02,000\nHello\n", "text/srt"),
        (
            b"\xef\xbb\xbf1\r\n00:00:00,500 --> 00:00:02,000\r\nHello\r\n\r\n"
            b"2\r\n00:00:02,000 --> 00:01:02,000\r\nB\r\n",
            "text/srt",
        ),
        (b"WEBVTT\n\n00:00.500 --> 00:02.000\nHello\n", "text/vtt"),
        (b"WEBVTT - English\n\nintro\n01:00:00.000 --> 01:00:02.000 align:start line:0\n<v Ann>Hi\n", "text/vtt"),
        ("1\n00:00:00,000 --> 00:00:01,000\nCafé ☕ 字幕\n".encode(), "text/srt"),
    ],
)
def test_real_files_are_taken(tmp_path: Path, content: bytes, media_type: str) -> None:
    (path := tmp_path / "track.txt").write_bytes(content)
    media = inspect_subtitles_file(str(path))
    assert (media.media_type, media.media_category, media.size) == (media_type, "subtitles", len(content))


def test_webvtt_timing_lines_are_checked_too(tmp_path: Path) -> None:
    (path := tmp_path / "track.vtt").write_bytes(b"WEBVTT\n\n00:00,500 --> 00:02,000\nHello\n")
    with pytest.raises(TwitterInputError, match=r"is not valid WebVTT at line 3: .* is not HH:MM:SS\.mmm"):
        inspect_subtitles_file(str(path))


def test_language_code_is_upper_cased() -> None:
    assert check_language_code(" fr ") == "FR"


def test_an_arrow_in_srt_text_is_text(tmp_path: Path) -> None:
    (path := tmp_path / "track.srt").write_bytes(b"1\n00:00:00,000 --> 00:00:01,000\nLeft --> right\n")
    assert inspect_subtitles_file(str(path)).media_type == "text/srt"
