"""What X accepts as Post media, and the checks that find a bad file before any request is sent.

Limits are X's documented ones (docs.x.com, media best practices): images 5 MB, animated GIFs 15 MB,
videos 512 MB and 0.5 to 140 seconds, segments of at most 5 MB and at most 1,000 of them. X counts MB as MiB.
"""

from __future__ import annotations

import codecs
import math
import re
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from airflow_provider.arguments import check_number
from airflow_provider.exceptions import TwitterInputError
from airflow_provider.media_source import LocalFile, MediaSource, media_source
from airflow_provider.video import read_video_duration

MiB = 1024 * 1024
MAX_SEGMENT_BYTES = 5 * MiB
MAX_SEGMENTS = 1000
# 4 MiB, not X's 5 MB limit: what X's own samples and xurl send, and a client saw HTTP 431 at 5 MiB on v2
# (abraham/twitteroauth#1257); 4 MiB already keeps a 60 MB video to 15 APPENDs.
DEFAULT_CHUNK_SIZE = 4 * MiB
# APPENDs in flight at once by default: see docs/benchmarks.md for the measurements behind it.
DEFAULT_PARALLEL_SEGMENTS = 4
MAX_MEDIA_PER_POST = 4
MIN_VIDEO_SECONDS = 0.5
# For standard accounts (x-api/media/quickstart/best-practices.mdx); X allows some accounts longer videos.
MAX_VIDEO_SECONDS = 140.0

IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})
VIDEO_TYPES = frozenset({"video/mp4", "video/quicktime"})

# media_category -> (media types it takes, size limit in bytes)
CATEGORIES: dict[str, tuple[frozenset[str], int]] = {
    "tweet_image": (IMAGE_TYPES, 5 * MiB),
    "dm_image": (IMAGE_TYPES, 5 * MiB),
    "tweet_gif": (frozenset({"image/gif"}), 15 * MiB),
    "dm_gif": (frozenset({"image/gif"}), 15 * MiB),
    "tweet_video": (VIDEO_TYPES, 512 * MiB),
    "dm_video": (VIDEO_TYPES, 512 * MiB),
    "amplify_video": (VIDEO_TYPES, 512 * MiB),
}


# What a refused file is, by its magic number, to name it in the error (never its content).
_OTHER_MAGIC = (
    (b"%PDF-", "a PDF document (application/pdf)"),
    (b"II*\x00", "a TIFF image (image/tiff)"),
    (b"MM\x00*", "a TIFF image (image/tiff)"),
    (b"\x1a\x45\xdf\xa3", "a WebM or Matroska video (video/webm)"),
    (b"ID3", "MP3 audio (audio/mpeg)"),
    (b"OggS", "an Ogg file (application/ogg)"),
    (b"fLaC", "FLAC audio (audio/flac)"),
    (b"PK\x03\x04", "a ZIP archive (application/zip)"),
    (b"\x1f\x8b", "a gzip archive (application/gzip)"),
    (b"\x7fELF", "a program (application/x-executable)"),
)
# ISO base media files (an ``ftyp`` box first) that are not MP4 video, by their major brand.
_FTYP_BRANDS = {
    b"qt  ": "video/quicktime",
    b"heic": "a HEIC image (image/heic)",
    b"heix": "a HEIC image (image/heic)",
    b"mif1": "a HEIF image (image/heif)",
    b"msf1": "a HEIF image (image/heif)",
    b"avif": "an AVIF image (image/avif)",
    b"avis": "an AVIF image (image/avif)",
    b"M4A ": "MPEG-4 audio (audio/mp4)",
}
_RIFF_FORMATS = {b"WEBP": "image/webp", b"AVI ": "an AVI video (video/x-msvideo)", b"WAVE": "WAV audio (audio/wav)"}
SNIFF_BYTES = 512
_TS_PACKET = 188


def sniff_content(head: bytes) -> str | None:
    """What a file's first bytes show: a media type X accepts (``image/png``), a description of something else
    (``a PDF document (application/pdf)``, ``text``), or None when they match nothing known."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:4] == b"RIFF":
        return _RIFF_FORMATS.get(head[8:12], "a RIFF file")
    if head[4:8] == b"ftyp":
        return _FTYP_BRANDS.get(head[8:12], "video/mp4")
    if head[:2] == b"BM" and head[6:10] == b"\0\0\0\0":
        return "a BMP image (image/bmp)"
    if head[:1] == head[_TS_PACKET : _TS_PACKET + 1] == b"\x47":
        return "an MPEG transport stream (video/mp2t)"
    for magic, name in _OTHER_MAGIC:
        if head.startswith(magic):
            return name
    return "text" if _is_text(head) else None


def _is_text(head: bytes) -> bool:
    """UTF-8 (ASCII included) without control characters other than tabs and line breaks; a character cut at the
    end of ``head`` does not count against it."""
    try:
        text = codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return all(c.isprintable() or c in "\t\n\r\f\ufeff" for c in text)


def chunk_size_in_range(chunk_size: Any) -> int:
    """X takes segments of 1 byte to 5 MiB."""
    return int(check_number("chunk_size", chunk_size, integer=True, minimum=1, maximum=MAX_SEGMENT_BYTES, unit="bytes"))


def default_category(media_type: str) -> str:
    if media_type == "image/gif":
        return "tweet_gif"
    if media_type.startswith("video/"):
        return "tweet_video"
    return "tweet_image"


@dataclass(frozen=True)
class MediaFile:
    """A file checked against X's rules, ready to upload: ``path`` is its local path or its URL, ``source`` where
    its bytes are read from (a local file at ``path`` when not given)."""

    path: str
    size: int
    media_type: str
    media_category: str
    duration: float | None = None  # seconds, for a video whose header tells
    source: MediaSource | None = field(default=None, repr=False, compare=False)

    def open(self, chunk_size: int) -> AbstractContextManager[BinaryIO]:
        """The file to upload from, each read of ``chunk_size`` fetching that much and no more."""
        return (self.source or LocalFile(self.path)).open(block_size=chunk_size)

    @property
    def is_video(self) -> bool:
        return self.media_type.startswith("video/")

    def segment_count(self, chunk_size: int) -> int:
        return math.ceil(self.size / chunk_size)

    def check_chunk_size(self, chunk_size: int) -> None:
        """X takes segments of at most 5 MB and indexes 0-999: refuse a chunk size that breaks either."""
        chunk_size_in_range(chunk_size)
        if self.segment_count(chunk_size) > MAX_SEGMENTS:
            smallest = math.ceil(self.size / MAX_SEGMENTS)
            raise TwitterInputError(
                f"chunk_size={chunk_size} would split {self.path} ({self.size} bytes) into "
                f"{self.segment_count(chunk_size)} segments; X allows at most {MAX_SEGMENTS}. "
                f"Use a chunk_size of at least {smallest} bytes."
            )


def inspect_media_file(
    path: Any,
    media_type: str | None = None,
    media_category: str | None = None,
    *,
    max_video_duration: float = MAX_VIDEO_SECONDS,
) -> MediaFile:
    """Check that ``path`` is a file X would take, inferring type and category when not given.

    ``path`` is a local path, an object storage URL (``s3://bucket/key``) or an ``ObjectStoragePath``. What is
    checked is read from the file's head, its size from its metadata and a video's duration from its header, so an
    object in storage is never downloaded to be checked.

    A video must last 0.5 s to ``max_video_duration`` s (X's limit, 140 s, for standard accounts: raise it for an
    account X allows longer videos). A video whose duration its header does not tell is left to X to judge.
    """
    source = media_source(path)
    name, size = source.name, source.checked_size()
    with source.open(inspecting=True) as f:
        media_type = _content_type(name, f.read(SNIFF_BYTES), media_type)
        media_category = media_category or default_category(media_type)
        if not isinstance(media_category, str) or media_category not in CATEGORIES:
            raise TwitterInputError(
                f"Unknown media_category {media_category!r}. Use one of: {', '.join(CATEGORIES)}, "
                "or leave it out to infer it from the media type."
            )
        types, limit = CATEGORIES[media_category]
        if media_type not in types:
            raise TwitterInputError(
                f"media_category {media_category!r} does not fit media type {media_type!r}; it takes "
                f"{', '.join(sorted(types))}. Leave media_category out to infer it "
                f"({default_category(media_type)!r} for this file)."
            )
        if size > limit:
            raise TwitterInputError(
                f"Media file {name!r} is {size / MiB:.1f} MiB; X's limit for {media_category} is "
                f"{limit // MiB} MiB. Compress or trim it first."
            )
        duration = _video_duration(name, f, size, max_video_duration) if media_type in VIDEO_TYPES else None
    return MediaFile(
        path=name, size=size, media_type=media_type, media_category=media_category, duration=duration, source=source
    )


def _content_type(path: str, head: bytes, media_type: str | None) -> str:
    """The media type the file's content shows; its name is never trusted (a text file named ``.mp4`` would be
    uploaded in full before X refused it). An explicit ``media_type`` must agree with the content; between MP4 and
    MOV, one ISO base media container, it chooses."""
    accepted = ", ".join(sorted(IMAGE_TYPES | VIDEO_TYPES))
    if media_type is not None and not isinstance(media_type, str):
        raise TwitterInputError(f"media_type must be a MIME type string such as 'video/mp4', got {media_type!r}.")
    given = media_type.strip().lower() if media_type else None
    if given and given not in IMAGE_TYPES | VIDEO_TYPES:
        raise TwitterInputError(f"media_type {media_type!r} is not one X accepts in a Post. Accepted: {accepted}.")
    found = sniff_content(head)
    if found not in IMAGE_TYPES | VIDEO_TYPES:
        what = f"is {found} by its content" if found else "has content that matches no media type X accepts"
        said = f"media_type says {given!r}, but m" if given else "M"
        raise TwitterInputError(
            f"{said}edia file {path!r} {what}, whatever its name says. X accepts {accepted} in a Post: check "
            "file_path, or convert the file first."
        )
    if given and given != found and not {given, found} <= VIDEO_TYPES:
        raise TwitterInputError(
            f"media_type says {given!r}, but the content of {path!r} is {found}. Leave media_type out to use the "
            "content's type, or check file_path."
        )
    return given or found


def _video_duration(path: str, f: BinaryIO, size: int, max_seconds: float) -> float | None:
    """The video's duration when its header tells; refuse one X would fail in processing, after the whole upload."""
    duration = read_video_duration(f, size)
    if duration is not None and not MIN_VIDEO_SECONDS <= duration <= max_seconds:
        raise TwitterInputError(
            f"Video {path!r} lasts {duration:.2f} s; X takes videos of {MIN_VIDEO_SECONDS} to {max_seconds:g} s. "
            + (
                "Trim it (for example ffmpeg -t), or pass max_video_duration if X allows this account longer videos."
                if duration > max_seconds
                else "Make it longer than half a second."
            )
        )
    return duration


def iter_chunks(f: BinaryIO, chunk_size: int) -> Iterator[tuple[int, bytes]]:
    """Yield ``(segment_index, bytes)``, holding one chunk in memory at a time. Every chunk but the last is
    ``chunk_size`` long, as the segment count promised X, even from a file whose reads may return less."""
    index = 0
    while chunk := f.read(chunk_size):
        while len(chunk) < chunk_size and (more := f.read(chunk_size - len(chunk))):
            chunk += more
        yield index, chunk
        index += 1


_MEDIA_ID = re.compile(r"[0-9]{1,19}")  # ASCII only: str.isdigit() takes Arabic-Indic and full-width digits too


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
