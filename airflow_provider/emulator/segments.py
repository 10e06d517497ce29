"""What the emulator keeps of an appended segment: its size, a SHA-256, its first bytes for sniffing, and the MP4
movie header (``mvhd``) if the segment holds one, from which FINALIZE reads a video's duration."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from airflow_provider.emulator.sniffing import HEAD_BYTES

MVHD = b"mvhd"
# After the box type: version and flags (4), then v0: 4-byte times, timescale, duration; v1: 8-byte times and duration.
MVHD_BODY_BYTES = 32


@dataclass(frozen=True)
class SegmentDigest:
    """Enough to reassemble-check a segment and detect a conflicting retry, without holding its bytes."""

    size: int
    sha256: str
    head: bytes
    mvhd: bytes | None = None

    @classmethod
    def of(cls, data: bytes) -> SegmentDigest:
        hasher = SegmentHasher()
        hasher.update(data)
        return hasher.digest()


class _MovieHeaderFinder:
    """Finds the first ``mvhd`` box type in a stream fed piece by piece, and keeps the bytes that follow it.

    A box split across two segments is not found; the duration is then unknown and not checked.
    """

    def __init__(self) -> None:
        self._carry = b""
        self._body: bytearray | None = None
        self.found: bytes | None = None

    def update(self, data: bytes | memoryview) -> None:
        if self.found is not None:
            return
        if self._body is None:
            window = self._carry + bytes(data)
            start = window.find(MVHD)
            if start < 0:
                self._carry = window[-(len(MVHD) - 1) :]
                return
            self._body, data = bytearray(), window[start + len(MVHD) :]
        self._body += bytes(data[: MVHD_BODY_BYTES - len(self._body)])
        if len(self._body) == MVHD_BODY_BYTES:
            self.found = bytes(self._body)


class SegmentHasher:
    """Digests a segment as it streams in, so a 5 MiB part is never held whole."""

    def __init__(self) -> None:
        self._size = 0
        self._sha = hashlib.sha256()
        self._head = bytearray()
        self._mvhd = _MovieHeaderFinder()

    def update(self, data: bytes | memoryview) -> None:
        self._size += len(data)
        self._sha.update(data)
        if len(self._head) < HEAD_BYTES:
            self._head += data[: HEAD_BYTES - len(self._head)]
        self._mvhd.update(data)

    def digest(self) -> SegmentDigest:
        return SegmentDigest(self._size, self._sha.hexdigest(), bytes(self._head), self._mvhd.found)


def movie_duration(mvhd: bytes) -> float | None:
    """Seconds from an ``mvhd`` body (ISO/IEC 14496-12 §8.2.2), or None if its timescale is 0."""
    if mvhd[0] == 1:
        timescale, duration = int.from_bytes(mvhd[20:24]), int.from_bytes(mvhd[24:32])
    else:
        timescale, duration = int.from_bytes(mvhd[12:16]), int.from_bytes(mvhd[16:20])
    return duration / timescale if timescale else None
