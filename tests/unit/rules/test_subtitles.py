"""Subtitles X takes: SRT and WebVTT as written in the wild (BOM, CRLF, hours left out, cue settings), judged by
their content; and the language code, display name and video category of the request that attaches them."""

from __future__ import annotations

import re
from typing import Any

import pytest

from airflow_provider.exceptions import TwitterInputError
from airflow_provider.rules.subtitles import (
    check_display_name,
    check_language_code,
    check_video_category,
    subtitles_type,
)


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
        (b"1\r00:00:00,000 --> 00:00:01,000\rOld Mac line breaks\r", "text/srt"),
    ],
)
def test_real_files_are_taken(content: bytes, media_type: str) -> None:
    assert subtitles_type("track.txt", content) == media_type


def test_an_arrow_in_srt_text_is_text() -> None:
    assert subtitles_type("track.srt", b"1\n00:00:00,000 --> 00:00:01,000\nLeft --> right\n") == "text/srt"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"WEBVTT\n\n00:00,500 --> 00:02,000\nHello\n", r"is not valid WebVTT at line 3: .* is not HH:MM:SS\.mmm"),
        (b"1\n00:00:00.500 --> 00:00:02.000\nHello\n", r"is not valid SRT at line 2: .* is not HH:MM:SS,mmm"),
        (b"1\n00:00:03,000 --> 00:00:02,000\nHello\n", "is not valid SRT at line 2: its cue ends before it starts"),
        (b"\xff\xfe1\x00\n", "is not UTF-8 text, so not an SRT or WebVTT file X can read"),
        (b"WEBVTT\n\nNOTE nothing here\n", "is a WebVTT file without cues"),
        (b"just some notes\n", "is neither SRT nor WebVTT: it has no cue timings"),
    ],
)
def test_a_file_x_could_not_read_is_refused_with_the_first_problem(content: bytes, message: str) -> None:
    with pytest.raises(TwitterInputError, match=message) as err:
        subtitles_type("track.srt", content)
    assert str(err.value).startswith("Subtitles file 'track.srt' is ")


@pytest.mark.parametrize(("value", "code"), [(" fr ", "FR"), ("en", "EN"), ("ES", "ES")])
def test_language_code_is_two_letters_upper_cased(value: str, code: str) -> None:
    assert check_language_code(value) == code


@pytest.mark.parametrize("bad", ["english", "e", "e1", "", None, 12])
def test_a_language_code_x_would_refuse(bad: Any) -> None:
    with pytest.raises(TwitterInputError, match=re.escape("(X's pattern ^[A-Z]{2}$)")):
        check_language_code(bad)


def test_display_name_is_the_name_viewers_see() -> None:
    assert check_display_name(" English ") == "English"
    for bad in ("", "   ", "Eng\nlish", None):
        with pytest.raises(TwitterInputError, match="display_name must be the language's name shown to viewers"):
            check_display_name(bad)


def test_the_videos_upload_category_is_named_as_x_names_it_there() -> None:
    assert check_video_category("tweet_video") == "TweetVideo"
    assert check_video_category("amplify_video") == "AmplifyVideo"
    with pytest.raises(TwitterInputError, match="X attaches subtitles to those videos only"):
        check_video_category("tweet_gif")
