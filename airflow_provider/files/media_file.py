"""A file to upload, checked against X's rules before any request: what its bytes are, read from where they are."""

from __future__ import annotations

import os
import stat
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from airflow_provider.exceptions import TwitterInputError
from airflow_provider.files.content import SNIFF_BYTES, sniff_content
from airflow_provider.files.mp4 import read_video_duration
from airflow_provider.files.sources import LocalFile, MediaSource, media_source
from airflow_provider.rules.media import (
    MAX_VIDEO_SECONDS,
    VIDEO_TYPES,
    MiB,
    check_video_duration,
    checked_category,
    checked_media_type,
)
from airflow_provider.rules.subtitles import MAX_SUBTITLES_BYTES, SUBTITLES_CATEGORY, subtitles_type


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

    def version(self) -> str | None:
        """What changes when the file's bytes do (see :meth:`MediaSource.version`)."""
        return (self.source or LocalFile(self.path)).version()


def inspect_media_file(
    path: Any,
    media_type: str | None = None,
    media_category: str | None = None,
    *,
    max_video_duration: float | None = MAX_VIDEO_SECONDS,
) -> MediaFile:
    """Check that ``path`` is a file X would take, inferring type and category when not given.

    ``path`` is a local path, an object storage URL (``s3://bucket/key``) or an ``ObjectStoragePath``. What is
    checked is read from the file's head, its size from its metadata and a video's duration from its header, so an
    object in storage is never downloaded to be checked.

    A video must last 0.5 s to ``max_video_duration`` s (X's limit, 140 s, for standard accounts: raise it for an
    account X allows longer videos; None leaves the length to X). A video whose duration its header does not tell
    is left to X to judge.
    """
    source = media_source(path)
    name, size = source.name, source.checked_size()
    with source.open(inspecting=True) as f:
        media_type = checked_media_type(name, sniff_content(f.read(SNIFF_BYTES)), media_type)
        media_category = checked_category(name, size, media_type, media_category)
        duration = read_video_duration(f, size) if media_type in VIDEO_TYPES else None
    check_video_duration(name, duration, max_video_duration)
    return MediaFile(
        path=name, size=size, media_type=media_type, media_category=media_category, duration=duration, source=source
    )


def inspect_subtitles_file(path: Any) -> MediaFile:
    """Check that ``path`` is a local SRT or WebVTT file X would take; its type comes from its content."""
    if not isinstance(path, str | os.PathLike) or not str(path).strip():
        raise TwitterInputError(
            f"file_path must be the path of a local SRT or WebVTT file, got {type(path).__name__} {path!r}."
        )
    path = os.fspath(path)
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise TwitterInputError(f"Subtitles file {path!r} is not a regular file; file_path must name a file.")
        if info.st_size == 0:
            raise TwitterInputError(f"Subtitles file {path!r} is empty; there are no subtitles to upload.")
        if info.st_size > MAX_SUBTITLES_BYTES:
            raise TwitterInputError(
                f"Subtitles file {path!r} is {info.st_size / MiB:.1f} MiB; the provider takes subtitle files of at "
                f"most {MAX_SUBTITLES_BYTES // MiB} MiB. Check file_path: a subtitle track is text of a few KiB."
            )
        with open(path, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        raise TwitterInputError(f"Subtitles file {path!r} does not exist. Check file_path.") from None
    except OSError as e:
        raise TwitterInputError(f"Subtitles file {path!r} cannot be read: {e.strerror}.") from None
    return MediaFile(
        path=path, size=len(data), media_type=subtitles_type(path, data), media_category=SUBTITLES_CATEGORY
    )
