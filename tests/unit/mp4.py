"""Tiny MP4 files built box by box (ISO/IEC 14496-12), for tests of header parsing."""

from __future__ import annotations

import struct
from pathlib import Path

FTYP_BOX = struct.pack(">I4s", 32, b"ftyp") + b"isom\0\0\2\0isomiso2avc1mp41"


def box(kind: bytes, content: bytes = b"") -> bytes:
    return struct.pack(">I4s", 8 + len(content), kind) + content


def mvhd(timescale: int, duration: int, *, version: int = 0) -> bytes:
    """A movie header box: version 0 has 32-bit times, version 1 64-bit ones."""
    layout = ">QQIQ" if version == 1 else ">IIII"
    return box(b"mvhd", bytes([version, 0, 0, 0]) + struct.pack(layout, 0, 0, timescale, duration) + b"\0" * 80)


def mp4(seconds: float, *, timescale: int = 1000) -> bytes:
    """An MP4 whose header says it lasts ``seconds``, with a little media data before the movie box."""
    return FTYP_BOX + box(b"mdat", b"\0" * 64) + box(b"moov", mvhd(timescale, round(seconds * timescale)))


def large_mp4(path: Path, size: int, seconds: float = 10.0) -> Path:
    """An MP4 of ``size`` bytes written as a sparse file (zeros cost no disk): ``ftyp``, then ``mdat`` up to ``moov``
    at the end, which says it lasts ``seconds``; for uploads of many segments."""
    moov = box(b"moov", mvhd(1000, round(seconds * 1000)))
    with path.open("wb") as f:
        f.write(FTYP_BOX + struct.pack(">I4s", size - len(FTYP_BOX) - len(moov), b"mdat"))
        f.seek(size - len(moov))
        f.write(moov)
    return path
