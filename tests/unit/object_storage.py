"""Object storage for unit tests, through Airflow's object storage layer as a DAG would reach it.

``VirtualStore`` is an fsspec filesystem whose objects are made of a few byte runs at given offsets, zeros
elsewhere, so a test can have a 300 MiB video without 300 MiB of memory. Its files are fsspec's buffered files, read
through ``_fetch_range`` as s3fs and gcsfs read theirs, and every fetch is recorded: a test sees exactly which
bytes of an object were asked for.
"""

from __future__ import annotations

import uuid
from typing import Any

from fsspec import AbstractFileSystem, register_implementation
from fsspec.spec import AbstractBufferedFile

PROTOCOL = "virtual"


class VirtualStore(AbstractFileSystem):
    protocol = PROTOCOL
    cachable = False  # one store per test, with its own objects and fetch log

    def __init__(self) -> None:
        super().__init__()
        self.objects: dict[str, tuple[int, dict[int, bytes]]] = {}
        self.etags: dict[str, str] = {}
        self.fetches: list[tuple[int, int]] = []

    def put_object(self, key: str, size: int, runs: dict[int, bytes], etag: str | None = None) -> None:
        """An object of ``size`` bytes: each run at its offset, zeros between; its info has ``ETag`` when given, as
        s3fs's has."""
        self.objects[self._strip_protocol(key)] = (size, runs)
        if etag is not None:
            self.etags[self._strip_protocol(key)] = etag

    def content(self, key: str, start: int = 0, end: int | None = None) -> bytes:
        size, runs = self.objects[self._strip_protocol(key)]
        end = size if end is None else min(end, size)
        data = bytearray(max(end - start, 0))
        for offset, run in runs.items():
            lo, hi = max(offset, start), min(offset + len(run), end)
            if lo < hi:
                data[lo - start : hi - start] = run[lo - offset : hi - offset]
        return bytes(data)

    def info(self, path: str, **kwargs: Any) -> dict[str, Any]:
        path = self._strip_protocol(path)
        if path in self.objects:
            etag = {"ETag": self.etags[path]} if path in self.etags else {}
            return {"name": path, "size": self.objects[path][0], "type": "file", **etag}
        if any(key.startswith(path.rstrip("/") + "/") for key in self.objects):
            return {"name": path, "size": 0, "type": "directory"}
        raise FileNotFoundError(path)

    def ls(self, path: str, detail: bool = True, **kwargs: Any) -> list[Any]:
        raise NotImplementedError("not needed by the provider")

    def _open(self, path: str, mode: str = "rb", block_size: Any = None, **kwargs: Any) -> VirtualFile:
        kwargs.pop("autocommit", None)
        return VirtualFile(self, path, mode, block_size=block_size or "default", **kwargs)


class VirtualFile(AbstractBufferedFile):
    fs: VirtualStore

    def _fetch_range(self, start: int, end: int) -> bytes:
        self.fs.fetches.append((start, end))
        return self.fs.content(self.path, start, end)


register_implementation(PROTOCOL, VirtualStore, clobber=True)


def attach_virtual_store() -> tuple[VirtualStore, str]:
    """A fresh store attached to Airflow's object storage under a connection id of its own (Airflow keeps attached
    stores for the process): URLs ``virtual://<conn_id>@bucket/key`` reach it."""
    from airflow.sdk.io import attach

    store, conn_id = VirtualStore(), f"store_{uuid.uuid4().hex[:8]}"
    attach(PROTOCOL, conn_id=conn_id, fs=store)
    return store, conn_id


def attach_memory() -> AbstractFileSystem:
    """fsspec's memory filesystem, attached to Airflow's object storage as ``memory://``."""
    import fsspec
    from airflow.sdk.io import attach

    fs = fsspec.filesystem("memory")
    # Airflow keeps the first store attached for a scheme: one a memory:// path made before (without a filesystem,
    # which Airflow could not find) would stay without it.
    attach("memory", fs=fs).fs = fs
    return fs
