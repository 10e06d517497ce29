"""Subtitle tracks of a video: what ``POST`` and ``DELETE /2/media/subtitles`` name, and whether an uploaded
subtitle file looks like the SRT or WebVTT its ``media_type`` says.

X checks the file when it is attached: the v1.1 ``media/subtitles/create`` reference says a 400 "could indicate the
subtitle file is invalid", and a bad SRT failed a post (myConsciousness/twitter-api-v2#437). How closely X reads
the file is not documented; the emulator looks at the first KiB it keeps of segment 0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# X's media_category in the subtitles requests (OAS enum) -> the upload category of the video it names.
VIDEO_CATEGORIES = {"TweetVideo": "tweet_video", "AmplifyVideo": "amplify_video"}

_SRT_CUE = re.compile(rb"\A\s*\d+[ \t]*\r?\n[ \t]*\d{2,}:\d{2}:\d{2},\d{3} --> \d{2,}:\d{2}:\d{2},\d{3}")
_VTT_HEADER = re.compile(rb"\AWEBVTT(?:[ \t\r\n]|\Z)")


@dataclass(frozen=True)
class SubtitleTrack:
    media_id: str
    language_code: str
    display_name: str

    def to_json(self) -> dict[str, str]:
        return {"id": self.media_id, "language_code": self.language_code, "display_name": self.display_name}


def file_problem(media_type: str, head: bytes) -> str | None:
    """Why X would refuse this subtitle file, or None: WebVTT starts with ``WEBVTT`` (W3C WebVTT, the file's
    signature), SRT with a cue number and a ``HH:MM:SS,mmm --> HH:MM:SS,mmm`` timing line; both UTF-8."""
    head = head.removeprefix(b"\xef\xbb\xbf")
    if media_type == "text/vtt" and not _VTT_HEADER.match(head):
        return "the file does not start with WEBVTT"
    if media_type == "text/srt" and not _SRT_CUE.match(head):
        return "the file does not start with an SRT cue (a number, then HH:MM:SS,mmm --> HH:MM:SS,mmm)"
    return None
