from __future__ import annotations

import builtins
import os
from pathlib import Path

import pytest

from airflow_provider.exceptions import TwitterInputError
from airflow_provider.media import MiB, inspect_media_file, iter_chunks, sniff_media_type
from tests.unit.mp4 import mp4

SAMPLES = Path(__file__).resolve().parents[2] / "dags" / "media"
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
        (b"hello world", None),
    ],
)
def test_sniff(head: bytes, expected: str | None) -> None:
    assert sniff_media_type(head) == expected


def test_samples_are_real_media() -> None:
    video = inspect_media_file(str(SAMPLES / "sample.mp4"))
    image = inspect_media_file(str(SAMPLES / "sample.png"))
    assert (video.media_type, video.media_category, video.is_video) == ("video/mp4", "tweet_video", True)
    assert video.duration == pytest.approx(3.0)
    assert (image.media_type, image.media_category, image.is_video) == ("image/png", "tweet_image", False)


def test_content_wins_over_name_and_name_is_the_fallback(tmp_path: Path) -> None:
    assert inspect_media_file(write(tmp_path, "photo.mp4", PNG)).media_type == "image/png"
    fake = inspect_media_file(write(tmp_path, "fake.mp4", b"not a video at all"))
    assert (fake.media_type, fake.media_category) == ("video/mp4", "tweet_video")


def test_gif_category(tmp_path: Path) -> None:
    assert inspect_media_file(write(tmp_path, "a.gif", GIF)).media_category == "tweet_gif"
    assert inspect_media_file(write(tmp_path, "a.gif", GIF), media_category="tweet_image").media_category == (
        "tweet_image"
    )


def test_explicit_type_is_kept(tmp_path: Path) -> None:
    assert inspect_media_file(write(tmp_path, "clip.bin", MP4), media_type="video/quicktime").media_type == (
        "video/quicktime"
    )


def big_file(tmp_path: Path, name: str, head: bytes, size: int) -> str:
    path = write(tmp_path, name, head)
    os.truncate(path, size)  # sparse: no disk used
    return path


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("missing", "does not exist"),
        ("fifo", "is not a regular file"),
        ("directory", "is a directory"),
        ("empty", "is empty"),
        ("unknown", "Cannot tell the media type"),
        ("unsupported", "'application/pdf' .* is not one X accepts"),
        ("big_image", "5.0 MiB.*limit for tweet_image is 5 MiB"),
        ("big_gif", "limit for tweet_gif is 15 MiB"),
        ("big_video", "limit for tweet_video is 512 MiB"),
        ("bad_category", "Unknown media_category 'tweet_audio'"),
        ("category_mismatch", "'tweet_gif' does not fit media type 'video/mp4'.*'tweet_video'"),
    ],
)
def test_bad_files(tmp_path: Path, case: str, message: str) -> None:
    category = None
    match case:
        case "missing":
            path = str(tmp_path / "nope.mp4")
        case "fifo":
            path = str(tmp_path / "pipe.mp4")
            os.mkfifo(path)
        case "directory":
            path = str(tmp_path)
        case "empty":
            path = write(tmp_path, "empty.mp4", b"")
        case "unknown":
            path = write(tmp_path, "mystery", b"some bytes")
        case "unsupported":
            path = write(tmp_path, "doc.pdf", b"%PDF-1.7")
        case "big_image":
            path = big_file(tmp_path, "big.png", PNG, 5 * MiB + 1)
        case "big_gif":
            path = big_file(tmp_path, "big.gif", GIF, 15 * MiB + 1)
        case "big_video":
            path = big_file(tmp_path, "big.mp4", MP4, 512 * MiB + 1)
        case "bad_category":
            path, category = write(tmp_path, "a.mp4", MP4), "tweet_audio"
        case "category_mismatch":
            path, category = write(tmp_path, "a.mp4", MP4), "tweet_gif"
    with pytest.raises(TwitterInputError, match=message):
        inspect_media_file(path, media_category=category)


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "locked.mp4", MP4)
    real_open = builtins.open

    def deny(file: object, *args: object, **kwargs: object) -> object:
        if file == path:
            raise PermissionError(13, "Permission denied")
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(builtins, "open", deny)
    with pytest.raises(TwitterInputError, match="cannot be read: Permission denied"):
        inspect_media_file(path)


def test_limits_are_inclusive(tmp_path: Path) -> None:
    assert inspect_media_file(big_file(tmp_path, "max.png", PNG, 5 * MiB)).size == 5 * MiB


@pytest.mark.parametrize(
    ("chunk_size", "message"), [(0, "out of range"), (5 * MiB + 1, "out of range"), (1000, "at least 1049")]
)
def test_chunk_size_rules(tmp_path: Path, chunk_size: int, message: str) -> None:
    media = inspect_media_file(big_file(tmp_path, "v.mp4", MP4, MiB))
    with pytest.raises(TwitterInputError, match=message):
        media.check_chunk_size(chunk_size)
    media.check_chunk_size(1049)  # ceil(1 MiB / 1000): exactly 1,000 segments


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
