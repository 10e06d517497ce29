"""What a file's first bytes show it to be, by their magic numbers: a type X accepts, or what else it is."""

from __future__ import annotations

import pytest

from airflow_provider.files.content import SNIFF_BYTES, sniff_content
from airflow_provider.rules.media import IMAGE_TYPES, VIDEO_TYPES

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 100
GIF = b"GIF89a" + b"\0" * 100
MP4 = b"\0\0\0\x20ftypisom" + b"\0" * 100


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"\xff\xd8\xff\xe0", "image/jpeg"),
        (PNG, "image/png"),
        (GIF, "image/gif"),
        (b"GIF87a", "image/gif"),
        (b"RIFF\0\0\0\0WEBPVP8 ", "image/webp"),
        (MP4, "video/mp4"),
        (b"\0\0\0\x14ftypqt  ", "video/quicktime"),
    ],
)
def test_types_x_takes(head: bytes, expected: str) -> None:
    assert sniff_content(head) == expected
    assert expected in IMAGE_TYPES | VIDEO_TYPES


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"plain notes\n", "text"),
        ("caf\u00e9".encode() + b"\xc3", "text"),  # a character cut at the end of the head
        ("\ufeffcaf\u00e9\r\n\tline".encode(), "text"),  # a BOM, tabs and line breaks are text
        (b"\0\0\0\x18ftypheic", "a HEIC image (image/heic)"),
        (b"\0\0\0\x18ftypavif", "an AVIF image (image/avif)"),
        (b"\0\0\0\x18ftypM4A ", "MPEG-4 audio (audio/mp4)"),
        (b"RIFF\0\0\0\0AVI LIST", "an AVI video (video/x-msvideo)"),
        (b"RIFF\0\0\0\0WAVEfmt ", "WAV audio (audio/wav)"),
        (b"RIFF\0\0\0\0XXXX", "a RIFF file"),
        (b"\x1a\x45\xdf\xa3\x9f", "a WebM or Matroska video (video/webm)"),
        (b"II*\x00\x08", "a TIFF image (image/tiff)"),
        (b"%PDF-1.7", "a PDF document (application/pdf)"),
        (b"PK\x03\x04", "a ZIP archive (application/zip)"),
        (b"BM\x36\0\0\0\0\0\0\0", "a BMP image (image/bmp)"),
        ((b"\x47" + b"\0" * 187) * 2, "an MPEG transport stream (video/mp2t)"),
        (b"BMW makes cars", "text"),  # 'BM' alone is not a bitmap
        (b"\x00\x01\x02\x03", None),
        (b"\xff\xfe\x00", None),  # not UTF-8, no known magic
    ],
)
def test_what_x_does_not_take_is_named(head: bytes, expected: str | None) -> None:
    assert sniff_content(head) == expected
    assert expected not in IMAGE_TYPES | VIDEO_TYPES


def test_the_head_read_is_enough_for_every_magic_number() -> None:
    """The transport stream's second sync byte, at 188, is the furthest any check looks."""
    assert SNIFF_BYTES > 188
