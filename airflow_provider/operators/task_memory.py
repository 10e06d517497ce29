"""The task's durable memory: Airflow 3.3's task state store, where a try notes what it did for the next try to find.

A worker can die at any point: mid-upload, or between X accepting a post and the task recording it. Before 3.3 a retry
could learn what its earlier try did only from X (an upload started again; a post or thread searched the account's
timeline, in billed reads). With the task state store (AIP-103) each task notes its progress as it goes, and a retry
reads it back:

- the upload, its media id, its source and the segments X acknowledged (:class:`StoredUploadJournal`), so a retry
  continues the same media id; removed once FINALIZE and the metadata are done;
- a post, a thread, a subtitle track: the intent before the request, the result after (:class:`TaskRecord`), so a
  retry returns the recorded output without a request, and searches X only for an intent without a result;
- the media the sensor uploaded again after X failed a parallel upload (:data:`RESEND_KEY`), so a rescheduled poke or
  a retry waits for it instead of uploading a third copy.

On Airflow 3.0 to 3.2 the context has no ``task_state_store``: :meth:`TaskMemory.of` is None, and every task does
what it did before (the upload starts again, a retried post or thread searches the timeline).

Records hold ids, segment indexes, a file's path and version, and the task's output: never a credential. They are
written with a retention of one day, X's life of an uploaded media: a retry past it could not use the media anyway.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping, Sequence, Set
from datetime import timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from airflow_provider.client.log import Log
from airflow_provider.rules.media import MiB

if TYPE_CHECKING:
    from airflow.providers.common.compat.sdk import Context

    from airflow_provider.files.media_file import MediaFile

T = TypeVar("T")

# X keeps an uploaded media for its expires_after_secs, about 24 h; nothing recorded is of use for longer.
RETENTION = timedelta(days=1)
# A media id this close to its expiry is not continued: the rest of the upload and X's processing need the time.
EXPIRY_MARGIN_SECS = 600.0
# One key per kind of task (a task instance has its own store, mapped ones one per map index).
UPLOAD_KEY = "x_upload"
POST_KEY = "x_post"
THREAD_KEY = "x_thread"
SUBTITLES_KEY = "x_subtitles"
# The sensor's: {"instead_of": the upload's media id, "media": the receipt of the media sent again}.
RESEND_KEY = "x_resend"


class TaskMemory:
    """The task instance's state store: records of JSON values, each written with :data:`RETENTION`."""

    def __init__(self, store: Any, log: Log) -> None:
        self.store, self.log = store, log

    @classmethod
    def of(cls, context: Context, log: Log) -> TaskMemory | None:
        """The running task's memory; None on Airflow before 3.3, which has no task state store."""
        store = context.get("task_state_store")
        return None if store is None else cls(store, log)

    def recall(self, key: str) -> dict[str, Any] | None:
        value = self.store.get(key)
        return value if isinstance(value, dict) else None

    def note(self, key: str, value: dict[str, Any]) -> None:
        self.store.set(key, value, retention=RETENTION)

    def forget(self, key: str) -> None:
        self.store.delete(key)


class TaskRecord:
    """What a task that must act on X exactly once did: ``sending`` is noted before each request (the intent), the
    ids it got after, and the task's whole output at the end, so that a retry returns exactly what the first try
    returned, keys added to the output included."""

    def __init__(self, memory: TaskMemory | None, key: str) -> None:
        self.memory, self.key = memory, key
        # What the earlier tries left, read once: this try's own notes do not change it.
        self.recalled = (memory.recall(key) if memory is not None else None) or {}

    @classmethod
    def of(cls, context: Context, key: str, log: Log) -> TaskRecord:
        return cls(TaskMemory.of(context, log), key)

    @property
    def output(self) -> Any:
        """The output an earlier try returned, or None."""
        return self.recalled.get("output")

    @property
    def done(self) -> list[str]:
        """The ids an earlier try recorded (a thread's items posted), in order."""
        return [str(i) for i in self.recalled.get("done") or []]

    @property
    def answer_lost(self) -> bool:
        """An earlier try noted an intent and no result: X may have acted, and only X knows."""
        return bool(self.recalled.get("sending")) and "output" not in self.recalled

    @property
    def search_first(self) -> bool:
        """Whether a retry must look on X for what an earlier try did: without a store always (as before 3.3); with
        one only when an answer was lost."""
        return self.memory is None or self.answer_lost

    def intend(self, done: Sequence[str] = ()) -> None:
        """Before the request: X may act on it even if this try never hears the answer."""
        self._note({"sending": True, "done": list(done)})

    def record(self, done: Sequence[str]) -> None:
        """After the request: its id is known."""
        self._note({"sending": False, "done": list(done)})

    def keep(self, output: T) -> T:
        """The task's output, returned as it is by any later try."""
        self._note({"sending": False, "output": output})
        return output

    def _note(self, value: dict[str, Any]) -> None:
        if self.memory is not None:
            self.memory.note(self.key, value)


class StoredUploadJournal:
    """An upload's progress in the task's memory (:class:`~airflow_provider.client.resume.UploadJournal`): the media
    id, what it was minted for (the file's path, version and size, the type, category and chunk size), when it
    expires, and the segments X acknowledged, rewritten whole after each acknowledgement."""

    def __init__(self, memory: TaskMemory, source: Mapping[str, Any]) -> None:
        self.memory, self.source, self.log = memory, dict(source), memory.log
        self.media_id: str | None = None
        self.expires_at: float | None = None

    def resume_point(self) -> tuple[str, frozenset[int]] | None:
        record = self.memory.recall(UPLOAD_KEY)
        if record is None:
            return None
        media_id, expires_at = str(record.get("media_id")), record.get("expires_at")
        if record.get("source") != self.source:
            changed = sorted(k for k in self.source if (record.get("source") or {}).get(k) != self.source[k])
            self.log.warning(
                "An earlier try began media %s, but the upload has changed since (%s): starting again.",
                media_id,
                ", ".join(changed) or "its record",
            )
            return None
        if isinstance(expires_at, int | float) and expires_at - EXPIRY_MARGIN_SECS < time.time():
            self.log.warning("An earlier try began media %s, but X lets it expire soon: starting again.", media_id)
            return None
        self.media_id, self.expires_at = media_id, expires_at
        return media_id, frozenset(int(i) for i in record.get("acknowledged") or [])

    def began(self, media_id: str, expires_after_secs: float | None) -> None:
        self.media_id = media_id
        self.expires_at = time.time() + float(expires_after_secs) if expires_after_secs else None
        self.acknowledged(frozenset())

    def acknowledged(self, segments: Set[int]) -> None:
        record = {"media_id": self.media_id, "source": self.source, "expires_at": self.expires_at}
        self.memory.note(UPLOAD_KEY, {**record, "acknowledged": sorted(segments)})

    def finished(self) -> None:
        self.memory.forget(UPLOAD_KEY)


def upload_journal(context: Context, media: MediaFile, chunk_size: int, log: Log) -> StoredUploadJournal | None:
    """The journal of ``media``'s upload in chunks of ``chunk_size``; None before Airflow 3.3."""
    memory = TaskMemory.of(context, log)
    if memory is None:
        return None
    source = {
        "path": _without_query(media.path),
        "version": media.version(),
        "size": media.size,
        "media_type": media.media_type,
        "media_category": media.media_category,
        "chunk_size": chunk_size,
    }
    log.info(
        "Upload progress is kept in the task state store (every %.0f MiB), for a retry to continue.", chunk_size / MiB
    )
    return StoredUploadJournal(memory, source)


def _without_query(path: str) -> str:
    """A URL's query (a presigned URL's signature) kept only as a digest: the record tells a change, not a secret."""
    base, sep, query = path.partition("?")
    return f"{base}?sha256:{hashlib.sha256(query.encode()).hexdigest()[:16]}" if sep else base
