"""Where an upload notes its progress, so that a later try continues the same media id instead of sending it all again.

X keeps an upload open until FINALIZE or expiry, and takes its segments in any order and again ("file chunks can be
retried individually", X's media upload docs), so a try that died part-way leaves a media id that a retry can finish.
The client knows only this protocol; the Airflow glue keeps the journal in the task state store
(``airflow_provider/operators/task_memory.py``).
"""

from __future__ import annotations

from collections.abc import Set
from typing import Protocol

from airflow_provider.exceptions import TwitterBillingError, TwitterRejectedError

# What X answers APPEND or FINALIZE for a media id it no longer has (expired, or never finished): 400, as for any
# unknown id (the upload commands' references), or 404. 401 and 403 say nothing about the id and are raised.
FORGOTTEN_STATUSES = frozenset({400, 404})


class UploadJournal(Protocol):
    """An upload's progress, kept where a later try of the same task finds it."""

    def resume_point(self) -> tuple[str, frozenset[int]] | None:
        """The media id an earlier try began and the segments X acknowledged, if the same bytes may continue it;
        None (having said why in the log) to start again."""
        ...

    def began(self, media_id: str, expires_after_secs: float | None) -> None:
        """X minted ``media_id`` for this upload (INIT), to be used for ``expires_after_secs``."""
        ...

    def acknowledged(self, segments: Set[int]) -> None:
        """X has acknowledged every segment in ``segments`` (the whole set so far)."""
        ...

    def finished(self) -> None:
        """FINALIZE and the metadata are done: nothing is left to continue."""
        ...


class MediaForgotten(Exception):
    """X no longer takes the media id an earlier try began: the upload starts again under a new one."""

    def __init__(self, media_id: str, error: TwitterRejectedError) -> None:
        super().__init__(f"X no longer takes media {media_id} from an earlier try ({error})")


def forgotten(media_id: str, error: TwitterRejectedError) -> MediaForgotten | None:
    """The refusal of the first request on a continued media id, read: X has forgotten it, or None (raise it)."""
    if isinstance(error, TwitterBillingError) or error.http_status not in FORGOTTEN_STATUSES:
        return None
    return MediaForgotten(media_id, error)
