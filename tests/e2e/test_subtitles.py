"""Subtitles and media metadata end to end: ``airflow dags test`` against the emulator, read back from what the
emulator received."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import requests

from airflow_provider.emulator import EmulatorServer, Fault
from tests.e2e.dag_runs import emulator_config, run_dag

pytestmark = pytest.mark.e2e

TRACK = {"language_code": "EN", "display_name": "English"}


def media_of(emulator: EmulatorServer, media_id: str) -> Any:
    return requests.get(f"{emulator.url}/_emulator/media/{media_id}", timeout=10).json()


def test_video_with_metadata_and_subtitles_is_posted(airflow_env: dict[str, str], emulator: EmulatorServer) -> None:
    run = run_dag(airflow_env, emulator, "example_twitter_subtitles")

    assert run.state == "success", run.output[-3000:]
    video_id = run.xcom["upload_media"]["media_id"]
    (attached,) = run.xcom["add_subtitles"]["subtitles"]  # the video's receipt, with the track it now has
    video = media_of(emulator, video_id)
    assert video["metadata"] == {
        "alt_text": {"text": "Colour bars test pattern with a 440 Hz tone"},
        "sensitive_media_warning": {"other": True},
        "allow_download_status": {"allow_download": False},
    }
    assert len(run.calls("POST", "/2/media/metadata")) == 1  # everything in one call
    assert video["subtitles"] == [{"id": attached["media_id"], **TRACK}]
    track = media_of(emulator, attached["media_id"])
    assert (track["media_category"], track["media_type"]) == ("subtitles", "text/srt")
    assert [post["media_ids"] for post in run.posts] == [[video_id]]
    # the order the DAG promises: processed, then subtitles, then the post
    paths = [(r["method"], r["path"]) for r in run.requests]
    assert paths.index(("POST", "/2/media/subtitles")) < paths.index(("POST", "/2/tweets"))
    assert run.calls("DELETE", "/2/media/subtitles") == []  # a first try has nothing to replace


def test_webvtt_in_another_language(airflow_env: dict[str, str], emulator: EmulatorServer, tmp_path: Path) -> None:
    (vtt := tmp_path / "clip.txt").write_text("WEBVTT\n\n00:00.000 --> 00:03.000\nMire de barras de color\n")
    conf = {"subtitles_path": str(vtt), "language_code": "es", "display_name": "Español"}
    run = run_dag(airflow_env, emulator, "example_twitter_subtitles", conf)

    assert run.state == "success", run.output[-3000:]
    video = media_of(emulator, run.xcom["upload_media"]["media_id"])
    (track,) = video["subtitles"]
    assert (track["language_code"], track["display_name"]) == ("ES", "Español")
    assert media_of(emulator, track["id"])["media_type"] == "text/vtt"  # from the content, not the name


def test_bad_subtitles_file_is_refused_before_any_upload(
    airflow_env: dict[str, str], emulator: EmulatorServer, tmp_path: Path
) -> None:
    (bad := tmp_path / "clip.srt").write_text("1\n00:00:00.000 --> 00:00:03.000\nA dot, not a comma\n")
    run = run_dag(airflow_env, emulator, "example_twitter_subtitles", {"subtitles_path": str(bad)})

    assert run.task_states["add_subtitles"] == "failed" and run.task_states["post"] == "upstream_failed"
    assert "is not valid SRT at line 2" in run.output
    assert len(run.calls("POST", "/2/media/upload/initialize")) == 1  # the video's only
    assert run.calls("POST", "/2/media/subtitles") == [] and run.posts == []


def test_retry_after_a_lost_answer_leaves_one_track(airflow_env: dict[str, str]) -> None:
    """The first try's attach reaches X but its answer is lost, so the task fails and Airflow retries it; the
    retry deletes the track the first try attached, then attaches its own: one English track."""
    lost = Fault.from_json({"endpoint": "subtitles", "calls": [1], "kind": "lost_answer"})
    with EmulatorServer(emulator_config(faults=(lost,))) as emulator:
        run = run_dag(airflow_env, emulator, "e2e_subtitles_retry", dags_folder=Path(__file__).parent / "dags")
        video = media_of(emulator, run.xcom["upload_media"]["media_id"])

    assert run.state == "success", run.output[-3000:]
    assert len(run.calls("POST", "/2/media/subtitles")) == 2
    assert len(run.calls("DELETE", "/2/media/subtitles")) == 1
    (second,) = run.xcom["add_subtitles"]["subtitles"]
    assert video["subtitles"] == [{"id": second["media_id"], **TRACK}]


def test_subtitles_over_the_v1_1_upload(airflow_env: dict[str, str], emulator: EmulatorServer) -> None:
    """With the connection on X's v1.1 upload, the subtitle file goes through it too; the attach stays on v2."""
    run = run_dag(airflow_env, emulator, "example_twitter_subtitles", conn_extra={"upload_api": "v1.1"})

    assert run.state == "success", run.output[-3000:]
    assert run.calls("POST", "/2/media/upload") == []
    video = media_of(emulator, run.xcom["upload_media"]["media_id"])
    (track,) = video["subtitles"]
    assert media_of(emulator, track["id"])["media_category"] == "subtitles"
