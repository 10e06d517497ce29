"""One-shot uploads: a whole file in one request, as v2 ``POST /2/media/upload`` and v1.1's simple upload take it.

Both are for images only: "the recommended chunked upload (images/GIF/video), or the older simple upload (images
only)" (DOCS x-api/media/introduction.mdx); v1.1's page adds "for certain types of data (tweet_gif, tweet_video and
amplify_video), you need to use the chunked upload end-point" (v1 reference post-media-upload). v2 also takes
subtitle files (OAS 2.142 and later list ``subtitles``; sferik/x-ruby#51). OAS 2.167 lists video and GIF categories
too, but nothing shows X processing a video sent in one request: they are refused (the stricter reading). Neither
request names a media type, so it is read from the bytes. The upload is then INITIALIZE, one APPEND and FINALIZE
of the same state, so every rule of the chunked upload (sizes, owners, content, expiry) holds.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from airflow_provider.emulator import catalog
from airflow_provider.emulator.errors import InvalidRequest
from airflow_provider.emulator.segments import SegmentDigest
from airflow_provider.emulator.sniffing import sniffed_type
from airflow_provider.emulator.state import EmulatorState, MediaView

V2_KINDS = frozenset({"image", "subtitles"})
V1_KINDS = frozenset({"image"})
# A type to declare when the bytes say nothing: FINALIZE then refuses them as X does ("Unsupported image format").
_FALLBACK_TYPES = {"image": "image/jpeg", "subtitles": "text/srt"}


def upload_whole(
    state: EmulatorState,
    media: SegmentDigest,
    media_category: str | None,
    additional_owners: Sequence[str],
    *,
    kinds: Collection[str],
) -> MediaView:
    """Upload ``media`` in one go as ``media_category`` (None: a Post image); refuse kinds not in ``kinds``."""
    category = media_category or "tweet_image"
    kind = catalog.CATEGORY_KINDS.get(category, "unknown")
    if kind not in kinds:
        raise InvalidRequest(
            f"`media_category` {category} cannot be uploaded in one request; use the chunked upload.",
            {"media_category": [category]},
        )
    media_type = sniffed_type(media.head) or _FALLBACK_TYPES[kind]
    if kind not in catalog.kinds_of_media_type(media_type):
        raise InvalidRequest(
            f"The file is {media_type}, which cannot be uploaded as `media_category` {category}.",
            {"media_category": [category]},
        )
    view = state.initialize(media_type, media.size, category, list(additional_owners))
    state.append(view.id, 0, media)
    return state.finalize(view.id)


def owners(value: object) -> list[str]:
    """``additional_owners`` as one-shot requests send it: comma-separated ids (OAS MediaUploadRequest, v1.1)."""
    return [owner.strip() for owner in value.split(",") if owner.strip()] if isinstance(value, str) else []
