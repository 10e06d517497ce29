"""The chunked upload of one media: INIT, the segments streamed several at a time and each sent whole, FINALIZE,
then its metadata in one call; and what happens when X refuses a segment sent in parallel."""

from __future__ import annotations

import io
import os
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from airflow_provider.client.api import XClient
from airflow_provider.client.uploads import iter_chunks
from airflow_provider.exceptions import TwitterBillingError, TwitterInputError, TwitterRejectedError
from airflow_provider.files.media_file import MediaFile
from airflow_provider.rules.metadata import MediaMetadata
from tests.unit.fake_x import FakeX, json_body, segment_of, x_client

ID = "99"
INIT, APPEND, FINALIZE = "/2/media/upload/initialize", f"/2/media/upload/{ID}/append", f"/2/media/upload/{ID}/finalize"


@pytest.fixture
def x(fake_x: FakeX) -> XClient:
    fake_x.on("POST", INIT, (200, {"data": {"id": ID, "expires_after_secs": 86400}}))
    fake_x.on("POST", FINALIZE, (200, {"data": {"id": ID, "processing_info": {"state": "pending"}}}))
    fake_x.on("POST", "/2/media/metadata", (200, {"data": {"associated_metadata": True}}))
    return x_client()


def video(tmp_path: Path, payload: bytes) -> MediaFile:
    path = tmp_path / "clip.mp4"
    path.write_bytes(payload)
    return MediaFile(path=str(path), size=len(payload), media_type="video/mp4", media_category="tweet_video")


def sent_segments(fake_x: FakeX) -> list[tuple[int, bytes]]:
    return [segment_of(r) for r in fake_x.sent("POST", APPEND)]


def test_segments_are_streamed_in_order_then_finalized_then_described(
    x: XClient, fake_x: FakeX, tmp_path: Path
) -> None:
    payload = bytes(range(256)) * 40  # 10,240 bytes -> 3 segments of 4,096
    fake_x.on("POST", APPEND, (200, {"data": {"expires_at": 1}}))

    final = x.upload(video(tmp_path, payload), chunk_size=4096, parallel_segments=1, alt_text="A clip")

    assert final == {"id": ID, "processing_info": {"state": "pending"}}  # FINALIZE's answer
    assert json_body(fake_x.sent("POST", INIT)[0]) == {
        "total_bytes": 10240,
        "media_type": "video/mp4",
        "media_category": "tweet_video",
    }
    assert [index for index, _ in sent_segments(fake_x)] == [0, 1, 2]
    assert b"".join(data for _, data in sent_segments(fake_x)) == payload
    assert json_body(fake_x.sent("POST", "/2/media/metadata")[0]) == {
        "id": ID,
        "metadata": {"alt_text": {"text": "A clip"}},
    }
    assert [r.path_url for r in fake_x.requests][-2:] == [FINALIZE, "/2/media/metadata"]


def test_all_metadata_goes_in_one_call(x: XClient, fake_x: FakeX, tmp_path: Path) -> None:
    fake_x.on("POST", APPEND, (200, {}))
    metadata = MediaMetadata.checked(
        alt_text="A chart",
        sensitive_media_warning=["other", "graphic_violence"],
        allow_download=False,
        found_media_origin={"provider": "giphy", "id": "u5BzatR15TZ04"},
    )
    x.upload(video(tmp_path, b"v" * 100), metadata=metadata)
    (request,) = fake_x.sent("POST", "/2/media/metadata")
    assert json_body(request) == {"id": ID, "metadata": metadata.body()}


@pytest.mark.parametrize(
    "kwargs", [{}, {"alt_text": ""}, {"metadata": MediaMetadata.checked(sensitive_media_warning=[])}]
)
def test_no_metadata_no_call(x: XClient, fake_x: FakeX, tmp_path: Path, kwargs: dict[str, Any]) -> None:
    fake_x.on("POST", APPEND, (200, {}))
    x.upload(video(tmp_path, b"v" * 100), **kwargs)
    assert fake_x.sent("POST", "/2/media/metadata") == []


@pytest.mark.parametrize("parallel", [1, 3])
def test_a_retried_append_resends_the_whole_segment(x: XClient, fake_x: FakeX, tmp_path: Path, parallel: int) -> None:
    payload = os.urandom(20_000)
    fake_x.on("POST", APPEND, (200, {}), (503, {"title": "Service Unavailable"}), (200, {}))

    x.upload(video(tmp_path, payload), chunk_size=4096, parallel_segments=parallel)

    sent = sent_segments(fake_x)
    assert len(sent) == 6  # 5 segments, one sent twice
    assert sorted(dict(sent)) == [0, 1, 2, 3, 4]
    assert b"".join(dict(sent)[i] for i in range(5)) == payload


def test_a_segment_refused_in_parallel_goes_again_then_one_at_a_time(
    x: XClient, fake_x: FakeX, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """X does not document out-of-order APPEND: a segment it refuses while others are in flight is sent again
    alone, after them, and the upload goes on one segment at a time, in order."""
    payload = bytes(range(256)) * 200  # 51,200 bytes -> 13 segments of 4,096
    refused = (400, {"title": "Invalid Request", "detail": "Segment index out of order"})
    fake_x.on("POST", APPEND, refused, (200, {"data": {}}))
    in_flight, started = 0, []  # (segment index, APPENDs in flight once it started)
    lock, append = threading.Lock(), x.media.append

    def counted(media_id: str, index: int, chunk: bytes) -> None:
        nonlocal in_flight
        with lock:
            in_flight += 1
            started.append((index, in_flight))
        try:
            time.sleep(0.01)  # long enough for parallel APPENDs to overlap
            append(media_id, index, chunk)
        finally:
            with lock:
                in_flight -= 1

    monkeypatch.setattr(x.media, "append", counted)

    assert x.upload(video(tmp_path, payload), chunk_size=4096, parallel_segments=4)["id"] == ID

    sent = sent_segments(fake_x)
    assert len(sent) == 14  # 13 segments, one of them twice
    assert dict(sent) == {i: payload[i * 4096 : (i + 1) * 4096] for i in range(13)}  # every segment whole
    resent = next(n for n, (index, _) in enumerate(started) if [i for i, _ in started[:n]].count(index))
    assert max(count for _, count in started[:resent]) > 1  # in parallel until the refusal
    after = started[resent:]
    assert [count for _, count in after] == [1] * len(after)  # then one at a time
    assert [index for index, _ in after[1:]] == sorted(index for index, _ in after[1:])  # in order


def test_a_segment_refused_when_sent_alone_is_raised(x: XClient, fake_x: FakeX, tmp_path: Path) -> None:
    fake_x.on("POST", APPEND, (400, {"title": "Invalid Request", "detail": "bad segment"}))
    with pytest.raises(TwitterRejectedError, match="bad segment"):
        x.upload(video(tmp_path, b"v" * 20_000), chunk_size=4096, parallel_segments=1)
    assert len(fake_x.sent("POST", APPEND)) == 1
    assert fake_x.sent("POST", FINALIZE) == []


def test_a_segment_refused_again_after_the_fallback_is_raised(x: XClient, fake_x: FakeX, tmp_path: Path) -> None:
    fake_x.on("POST", APPEND, (400, {"title": "Invalid Request", "detail": "segment too big"}))
    with pytest.raises(TwitterRejectedError, match="segment too big"):
        x.upload(video(tmp_path, b"v" * 50_000), chunk_size=4096, parallel_segments=4)
    assert fake_x.sent("POST", FINALIZE) == []


def test_a_billing_refusal_in_parallel_is_raised_at_once(x: XClient, fake_x: FakeX, tmp_path: Path) -> None:
    """No credits left is no ordering problem: nothing is sent again."""
    fake_x.on("POST", APPEND, (402, {"title": "Payment Required"}))
    with pytest.raises(TwitterBillingError):
        x.upload(video(tmp_path, b"v" * 50_000), chunk_size=4096, parallel_segments=4)
    appends = [i for i, _ in sent_segments(fake_x)]
    assert len(appends) == len(set(appends))  # no segment sent twice


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"chunk_size": 1000}, "at most 1000"),
        ({"chunk_size": 0}, "chunk_size must be a whole number of bytes, from 1 to 5242880"),
        ({"parallel_segments": 0}, "parallel_segments must be a whole number, at least 1"),
        ({"alt_text": "x" * 1001}, "alt_text is 1001 characters"),
        ({"alt_text": "a", "metadata": MediaMetadata(alt_text="b")}, "Pass alt_text or metadata, not both"),
    ],
)
def test_what_x_would_refuse_is_refused_before_init(fake_x: FakeX, kwargs: dict[str, Any], message: str) -> None:
    media = MediaFile(path="unused", size=10_000_000, media_type="video/mp4", media_category="tweet_video")
    with pytest.raises(TwitterInputError, match=message):
        x_client().upload(media, **kwargs)
    assert fake_x.requests == []


def test_progress_is_logged_through_the_clients_log(fake_x: FakeX, tmp_path: Path) -> None:
    lines: list[str] = []

    class Log:
        def info(self, event: Any, *args: Any, **kw: Any) -> None:
            lines.append(event % args)

        def warning(self, event: Any, *args: Any, **kw: Any) -> None:
            lines.append(event % args)

    fake_x.on("POST", INIT, (200, {"data": {"id": ID}}))
    fake_x.on("POST", APPEND, (200, {}))
    fake_x.on("POST", FINALIZE, (200, {"data": {"id": ID}}))
    x_client(log=Log()).upload(video(tmp_path, b"v" * 8192), chunk_size=4096)
    assert lines[-1].startswith(f"Media {ID}: uploaded 0.0 of 0.0 MiB (100%)")


def test_iter_chunks_streams_one_chunk_at_a_time(tmp_path: Path) -> None:
    (path := tmp_path / "d").write_bytes(b"abcdefghij")
    with open(path, "rb") as f:
        assert list(iter_chunks(f, 4)) == [(0, b"abcd"), (1, b"efgh"), (2, b"ij")]


class Trickle(io.RawIOBase):
    """A file whose reads return at most 3 bytes, as a socket-backed one may."""

    def __init__(self, data: bytes) -> None:
        self.data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk = self.data.read(min(3, len(buffer)))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def test_iter_chunks_fills_every_chunk_but_the_last_from_short_reads() -> None:
    """The segment count X was promised holds: every chunk but the last is chunk_size long."""
    chunks = list(iter_chunks(Trickle(b"abcdefghij"), 4))  # type: ignore[arg-type]
    assert chunks == [(0, b"abcd"), (1, b"efgh"), (2, b"ij")]
