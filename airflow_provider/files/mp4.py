"""A video's duration from its MP4 / QuickTime header, read without decoding and without reading the file whole.

It needs only a seekable file and its size: a local file, or an object in storage opened through fsspec, where
each box header read is a small ranged read and the media data between is skipped, never fetched.

Both formats are a sequence of boxes (ISO/IEC 14496-12 section 4.2; QuickTime calls them atoms): a 32-bit size,
a 4-character type, and a 64-bit size after the type when the 32-bit one is 1 (0 means "to the end of the file").
The movie header ``moov/mvhd`` holds a timescale (units per second) and the duration in those units (section 8.2.2).
``moov`` may come after the media data (files not "fast-started"), so boxes are skipped by seeking.
"""

from __future__ import annotations

import struct
from typing import BinaryIO

_MAX_BOXES = 10_000  # a real file has a handful of top-level boxes; this bounds a hostile or corrupt one
_UNKNOWN_DURATION = (0xFFFFFFFF, 0xFFFFFFFFFFFFFFFF)  # all ones: "duration cannot be determined"


def read_video_duration(f: BinaryIO, size: int) -> float | None:
    """Seconds of video per ``moov/mvhd`` in the seekable file ``f`` of ``size`` bytes, or None when it has no
    readable movie header. Reads the box headers on the way to ``mvhd`` and 32 bytes of it, nothing else.

    None also for a duration of 0 or all ones: a fragmented MP4 leaves it so and keeps the length in its
    fragments, so it is not a zero-length video.
    """
    moov = _find_box(f, b"moov", 0, size)
    mvhd = moov and _find_box(f, b"mvhd", *moov)
    if not mvhd:
        return None
    start, end = mvhd
    header = f.read(min(end - start, 32))
    if len(header) < 4:
        return None
    if header[0] == 1 and len(header) >= 32:
        timescale, duration = struct.unpack(">IQ", header[20:32])
    elif header[0] == 0 and len(header) >= 20:
        timescale, duration = struct.unpack(">II", header[12:20])
    else:
        return None
    if not timescale or not duration or duration in _UNKNOWN_DURATION:
        return None
    return duration / timescale


def _find_box(f: BinaryIO, kind: bytes, start: int, end: int) -> tuple[int, int] | None:
    """The content range of the first ``kind`` box among those in ``[start, end)``, file positioned at its start."""
    position = start
    for _ in range(_MAX_BOXES):
        if end - position < 8:
            return None
        f.seek(position)
        header = f.read(8)
        if len(header) < 8:
            return None
        size, box = struct.unpack(">I4s", header)
        content = position + 8
        if size == 1:
            large = f.read(8)
            if len(large) < 8:
                return None
            (size,) = struct.unpack(">Q", large)
            content += 8
        elif size == 0:
            size = end - position
        if size < content - position or position + size > end:
            return None  # a box smaller than its header or past its parent: corrupt
        if box == kind:
            f.seek(content)
            return content, position + size
        position += size
    return None
