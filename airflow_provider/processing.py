"""Reading X's media STATUS answer: one place that decides done, failed, or ask again when.

Shared by the sensor and the trigger so both treat X's quirks alike: no ``processing_info`` means nothing
to wait for (images), and an ``error`` while still ``in_progress`` is as final as ``failed``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


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
    def failure(self) -> str:
        return f"X could not process media {self.media_id}: {self.error_text}"

    def describe(self) -> str:
        progress = f" {self.progress_percent}%" if self.progress_percent is not None else ""
        return f"media {self.media_id} is {self.state}{progress}"
