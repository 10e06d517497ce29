"""A file checked against X's rules before any request: its type from its content, its category and size, a video's
duration from its header; and a subtitle track's file. The rules themselves are in tests/unit/rules."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from airflow_provider.exceptions import TwitterInputError
from airflow_provider.files.media_file import MediaFile, inspect_media_file, inspect_subtitles_file
from airflow_provider.rules.media import MiB
from tests.unit.mp4 import mp4

SAMPLES = Path(__file__).resolve().parents[3] / "dags" / "media"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 100
GIF = b"GIF89a" + b"\0" * 100
MP4 = b"\0\0\0\x20ftypisom" + b"\0" * 100


def write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_samples_are_real_media() -> None:
    video = inspect_media_file(str(SAMPLES / "sample.mp4"))
    image = inspect_media_file(str(SAMPLES / "sample.png"))
    assert (video.media_type, video.media_category) == ("video/mp4", "tweet_video")
    assert video.duration == pytest.approx(3.0)
    assert (image.media_type, image.media_category, image.duration) == ("image/png", "tweet_image", None)


def test_content_decides_not_the_name(tmp_path: Path) -> None:
    photo = inspect_media_file(write(tmp_path, "photo.mp4", PNG))
    assert (photo.media_type, photo.media_category) == ("image/png", "tweet_image")
    assert inspect_media_file(write(tmp_path, "clip", MP4)).media_type == "video/mp4"


def test_gif_category(tmp_path: Path) -> None:
    assert inspect_media_file(write(tmp_path, "a.gif", GIF)).media_category == "tweet_gif"
    assert inspect_media_file(write(tmp_path, "a.gif", GIF), media_category="tweet_image").media_category == (
        "tweet_image"
    )


def test_explicit_type_may_choose_between_mp4_and_mov(tmp_path: Path) -> None:
    """One ISO base media container: an explicit type chooses, the content cannot tell them apart reliably."""
    assert inspect_media_file(write(tmp_path, "clip.bin", MP4), media_type="video/quicktime").media_type == (
        "video/quicktime"
    )
    assert inspect_media_file(write(tmp_path, "a.png", PNG), media_type=" Image/PNG ").media_type == "image/png"


def big_file(tmp_path: Path, name: str, head: bytes, size: int) -> str:
    path = write(tmp_path, name, head)
    os.truncate(path, size)  # sparse: no disk used
    return path


@pytest.mark.parametrize(
    ("name", "head", "limit", "category"),
    [("big.gif", GIF, 15 * MiB, "tweet_gif"), ("big.mp4", MP4, 512 * MiB, "tweet_video")],
)
def test_category_size_limits(tmp_path: Path, name: str, head: bytes, limit: int, category: str) -> None:
    """Images are in tests/unit/test_bad_inputs.py with every other refused input."""
    assert inspect_media_file(big_file(tmp_path, name, head, limit)).media_category == category
    with pytest.raises(TwitterInputError, match=f"limit for {category} is {limit // MiB} MiB"):
        inspect_media_file(big_file(tmp_path, name, head, limit + 1))


def test_limits_are_inclusive(tmp_path: Path) -> None:
    assert inspect_media_file(big_file(tmp_path, "max.png", PNG, 5 * MiB)).size == 5 * MiB


@pytest.mark.parametrize("seconds", [0.5, 140.0])
def test_video_duration_limits_are_inclusive(tmp_path: Path, seconds: float) -> None:
    assert inspect_media_file(write(tmp_path, "v.mp4", mp4(seconds))).duration == seconds


@pytest.mark.parametrize(
    ("seconds", "message"),
    [
        (149.0, r"lasts 149.00 s; X takes videos of 0.5 to 140 s\. Trim it .* pass max_video_duration"),
        (0.4, r"lasts 0.40 s; X takes videos of 0.5 to 140 s\. Make it longer"),
    ],
)
def test_video_outside_x_duration_limits_is_refused(tmp_path: Path, seconds: float, message: str) -> None:
    with pytest.raises(TwitterInputError, match=message):
        inspect_media_file(write(tmp_path, "v.mp4", mp4(seconds)))


def test_longer_videos_for_accounts_allowed_them(tmp_path: Path) -> None:
    path = write(tmp_path, "v.mov", mp4(600.0))
    assert inspect_media_file(path, "video/quicktime", max_video_duration=600).duration == 600.0
    with pytest.raises(TwitterInputError, match=r"X takes videos of 0\.5 to 599 s"):
        inspect_media_file(path, max_video_duration=599)


def test_video_without_readable_duration_is_left_to_x(tmp_path: Path) -> None:
    assert inspect_media_file(write(tmp_path, "v.mp4", MP4)).duration is None


def test_duration_is_not_read_from_images(tmp_path: Path) -> None:
    assert inspect_media_file(write(tmp_path, "a.png", PNG + mp4(1000.0))).duration is None


def test_a_media_file_opens_for_reads_of_its_chunk_size(tmp_path: Path) -> None:
    path = write(tmp_path, "a.png", PNG)
    media = MediaFile(path=path, size=len(PNG), media_type="image/png", media_category="tweet_image")
    with media.open(chunk_size=16) as f:
        assert f.read(16) == PNG[:16]
    with inspect_media_file(path).open(chunk_size=16) as f:  # inspected: read from the source it was checked from
        assert f.read() == PNG


@pytest.mark.parametrize(
    ("content", "media_type"),
    [
        (b"1\n00:00:00,500 --> 00:00:02,000\nHello\n", "text/srt"),
        (b"WEBVTT\n\n00:00.500 --> 00:02.000\nHello\n", "text/vtt"),
    ],
)
def test_a_subtitles_file_is_typed_by_its_content(tmp_path: Path, content: bytes, media_type: str) -> None:
    media = inspect_subtitles_file(Path(write(tmp_path, "track.txt", content)))
    assert (media.media_type, media.media_category, media.size) == (media_type, "subtitles", len(content))
    assert media.path == str(tmp_path / "track.txt")


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda d: str(d / "missing.srt"), "does not exist. Check file_path"),
        (lambda d: str(d), "is not a regular file"),
        (lambda d: write(d, "empty.srt", b""), "is empty; there are no subtitles to upload"),
        (
            lambda d: big_file(d, "huge.srt", b"1\n", 5 * MiB + 1),
            "is 5.0 MiB; the provider takes subtitle files of at most 5",
        ),
        (lambda d: "  ", "file_path must be the path of a local SRT or WebVTT file"),
        (lambda d: 42, "file_path must be the path of a local SRT or WebVTT file, got int 42"),
    ],
    ids=["missing", "directory", "empty", "too big", "blank", "not a path"],
)
def test_a_subtitles_file_that_cannot_be_one_is_refused(tmp_path: Path, setup: Any, message: str) -> None:
    with pytest.raises(TwitterInputError, match=re.escape(message)):
        inspect_subtitles_file(setup(tmp_path))


def test_a_subtitles_file_with_bad_content_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "track.vtt", b"WEBVTT\n\n00:00,500 --> 00:02,000\nHello\n")
    with pytest.raises(
        TwitterInputError, match=rf"Subtitles file {re.escape(repr(path))} is not valid WebVTT at line 3"
    ):
        inspect_subtitles_file(path)
