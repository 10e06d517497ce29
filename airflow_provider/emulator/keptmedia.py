"""Media bytes kept for the emulator's web page (``web.py``), within a total cap so that memory stays bounded.

No X API answer needs the bytes back, so they are kept only to show a post's pictures: a media's segments are held
from APPEND until FINALIZE joins them, and when a new segment would pass the cap the oldest media (held or joined)
are dropped first. A media larger than the cap is never kept. Not thread-safe: ``EmulatorState`` calls it under its
lock.
"""

from __future__ import annotations

from collections import OrderedDict


class KeptMedia:
    """Up to ``cap_bytes`` of media bytes by media id, oldest first; 0 keeps none."""

    def __init__(self, cap_bytes: int) -> None:
        self.cap_bytes = cap_bytes
        self._entries: OrderedDict[str, dict[int, bytes] | bytes] = OrderedDict()
        self._total = 0

    def add_segment(self, media_id: str, total_bytes: int, index: int, data: bytes) -> None:
        """Hold segment ``index`` of a media declared ``total_bytes`` long, making room by dropping older media."""
        if total_bytes > self.cap_bytes:
            return
        segments = self._entries.setdefault(media_id, {})
        assert isinstance(segments, dict), "the state refuses segments after FINALIZE"
        self._total -= len(segments.pop(index, b""))  # a retry of the same index replaces it
        self._make_room(len(data), media_id)
        if self._total + len(data) > self.cap_bytes:  # its own segments add up to more than it declared
            self.drop(media_id)
            return
        segments[index] = data
        self._total += len(data)

    def join(self, media_id: str, count: int) -> None:
        """Join segments 0..count-1 once FINALIZE accepts them; a media some of whose segments were dropped is
        forgotten, since its picture would be broken."""
        segments = self._entries.get(media_id)
        if not isinstance(segments, dict):
            return
        if all(index in segments for index in range(count)):
            self._entries[media_id] = b"".join(segments[index] for index in range(count))  # keeps its age
        else:
            self.drop(media_id)

    def drop(self, media_id: str) -> None:
        entry = self._entries.pop(media_id, None)
        if entry is not None:
            self._total -= _size(entry)

    def get(self, media_id: str) -> bytes | None:
        """The joined bytes of a finalized media, if still kept."""
        entry = self._entries.get(media_id)
        return entry if isinstance(entry, bytes) else None

    def clear(self) -> None:
        self._entries.clear()
        self._total = 0

    def _make_room(self, needed: int, keep_id: str) -> None:
        for media_id in [key for key in self._entries if key != keep_id]:
            if self._total + needed <= self.cap_bytes:
                return
            self.drop(media_id)


def _size(entry: dict[int, bytes] | bytes) -> int:
    return len(entry) if isinstance(entry, bytes) else sum(len(part) for part in entry.values())
