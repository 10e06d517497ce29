"""A retried upload continuing an earlier try's media id from the journal (client/uploads.py with client/resume.py):
only the segments X had not acknowledged are sent, each acknowledgement is noted, and a media id X no longer takes
starts the upload again under a new one."""

from __future__ import annotations

import itertools
from collections.abc import Set
from pathlib import Path
from typing import Any

import pytest

from airflow_provider.client.api import XClient
from airflow_provider.exceptions import TwitterRejectedError
from airflow_provider.files.media_file import MediaFile
from tests.unit.fake_x import FakeX, segment_of, x_client

OLD, NEW = "77", "99"
INIT = "/2/media/upload/initialize"
PAYLOAD = bytes(range(256)) * 40  # 10,240 bytes -> 3 segments of 4,096


def append(media_id: str) -> str:
    return f"/2/media/upload/{media_id}/append"


def finalize(media_id: str) -> str:
    return f"/2/media/upload/{media_id}/finalize"


class Journal:
    """An upload journal in memory: what a task state store would hold, and every note made."""

    def __init__(self, resume: tuple[str, frozenset[int]] | None = None) -> None:
        self.resume = resume
        self.notes: list[tuple[str, Any]] = []

    def resume_point(self) -> tuple[str, frozenset[int]] | None:
        return self.resume

    def began(self, media_id: str, expires_after_secs: float | None) -> None:
        self.notes.append(("began", (media_id, expires_after_secs)))

    def acknowledged(self, segments: Set[int]) -> None:
        self.notes.append(("acknowledged", sorted(segments)))

    def finished(self) -> None:
        self.notes.append(("finished", None))


@pytest.fixture
def x(fake_x: FakeX) -> XClient:
    fake_x.on("POST", INIT, (200, {"data": {"id": NEW, "expires_after_secs": 86400}}))
    for media_id in (OLD, NEW):
        fake_x.on("POST", append(media_id), (200, {}))
        fake_x.on(
            "POST", finalize(media_id), (200, {"data": {"id": media_id, "processing_info": {"state": "pending"}}})
        )
    return x_client()


@pytest.fixture
def clip(tmp_path: Path) -> MediaFile:
    path = tmp_path / "clip.mp4"
    path.write_bytes(PAYLOAD)
    return MediaFile(path=str(path), size=len(PAYLOAD), media_type="video/mp4", media_category="tweet_video")


def segments(fake_x: FakeX, media_id: str) -> list[tuple[int, bytes]]:
    return sorted(segment_of(r) for r in fake_x.sent("POST", append(media_id)))


@pytest.mark.parametrize("parallel", [1, 4])
def test_a_fresh_upload_notes_its_id_then_each_acknowledged_segment(
    x: XClient, fake_x: FakeX, clip: MediaFile, parallel: int
) -> None:
    journal = Journal()
    x.upload(clip, chunk_size=4096, parallel_segments=parallel, journal=journal)

    assert journal.notes[0] == ("began", (NEW, 86400))
    acks = [n for kind, n in journal.notes if kind == "acknowledged"]
    assert len(acks) == 3 and acks[-1] == [0, 1, 2]  # one note per segment, the whole set each time
    assert all(set(a) < set(b) for a, b in itertools.pairwise(acks))
    assert journal.notes[-1] == ("finished", None)


@pytest.mark.parametrize("parallel", [1, 4])
def test_a_retry_continues_the_same_media_id_from_the_segments_not_acknowledged(
    x: XClient, fake_x: FakeX, clip: MediaFile, parallel: int
) -> None:
    journal = Journal((OLD, frozenset({0, 2})))
    final = x.upload(clip, chunk_size=4096, parallel_segments=parallel, journal=journal)

    assert final["id"] == OLD
    assert fake_x.sent("POST", INIT) == []
    assert segments(fake_x, OLD) == [(1, PAYLOAD[4096:8192])]  # segment 1 alone, read from its offset
    assert len(fake_x.sent("POST", finalize(OLD))) == 1
    assert journal.notes == [("acknowledged", [0, 1, 2]), ("finished", None)]


def test_a_retry_after_every_segment_was_acknowledged_only_finalizes(
    x: XClient, fake_x: FakeX, clip: MediaFile
) -> None:
    final = x.upload(clip, chunk_size=4096, journal=Journal((OLD, frozenset({0, 1, 2}))))

    assert final["id"] == OLD
    assert fake_x.sent("POST", append(OLD)) == [] and fake_x.sent("POST", INIT) == []


@pytest.mark.parametrize("status", [400, 404])
@pytest.mark.parametrize("acknowledged", [frozenset({0}), frozenset({0, 1, 2})], ids=["append", "finalize"])
def test_a_media_id_x_no_longer_takes_starts_the_upload_again(
    x: XClient,
    fake_x: FakeX,
    clip: MediaFile,
    caplog: pytest.LogCaptureFixture,
    status: int,
    acknowledged: frozenset[int],
) -> None:
    refusal = (status, {"title": "Invalid Request", "detail": f"Media {OLD} was not found."})
    fake_x.routes[("POST", append(OLD))] = [refusal]
    fake_x.routes[("POST", finalize(OLD))] = [refusal]
    journal = Journal((OLD, acknowledged))

    final = x.upload(clip, chunk_size=4096, parallel_segments=4, journal=journal)

    assert final["id"] == NEW
    assert segments(fake_x, NEW) == [(0, PAYLOAD[:4096]), (1, PAYLOAD[4096:8192]), (2, PAYLOAD[8192:])]
    assert len(fake_x.sent("POST", append(OLD)) + fake_x.sent("POST", finalize(OLD))) == 1  # one probe, no more
    assert journal.notes[0] == ("began", (NEW, 86400))
    assert f"X no longer takes media {OLD} from an earlier try" in caplog.text
    assert "uploading it again under a new media id" in caplog.text


def test_a_refusal_that_says_nothing_of_the_id_is_raised(x: XClient, fake_x: FakeX, clip: MediaFile) -> None:
    fake_x.routes[("POST", append(OLD))] = [(403, {"title": "Forbidden", "detail": "not permitted"})]

    with pytest.raises(TwitterRejectedError, match="403"):
        x.upload(clip, chunk_size=4096, journal=Journal((OLD, frozenset({0}))))
    assert fake_x.sent("POST", INIT) == []


def test_a_later_refusal_on_the_continued_id_is_raised_not_restarted(
    x: XClient, fake_x: FakeX, clip: MediaFile
) -> None:
    """Only the first request on the id asks "does X still know it?": a refusal later is a real one."""
    fake_x.routes[("POST", finalize(OLD))] = [(400, {"title": "Invalid Request", "detail": "InvalidMedia"})]

    with pytest.raises(TwitterRejectedError, match="InvalidMedia"):
        x.upload(clip, chunk_size=4096, parallel_segments=1, journal=Journal((OLD, frozenset({0}))))
    assert fake_x.sent("POST", INIT) == []
