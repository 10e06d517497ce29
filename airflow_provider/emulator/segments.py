"""What the emulator keeps of an appended segment: its size, a SHA-256, its first bytes for sniffing, and the MP4
movie header (``mvhd``) if the segment holds one, from which FINALIZE reads a video's duration; and the bytes
themselves only when asked, for the web page's pictures (``keptmedia``)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from airflow_provider.emulator.sniffing import HEAD_BYTES

MVHD = b"mvhd"
# After the box type: version and flags (4), then v0: 4-byte times, timescale, duration; v1: 8-byte times and duration.
MVHD_BODY_BYTES = 32


@dataclass(frozen=True)
class SegmentDigest:
    """Enough to reassemble-check a segment and detect a conflicting retry, without holding its bytes.

    ``data`` is the segment itself when the emulator keeps media for its web page; retries compare by digest.
    """

    size: int
    sha256: str
    head: bytes
    mvhd: bytes | None = None
    data: bytes | None = field(default=None, compare=False, repr=False)

    @classmethod
    def of(cls, data: bytes, *, keep: bool = False) -> SegmentDigest:
        hasher = SegmentHasher()
        hasher.update(data)
        digest = hasher.digest()
        return cls(digest.size, digest.sha256, digest.head, digest.mvhd, data if keep else None)


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
    """Digests a segment as it streams in, so a 5 MiB part is never held whole unless ``keep`` asks for its bytes."""

    def __init__(self, *, keep: bool = False) -> None:
        self._size = 0
        self._sha = hashlib.sha256()
        self._head = bytearray()
        self._mvhd = _MovieHeaderFinder()
        self._data = bytearray() if keep else None

    def update(self, data: bytes | memoryview) -> None:
        self._size += len(data)
        self._sha.update(data)
        if len(self._head) < HEAD_BYTES:
            self._head += data[: HEAD_BYTES - len(self._head)]
        self._mvhd.update(data)
        if self._data is not None:
            self._data += data

    def digest(self) -> SegmentDigest:
        data = None if self._data is None else bytes(self._data)
        return SegmentDigest(self._size, self._sha.hexdigest(), bytes(self._head), self._mvhd.found, data)


def movie_duration(mvhd: bytes) -> float | None:
    """Seconds from an ``mvhd`` body (ISO/IEC 14496-12 §8.2.2), or None if its timescale is 0."""
    if mvhd[0] == 1:
        timescale, duration = int.from_bytes(mvhd[20:24]), int.from_bytes(mvhd[24:32])
    else:
        timescale, duration = int.from_bytes(mvhd[12:16]), int.from_bytes(mvhd[16:20])
    return duration / timescale if timescale else None
