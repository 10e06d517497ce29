"""Where a media file's bytes come from: a local path, or an object in storage (``s3://``, ``gs://``, ``file://``, an
``ObjectStoragePath``) reached through Airflow's object storage layer, with its ``conn_id`` handling.

Both answer the same two questions the same way: how big the file is (from ``os.stat`` or the object's info, so
nothing is downloaded to learn it), and a seekable binary file to read it from. An object is read by ranged reads
of exactly the bytes asked for, so the upload holds the chunks in flight and no more, as it does for a local file,
and nothing is copied to local disk.
"""

from __future__ import annotations

import os
import re
import stat
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, BinaryIO

from airflow_provider.exceptions import TwitterInputError

if TYPE_CHECKING:
    from airflow.providers.common.compat.sdk import ObjectStoragePath

# Reads while inspecting (type sniffing, the MP4 header) are small and scattered: each fetch of an object takes this
# much ahead, so the few box headers near one another cost one request, and a header at the end of a large video
# costs one more, not the bytes between.
INSPECT_BLOCK_BYTES = 64 * 1024
# Where object stores report the version of an object's bytes, most precise first.
_VERSION_FIELDS = ("VersionId", "generation", "ETag", "etag", "md5Hash", "md5")
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
# Which package registers a scheme with Airflow's object storage (each provider's fs module lists its schemes).
_SCHEME_PACKAGES = {
    "s3": "apache-airflow-providers-amazon[s3fs]",
    "s3a": "apache-airflow-providers-amazon[s3fs]",
    "s3n": "apache-airflow-providers-amazon[s3fs]",
    "gs": "apache-airflow-providers-google",
    "gcs": "apache-airflow-providers-google",
    "abfs": "apache-airflow-providers-microsoft-azure",
    "abfss": "apache-airflow-providers-microsoft-azure",
    "adl": "apache-airflow-providers-microsoft-azure",
    "sftp": "apache-airflow-providers-sftp[sshfs]",
    "ssh": "apache-airflow-providers-sftp[sshfs]",
}


class MediaSource(ABC):
    """A media file to check and upload. ``name`` is what messages show: the path, or the URL.

    ``unreadable`` are the read failures that running the task again cannot cure, so they fail it at once with a
    ``TwitterInputError``; others (a storage endpoint that timed out) are left to the task's retries.
    """

    name: str
    unreadable: tuple[type[OSError], ...] = (OSError,)

    @abstractmethod
    def checked_size(self) -> int:
        """The file's size in bytes, once it is known to be a non-empty regular file; else a ``TwitterInputError``."""

    @abstractmethod
    def version(self) -> str | None:
        """What changes when the bytes do (a local file's size and modification time, an object's version or ETag),
        so that a retried upload continues only the same bytes; None when the source tells nothing."""

    @abstractmethod
    def _open(self, *, inspecting: bool, block_size: int) -> Any:
        """A binary file object positioned at 0, seekable, usable as a context manager."""

    @contextmanager
    def open(self, *, inspecting: bool = False, block_size: int = INSPECT_BLOCK_BYTES) -> Iterator[BinaryIO]:
        """The file for reading; an ``unreadable`` failure, opening it or later, becomes a ``TwitterInputError``.

        ``inspecting`` reads ahead ``block_size`` bytes per fetch (small scattered reads); otherwise each read
        fetches exactly what it asks for (the upload's chunks)."""
        try:
            with self._open(inspecting=inspecting, block_size=block_size) as f:
                yield f
        except self.unreadable as e:
            raise _cannot_read(self.name, e) from None

    def __str__(self) -> str:
        return self.name


class LocalFile(MediaSource):
    def __init__(self, path: str) -> None:
        self.name = path

    def checked_size(self) -> int:
        try:
            info = os.stat(self.name)
        except FileNotFoundError:
            raise TwitterInputError(f"Media file {self.name!r} does not exist. Check file_path.") from None
        except OSError as e:
            raise TwitterInputError(f"Media file {self.name!r} cannot be read: {e.strerror}.") from None
        if stat.S_ISDIR(info.st_mode):
            raise TwitterInputError(f"Media file {self.name!r} is a directory; file_path must name a file.")
        if not stat.S_ISREG(info.st_mode):
            raise TwitterInputError(f"Media file {self.name!r} is not a regular file; X needs a file of known size.")
        return _not_empty(self.name, info.st_size)

    def version(self) -> str | None:
        try:
            info = os.stat(self.name)
        except OSError:
            return None
        return f"size={info.st_size} mtime_ns={info.st_mtime_ns}"

    def _open(self, *, inspecting: bool, block_size: int) -> Any:
        return open(self.name, "rb")


class StoredObject(MediaSource):
    """An object behind Airflow's object storage: the filesystem the scheme's provider registers, authenticated with
    the path's connection (``s3://aws_conn@bucket/key``, or ``ObjectStoragePath(..., conn_id=...)``)."""

    unreadable = (PermissionError, FileNotFoundError, IsADirectoryError)

    def __init__(self, path: ObjectStoragePath, name: str | None = None) -> None:
        self.path = path
        self.name = name or str(path)
        self.scheme = path.protocol or "file"
        try:
            self.fs = path.fs
        except ImportError as e:  # the provider is there, the fsspec implementation it imports is not
            raise _missing_filesystem(self.name, self.scheme, e) from None
        except ValueError as e:
            if "no filesystem registered" not in str(e).lower():
                raise
            raise _missing_filesystem(self.name, self.scheme) from None

    def checked_size(self) -> int:
        try:
            info = self.fs.info(self.path.path)
        except FileNotFoundError:
            raise TwitterInputError(
                f"Media file {self.name!r} does not exist: no such object. Check file_path, and that its connection "
                "reaches the right bucket or account."
            ) from None
        except PermissionError as e:
            raise _cannot_read(self.name, e) from None
        kind, size = info.get("type"), info.get("size")
        if kind == "directory":
            raise TwitterInputError(
                f"Media file {self.name!r} is a directory, or a prefix with objects under it; file_path must name one "
                "object."
            )
        if kind != "file" or not isinstance(size, int):
            raise TwitterInputError(f"Media file {self.name!r} is not a regular file; X needs a file of known size.")
        return _not_empty(self.name, size)

    def version(self) -> str | None:
        """The first of the version fields the filesystems report (S3's ``VersionId`` and ``ETag``, GCS's
        ``generation``, Azure's ``etag``), else the modification time with the size; None when the info has none."""
        try:
            info = self.fs.info(self.path.path)
        except OSError:
            return None
        for name in _VERSION_FIELDS:
            if value := info.get(name):
                return f"{name}={value}"
        modified = info.get("LastModified") or info.get("last_modified") or info.get("mtime") or info.get("updated")
        return f"size={info.get('size')} modified={modified}" if modified else None

    def _open(self, *, inspecting: bool, block_size: int) -> Any:
        # "none": a read of n bytes is one ranged request for n bytes, not n plus a read-ahead block (s3fs reads
        # 50 MB ahead by default). Through the path, so Airflow's hook lineage sees the object read.
        return self.path.open("rb", block_size=block_size, cache_type="readahead" if inspecting else "none")


def media_source(file_path: Any) -> MediaSource:
    """The source ``file_path`` names: an ``ObjectStoragePath``, a URL with a scheme (``s3://``, ``file://``, ...), or
    a local path (a string or ``os.PathLike``)."""
    from airflow.providers.common.compat.sdk import ObjectStoragePath

    if isinstance(file_path, ObjectStoragePath):
        return StoredObject(file_path)
    if isinstance(file_path, os.PathLike):
        file_path = os.fspath(file_path)
    if not isinstance(file_path, str) or not file_path.strip():
        raise TwitterInputError(
            "file_path must be the path of a local image or video file, an object storage URL (s3://bucket/key) or "
            f"an ObjectStoragePath, got {type(file_path).__name__} {file_path!r}."
        )
    if not _URL.match(file_path):
        return LocalFile(file_path)
    scheme = file_path.split("://", 1)[0].lower()
    try:
        path = ObjectStoragePath(file_path)
    except ValueError:  # no fsspec implementation of the scheme is known at all
        raise _missing_filesystem(file_path, scheme) from None
    return StoredObject(path, file_path)


def _missing_filesystem(name: str, scheme: str, import_error: ImportError | None = None) -> TwitterInputError:
    """No filesystem for ``scheme`` on this worker: say what to install. ``import_error``: a provider registers the
    scheme, but the library it reads it with is missing."""
    package = _SCHEME_PACKAGES.get(scheme)
    if import_error is not None:
        what = "the filesystem library it needs is not installed" + ("" if package else f" ({import_error})")
    else:
        what = "no installed provider registers it with Airflow's object storage"
    if package:
        fix = f"Install {package} where the task runs"
    elif import_error is not None:
        fix = "Install the library the error names where the task runs"
    else:
        known = ", ".join(f"{s}:// ({p})" for s, p in _SCHEME_PACKAGES.items() if s in ("s3", "gs", "abfs", "sftp"))
        fix = f"Use a scheme a provider brings, such as {known}; file:// needs none"
    return TwitterInputError(f"Media file {name!r} is on {scheme}://, but {what}. {fix}, or give a local path.")


def _cannot_read(name: str, error: OSError) -> TwitterInputError:
    return TwitterInputError(f"Media file {name!r} cannot be read: {error.strerror or error}.")


def _not_empty(name: str, size: int) -> int:
    if size == 0:
        raise TwitterInputError(f"Media file {name!r} is empty; there is nothing to upload.")
    return size
