"""Every bad input in docs/errors.md, one case each: a ``TwitterInputError`` that names it, before any request.

Each case gives a fragment of its message; the fragment must be in the error and in the docs' table of refused
inputs, and every row of that table must be some case's, so the table and the code cannot drift apart.
"""

from __future__ import annotations

import builtins
import json
import os
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from airflow_provider.exceptions import TwitterInputError
from airflow_provider.files.media_file import inspect_media_file
from airflow_provider.hooks.twitter import TwitterHook
from airflow_provider.operators.delete import DeleteTweetOperator
from airflow_provider.operators.media import MediaUploadOperator
from airflow_provider.operators.subtitles import MediaSubtitlesOperator
from airflow_provider.operators.thread import CreateThreadOperator
from airflow_provider.operators.tweet import CreateTweetOperator
from airflow_provider.rules.media import MiB
from airflow_provider.rules.metadata import MediaMetadata
from airflow_provider.sensors.media import MediaProcessingSensor
from airflow_provider.triggers.media import MediaProcessingTrigger
from tests.unit.fake_x import FakeX
from tests.unit.mp4 import mp4
from tests.unit.object_storage import attach_memory
from tests.unit.task_context import task_context

DOCS = Path(__file__).resolve().parents[2] / "docs" / "errors.md"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 100
MP4 = b"\0\0\0\x20ftypisom" + b"\0" * 100


@dataclass
class Env:
    """What a case needs to set its bad input up: a directory for files, and the environment's connection."""

    tmp_path: Path
    monkeypatch: pytest.MonkeyPatch
    conn: dict[str, Any]

    def file(self, name: str, data: bytes, size: int | None = None) -> str:
        path = self.tmp_path / name
        path.write_bytes(data)
        if size is not None:
            os.truncate(path, size)  # sparse: no disk used
        return str(path)

    def connection(self, **changes: Any) -> None:
        """Change the connection's fields; ``extra`` entries are merged into its extra unless it is replaced whole."""
        conn = dict(self.conn)
        if isinstance(extra := changes.pop("extra", None), dict):
            conn["extra"] = {**conn["extra"], **extra}
        elif extra is not None:
            conn["extra"] = extra
        self.monkeypatch.setenv("AIRFLOW_CONN_TWITTER_DEFAULT", json.dumps({**conn, **changes}))


def upload(env: Env, **kwargs: Any) -> None:
    if "file_path" not in kwargs:
        kwargs["file_path"] = env.file("image.png", PNG)
    MediaUploadOperator(task_id="upload", **kwargs).execute(task_context())


def post(env: Env, **kwargs: Any) -> None:
    CreateTweetOperator(task_id="post", **{"text": "hi", **kwargs}).execute(task_context())


def thread(env: Env, **kwargs: Any) -> None:
    CreateThreadOperator(task_id="thread", **{"items": ["hi"], **kwargs}).execute(task_context())


def delete(env: Env, **kwargs: Any) -> None:
    DeleteTweetOperator(task_id="delete", **kwargs).execute(task_context())


def sense(env: Env, **kwargs: Any) -> None:
    MediaProcessingSensor(task_id="wait", **{"media_id": "1234", **kwargs}).execute(task_context())


def subtitles(env: Env, **kwargs: Any) -> None:
    if "file_path" not in kwargs:
        kwargs["file_path"] = env.file("clip.srt", SRT)
    defaults = {"media": VIDEO, "language_code": "EN", "display_name": "English"}
    MediaSubtitlesOperator(task_id="subtitles", **{**defaults, **kwargs}).execute(task_context())


def subtitles_file(data: bytes, size: int | None = None) -> Callable[[Env], None]:
    return lambda e: subtitles(e, file_path=e.file("clip.srt", data, size))


def trigger(env: Env, **kwargs: Any) -> None:
    MediaProcessingTrigger(**{"media_id": "1234", "poll_at": time.time(), "end_time": time.time() + 60, **kwargs})


def receipt(media_id: int, kind: str = "3") -> dict[str, Any]:
    """A ready media's receipt, as a mapped upload's instance returns it (``kind``: X's media key prefix)."""
    return {"media_id": str(media_id), "media_key": f"{kind}_{media_id}", "state": "succeeded"}


def with_connection(**changes: Any) -> Callable[[Env], None]:
    """A post (text only) with the connection changed: the connection is read before the first request."""

    def run(env: Env) -> None:
        env.connection(**changes)
        post(env)

    return run


def with_upload_connection(run: Callable[[Env], None], **changes: Any) -> Callable[[Env], None]:
    """``run`` (an upload or a wait) with the connection changed: its upload API is read before the first request."""

    def changed(env: Env) -> None:
        env.connection(**changes)
        run(env)

    return changed


OAUTH2 = {"auth_type": "oauth2", "client_id": "unit-client", "refresh_token": "unit-seed-token-Rt42"}


def unreadable(env: Env) -> None:
    path = env.file("locked.png", PNG)
    real_open = builtins.open

    def deny(file: object, *args: object, **kwargs: object) -> object:
        if file == path:
            raise PermissionError(13, "Permission denied")
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    env.monkeypatch.setattr(builtins, "open", deny)
    upload(env, file_path=path)


def fifo(env: Env) -> None:
    path = env.tmp_path / "pipe.mp4"
    os.mkfifo(path)
    upload(env, file_path=str(path))


def in_memory(env: Env, key: str, data: bytes | None = None) -> str:
    """The ``memory://`` URL of ``key`` in fsspec's memory filesystem, attached to Airflow's object storage, under a
    folder of this test's own; the object holds ``data`` when given."""
    path, fs = f"/{env.tmp_path.name}/{key}", attach_memory()
    if data is not None:
        fs.pipe_file(path, data)
    return f"memory:/{path}"


def object_prefix(env: Env) -> None:
    in_memory(env, "clips/a.png", PNG)
    upload(env, file_path=in_memory(env, "clips"))


def s3_without_s3fs(env: Env) -> None:
    """The Amazon provider registers s3:// but imports s3fs to read it; a connection id of its own makes Airflow
    build the filesystem anew rather than reuse one it attached before."""
    env.monkeypatch.setitem(sys.modules, "s3fs", None)
    upload(env, file_path=f"s3://{env.tmp_path.name[-20:]}@bucket/clip.mp4")


UPLOADED = {"media_id": "1234", "state": "succeeded", "uploaded_at": 1.0e9}
VIDEO = {"media_id": "1234", "media_key": "7_1234", "state": "pending"}
SRT = b"1\n00:00:00,500 --> 00:00:02,000\nHello\n"
# (case id, fragment of the message, the bad input)
CASES: list[tuple[str, str, Callable[[Env], object]]] = [
    # -- the file ---------------------------------------------------------------------------------------------------
    (
        "file_path None",
        "file_path must be the path of a local image or video file",
        lambda e: upload(e, file_path=None),
    ),
    ("file_path empty", "file_path must be the path of a local image or video file", lambda e: upload(e, file_path="")),
    ("file missing", "does not exist. Check file_path.", lambda e: upload(e, file_path=str(e.tmp_path / "no.mp4"))),
    ("directory", "is a directory; file_path must name a file.", lambda e: upload(e, file_path=str(e.tmp_path))),
    ("FIFO", "is not a regular file; X needs a file of known size.", fifo),
    ("empty file", "is empty; there is nothing to upload.", lambda e: upload(e, file_path=e.file("e.mp4", b""))),
    # -- media from object storage ----------------------------------------------------------------------------------
    (
        "object missing",
        "does not exist: no such object. Check file_path",
        lambda e: upload(e, file_path=in_memory(e, "no.mp4")),
    ),
    (
        "object storage prefix",
        "is a directory, or a prefix with objects under it; file_path must name one",
        object_prefix,
    ),
    (
        "file:// directory",
        "is a directory, or a prefix with objects under it; file_path must name one",
        lambda e: upload(e, file_path=e.tmp_path.as_uri()),
    ),
    (
        "empty object",
        "is empty; there is nothing to upload.",
        lambda e: upload(e, file_path=in_memory(e, "e.mp4", b"")),
    ),
    (
        "scheme no provider brings",
        "Use a scheme a provider brings, such as s3:// (apache-airflow-providers-amazon[s3fs])",
        lambda e: upload(e, file_path="xyz://bucket/clip.mp4"),
    ),
    (
        "scheme of a provider not installed",
        "Install apache-airflow-providers-google where the task runs",
        lambda e: upload(e, file_path="gs://bucket/clip.mp4"),
    ),
    (
        "provider installed without its filesystem library",
        "the filesystem library it needs is not installed",
        s3_without_s3fs,
    ),
    ("unreadable file", "cannot be read: Permission denied.", unreadable),
    (
        "text named .mp4",
        "is text by its content, whatever its name says",
        lambda e: upload(e, file_path=e.file("clip.mp4", b"just some notes\n" * 40)),
    ),
    (
        "text named .png",
        "is text by its content, whatever its name says",
        lambda e: upload(e, file_path=e.file("photo.png", "caf\u00e9 notes\r\n".encode() * 40)),
    ),
    (
        "binary that is no known media",
        "has content that matches no media type X accepts, whatever its name says",
        lambda e: upload(e, file_path=e.file("clip.mp4", bytes(range(256)) * 2)),
    ),
    (
        "PDF named .png",
        "is a PDF document (application/pdf) by its content",
        lambda e: upload(e, file_path=e.file("a.png", b"%PDF-1.7\n" + b"\0" * 100)),
    ),
    (
        "HEIC photo named .mp4",
        "is a HEIC image (image/heic) by its content",
        lambda e: upload(e, file_path=e.file("a.mp4", b"\0\0\0\x18ftypheic" + b"\0" * 100)),
    ),
    (
        "BMP",
        "is a BMP image (image/bmp) by its content",
        lambda e: upload(e, file_path=e.file("a.bmp", b"BM\x36\0\0\0\0\0\0\0" + b"\0" * 100)),
    ),
    (
        "media_type contradicting the content",
        "media_type says 'image/gif', but the content of",
        lambda e: upload(e, media_type="image/gif"),
    ),
    (
        "media_type given for content that is no media",
        "media_type says 'video/mp4', but media file",
        lambda e: upload(e, file_path=e.file("a.mp4", b"hello\n" * 50), media_type="video/mp4"),
    ),
    (
        "media_type X does not take",
        "is not one X accepts in a Post. Accepted:",
        lambda e: upload(e, media_type="application/pdf"),
    ),
    ("media_type not a string", "media_type must be a MIME type string", lambda e: upload(e, media_type=5)),
    (
        "unknown media_category",
        "Unknown media_category 'tweet_audio'",
        lambda e: upload(e, media_category="tweet_audio"),
    ),
    (
        "media_category not fitting the type",
        "media_category 'tweet_gif' does not fit media type 'image/png'",
        lambda e: upload(e, media_category="tweet_gif"),
    ),
    (
        "image over 5 MiB",
        "X's limit for tweet_image is 5 MiB. Compress or trim it first.",
        lambda e: upload(e, file_path=e.file("big.png", PNG, 5 * MiB + 1)),
    ),
    (
        "video over 140 s",
        "X takes videos of 0.5 to 140 s",
        lambda e: upload(e, file_path=e.file("long.mp4", mp4(149.0))),
    ),
    ("video under 0.5 s", "X takes videos of 0.5 to 140 s", lambda e: upload(e, file_path=e.file("s.mp4", mp4(0.4)))),
    ("alt_text over 1000 characters", "X allows at most 1000. Shorten it.", lambda e: upload(e, alt_text="a" * 1001)),
    ("alt_text not a string", "alt_text must be a string", lambda e: upload(e, alt_text=["a photo"])),
    # -- media metadata beyond alt text ----------------------------------------------------------------------------
    (
        "sensitive_media_warning a string",
        "sensitive_media_warning must be a list of adult_content, graphic_violence, other",
        lambda e: upload(e, sensitive_media_warning="adult_content"),
    ),
    (
        "sensitive_media_warning unknown",
        "sensitive_media_warning has 'nudity'; X's warnings are",
        lambda e: upload(e, sensitive_media_warning=["nudity"]),
    ),
    ("allow_download not a bool", "allow_download must be True, False or None", lambda e: upload(e, allow_download=1)),
    (
        "found_media_origin without id",
        "found_media_origin must be a dict with exactly 'provider' and 'id'",
        lambda e: upload(e, found_media_origin={"provider": "giphy"}),
    ),
    (
        "found_media_origin provider too long",
        "found_media_origin['provider'] must be text of 1 to 8 characters",
        lambda e: upload(e, found_media_origin={"provider": "giphy-images", "id": "u5BzatR15TZ04"}),
    ),
    # -- subtitles --------------------------------------------------------------------------------------------------
    (
        "subtitles file missing",
        "does not exist. Check file_path.",
        lambda e: subtitles(e, file_path=str(e.tmp_path / "no.srt")),
    ),
    ("subtitles file empty", "is empty; there are no subtitles to upload.", subtitles_file(b"")),
    (
        "subtitles file over 5 MiB",
        "the provider takes subtitle files of at most 5 MiB",
        subtitles_file(SRT, 5 * MiB + 1),
    ),
    ("subtitles file not UTF-8", "is not UTF-8 text, so not an SRT or WebVTT file", subtitles_file(b"1\n\xff\xfe\n")),
    (
        "subtitles file of plain text",
        "is neither SRT nor WebVTT: it has no cue timings, whatever its name says",
        subtitles_file(b"Hello there\n"),
    ),
    (
        "SRT timing with a dot",
        "is not valid SRT at line 2: its timing line '00:00:00.500 --> 00:00:02.000' is not HH:MM:SS,mmm",
        subtitles_file(b"1\n00:00:00.500 --> 00:00:02.000\nHi\n"),
    ),
    (
        "SRT cue ending before it starts",
        "is not valid SRT at line 2: its cue ends before it starts",
        subtitles_file(b"1\n00:00:03,000 --> 00:00:02,000\nHi\n"),
    ),
    ("WebVTT without cues", "is a WebVTT file without cues", subtitles_file(b"WEBVTT\n\nNOTE nothing yet\n")),
    (
        "language_code not two letters",
        "language_code must be a two-letter language code such as 'EN' or 'ES'",
        lambda e: subtitles(e, language_code="en-US"),
    ),
    (
        "display_name empty",
        "display_name must be the language's name shown to viewers",
        lambda e: subtitles(e, display_name=" "),
    ),
    (
        "subtitles media_category not a video's",
        "media_category must be the video's upload category, 'tweet_video' or 'amplify_video'",
        lambda e: subtitles(e, media_category="dm_video"),
    ),
    (
        "subtitles for an image",
        "is not a video (its media_key is 3_1234); X attaches subtitles to videos only",
        lambda e: subtitles(e, media={**VIDEO, "media_key": "3_1234"}),
    ),
    ("subtitles media None", "media must be a media id string or the output of", lambda e: subtitles(e, media=None)),
    # -- upload arguments checked at DAG parse ----------------------------------------------------------------------
    (
        "chunk_size over 5 MiB",
        "chunk_size must be a whole number of bytes, from 1 to 5242880",
        lambda e: upload(e, chunk_size=5 * MiB + 1),
    ),
    (
        "chunk_size a string",
        "chunk_size must be a whole number of bytes, from 1 to 5242880",
        lambda e: upload(e, chunk_size="4MB"),
    ),
    (
        "chunk_size needing over 1000 segments",
        "segments; X allows at most 1000. Use a chunk_size of at least",
        lambda e: upload(e, file_path=e.file("v.mp4", MP4, MiB), chunk_size=1000),
    ),
    (
        "parallel_segments 0",
        "parallel_segments must be a whole number, at least 1",
        lambda e: upload(e, parallel_segments=0),
    ),
    (
        "max_video_duration not a number",
        "max_video_duration must be a number of seconds, at least 0.5",
        lambda e: upload(e, max_video_duration="10 minutes"),
    ),
    # -- the post ---------------------------------------------------------------------------------------------------
    ("text None", "text must be a string", lambda e: post(e, text=None)),
    ("text empty, no media", "A post needs text or media", lambda e: post(e, text="  ")),
    ("text over 280", "characters as X counts them; X allows at most 280", lambda e: post(e, text="a" * 281)),
    ("two cashtags", "cashtags ($TSLA, $AAPL); X accepts at most 1", lambda e: post(e, text="$TSLA $AAPL")),
    (
        "reply_settings unknown",
        "reply_settings must be one of following, mentionedUsers, subscribers, verified",
        lambda e: post(e, reply_settings="everyone"),
    ),
    ("made_with_ai not a bool", "made_with_ai must be True, False or None", lambda e: post(e, made_with_ai="yes")),
    (
        "in_reply_to_tweet_id not an id",
        "in_reply_to_tweet_id must be an X id (1 to 19 ASCII digits)",
        lambda e: post(e, in_reply_to_tweet_id="the last post"),
    ),
    (
        "share_with_followers without a community",
        "share_with_followers applies to a community post",
        lambda e: post(e, share_with_followers=True),
    ),
    ("byte-order mark in text", "which X does not accept in a post", lambda e: post(e, text="\ufeffhi")),
    ("media_ids a bare int", "media_ids must be a list, got int 1234", lambda e: post(e, media_ids=1234)),
    ("media_ids one string", "media_ids must be a list, got str '123'", lambda e: post(e, media_ids="123")),
    (
        "media_ids a set",
        "media_ids must be a list of media ids or receipts, got set",
        lambda e: post(e, media_ids={"1"}),
    ),
    (
        "five media",
        "5 media ids given; a post carries at most 4",
        lambda e: post(e, media_ids=["1", "2", "3", "4", "5"]),
    ),
    (
        "five receipts from a mapped upload",
        "5 media ids given; a post carries at most 4",
        lambda e: post(e, media_ids=[receipt(n) for n in range(1, 6)]),
    ),
    (
        "a video among a mapped upload's images",
        "A post carries one video or GIF, or up to 4 images, not both: media 2 is a video or GIF among 2 media",
        lambda e: post(e, media_ids=[receipt(1), receipt(2, kind="7")]),
    ),
    (
        "a mapped upload's output in a list",
        "media_ids[0] is a list: the output of a mapped upload is already the list of its receipts",
        lambda e: post(e, media_ids=[[receipt(1), receipt(2)]]),
    ),
    (
        "a single upload's output not in a list",
        "media_ids must be a list, got dict",
        lambda e: post(e, media_ids=receipt(1)),
    ),
    (
        "media id None (a missing XCom)",
        "media_ids must be a media id string or the output of MediaUploadOperator",
        lambda e: post(e, media_ids=[None]),
    ),
    ("media id with a letter", "is not an X media id (1 to 19 ASCII digits)", lambda e: post(e, media_ids=["12a"])),
    ("media id of 20 digits", "is not an X media id (1 to 19 ASCII digits)", lambda e: post(e, media_ids=["1" * 20])),
    (
        "media id in Arabic-Indic digits",
        "written in digits other than ASCII 0-9",
        lambda e: post(e, media_ids=["\u0661\u0662\u0663"]),
    ),
    (
        "media id in full-width digits",
        "written in digits other than ASCII 0-9",
        lambda e: post(e, media_ids=["\uff11\uff12\uff13"]),
    ),
    (
        "upload output without media_id",
        "is a dict without 'media_id'",
        lambda e: post(e, media_ids=[{"id": "1234"}]),
    ),
    (
        "upload output with a hand-edited time",
        "a receipt has epoch seconds or null there",
        lambda e: post(e, media_ids=[{**UPLOADED, "uploaded_at": "yesterday"}]),
    ),
    # -- a delete ---------------------------------------------------------------------------------------------------
    (
        "delete given a URL, not an id",
        "posts must be post ids (1 to 19 digits), a post's output ({'id': ...}) or a list of these",
        lambda e: delete(e, posts=["1800", "https://x.com/i/web/status/1801"]),
    ),
    # -- a thread ---------------------------------------------------------------------------------------------------
    ("thread items a string", "items must be a non-empty list of posts", lambda e: thread(e, items="hello")),
    ("thread items empty", "items must be a non-empty list of posts", lambda e: thread(e, items=[])),
    (
        "thread item a number",
        "Thread item 2 must be a dict with 'text' and/or 'media_ids', or a string",
        lambda e: thread(e, items=["a", 5]),
    ),
    (
        "thread item with an unknown key",
        "Thread item 1 has unknown key(s) 'media'",
        lambda e: thread(e, items=[{"text": "a", "media": ["1"]}]),
    ),
    (
        "thread item over 280",
        "Thread item 2: The post text is 281 characters as X counts them",
        lambda e: thread(e, items=["a", "b" * 281]),
    ),
    (
        "thread item with five media",
        "Thread item 1: 5 media ids given; a post carries at most 4.",
        lambda e: thread(e, items=[{"media_ids": ["1", "2", "3", "4", "5"]}]),
    ),
    ("thread item text a number", "Thread item 1: text must be a string", lambda e: thread(e, items=[{"text": 5}])),
    ("thread item empty", "has neither text nor media_ids", lambda e: thread(e, items=[{"text": " "}])),
    (
        "thread items repeated",
        "have the same text and media; X refuses the second as duplicate content",
        lambda e: thread(e, items=["a", "b", "a"]),
    ),
    # -- the sensor -------------------------------------------------------------------------------------------------
    (
        "sensor media_id None",
        "media_id must be a media id string or the output of MediaUploadOperator",
        lambda e: sense(e, media_id=None),
    ),
    ("sensor media_id a list", "media_id must be a media id string", lambda e: sense(e, media_id=["1234"])),
    (
        "sensor media_id full-width",
        "written in digits other than ASCII 0-9",
        lambda e: sense(e, media_id="\uff11\uff12"),
    ),
    (
        "negative min_reschedule_interval",
        "min_reschedule_interval must be a number of seconds, at least 0",
        lambda e: sense(e, min_reschedule_interval=-1),
    ),
    # -- arguments every task takes ---------------------------------------------------------------------------------
    ("twitter_conn_id empty", "twitter_conn_id must name an Airflow connection", lambda e: post(e, twitter_conn_id="")),
    (
        "twitter_conn_id None",
        "twitter_conn_id must name an Airflow connection",
        lambda e: upload(e, twitter_conn_id=None),
    ),
    (
        "hook_params unknown key",
        "hook_params has unknown key(s) 'max_attemps'",
        lambda e: sense(e, hook_params={"max_attemps": 3}),
    ),
    (
        "hook_params not a dict",
        "hook_params must be a dict of TwitterHook arguments",
        lambda e: post(e, hook_params=[("timeout", 5)]),
    ),
    (
        "hook_params max_attempts 0",
        "hook_params['max_attempts'] must be a whole number, at least 1",
        lambda e: upload(e, hook_params={"max_attempts": 0}),
    ),
    (
        "hook_params timeout 0",
        "hook_params['timeout'] must be a number of seconds, above 0",
        lambda e: post(e, hook_params={"timeout": 0}),
    ),
    # -- the hook and the trigger, used directly --------------------------------------------------------------------
    (
        "hook max_attempts a string",
        "max_attempts must be a whole number, at least 1",
        lambda e: TwitterHook(max_attempts="3"),  # type: ignore[arg-type]
    ),
    (
        "hook media id for STATUS",
        "is not an X media id (1 to 19 ASCII digits)",
        lambda e: TwitterHook().get_upload_status("../users/me"),
    ),
    (
        "hook upload with alt_text and metadata",
        "Pass alt_text or metadata, not both",
        lambda e: TwitterHook().upload_media(
            inspect_media_file(e.file("a.png", PNG)), alt_text="a", metadata=MediaMetadata(alt_text="b")
        ),
    ),
    ("trigger media_id", "is not an X media id (1 to 19 ASCII digits)", lambda e: trigger(e, media_id="abc")),
    (
        "trigger poll_interval 0",
        "poll_interval must be a number of seconds, above 0",
        lambda e: trigger(e, poll_interval=0),
    ),
    ("trigger end_time None", "end_time must be a number of epoch seconds", lambda e: trigger(e, end_time=None)),
    # -- the connection ---------------------------------------------------------------------------------------------
    (
        "credential missing",
        "is missing API Key Secret (password)",
        with_connection(password=None),
    ),
    (
        "space inside a token",
        "Access Token (extra 'access_token') has whitespace or a control character inside it",
        with_connection(extra={"access_token": "1000-abc def"}),
    ),
    (
        "newline inside a secret",
        "API Key Secret (password) has whitespace or a control character inside it",
        with_connection(password="abc\ndef"),
    ),
    (
        "token a number",
        "Access Token Secret (extra 'access_token_secret') must be text, not int",
        with_connection(extra={"access_token_secret": 12345}),
    ),
    ("extra a JSON list", "has an extra that is a JSON list, not an object", with_connection(extra=["a", "b"])),
    (
        "timeout 'abc'",
        "the connection's extra 'timeout' must be a positive number of seconds",
        with_connection(extra={"timeout": "abc"}),
    ),
    (
        "timeout 0",
        "the connection's extra 'timeout' must be a positive number of seconds",
        with_connection(extra={"timeout": 0}),
    ),
    (
        "timeout true",
        "the connection's extra 'timeout' must be a positive number of seconds",
        with_connection(extra={"timeout": True}),
    ),
    ("host ftp://", "the scheme is 'ftp'", with_connection(host="ftp://proxy.example")),
    (
        "host with a password",
        "it carries a user name or password",
        with_connection(host="https://user:hunter2@proxy.example"),
    ),
    ("host with a bad port", "its port is not a number from 1 to 65535", with_connection(host="http://127.0.0.1:80a")),
    (
        "upload_api unknown",
        "The connection's extra 'upload_api' is 'v1'; use 'v2'",
        with_upload_connection(upload, extra={"upload_api": "v1"}),
    ),
    (
        "upload_api v1.1 with OAuth 2.0, upload",
        "X's v1.1 upload takes no OAuth 2.0 user token",
        with_upload_connection(upload, extra={**OAUTH2, "upload_api": "v1.1"}),
    ),
    (
        "upload_api v1.1 with OAuth 2.0, sensor",
        "X's v1.1 upload takes no OAuth 2.0 user token",
        with_upload_connection(sense, extra={**OAUTH2, "upload_api": "v1.1"}),
    ),
    (
        "host with a query",
        "it has a query (?...) or fragment (#...)",
        with_connection(host="https://proxy.example?x=1"),
    ),
]


@pytest.mark.parametrize(("fragment", "bad_input"), [pytest.param(f, run, id=i) for i, f, run in CASES])
def test_refused_before_any_request(
    fragment: str,
    bad_input: Callable[[Env], object],
    twitter_conn: dict[str, Any],
    fake_x: FakeX,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(TwitterInputError) as err:
        bad_input(Env(tmp_path, monkeypatch, twitter_conn))
    assert fragment in str(err.value)
    assert fake_x.requests == []


def refused_rows() -> list[str]:
    """The rows of docs/errors.md's table of inputs refused before any request."""
    section = DOCS.read_text().split("## Refused before any request", 1)[1].split("\n## ", 1)[0]
    return [row for row in section.splitlines() if row.startswith("| ") and not re.match(r"\| (input|-)", row)]


def test_docs_list_every_case_and_only_cases() -> None:
    rows = refused_rows()
    assert [i for i, fragment, _ in CASES if not any(fragment in row for row in rows)] == []
    assert [row for row in rows if not any(fragment in row for _, fragment, _ in CASES)] == []


def test_secret_is_never_in_the_message(
    twitter_conn: dict[str, Any], fake_x: FakeX, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A malformed credential or host is named by its field, never shown."""
    env = Env(tmp_path, monkeypatch, twitter_conn)
    cases: list[tuple[dict[str, Any], str]] = [
        ({"password": "s3cret value"}, "s3cret"),
        ({"extra": {"access_token_secret": "Qz7tok\tVv9"}}, "Qz7tok"),
        ({"host": "https://user:hunter2@proxy.example"}, "hunter2"),
    ]
    for changes, secret in cases:
        with pytest.raises(TwitterInputError) as err:
            with_connection(**changes)(env)
        assert secret not in str(err.value)
