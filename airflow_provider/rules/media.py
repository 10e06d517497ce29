"""What X accepts as a post's media: types, categories and their size limits, video length, segments, media ids, and
which media one post may carry together.

Limits are X's documented ones (docs.x.com, media best practices): images 5 MB, animated GIFs 15 MB, videos 512 MB
and 0.5 to 140 seconds, segments of at most 5 MB and at most 1,000 of them. X counts MB as MiB. A post carries up to
4 images, or one video or animated GIF alone.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from airflow_provider.exceptions import TwitterInputError
from airflow_provider.rules.numbers import check_number

MiB = 1024 * 1024
MAX_SEGMENT_BYTES = 5 * MiB
MAX_SEGMENTS = 1000
MAX_MEDIA_PER_POST = 4
MIN_VIDEO_SECONDS = 0.5
# For standard accounts (x-api/media/quickstart/best-practices.mdx); X allows some accounts longer videos.
MAX_VIDEO_SECONDS = 140.0

# A media's kind decides what a post may carry beside it.
IMAGE, GIF, VIDEO = "image", "animated GIF", "video"

IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})
VIDEO_TYPES = frozenset({"video/mp4", "video/quicktime"})


@dataclass(frozen=True)
class Category:
    """One of X's ``media_category`` values for post and DM media: the types it takes, its size limit, its kind."""

    media_types: frozenset[str]
    max_bytes: int
    kind: str


CATEGORIES = {
    "tweet_image": Category(IMAGE_TYPES, 5 * MiB, IMAGE),
    "dm_image": Category(IMAGE_TYPES, 5 * MiB, IMAGE),
    "tweet_gif": Category(frozenset({"image/gif"}), 15 * MiB, GIF),
    "dm_gif": Category(frozenset({"image/gif"}), 15 * MiB, GIF),
    "tweet_video": Category(VIDEO_TYPES, 512 * MiB, VIDEO),
    "dm_video": Category(VIDEO_TYPES, 512 * MiB, VIDEO),
    "amplify_video": Category(VIDEO_TYPES, 512 * MiB, VIDEO),
}
# X's media keys are "<type>_<id>": 3_ photo, 7_ video, 13_ video (amplify), 16_ animated GIF.
_KIND_OF_KEY_PREFIX = {"3": IMAGE, "7": VIDEO, "13": VIDEO, "16": GIF}
_MEDIA_ID = re.compile(r"[0-9]{1,19}")  # ASCII only: str.isdigit() takes Arabic-Indic and full-width digits too


def is_video_or_gif(kind: str | None) -> bool:
    """The one question of a post's mix: a video or an animated GIF goes alone; None (unknown) does not count."""
    return kind in (VIDEO, GIF)


def kind_of_key(media_key: Any) -> str | None:
    """The kind X's ``media_key`` names, or None for a key that names none."""
    prefix = media_key.split("_", 1)[0] if isinstance(media_key, str) and "_" in media_key else None
    return _KIND_OF_KEY_PREFIX.get(prefix or "")


def kind_of_answer(data: dict[str, Any]) -> str | None:
    """The kind of media X describes in a FINALIZE or STATUS answer: by its key, else a ``video`` or ``image`` part
    (v1.1 answers carry no key)."""
    if kind := kind_of_key(data.get("media_key")):
        return kind
    if "video" in data:
        return VIDEO
    return IMAGE if "image" in data else None


def default_category(media_type: str) -> str:
    if media_type == "image/gif":
        return "tweet_gif"
    if media_type.startswith("video/"):
        return "tweet_video"
    return "tweet_image"


def checked_media_type(name: str, found: str | None, given: Any) -> str:
    """The media type of ``name``, from what its content shows (``found``); its file name is never trusted (a text
    file named ``.mp4`` would be uploaded in full before X refused it). A ``given`` type must agree with the content;
    between MP4 and MOV, one ISO base media container, it chooses."""
    accepted = ", ".join(sorted(IMAGE_TYPES | VIDEO_TYPES))
    if given is not None and not isinstance(given, str):
        raise TwitterInputError(f"media_type must be a MIME type string such as 'video/mp4', got {given!r}.")
    wanted = given.strip().lower() if given else None
    if wanted and wanted not in IMAGE_TYPES | VIDEO_TYPES:
        raise TwitterInputError(f"media_type {given!r} is not one X accepts in a Post. Accepted: {accepted}.")
    if found not in IMAGE_TYPES | VIDEO_TYPES:
        what = f"is {found} by its content" if found else "has content that matches no media type X accepts"
        said = f"media_type says {wanted!r}, but m" if wanted else "M"
        raise TwitterInputError(
            f"{said}edia file {name!r} {what}, whatever its name says. X accepts {accepted} in a Post: check "
            "file_path, or convert the file first."
        )
    if wanted and wanted != found and not {wanted, found} <= VIDEO_TYPES:
        raise TwitterInputError(
            f"media_type says {wanted!r}, but the content of {name!r} is {found}. Leave media_type out to use the "
            "content's type, or check file_path."
        )
    return wanted or found


def checked_category(name: str, size: int, media_type: str, media_category: Any) -> str:
    """``media_category`` (inferred from the type when not given), once it fits the type and the size."""
    category = media_category or default_category(media_type)
    if not isinstance(category, str) or category not in CATEGORIES:
        raise TwitterInputError(
            f"Unknown media_category {category!r}. Use one of: {', '.join(CATEGORIES)}, "
            "or leave it out to infer it from the media type."
        )
    rule = CATEGORIES[category]
    if media_type not in rule.media_types:
        raise TwitterInputError(
            f"media_category {category!r} does not fit media type {media_type!r}; it takes "
            f"{', '.join(sorted(rule.media_types))}. Leave media_category out to infer it "
            f"({default_category(media_type)!r} for this file)."
        )
    if size > rule.max_bytes:
        raise TwitterInputError(
            f"Media file {name!r} is {size / MiB:.1f} MiB; X's limit for {category} is "
            f"{rule.max_bytes // MiB} MiB. Compress or trim it first."
        )
    return category


def check_video_duration(name: str, duration: float | None, max_seconds: float | None) -> None:
    """Refuse a video X would fail in processing, after the whole upload; one whose header tells no duration is left
    to X to judge, and so is its length when ``max_seconds`` is None (an account whose limit is not known)."""
    too_long = max_seconds is not None and duration is not None and duration > max_seconds
    if duration is not None and (too_long or duration < MIN_VIDEO_SECONDS):
        raise TwitterInputError(
            f"Video {name!r} lasts {duration:.2f} s; X takes videos of {MIN_VIDEO_SECONDS} to "
            f"{max_seconds or MAX_VIDEO_SECONDS:g} s. "
            + (
                "Trim it (for example ffmpeg -t), or pass max_video_duration if X allows this account longer videos."
                if too_long
                else "Make it longer than half a second."
            )
        )


def chunk_size_in_range(chunk_size: Any) -> int:
    """X takes segments of 1 byte to 5 MiB."""
    return int(check_number("chunk_size", chunk_size, integer=True, minimum=1, maximum=MAX_SEGMENT_BYTES, unit="bytes"))


def segment_count(size: int, chunk_size: int) -> int:
    return math.ceil(size / chunk_size)


def check_segments(name: str, size: int, chunk_size: int) -> None:
    """X takes segments of at most 5 MB and indexes 0-999: refuse a chunk size that breaks either for this file."""
    chunk_size_in_range(chunk_size)
    if (count := segment_count(size, chunk_size)) > MAX_SEGMENTS:
        raise TwitterInputError(
            f"chunk_size={chunk_size} would split {name} ({size} bytes) into {count} segments; X allows at most "
            f"{MAX_SEGMENTS}. Use a chunk_size of at least {math.ceil(size / MAX_SEGMENTS)} bytes."
        )


def check_media_ids(media_ids: Sequence[Any]) -> list[str]:
    """X takes 1 to 4 numeric id strings per post; say which one is wrong before sending."""
    if isinstance(media_ids, str):
        raise TwitterInputError(f"media_ids must be a list of ids, got the string {media_ids!r}: use [{media_ids!r}].")
    ids = [str(m).strip() for m in media_ids]
    if len(ids) > MAX_MEDIA_PER_POST:
        raise TwitterInputError(f"{len(ids)} media ids given; a post carries at most {MAX_MEDIA_PER_POST}.")
    for media_id in ids:
        if not _MEDIA_ID.fullmatch(media_id):
            digits = " written in digits other than ASCII 0-9" if media_id.isdigit() and not media_id.isascii() else ""
            raise TwitterInputError(
                f"Media id {media_id!r} is not an X media id (1 to 19 ASCII digits){digits}. Pass the id returned by "
                "MediaUploadOperator (its return_value XCom)."
            )
    return ids


def check_post_mix(kinds: dict[str, str | None]) -> None:
    """A post carries one video or animated GIF alone, or up to 4 images: ``kinds`` maps each media id to its kind."""
    alone = [media_id for media_id, kind in kinds.items() if is_video_or_gif(kind)]
    if alone and len(kinds) > 1:
        raise TwitterInputError(
            f"A post carries one video or GIF, or up to {MAX_MEDIA_PER_POST} images, not both: media "
            f"{', '.join(alone)} {'is a video or GIF' if len(alone) == 1 else 'are videos or GIFs'} among "
            f"{len(kinds)} media. Post them separately."
        )
