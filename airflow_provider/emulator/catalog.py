"""What X accepts at INITIALIZE: media types, categories, size limits, and which kind of media each makes.

The kind ("image", "gif", "video", "subtitles") decides processing, content sniffing, the ``media_key``
prefix and how many of a kind a post may carry.
"""

from __future__ import annotations

MAX_TOTAL_BYTES = 17_179_869_184
MIB = 1024 * 1024
MAX_SEGMENT_BYTES = 5 * MIB
MAX_SEGMENT_INDEX = 999
MAX_ALT_TEXT_CHARS = 1000
MAX_ADDITIONAL_OWNERS = 100

MEDIA_TYPES = frozenset(
    {
        "video/mp4",
        "video/webm",
        "video/mp2t",
        "video/quicktime",
        "text/srt",
        "text/vtt",
        "image/jpeg",
        "image/gif",
        "image/bmp",
        "image/png",
        "image/webp",
        "image/pjpeg",
        "image/tiff",
        "model/gltf-binary",
        "model/vnd.usdz+zip",
    }
)

CATEGORY_KINDS = {
    "tweet_image": "image",
    "dm_image": "image",
    "tweet_gif": "gif",
    "dm_gif": "gif",
    "tweet_video": "video",
    "dm_video": "video",
    "amplify_video": "video",
    "subtitles": "subtitles",
}

KIND_SIZE_LIMITS = {"image": 5 * MIB, "gif": 15 * MIB, "video": 512 * MIB}

# X's media_key prefixes: 3 = photo, 16 = animated GIF, 7 = video.
KIND_KEY_PREFIXES = {"image": 3, "gif": 16, "video": 7, "subtitles": 3}

# Kinds whose media X transcodes after FINALIZE (the others are final at once).
PROCESSED_KINDS = frozenset({"gif", "video"})


def kinds_of_media_type(media_type: str) -> frozenset[str]:
    """The kinds a file of ``media_type`` can be uploaded as (a GIF can be a still image or an animation)."""
    if media_type == "image/gif":
        return frozenset({"image", "gif"})
    if media_type.startswith("image/"):
        return frozenset({"image"})
    if media_type.startswith("video/"):
        return frozenset({"video"})
    if media_type.startswith("text/"):
        return frozenset({"subtitles"})
    return frozenset()


def default_category(media_type: str) -> str | None:
    """The category X assumes when none is given: Post media chosen by type (as xurl and node clients do)."""
    if media_type == "image/gif":
        return "tweet_gif"
    return {"image": "tweet_image", "video": "tweet_video", "text": "subtitles"}.get(media_type.split("/")[0])
