"""Where a media file's bytes come from: a local path, or an object in storage checked from its head, info and header
and uploaded in ranged reads of one chunk each, through Airflow's object storage layer (``file://``, fsspec's memory
filesystem, and a store that records its reads).

Each refused input also has its row in test_bad_inputs.py (docs/errors.md), through the operator.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterator
from pathlib import Path

import fsspec
import pytest
from airflow.providers.common.compat.sdk import ObjectStoragePath

from airflow_provider.client.api import XClient
from airflow_provider.exceptions import TwitterInputError
from airflow_provider.files.media_file import inspect_media_file
from airflow_provider.files.sources import LocalFile, StoredObject, media_source
from airflow_provider.rules.media import MiB
from tests.unit.fake_x import FakeX, segment_of, x_client
from tests.unit.mp4 import FTYP_BOX, box, mp4, mvhd
from tests.unit.object_storage import VirtualFile, VirtualStore, attach_memory, attach_virtual_store

# universal_pathlib serves the recording store with its generic path class, and says so.
pytestmark = pytest.mark.filterwarnings("ignore:UPath 'virtual' filesystem not explicitly implemented")
SAMPLES = Path(__file__).resolve().parents[3] / "dags" / "media"
PNG = (SAMPLES / "sample.png").read_bytes()


@pytest.fixture
def memory() -> Iterator[fsspec.AbstractFileSystem]:
    fs = attach_memory()
    yield fs
    if fs.exists("/media"):
        fs.rm("/media", recursive=True)


@pytest.fixture
def store() -> tuple[VirtualStore, str]:
    return attach_virtual_store()


@pytest.fixture
def x(fake_x: FakeX) -> XClient:
    return x_client()


def long_video(size: int, seconds: float) -> dict[int, bytes]:
    """A video that is not fast-started: ``ftyp``, then ``mdat`` with a 64-bit size up to the end, where ``moov``
    tells the duration. Only these runs are bytes; the media data is zeros, never held."""
    moov = box(b"moov", mvhd(1000, round(seconds * 1000)))
    mdat = struct.pack(">I4sQ", 1, b"mdat", size - len(FTYP_BOX) - len(moov))
    return {0: FTYP_BOX + mdat, size - len(moov): moov}


def test_file_url_is_checked_as_the_file_itself() -> None:
    url = (SAMPLES / "sample.mp4").as_uri()
    media = inspect_media_file(url)
    assert (media.path, media.media_type, media.media_category) == (url, "video/mp4", "tweet_video")
    assert media.size == (SAMPLES / "sample.mp4").stat().st_size
    assert media.duration == pytest.approx(3.0)


def test_object_storage_path_and_url_of_the_same_object(memory: fsspec.AbstractFileSystem) -> None:
    memory.pipe_file("/media/photo.bin", PNG)  # the name says nothing: the content does
    for file_path in (ObjectStoragePath("memory://media/photo.bin"), "memory://media/photo.bin"):
        media = inspect_media_file(file_path)
        assert (media.media_type, media.media_category, media.size) == ("image/png", "tweet_image", len(PNG))
        assert media.path == str(file_path)  # the path as Airflow writes it (3.0 adds a slash: memory:///media/...)


def test_video_duration_is_read_from_an_object(memory: fsspec.AbstractFileSystem) -> None:
    memory.pipe_file("/media/clip.mp4", mp4(12.5))
    assert inspect_media_file("memory://media/clip.mp4").duration == 12.5


def test_a_large_video_is_checked_from_its_head_and_header_only(store: tuple[VirtualStore, str]) -> None:
    """300 MiB with its movie header at the end: type, size and duration cost two small ranged reads."""
    fs, conn_id = store
    size = 300 * MiB
    fs.put_object("media/long.mp4", size, long_video(size, 138.5))

    media = inspect_media_file(f"virtual://{conn_id}@media/long.mp4")

    assert (media.size, media.media_type, media.duration) == (size, "video/mp4", 138.5)
    assert len(fs.fetches) == 2
    assert sum(end - start for start, end in fs.fetches) < 128 * 1024
    assert fs.fetches[-1][1] == size  # the header at the end, reached by seeking past the media data


def test_a_video_too_long_is_refused_from_its_header(store: tuple[VirtualStore, str]) -> None:
    fs, conn_id = store
    fs.put_object("media/long.mp4", 300 * MiB, long_video(300 * MiB, 149.0))
    with pytest.raises(TwitterInputError, match=r"lasts 149.00 s; X takes videos of 0.5 to 140 s"):
        inspect_media_file(f"virtual://{conn_id}@media/long.mp4")
    assert sum(end - start for start, end in fs.fetches) < 128 * 1024


def script_upload(fake_x: FakeX, *append_replies: tuple[int, object]) -> None:
    fake_x.on("POST", "/2/media/upload/initialize", (200, {"data": {"id": "77"}}))
    fake_x.on("POST", "/2/media/upload/77/append", *(append_replies or [(200, {})]))
    fake_x.on("POST", "/2/media/upload/77/finalize", (200, {"data": {"id": "77"}}))


def uploaded(fake_x: FakeX) -> dict[int, bytes]:
    return dict(segment_of(r) for r in fake_x.sent("POST", "/2/media/upload/77/append"))


@pytest.mark.parametrize("parallel", [1, 3])
def test_upload_reads_each_chunk_once_in_a_ranged_read_of_that_chunk(
    x: XClient, fake_x: FakeX, store: tuple[VirtualStore, str], parallel: int
) -> None:
    """No read-ahead and no whole download: every fetch during the upload is one chunk, each fetched once."""
    fs, conn_id = store
    size, chunk = 9 * MiB + 123, MiB
    fs.put_object("media/clip.mp4", size, {**long_video(size, 10.0), 4 * MiB: b"middle", 9 * MiB: b"tail"})
    media = inspect_media_file(f"virtual://{conn_id}@media/clip.mp4")
    fs.fetches.clear()
    script_upload(fake_x)

    x.upload(media, chunk_size=chunk, parallel_segments=parallel)

    assert fs.fetches == [(i * chunk, (i + 1) * chunk) for i in range(10)]  # the last one ends at the object's end
    segments = uploaded(fake_x)
    assert b"".join(segments[i] for i in range(10)) == fs.content("media/clip.mp4")


@pytest.mark.parametrize("parallel", [1, 3])
def test_a_retried_append_sends_the_same_segment_again_without_reading_it_again(
    x: XClient, fake_x: FakeX, store: tuple[VirtualStore, str], parallel: int
) -> None:
    fs, conn_id = store
    size, chunk = 5 * MiB, MiB
    runs = {i * chunk: bytes([i + 1]) * 1000 for i in range(5)}  # each segment starts differently
    fs.put_object("media/clip.mp4", size, {**runs, **long_video(size, 10.0)})
    media = inspect_media_file(f"virtual://{conn_id}@media/clip.mp4")
    fs.fetches.clear()
    script_upload(fake_x, (200, {}), (503, {"title": "Service Unavailable"}), (200, {}))

    x.upload(media, chunk_size=chunk, parallel_segments=parallel)

    sent = [segment_of(r) for r in fake_x.sent("POST", "/2/media/upload/77/append")]
    assert len(sent) == 6  # 5 segments, one of them twice
    retried = [index for index, _ in sent if [i for i, _ in sent].count(index) == 2]
    assert len(set(retried)) == 1 and len({data for index, data in sent if index == retried[0]}) == 1
    assert b"".join(dict(sent)[i] for i in range(5)) == fs.content("media/clip.mp4")
    assert len(fs.fetches) == 5  # the retry resent the segment held in memory: storage was read once


def test_upload_from_the_memory_filesystem(x: XClient, fake_x: FakeX, memory: fsspec.AbstractFileSystem) -> None:
    """Through fsspec's own memory filesystem (not a buffered file): the object reaches X whole."""
    memory.pipe_file("/media/photo.png", PNG)
    script_upload(fake_x)
    fake_x.on("POST", "/2/media/metadata", (200, {"data": {}}))
    media = inspect_media_file(ObjectStoragePath("memory://media/photo.png"))

    x.upload(media, chunk_size=4096, parallel_segments=2, alt_text="Colour bars")

    segments = uploaded(fake_x)
    assert b"".join(segments[i] for i in sorted(segments)) == PNG


def test_a_local_path_a_path_object_and_a_url_each_name_their_source(tmp_path: Path) -> None:
    (path := tmp_path / "a.png").write_bytes(PNG)
    assert isinstance(media_source(str(path)), LocalFile) and isinstance(media_source(path), LocalFile)
    assert media_source(path).name == str(path) and str(media_source(str(path))) == str(path)
    stored = media_source(path.as_uri())
    assert isinstance(stored, StoredObject) and (stored.name, stored.scheme) == (path.as_uri(), "file")
    assert stored.checked_size() == len(PNG) == media_source(path).checked_size()


@pytest.mark.parametrize("bad", [None, "", "   ", 42, b"/tmp/a.png"])
def test_a_file_path_that_names_no_file_is_refused(bad: object) -> None:
    with pytest.raises(TwitterInputError, match="file_path must be the path of a local image or video file"):
        media_source(bad)


def test_a_scheme_no_installed_provider_registers_names_what_to_install() -> None:
    with pytest.raises(TwitterInputError) as err:
        media_source("gs://bucket/clip.mp4")
    assert "is on gs://, but no installed provider registers it" in str(err.value)
    assert "Install apache-airflow-providers-google where the task runs" in str(err.value)


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("media/missing.mp4", "does not exist: no such object"),
        ("media", "is a directory, or a prefix with objects under it"),
        ("media/empty.mp4", "is empty; there is nothing to upload"),
    ],
)
def test_an_object_that_is_no_media_file_is_refused_from_its_info(
    store: tuple[VirtualStore, str], key: str, message: str
) -> None:
    fs, conn_id = store
    fs.put_object("media/clip.mp4", 10, {})
    fs.put_object("media/empty.mp4", 0, {})
    with pytest.raises(TwitterInputError, match=message):
        media_source(f"virtual://{conn_id}@{key}").checked_size()
    assert fs.fetches == []


def failing_reads(store: tuple[VirtualStore, str], monkeypatch: pytest.MonkeyPatch, failure: OSError) -> str:
    """The URL of an object whose every read fails with ``failure``."""
    fs, conn_id = store
    fs.put_object("media/clip.mp4", 1000, {0: PNG[:100]})

    def fail(self: VirtualFile, start: int, end: int) -> bytes:
        raise failure

    monkeypatch.setattr(VirtualFile, "_fetch_range", fail)
    return f"virtual://{conn_id}@media/clip.mp4"


def test_a_read_denied_fails_at_once_naming_the_file(
    store: tuple[VirtualStore, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Running the task again cannot cure it: a TwitterInputError, which Airflow does not retry."""
    url = failing_reads(store, monkeypatch, PermissionError(13, "Access Denied"))
    with pytest.raises(TwitterInputError) as err, media_source(url).open() as f:
        f.read(10)
    assert str(err.value) == f"Media file {url!r} cannot be read: Access Denied."


def test_a_read_that_timed_out_is_left_to_the_tasks_retries(
    store: tuple[VirtualStore, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url = failing_reads(store, monkeypatch, TimeoutError("storage endpoint timed out"))
    with pytest.raises(TimeoutError), media_source(url).open() as f:
        f.read(10)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "missing.png", "does not exist. Check file_path"),
        (lambda d: d, "is a directory; file_path must name a file"),
        (lambda d: Path("/dev/null"), "is not a regular file; X needs a file of known size"),
    ],
)
def test_a_local_path_that_is_no_media_file_is_refused(tmp_path: Path, make: object, message: str) -> None:
    with pytest.raises(TwitterInputError, match=message):
        LocalFile(str(make(tmp_path))).checked_size()  # type: ignore[operator]


# -- what a retried upload compares, and what it reads again ---------------------------------------------------------


def test_an_objects_version_is_its_etag_and_changes_with_it(store: tuple[VirtualStore, str]) -> None:
    fs, conn_id = store
    fs.put_object("media/clip.mp4", 8 * MiB, long_video(8 * MiB, 10.0), etag='"abc"')
    media = inspect_media_file(f"virtual://{conn_id}@media/clip.mp4")
    assert media.version() == 'ETag="abc"'
    fs.put_object("media/clip.mp4", 8 * MiB, long_video(8 * MiB, 10.0), etag='"def"')
    assert media.version() == 'ETag="def"'


def test_an_object_without_a_version_field_is_known_by_nothing(store: tuple[VirtualStore, str]) -> None:
    fs, conn_id = store
    fs.put_object("media/clip.mp4", 8 * MiB, long_video(8 * MiB, 10.0))
    assert inspect_media_file(f"virtual://{conn_id}@media/clip.mp4").version() is None


def test_a_local_files_version_changes_when_it_is_written_again(tmp_path: Path) -> None:
    (path := tmp_path / "a.png").write_bytes(PNG)
    media = inspect_media_file(str(path))
    before = media.version()
    os.utime(path, ns=(0, 1_000_000_000))
    assert before is not None and media.version() not in (before, None)


def test_a_continued_upload_fetches_only_the_segments_not_acknowledged(
    x: XClient, fake_x: FakeX, store: tuple[VirtualStore, str]
) -> None:
    """From object storage over a WAN, the acknowledged segments are not fetched again, only seeked past."""
    fs, conn_id = store
    size, chunk = 6 * MiB, MiB
    fs.put_object("media/clip.mp4", size, long_video(size, 10.0))
    media = inspect_media_file(f"virtual://{conn_id}@media/clip.mp4")
    fs.fetches.clear()
    script_upload(fake_x)

    class Journal:
        def resume_point(self) -> tuple[str, frozenset[int]]:
            return "77", frozenset({0, 1, 2, 4})

        def began(self, media_id: str, expires_after_secs: float | None) -> None: ...
        def acknowledged(self, segments: object) -> None: ...
        def finished(self) -> None: ...

    x.upload(media, chunk_size=chunk, parallel_segments=2, journal=Journal())

    assert fs.fetches == [(3 * chunk, 4 * chunk), (5 * chunk, 6 * chunk)]
    assert sorted(uploaded(fake_x)) == [3, 5]
