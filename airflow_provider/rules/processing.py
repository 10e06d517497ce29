"""X's processing of uploaded media: reading a FINALIZE or STATUS answer (done, failed, or ask again when), and how
old a media id is.

One reading for the upload, the sensor, the trigger and the post, so all treat X's quirks alike: no
``processing_info`` means nothing to wait for (images), and an ``error`` while still ``in_progress`` is as final as
``failed``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from airflow_provider.exceptions import TwitterApiError, TwitterInputError, TwitterRejectedError
from airflow_provider.rules.media import kind_of_answer

# X's ids are snowflakes: milliseconds since this epoch, shifted left by 22 bits.
_SNOWFLAKE_EPOCH_MS = 1288834974657
# The longest a media id lives: ``expires_after_secs`` of an amplify_video session, about 15 days (x-media-api.md).
_MAX_MEDIA_AGE_SECS = 15 * 86400


@dataclass(frozen=True)
class ProcessingStatus:
    media_id: str
    state: str
    check_after_secs: float | None = None
    progress_percent: int | None = None
    error: dict[str, Any] | None = None
    data: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_media(cls, data: dict[str, Any]) -> ProcessingStatus:
        info = data.get("processing_info")
        media_id = str(data.get("id") or data.get("media_id_string") or data.get("media_id") or "")
        if not info:
            return cls(media_id=media_id, state="succeeded", data=data)
        return cls(
            media_id=media_id,
            data=data,
            state=str(info.get("state", "pending")),
            check_after_secs=info.get("check_after_secs"),
            progress_percent=info.get("progress_percent"),
            error=info.get("error"),
        )

    @property
    def failed(self) -> bool:
        return self.state == "failed" or self.error is not None

    @property
    def succeeded(self) -> bool:
        return self.state == "succeeded" and self.error is None

    @property
    def error_text(self) -> str:
        """X's error as ``Name: message`` (for example ``InvalidMedia: Unsupported video format``)."""
        if not self.error:
            return "processing failed without an error from X"
        name, message = self.error.get("name"), self.error.get("message")
        return ": ".join(str(p) for p in (name, message) if p) or str(self.error)

    @property
    def kind(self) -> str | None:
        return kind_of_answer(self.data)

    @property
    def may_come_from_segment_order(self) -> bool:
        """Whether this failure could come from X putting segments sent in parallel together in the wrong order.

        ``InvalidMedia`` (code 1) is X's answer to bytes it cannot read ("Unsupported video format", DOCS v1 STATUS
        reference), which a file put together out of order would be; the provider read the same file's type and
        duration before uploading it. ``UnsupportedMedia`` (code 3) is a file X read and refused, too long
        (plhery/node-twitter-api-v2#243) or "currently unsupported" (mironal/TwitterAPIKit#96): sending it again
        cannot help. X's answer to out-of-order segments is not documented, so this is the narrowest reading.
        """
        return self.failed and (self.error or {}).get("name") == "InvalidMedia"

    @property
    def failure(self) -> str:
        return f"X could not process media {self.media_id}: {self.error_text}"

    def require_succeeded(self, advice: str) -> None:
        """Refuse media whose processing failed or has not yet succeeded; ``advice`` says what the user should do."""
        if self.failed:
            raise TwitterInputError(self.failure)
        if not self.succeeded:
            raise TwitterInputError(f"Media {self.media_id} is still {self.state}; {advice}")

    def describe(self) -> str:
        progress = f" {self.progress_percent}%" if self.progress_percent is not None else ""
        return f"media {self.media_id} is {self.state}{progress}"


def minted_at(media_id: str) -> float | None:
    """When X minted ``media_id`` (epoch seconds), read from the id as a snowflake; None for an id that cannot
    be a live X media id (not a snowflake from the last 15 days, the longest a media id lives)."""
    try:
        minted = ((int(media_id) >> 22) + _SNOWFLAKE_EPOCH_MS) / 1000
    except ValueError:
        return None
    return minted if 0 <= time.time() - minted <= _MAX_MEDIA_AGE_SECS else None


def uploaded_ago(media_id: str, uploaded_at: float | None = None) -> str:
    """How long ago the media was uploaded, e.g. ``"25.3 h ago"``: from the upload's own record when known,
    else from the id itself."""
    minted = uploaded_at or minted_at(media_id)
    if minted is None:
        return "at an unknown time (the id is not one X minted in the last 15 days)"
    age = max(0.0, time.time() - minted)
    return f"{age / 3600:.1f} h ago" if age >= 3600 else f"{age / 60:.0f} min ago"


def unknown_media(media_id: str, error: TwitterApiError, uploaded_at: float | None = None) -> TwitterRejectedError:
    """X refused to describe ``media_id``: say it expired (or belongs to other credentials), and when it was made."""
    return TwitterRejectedError(
        endpoint=error.endpoint,
        http_status=error.http_status,
        title=f"Media {media_id} has expired or is unknown to X",
        detail=f"it was uploaded {uploaded_ago(media_id, uploaded_at)}",
        errors=[{"message": m} for m in (error.detail, *(e.get("message") for e in error.errors)) if m],
        hint="X keeps media only for its expires_after_secs (about 24 h after upload) and only for the uploading "
        "account: upload it again.",
    )
