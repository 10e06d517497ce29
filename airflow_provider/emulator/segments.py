"""What the emulator keeps of an appended segment: its size, a SHA-256 and, for sniffing, its first bytes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from airflow_provider.emulator.sniffing import HEAD_BYTES


@dataclass(frozen=True)
class SegmentDigest:
    """Enough to reassemble-check a segment and detect a conflicting retry, without holding its bytes."""

    size: int
    sha256: str
    head: bytes

    @classmethod
    def of(cls, data: bytes) -> SegmentDigest:
        hasher = SegmentHasher()
        hasher.update(data)
        return hasher.digest()


class SegmentHasher:
    """Digests a segment as it streams in, so a 5 MiB part is never held whole."""

    def __init__(self) -> None:
        self._size = 0
        self._sha = hashlib.sha256()
        self._head = bytearray()

    def update(self, data: bytes | memoryview) -> None:
        self._size += len(data)
        self._sha.update(data)
        if len(self._head) < HEAD_BYTES:
            self._head += data[: HEAD_BYTES - len(self._head)]

    def digest(self) -> SegmentDigest:
        return SegmentDigest(self._size, self._sha.hexdigest(), bytes(self._head))
