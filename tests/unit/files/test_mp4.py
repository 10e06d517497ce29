"""A video's duration from its MP4 / QuickTime header, found by seeking from box to box, never reading the media."""

from __future__ import annotations

import os
import struct
from collections.abc import Callable
from pathlib import Path

import pytest

from airflow_provider.files.mp4 import read_video_duration
from tests.unit.mp4 import FTYP_BOX as FTYP
from tests.unit.mp4 import box, mp4, mvhd

SAMPLE = Path(__file__).resolve().parents[3] / "dags" / "media" / "sample.mp4"


@pytest.fixture
def write_mp4(tmp_path: Path) -> Callable[..., Path]:
    def write(*boxes: bytes) -> Path:
        path = tmp_path / "clip.mp4"
        path.write_bytes(b"".join(boxes))
        return path

    return write


def test_sample_lasts_three_seconds() -> None:
    assert video_duration(SAMPLE) == pytest.approx(3.0)


def test_version_0_header(write_mp4: Callable[..., Path]) -> None:
    assert video_duration(write_mp4(FTYP, box(b"moov", mvhd(600, 90_000)), box(b"mdat", b"\0" * 64))) == 150.0
    assert video_duration(write_mp4(mp4(0.5))) == 0.5


def test_version_1_header_with_64_bit_duration(write_mp4: Callable[..., Path]) -> None:
    path = write_mp4(FTYP, box(b"moov", box(b"udta") + mvhd(1_000_000, 2**33, version=1)))
    assert video_duration(path) == pytest.approx(2**33 / 1_000_000)


def test_moov_after_huge_media_data_is_found_by_seeking(tmp_path: Path) -> None:
    # 5 GiB of media data (a sparse file, 64-bit box size) before moov, as in a file that was not "fast-started":
    # reading it rather than seeking past it would exhaust the test's memory and time.
    media_size = 5 * 2**30
    path = tmp_path / "long.mov"
    with open(path, "wb") as f:
        f.write(FTYP + struct.pack(">I4sQ", 1, b"mdat", 16 + media_size))
        f.seek(media_size, 1)
        f.write(box(b"moov", mvhd(1000, 1500)))
    assert video_duration(path) == 1.5


@pytest.mark.parametrize(
    "boxes",
    [
        pytest.param([FTYP, box(b"mdat", b"\0" * 100)], id="no moov"),
        pytest.param([FTYP, box(b"moov", box(b"trak"))], id="moov without mvhd"),
        pytest.param([FTYP, box(b"moov", mvhd(0, 100))], id="zero timescale"),
        pytest.param([FTYP, box(b"moov", mvhd(1000, 0))], id="zero duration (fragmented MP4)"),
        pytest.param([FTYP, box(b"moov", mvhd(1000, 0xFFFFFFFF))], id="unknown duration"),
        pytest.param([FTYP, struct.pack(">I4s", 4, b"moov")], id="box smaller than its header"),
        pytest.param([FTYP, struct.pack(">I4s", 10_000, b"moov") + mvhd(1000, 1500)], id="box past end of file"),
        pytest.param([FTYP, box(b"moov", mvhd(1000, 1500))[:20]], id="truncated"),
        pytest.param([b"not a video at all"], id="not a box"),
    ],
)
def test_no_readable_duration_is_none(write_mp4: Callable[..., Path], boxes: list[bytes]) -> None:
    assert video_duration(write_mp4(*boxes)) is None


def video_duration(path: Path | str) -> float | None:
    """:func:`read_video_duration` of a local file."""
    with open(path, "rb") as f:
        return read_video_duration(f, os.fstat(f.fileno()).st_size)
