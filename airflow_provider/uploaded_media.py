"""What an upload hands to the tasks after it: the media id and what X said about it at FINALIZE.

``MediaUploadOperator`` returns this as its XCom, a plain dict the user can read in the UI and override.
The sensor and the post read it to act on X's own answer instead of asking again:

- whether X is processing the media at all: FINALIZE of an image has no ``processing_info``, and X answers
  STATUS for such media with 400 "BadRequest: Not found" (xdevplatform/xurl#18), so nothing may ask;
- when X said to ask first (``check_after_secs`` at FINALIZE), as an absolute time that survives reschedules;
- when the upload finished, the start of the sensor's ``timeout`` window across reschedules and retries;
- when the media id expires (``expires_after_secs``).

A bare media id (a string of digits) is accepted wherever a receipt is: then nothing is known beyond the id.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from airflow_provider.exceptions import TwitterInputError
from airflow_provider.media import check_media_ids
from airflow_provider.processing import MOVING_KEY_PREFIXES


@dataclass(frozen=True)
class UploadedMedia:
    """One uploaded media, from the upload's XCom or a bare id (``processing`` None: not known)."""

    media_id: str
    media_key: str | None = None
    processing: bool | None = None
    next_status_at: float | None = None
    uploaded_at: float | None = None
    expires_at: float | None = None

    @classmethod
    def from_finalize(cls, data: Mapping[str, Any], *, now: float | None = None) -> UploadedMedia:
        """Read X's FINALIZE ``data``: processing only when it carries ``processing_info`` (X's rule)."""
        now = time.time() if now is None else now
        info = data.get("processing_info") or None
        expires = data.get("expires_after_secs")
        return cls(
            media_id=str(data["id"]),
            media_key=data.get("media_key"),
            processing=info is not None and info.get("state") != "succeeded",
            next_status_at=now + float(info.get("check_after_secs") or 0) if info else None,
            uploaded_at=now,
            expires_at=now + float(expires) if expires else None,
        )

    @classmethod
    def parse(cls, value: Any, *, argument: str = "media_id") -> UploadedMedia:
        """A receipt dict or a bare id; anything else is refused naming ``argument`` and what to pass."""
        if isinstance(value, UploadedMedia):
            return value
        if isinstance(value, Mapping):
            if "media_id" not in value:
                raise TwitterInputError(
                    f"{argument} is a dict without 'media_id' (keys: {sorted(value)}). Pass the output of "
                    "MediaUploadOperator (upload.output) or a media id string."
                )
            (media_id,) = check_media_ids([value["media_id"]])
            known = {name: value.get(name) for name in cls.__dataclass_fields__ if name != "media_id"}
            for name, value in known.items():
                if value is not None and not _FIELD_CHECKS[name][1](value):
                    raise TwitterInputError(
                        f"{argument}[{name!r}] is {type(value).__name__} {value!r}; the upload's output has "
                        f"{_FIELD_CHECKS[name][0]} or null there. Pass MediaUploadOperator's output unchanged."
                    )
            return cls(media_id=media_id, **known)
        if value is None or (isinstance(value, bool | float | Sequence) and not isinstance(value, str)):
            raise TwitterInputError(
                f"{argument} must be a media id string or the output of MediaUploadOperator (upload.output), "
                f"got {type(value).__name__} {value!r}."
            )
        (media_id,) = check_media_ids([value])
        return cls(media_id=media_id)

    @property
    def is_moving(self) -> bool | None:
        """A video or animated GIF (one per post, not beside images); None when the key is unknown."""
        return self.media_key.startswith(MOVING_KEY_PREFIXES) if self.media_key else None

    def expired(self, now: float | None = None) -> bool:
        return self.expires_at is not None and (time.time() if now is None else now) >= self.expires_at

    def to_xcom(self) -> dict[str, Any]:
        return asdict(self)


def _is_time(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


# The upload output's fields besides the id: what each holds, and its check. A hand-edited output gets a clear error
# here instead of a TypeError in the sensor's or the post's arithmetic.
_FIELD_CHECKS: dict[str, tuple[str, Callable[[Any], bool]]] = {
    "media_key": ("a string", lambda v: isinstance(v, str)),
    "processing": ("true, false", lambda v: isinstance(v, bool)),
    "next_status_at": ("epoch seconds", _is_time),
    "uploaded_at": ("epoch seconds", _is_time),
    "expires_at": ("epoch seconds", _is_time),
}


def parse_media_list(values: Any, *, argument: str = "media_ids") -> list[UploadedMedia]:
    """``media_ids`` of a post: receipts or ids, a single one or a list; ids checked as X checks them."""
    if values is None:
        return []
    if isinstance(values, str | int | Mapping) and not isinstance(values, bool):
        raise TwitterInputError(
            f"{argument} must be a list, got {type(values).__name__} {values!r}: wrap it, e.g. [upload.output]."
        )
    if not isinstance(values, Sequence):
        raise TwitterInputError(f"{argument} must be a list of media ids or uploads, got {type(values).__name__}.")
    media = [UploadedMedia.parse(value, argument=argument) for value in values]
    check_media_ids([m.media_id for m in media])  # the count per post
    return media
