"""One media's chunked upload: INIT, the segments streamed from the file several at a time, FINALIZE, then its metadata.

X reassembles segments by index, which clients rely on (node-twitter-api-v2 sends 3 at a time, x-ruby one thread per
segment) but X does not document. So if X refuses a segment sent out of order, the upload does not guess: it lets the
segments in flight finish, sends the refused ones again one at a time, in order, and goes on sequentially; a segment
refused when sent alone is a real refusal. At most ``parallel_segments`` chunks, plus the one being read, are in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Set
from concurrent.futures import ALL_COMPLETED, FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, BinaryIO, Protocol, TypeVar

from airflow_provider.client.log import Log
from airflow_provider.client.progress import UploadProgress
from airflow_provider.client.resume import MediaForgotten, UploadJournal, forgotten
from airflow_provider.exceptions import TwitterBillingError, TwitterInputError, TwitterRejectedError
from airflow_provider.rules.media import MiB, check_segments, segment_count
from airflow_provider.rules.metadata import MediaMetadata
from airflow_provider.rules.numbers import check_number

if TYPE_CHECKING:
    from airflow_provider.client.media import MediaEndpoints

# 4 MiB, not X's 5 MB limit: what X's own samples and xurl send, and a client saw HTTP 431 at 5 MiB on v2
# (abraham/twitteroauth#1257); 4 MiB already keeps a 60 MB video to 15 APPENDs.
DEFAULT_CHUNK_SIZE = 4 * MiB
# APPENDs in flight at once by default: see docs/benchmarks.md for the measurements behind it.
DEFAULT_PARALLEL_SEGMENTS = 4

T = TypeVar("T")


class UploadSource(Protocol):
    """A file checked for upload (:class:`airflow_provider.files.media_file.MediaFile` is one)."""

    @property
    def path(self) -> str: ...

    @property
    def size(self) -> int: ...

    @property
    def media_type(self) -> str: ...

    @property
    def media_category(self) -> str: ...

    def open(self, chunk_size: int) -> AbstractContextManager[BinaryIO]: ...


def upload_media(
    media_api: MediaEndpoints,
    media: UploadSource,
    *,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    parallel_segments: int = DEFAULT_PARALLEL_SEGMENTS,
    alt_text: str | None = None,
    metadata: MediaMetadata | None = None,
    log: Log,
    journal: UploadJournal | None = None,
) -> dict[str, Any]:
    """INIT, APPEND each chunk streamed from the file or stored object, FINALIZE, then the metadata (``alt_text``
    alone, or ``metadata``) in one call: X's answer to FINALIZE.

    With a ``journal``, an earlier try's media id is continued from the segments X had not acknowledged, and this
    try's progress is noted; if X refuses the first request on that id as unknown, the upload starts again."""
    check_segments(media.path, media.size, chunk_size)
    check_number("parallel_segments", parallel_segments, integer=True, minimum=1)
    if metadata is not None and alt_text is not None:
        raise TwitterInputError("Pass alt_text or metadata, not both: put the alt text in MediaMetadata.")
    metadata = metadata or MediaMetadata.checked(alt_text=alt_text)
    upload = _Upload(media_api, media, chunk_size, parallel_segments, log, journal)
    if journal is not None and (resume := journal.resume_point()) is not None:
        try:
            final = upload.send(*resume, continuing=True)
        except MediaForgotten as e:
            log.warning("%s; uploading it again under a new media id.", e)
        else:
            return upload.finish(final, metadata)
    init = media_api.initialize(
        total_bytes=media.size, media_type=media.media_type, media_category=media.media_category
    )
    media_id = str(init["id"])
    if journal is not None:
        journal.began(media_id, init.get("expires_after_secs"))
    return upload.finish(upload.send(media_id, frozenset(), continuing=False), metadata)


class _Upload:
    """The APPENDs and FINALIZE of one media id, and the journal told of X's acknowledgements."""

    def __init__(
        self,
        media_api: MediaEndpoints,
        media: UploadSource,
        chunk_size: int,
        width: int,
        log: Log,
        journal: UploadJournal | None,
    ) -> None:
        self.media_api, self.media, self.chunk_size, self.width = media_api, media, chunk_size, width
        self.log, self.journal = log, journal

    def send(self, media_id: str, acknowledged: frozenset[int], *, continuing: bool) -> dict[str, Any]:
        """The segments not yet ``acknowledged``, then FINALIZE. ``continuing`` an earlier try's id, X's refusal
        of the first request on it as unknown raises ``MediaForgotten``."""
        if continuing:
            self.log.info(
                "Continuing media %s from an earlier try: X acknowledged %d of %d segment(s).",
                media_id,
                len(acknowledged),
                segment_count(self.media.size, self.chunk_size),
            )
        progress = UploadProgress(self.log, media_id=media_id, total_bytes=self.media.size)
        appends = _Appends(self.media_api, media_id, progress, self.log, set(acknowledged), self.journal)
        with self.media.open(self.chunk_size) as f, ThreadPoolExecutor(self.width, "x-append") as pool:
            chunks = iter_chunks(f, self.chunk_size, skip=acknowledged)
            if continuing and (first := next(chunks, None)) is not None:
                _first_on(media_id, lambda: appends.send_alone(*first))
                continuing = False
            appends.send_all(pool, chunks, width=self.width)
        if continuing:  # every segment was acknowledged: FINALIZE is the first request on the id
            return _first_on(media_id, lambda: self.media_api.finalize(media_id))
        return self.media_api.finalize(media_id)

    def finish(self, final: dict[str, Any], metadata: MediaMetadata) -> dict[str, Any]:
        if metadata.body():
            self.media_api.set_metadata(str(final["id"]), metadata)
        if self.journal is not None:
            self.journal.finished()
        return final


def _first_on(media_id: str, request: Callable[[], T]) -> T:
    """The first request on an earlier try's media id: X's refusal of the id as unknown becomes ``MediaForgotten``."""
    try:
        return request()
    except TwitterRejectedError as e:
        raise forgotten(media_id, e) or e from None


def iter_chunks(f: BinaryIO, chunk_size: int, skip: Set[int] = frozenset()) -> Iterator[tuple[int, bytes]]:
    """Yield ``(segment_index, bytes)``, holding one chunk in memory at a time. Every chunk but the last is
    ``chunk_size`` long, as the segment count promised X, even from a file whose reads may return less. The
    segments in ``skip`` are seeked past, not read (from object storage, not fetched)."""
    index = 0
    while True:
        if index in skip:
            while index in skip:
                index += 1
            f.seek(index * chunk_size)
        if not (chunk := f.read(chunk_size)):
            return
        while len(chunk) < chunk_size and (more := f.read(chunk_size - len(chunk))):
            chunk += more
        yield index, chunk
        index += 1


class _Appends:
    """The APPENDs of one media: up to ``width`` in flight, 1 once X refused a segment sent in parallel."""

    def __init__(
        self,
        media_api: MediaEndpoints,
        media_id: str,
        progress: UploadProgress,
        log: Log,
        acknowledged: set[int] | None = None,
        journal: UploadJournal | None = None,
    ) -> None:
        self.media_api, self.media_id, self.progress, self.log = media_api, media_id, progress, log
        self.in_flight: dict[Future[None], tuple[int, bytes]] = {}
        self.width = 1
        self.acknowledged = set() if acknowledged is None else acknowledged
        self.journal = journal

    def send_alone(self, index: int, chunk: bytes) -> None:
        self.media_api.append(self.media_id, index, chunk)
        self._acknowledged(index, len(chunk))

    def _acknowledged(self, index: int, nbytes: int) -> None:
        """Count the segment's bytes and, on the main thread (the journal's writes are not made from the pool's),
        note the whole acknowledged set: one write per segment, 4 MiB apart by default."""
        self.progress.add(nbytes)
        self.acknowledged.add(index)
        if self.journal is not None:
            self.journal.acknowledged(self.acknowledged)

    def send_all(self, pool: ThreadPoolExecutor, chunks: Iterator[tuple[int, bytes]], *, width: int) -> None:
        self.width = width
        for index, chunk in chunks:
            while len(self.in_flight) >= self.width:
                self._settle(FIRST_COMPLETED)
            self.in_flight[pool.submit(self.media_api.append, self.media_id, index, chunk)] = (index, chunk)
        while self.in_flight:
            self._settle(ALL_COMPLETED)
        self.progress.done()

    def _settle(self, return_when: str) -> None:
        """Wait for APPENDs to finish and count their bytes; once X refused a segment sent in parallel, let the rest
        in flight finish, send the refused ones again, in order, and go on one at a time."""
        done, _ = wait(self.in_flight, return_when=return_when)
        refused = self._collect(done)
        if not refused:
            return
        rest, _ = wait(self.in_flight)
        refused += self._collect(rest)
        for index, chunk in sorted(refused):
            self.send_alone(index, chunk)
        self.width = 1

    def _collect(self, done: set[Future[None]]) -> list[tuple[int, bytes]]:
        """The segments X refused while several were in flight; any other failure is raised."""
        refused = []
        for future in done:
            index, chunk = self.in_flight.pop(future)
            try:
                future.result()
            except TwitterRejectedError as e:
                if self.width == 1 or isinstance(e, TwitterBillingError):
                    raise
                self.log.warning("X refused segment %d sent in parallel (%s); going on one at a time.", index, e)
                refused.append((index, chunk))
                continue
            self._acknowledged(index, len(chunk))
        return refused
