"""What ``POST /2/media/metadata`` sets on a media: alt text, a sensitive-media warning, whether viewers may
download it, and where found media came from; checked before any request, and sent in one call.

Fields and rules from X's ``CreateMediaMetadataRequest`` (OAS 2.165, which details the parts that 2.167 reduces to
``type: object``): ``alt_text.text`` at most 1,000 characters; ``sensitive_media_warning`` the booleans
``adult_content``, ``graphic_violence``, ``other``; ``allow_download_status.allow_download`` a boolean;
``found_media_origin`` a ``provider`` ("e.g. 'giphy'", at most 8 characters) and an ``id`` (at most 24).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from airflow_provider.exceptions import TwitterInputError

MAX_ALT_TEXT = 1000
SENSITIVE_MEDIA_WARNINGS = ("adult_content", "graphic_violence", "other")
MAX_ORIGIN_PROVIDER = 8
MAX_ORIGIN_ID = 24


def check_alt_text(alt_text: Any) -> str:
    if not isinstance(alt_text, str):
        raise TwitterInputError(f"alt_text must be a string, got {type(alt_text).__name__} {alt_text!r}.")
    if len(alt_text) > MAX_ALT_TEXT:
        raise TwitterInputError(f"alt_text is {len(alt_text)} characters; X allows at most {MAX_ALT_TEXT}. Shorten it.")
    return alt_text


def check_sensitive_media_warning(value: Any) -> tuple[str, ...]:
    """The warnings to set, as X names them; a bare string is refused (it would read as its letters)."""
    if isinstance(value, str) or not isinstance(value, Collection) or isinstance(value, Mapping):
        raise TwitterInputError(
            f"sensitive_media_warning must be a list of {', '.join(SENSITIVE_MEDIA_WARNINGS)}, got "
            f"{type(value).__name__} {value!r}: for example ['graphic_violence']."
        )
    unknown = [item for item in value if item not in SENSITIVE_MEDIA_WARNINGS]
    if unknown:
        raise TwitterInputError(
            f"sensitive_media_warning has {', '.join(map(repr, unknown))}; X's warnings are "
            f"{', '.join(SENSITIVE_MEDIA_WARNINGS)}."
        )
    return tuple(name for name in SENSITIVE_MEDIA_WARNINGS if name in value)


def check_allow_download(value: Any) -> bool | None:
    if value is not None and not isinstance(value, bool):
        raise TwitterInputError(f"allow_download must be True, False or None, got {type(value).__name__} {value!r}.")
    return value


def check_found_media_origin(value: Any) -> dict[str, str]:
    """``{"provider": "giphy", "id": "..."}``: both required by X's schema, within the lengths it documents."""
    if not isinstance(value, Mapping) or set(value) != {"provider", "id"}:
        shown = sorted(value) if isinstance(value, Mapping) else f"{type(value).__name__} {value!r}"
        raise TwitterInputError(
            f"found_media_origin must be a dict with exactly 'provider' and 'id', got {shown}: for example "
            "{'provider': 'giphy', 'id': 'u5BzatR15TZ04'}."
        )
    for key, limit in (("provider", MAX_ORIGIN_PROVIDER), ("id", MAX_ORIGIN_ID)):
        item = value[key]
        if not isinstance(item, str) or not item.strip() or len(item) > limit:
            raise TwitterInputError(
                f"found_media_origin[{key!r}] must be text of 1 to {limit} characters (X's limit), got {item!r}."
            )
    return {"provider": value["provider"], "id": value["id"]}


@dataclass(frozen=True)
class MediaMetadata:
    """Metadata for one media; each field left at None is not sent. Built only from checked values."""

    alt_text: str | None = None
    sensitive_media_warning: tuple[str, ...] = ()
    allow_download: bool | None = None
    found_media_origin: Mapping[str, str] | None = None

    @classmethod
    def checked(
        cls,
        *,
        alt_text: Any = None,
        sensitive_media_warning: Any = None,
        allow_download: Any = None,
        found_media_origin: Any = None,
    ) -> MediaMetadata:
        """Every argument checked, in the order a user reads them; an empty alt text sets none."""
        return cls(
            alt_text=check_alt_text(alt_text) or None if alt_text is not None else None,
            sensitive_media_warning=(
                () if sensitive_media_warning is None else check_sensitive_media_warning(sensitive_media_warning)
            ),
            allow_download=check_allow_download(allow_download),
            found_media_origin=None if found_media_origin is None else check_found_media_origin(found_media_origin),
        )

    def body(self) -> dict[str, Any]:
        """The ``metadata`` object of ``POST /2/media/metadata``: empty when there is nothing to set."""
        metadata: dict[str, Any] = {}
        if self.alt_text:
            metadata["alt_text"] = {"text": self.alt_text}
        if self.sensitive_media_warning:
            metadata["sensitive_media_warning"] = dict.fromkeys(self.sensitive_media_warning, True)
        if self.allow_download is not None:
            metadata["allow_download_status"] = {"allow_download": self.allow_download}
        if self.found_media_origin is not None:
            metadata["found_media_origin"] = dict(self.found_media_origin)
        return metadata
