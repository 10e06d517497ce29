"""The receipt of one media on X: its id and what X said about it, handed from task to task along the DAG's arrows.

``MediaUploadOperator`` returns it, ``MediaProcessingSensor`` returns it again with the outcome of processing, and
``MediaSubtitlesOperator`` with the track it attached; ``CreateTweetOperator`` reads it. Each acts on X's own answer
instead of asking again:

- X's processing state as last known: ``succeeded`` once the media may be posted (an image at FINALIZE, a video
  once the sensor saw it succeed), ``pending`` or ``in_progress`` while X processes it. FINALIZE of an image has no
  ``processing_info``, and X answers STATUS for such media with 400 "BadRequest: Not found" (xdevplatform/xurl#18),
  so nothing may ask;
- when X said to ask first (``check_after_secs`` at FINALIZE), as an absolute time that survives reschedules;
- when the upload finished, the start of the sensor's ``timeout`` window across reschedules and retries;
- when the media id expires (``expires_after_secs``);
- for a video or GIF whose segments were sent in parallel, what it takes to upload the file again one segment at a
  time (``resend``: the upload's file and arguments), should X fail its processing as it might if it put the
  segments together in arrival order (X documents neither way; docs/operators.md, "Parallel uploads").

It travels as a plain dict (the XCom) that the user can read in the UI and override. A bare media id (a string of
digits) is accepted wherever a receipt is: then nothing is known beyond the id.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

from airflow_provider.exceptions import TwitterInputError, format_utc
from airflow_provider.rules.media import check_media_ids, kind_of_key
from airflow_provider.rules.processing import ProcessingStatus, uploaded_ago

SUCCEEDED = "succeeded"


@dataclass(frozen=True)
class MediaReceipt:
    """One media on X, from a task's output or a bare id (``state`` None: nothing known)."""

    media_id: str
    media_key: str | None = None
    state: str | None = None
    next_status_at: float | None = None
    uploaded_at: float | None = None
    expires_at: float | None = None
    # Tracks attached by MediaSubtitlesOperator: {"language_code", "display_name", "media_id"} each.
    subtitles: tuple[Mapping[str, str], ...] = ()
    # Segments were sent in parallel: MediaUploadOperator's arguments for a sequential upload of the same file
    # (file_path, media_type, media_category, chunk_size, max_video_duration, metadata). None once processed.
    resend: Mapping[str, Any] | None = None

    @classmethod
    def from_finalize(cls, data: Mapping[str, Any], *, now: float | None = None) -> MediaReceipt:
        """Read X's FINALIZE ``data``: being processed only when it carries ``processing_info`` (X's rule)."""
        now = time.time() if now is None else now
        info = data.get("processing_info") or None
        expires = data.get("expires_after_secs")
        return cls(
            media_id=str(data["id"]),
            media_key=data.get("media_key"),
            state=str(info.get("state") or "pending") if info else SUCCEEDED,
            next_status_at=now + float(info.get("check_after_secs") or 0) if info else None,
            uploaded_at=now,
            expires_at=now + float(expires) if expires else None,
        )

    @classmethod
    def parse(cls, value: Any, *, argument: str = "media_id") -> MediaReceipt:
        """A receipt dict or a bare id; anything else is refused naming ``argument`` and what to pass."""
        if isinstance(value, MediaReceipt):
            return value
        if isinstance(value, Mapping):
            if "media_id" not in value:
                raise TwitterInputError(
                    f"{argument} is a dict without 'media_id' (keys: {sorted(value)}). Pass the output of "
                    "MediaUploadOperator or MediaProcessingSensor (upload.output, wait.output) or a media id string."
                )
            (media_id,) = check_media_ids([value["media_id"]])
            known = {name: value.get(name) for name in _FIELD_CHECKS}
            for name, field_value in known.items():
                if field_value is not None and not _FIELD_CHECKS[name][1](field_value):
                    raise TwitterInputError(
                        f"{argument}[{name!r}] is {type(field_value).__name__} {field_value!r}; a receipt has "
                        f"{_FIELD_CHECKS[name][0]} or null there. Pass the task's output unchanged."
                    )
            subtitles = value.get("subtitles") or ()
            if isinstance(subtitles, str | Mapping) or not all(isinstance(t, Mapping) for t in subtitles):
                raise TwitterInputError(
                    f"{argument}['subtitles'] is {subtitles!r}; a receipt lists its subtitle tracks as dicts there. "
                    "Pass the task's output unchanged."
                )
            return cls(media_id=media_id, subtitles=tuple(subtitles), **known)
        if value is None or (isinstance(value, bool | float | Sequence) and not isinstance(value, str)):
            raise TwitterInputError(
                f"{argument} must be a media id string or the output of MediaUploadOperator or MediaProcessingSensor "
                f"(upload.output, wait.output), got {type(value).__name__} {value!r}."
            )
        (media_id,) = check_media_ids([value])
        return cls(media_id=media_id)

    @property
    def kind(self) -> str | None:
        """Image, animated GIF or video, from X's media key; None when the key is unknown."""
        return kind_of_key(self.media_key)

    @property
    def ready(self) -> bool:
        """X said the media may be posted: nothing to wait for, and no STATUS to ask (until it expires)."""
        return self.state == SUCCEEDED

    def expired(self, now: float | None = None) -> bool:
        return self.expires_at is not None and (time.time() if now is None else now) >= self.expires_at

    def check_not_expired(self) -> None:
        """Refuse media whose receipt says X has let it go: X would refuse it (HTTP 400) in any request."""
        if self.expires_at is not None and self.expired():
            raise TwitterInputError(
                f"Media {self.media_id} expired at {format_utc(self.expires_at)} (its receipt's expires_at); it was "
                f"uploaded {uploaded_ago(self.media_id, self.uploaded_at)}. X keeps media only for its "
                "expires_after_secs (about 24 h after upload): upload it again."
            )

    def processed(self, status: ProcessingStatus, *, now: float | None = None) -> MediaReceipt:
        """This receipt once X's STATUS says processing succeeded: ready, and nothing more to ask."""
        now = time.time() if now is None else now
        expires = status.data.get("expires_after_secs")
        return replace(
            self,
            media_key=self.media_key or status.data.get("media_key"),
            state=SUCCEEDED,
            next_status_at=None,
            resend=None,
            expires_at=now + float(expires) if isinstance(expires, int | float) and expires else self.expires_at,
        )

    def to_xcom(self) -> dict[str, Any]:
        xcom = asdict(self)
        xcom["subtitles"] = [dict(track) for track in self.subtitles]
        xcom["resend"] = dict(self.resend) if self.resend is not None else None
        return xcom


def _is_time(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


# The receipt's fields besides the id and the tracks: what each holds, and its check. A hand-edited receipt gets a
# clear error here instead of a TypeError in the sensor's or the post's arithmetic.
_FIELD_CHECKS: dict[str, tuple[str, Callable[[Any], bool]]] = {
    "media_key": ("a string", lambda v: isinstance(v, str)),
    "state": ("X's processing state (a string)", lambda v: isinstance(v, str)),
    "next_status_at": ("epoch seconds", _is_time),
    "uploaded_at": ("epoch seconds", _is_time),
    "expires_at": ("epoch seconds", _is_time),
    "resend": ("the upload's arguments (a dict)", lambda v: isinstance(v, Mapping)),
}


def parse_media_list(values: Any, *, argument: str = "media_ids") -> list[MediaReceipt]:
    """``media_ids`` of a post: receipts or ids, in a list; ids checked as X checks them."""
    if values is None:
        return []
    if isinstance(values, str | int | Mapping) and not isinstance(values, bool):
        raise TwitterInputError(
            f"{argument} must be a list, got {type(values).__name__} {values!r}: wrap it, e.g. [wait.output]."
        )
    if not isinstance(values, Sequence):
        raise TwitterInputError(f"{argument} must be a list of media ids or receipts, got {type(values).__name__}.")
    for index, value in enumerate(values):
        if isinstance(value, Sequence) and not isinstance(value, str):
            raise TwitterInputError(
                f"{argument}[{index}] is a list: the output of a mapped upload is already the list of its receipts. "
                f"Pass it unwrapped, {argument}=upload.output, not [upload.output]."
            )
    media = [MediaReceipt.parse(value, argument=argument) for value in values]
    check_media_ids([m.media_id for m in media])  # the count per post
    return media
