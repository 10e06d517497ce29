from __future__ import annotations

import os
from pathlib import Path

import pytest

from airflow_provider.client.uploads import iter_chunks
from airflow_provider.exceptions import TwitterInputError
from airflow_provider.files.content import sniff_content
from airflow_provider.files.media_file import inspect_media_file
from airflow_provider.rules.media import IMAGE_TYPES, VIDEO_TYPES, MiB, check_segments
from tests.unit.mp4 import mp4

SAMPLES = Path(__file__).resolve().parents[3] / "dags" / "media"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 100
GIF = b"GIF89a" + b"\0" * 100
MP4 = b"\0\0\0\x20ftypisom" + b"\0" * 100


def write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"\xff\xd8\xff\xe0", "image/jpeg"),
        (PNG, "image/png"),
        (GIF, "image/gif"),
        (b"RIFF\0\0\0\0WEBPVP8 ", "image/webp"),
        (MP4, "video/mp4"),
        (b"\0\0\0\x14ftypqt  ", "video/quicktime"),
    ],
)
def test_sniff(head: bytes, expected: str) -> None:
    assert sniff_content(head) == expected


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


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"plain notes\n", "text"),
        ("caf\u00e9".encode() + b"\xc3", "text"),  # a character cut at the end of the head
        (b"\0\0\0\x18ftypheic", "a HEIC image (image/heic)"),
        (b"\0\0\0\x18ftypavif", "an AVIF image (image/avif)"),
        (b"RIFF\0\0\0\0AVI LIST", "an AVI video (video/x-msvideo)"),
        (b"\x1a\x45\xdf\xa3\x9f", "a WebM or Matroska video (video/webm)"),
        (b"II*\x00\x08", "a TIFF image (image/tiff)"),
        ((b"\x47" + b"\0" * 187) * 2, "an MPEG transport stream (video/mp2t)"),
        (b"BMW makes cars", "text"),  # 'BM' alone is not a bitmap
        (b"\x00\x01\x02\x03", None),
    ],
)
def test_sniff_names_what_x_does_not_take(head: bytes, expected: str | None) -> None:
    assert sniff_content(head) == expected
    assert expected not in IMAGE_TYPES | VIDEO_TYPES


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


@pytest.mark.parametrize(
    ("chunk_size", "message"), [(0, "from 1 to 5242880"), (5 * MiB + 1, "from 1 to 5242880"), (1000, "at least 1049")]
)
def test_chunk_size_rules(tmp_path: Path, chunk_size: int, message: str) -> None:
    media = inspect_media_file(big_file(tmp_path, "v.mp4", MP4, MiB))
    with pytest.raises(TwitterInputError, match=message):
        check_segments(media.path, media.size, chunk_size)
    check_segments(media.path, media.size, 1049)  # ceil(1 MiB / 1000): exactly 1,000 segments


def test_iter_chunks_streams(tmp_path: Path) -> None:
    path = write(tmp_path, "d", b"abcdefghij")
    with open(path, "rb") as f:
        assert list(iter_chunks(f, 4)) == [(0, b"abcd"), (1, b"efgh"), (2, b"ij")]


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
