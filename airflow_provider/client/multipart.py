"""A multipart/form-data APPEND body that is streamed from the chunk it wraps, never copied.

``requests`` builds ``files=`` bodies by concatenating them into one new bytes object, which would hold every
segment twice while it is in flight. This body is read in blocks by urllib3 instead, has a known length (so
no chunked transfer encoding), and rewinds for a retry.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Mapping


class SegmentBody(io.RawIOBase):
    """``fields`` go before ``segment_index`` (v1.1 APPEND also names its ``command`` and ``media_id`` there)."""

    def __init__(self, segment_index: int, chunk: bytes, fields: Mapping[str, str] | None = None) -> None:
        self.boundary = uuid.uuid4().hex
        form = {**(fields or {}), "segment_index": str(segment_index)}
        head = (
            "".join(
                f'--{self.boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
                for name, value in form.items()
            )
            + f"--{self.boundary}\r\n"
            'Content-Disposition: form-data; name="media"; filename="segment"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        tail = f"\r\n--{self.boundary}--\r\n".encode()
        self._parts = (memoryview(head), memoryview(chunk), memoryview(tail))
        self._length = sum(len(p) for p in self._parts)
        self._pos = 0

    @property
    def content_type(self) -> str:
        return f"multipart/form-data; boundary={self.boundary}"

    def __len__(self) -> int:
        return self._length

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._length}[whence]
        self._pos = min(max(base + offset, 0), self._length)
        return self._pos

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        written, pos, out = 0, self._pos, memoryview(buffer).cast("B")
        for part in self._parts:
            if pos >= len(part):
                pos -= len(part)
                continue
            take = min(len(part) - pos, len(out) - written)
            out[written : written + take] = part[pos : pos + take]
            written += take
            pos = 0
            if written == len(out):
                break
        self._pos += written
        return written
