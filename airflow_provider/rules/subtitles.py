"""Subtitles for a video on X: the SRT or WebVTT file, its language code and display name, checked before any
request.

X takes subtitle files through the chunked upload with ``media_category=subtitles`` and ``media_type`` ``text/srt``
or ``text/vtt`` (OAS ``InitializeMediaUploadRequest``; v1.1 ``media/subtitles/create`` reference: "Upload subtitle
using the chunked upload endpoint with media category set to Subtitles"), then ``POST /2/media/subtitles`` ties it to
the video with a two-letter upper-case ``language_code`` (OAS ``^[A-Z]{2}$``) and a ``display_name``. X validates
the file ("could indicate the subtitle file is invalid", v1.1 reference; a bad SRT failed at post time,
myConsciousness/twitter-api-v2#437), so the content is checked here, whatever the file's name says.
"""

from __future__ import annotations

import re
from typing import Any

from airflow_provider.exceptions import TwitterInputError
from airflow_provider.rules.media import MiB

SUBTITLES_CATEGORY = "subtitles"
# The upload's media_category of the video -> X's media_category in POST /2/media/subtitles (OAS enum).
VIDEO_CATEGORIES = {"tweet_video": "TweetVideo", "amplify_video": "AmplifyVideo"}
# X documents no size limit for subtitle files; 5 MiB, X's smallest media limit (images), is far above any real
# track (an SRT for 140 s of speech is a few KiB) and lets a file be read whole to check it.
MAX_SUBTITLES_BYTES = 5 * MiB
_LANGUAGE = re.compile(r"[A-Za-z]{2}")
# A cue's timing line: SRT writes a comma before the milliseconds, WebVTT a dot and may leave the hours out.
_SRT_TIMING = re.compile(r"(\d{2,}):([0-5]\d):([0-5]\d),(\d{3}) --> (\d{2,}):([0-5]\d):([0-5]\d),(\d{3})")
_VTT_TIME = r"(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})"
_VTT_TIMING = re.compile(rf"{_VTT_TIME}[ \t]+-->[ \t]+{_VTT_TIME}(?:[ \t].*)?")


def check_language_code(value: Any) -> str:
    """X's ``language_code``: two letters, upper case (``"en"`` is taken as ``"EN"``)."""
    if not isinstance(value, str) or not _LANGUAGE.fullmatch(value.strip()):
        raise TwitterInputError(
            f"language_code must be a two-letter language code such as 'EN' or 'ES' (X's pattern ^[A-Z]{{2}}$), got "
            f"{type(value).__name__} {value!r}."
        )
    return value.strip().upper()


def check_display_name(value: Any) -> str:
    """The track's name shown to viewers, e.g. ``"English"``."""
    if not isinstance(value, str) or not value.strip() or not value.isprintable():
        raise TwitterInputError(
            f"display_name must be the language's name shown to viewers, such as 'English', got "
            f"{type(value).__name__} {value!r}."
        )
    return value.strip()


def check_video_category(value: Any) -> str:
    """X's ``media_category`` for the subtitles request, from the category the video was uploaded with."""
    if value not in VIDEO_CATEGORIES:
        raise TwitterInputError(
            f"media_category must be the video's upload category, {' or '.join(map(repr, VIDEO_CATEGORIES))}; got "
            f"{value!r}. X attaches subtitles to those videos only."
        )
    return VIDEO_CATEGORIES[value]


def subtitles_type(path: str, data: bytes) -> str:
    """``text/vtt`` or ``text/srt`` from the content: UTF-8 text, with well-formed cues; else the first problem,
    with its line number."""
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise TwitterInputError(
            f"Subtitles file {path!r} is not UTF-8 text, so not an SRT or WebVTT file X can read. Save it as UTF-8."
        ) from None
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if re.fullmatch(r"WEBVTT(?:[ \t].*)?", lines[0]):
        media_type, timing, name = "text/vtt", _VTT_TIMING, "WebVTT"
    else:
        media_type, timing, name = "text/srt", _SRT_TIMING, "SRT"
    cues = 0
    for number, line in enumerate(lines, start=1):
        # A WebVTT cue's text may not hold "-->" (W3C WebVTT); an SRT's may, so there only the line after the cue
        # number, or a block's first line, is a timing line.
        previous = lines[number - 2].strip() if number > 1 else ""
        if "-->" not in line or (name == "SRT" and previous and not previous.isdigit()):
            continue
        match = timing.fullmatch(line.strip() if name == "SRT" else line)
        if match is None:
            raise _bad_cue(path, name, number, f"its timing line {line.strip()!r} is not HH:MM:SS{_sep(name)}mmm --> ")
        start, end = _seconds(match.groups()[:4]), _seconds(match.groups()[4:])
        if end < start:
            raise _bad_cue(path, name, number, "its cue ends before it starts")
        cues += 1
    if not cues:
        what = "a WebVTT file without cues" if name == "WebVTT" else "neither SRT nor WebVTT: it has no cue timings"
        raise TwitterInputError(
            f"Subtitles file {path!r} is {what}, whatever its name says. X takes SRT (1, then "
            "'00:00:01,000 --> 00:00:02,500', then the text) or WebVTT (a 'WEBVTT' first line, then cues)."
        )
    return media_type


def _sep(name: str) -> str:
    return "," if name == "SRT" else "."


def _bad_cue(path: str, name: str, line: int, problem: str) -> TwitterInputError:
    if problem.endswith("--> "):
        problem += f"HH:MM:SS{_sep(name)}mmm"
    return TwitterInputError(f"Subtitles file {path!r} is not valid {name} at line {line}: {problem}. Fix the file.")


def _seconds(parts: tuple[str | None, ...]) -> float:
    hours, minutes, seconds, millis = (int(part or 0) for part in parts)
    return hours * 3600 + minutes * 60 + seconds + millis / 1000
