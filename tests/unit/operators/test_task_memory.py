"""The task's durable memory: a record read once and written with a retention, the upload's journal (what it may
continue, and why it starts again), and nothing at all before Airflow 3.3."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

import pytest

from airflow_provider.files.media_file import MediaFile, inspect_media_file
from airflow_provider.operators.task_memory import (
    RETENTION,
    UPLOAD_KEY,
    StoredUploadJournal,
    TaskMemory,
    TaskRecord,
    upload_journal,
)
from tests.unit.task_context import FakeTaskStateStore, task_context

MEDIA = Path(__file__).resolve().parents[3] / "dags" / "media"


class Log:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def info(self, msg: str, *args: Any) -> None:
        self.lines.append(msg % args)

    warning = info


@pytest.fixture
def log() -> Log:
    return Log()


@pytest.fixture
def video() -> MediaFile:
    return inspect_media_file(str(MEDIA / "sample.mp4"))


def test_before_airflow_3_3_there_is_no_memory_and_a_record_does_nothing(log: Log) -> None:
    assert TaskMemory.of(task_context(), log) is None
    record = TaskRecord.of(task_context(), "x_post", log)
    record.intend()
    assert record.keep({"id": "1"}) == {"id": "1"}
    assert (record.output, record.done, record.search_first) == (None, [], True)  # search as before 3.3


def test_a_record_keeps_what_earlier_tries_left_whatever_this_try_notes(log: Log) -> None:
    store = FakeTaskStateStore()
    store.set("x_post", {"sending": True, "done": ["5"]})
    record = TaskRecord.of(task_context(task_state_store=store), "x_post", log)
    assert (record.answer_lost, record.search_first, record.done) == (True, True, ["5"])

    record.keep({"id": "6"})

    assert record.answer_lost  # read once: this try's own notes are not an earlier try's
    assert store.writes[-1] == ("x_post", {"sending": False, "output": {"id": "6"}}, RETENTION)
    assert dt.timedelta(days=1) == RETENTION


def test_a_record_with_nothing_pending_needs_no_search(log: Log) -> None:
    store = FakeTaskStateStore({"x_post": '{"sending": false, "done": ["5"]}'})
    assert not TaskRecord.of(task_context(task_state_store=store), "x_post", log).search_first
    assert not TaskRecord.of(task_context(task_state_store=FakeTaskStateStore()), "x_post", log).search_first


def test_the_journal_notes_the_media_its_source_and_each_acknowledgement_then_is_removed(
    video: MediaFile, log: Log
) -> None:
    store = FakeTaskStateStore()
    journal = upload_journal(task_context(task_state_store=store), video, 4096, log)
    assert journal is not None
    journal.began("1880028106020515840", 86400)
    journal.acknowledged({0, 2})
    record = store.get(UPLOAD_KEY)
    assert record["media_id"] == "1880028106020515840" and record["acknowledged"] == [0, 2]
    assert record["source"] == {
        "path": str(MEDIA / "sample.mp4"),
        "version": video.version(),
        "size": video.size,
        "media_type": "video/mp4",
        "media_category": "tweet_video",
        "chunk_size": 4096,
    }
    assert time.time() + 86000 < record["expires_at"] <= time.time() + 86400
    assert {retention for _, _, retention in store.writes} == {RETENTION}

    again = upload_journal(task_context(try_number=2, task_state_store=store), video, 4096, log)
    assert again is not None and again.resume_point() == ("1880028106020515840", frozenset({0, 2}))
    again.finished()
    assert store.get(UPLOAD_KEY) is None


@pytest.mark.parametrize(
    ("change", "named"),
    [({"chunk_size": 8192}, "chunk_size"), ({"version": "size=1 mtime_ns=2"}, "version"), ({"size": 1}, "size")],
)
def test_an_upload_that_changed_starts_again_and_says_why(
    video: MediaFile, log: Log, change: dict[str, Any], named: str
) -> None:
    store = FakeTaskStateStore()
    journal = upload_journal(task_context(task_state_store=store), video, 4096, log)
    assert journal is not None
    journal.began("1880028106020515840", 86400)
    record = store.get(UPLOAD_KEY)
    store.set(UPLOAD_KEY, {**record, "source": {**record["source"], **change}})

    assert journal.resume_point() is None
    assert log.lines[-1] == (
        f"An earlier try began media 1880028106020515840, but the upload has changed since ({named}): starting again."
    )


def test_a_media_id_about_to_expire_is_not_continued(video: MediaFile, log: Log) -> None:
    store = FakeTaskStateStore()
    journal = upload_journal(task_context(task_state_store=store), video, 4096, log)
    assert journal is not None
    journal.began("1880028106020515840", 300)  # X keeps it 5 more minutes: too little to finish and process

    assert journal.resume_point() is None
    assert log.lines[-1] == "An earlier try began media 1880028106020515840, but X lets it expire soon: starting again."


def test_a_presigned_urls_query_is_kept_only_as_a_digest(log: Log) -> None:
    store = FakeTaskStateStore()
    media = MediaFile(
        path="https://bucket.example/clip.mp4?X-Amz-Signature=SECRET",
        size=9,
        media_type="video/mp4",
        media_category="tweet_video",
    )
    memory = TaskMemory(store, log)
    journal = StoredUploadJournal(memory, {"path": "unused"})
    assert journal.resume_point() is None  # nothing stored yet
    made = upload_journal(task_context(task_state_store=store), media, 4096, log)
    assert made is not None
    made.began("1", None)
    path = store.get(UPLOAD_KEY)["source"]["path"]
    assert path.startswith("https://bucket.example/clip.mp4?sha256:") and "SECRET" not in str(store.values)


def test_no_journal_before_airflow_3_3(video: MediaFile, log: Log) -> None:
    assert upload_journal(task_context(), video, 4096, log) is None
