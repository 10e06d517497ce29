"""The example DAGs, run end to end with ``airflow dags test`` against the emulator over loopback HTTP."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from airflow_provider.emulator import EmulatorServer
from tests.e2e.dag_runs import DagRun, run_dag

pytestmark = pytest.mark.e2e


def media_ids_of(run: DagRun) -> list[list[str]]:
    return [post["media_ids"] for post in run.posts]


def test_video_is_processed_then_posted(airflow_env: dict[str, str], emulator: EmulatorServer) -> None:
    run = run_dag(airflow_env, emulator, "example_twitter_video")

    assert run.state == "success", run.output[-3000:]
    assert run.task_states == {"upload_media": "success", "wait_for_processing": "success", "post": "success"}
    assert run.reschedules["wait_for_processing"] >= 1  # the slot was released while X processed
    media_id = json.loads(run.xcom["upload_media"])["media_id"]
    assert media_ids_of(run) == [[media_id]]
    assert run.posts[0]["text"] == "Published from Airflow with airflow-provider-twitter"
    assert json.loads(run.xcom["post"])["id"] == run.posts[0]["id"]
    assert json.loads(run.xcom["wait_for_processing"])["processing_info"]["state"] == "succeeded"
    assert len(run.calls("POST", f"/2/media/upload/{media_id}/append")) == 1
    assert len(run.calls("POST", "/2/media/metadata")) == 1
    assert f"https://x.com/i/web/status/{run.posts[0]['id']}" in run.output


def test_video_x_fails_to_process_fails_the_sensor_and_posts_nothing(airflow_env: dict[str, str]) -> None:
    """X's processing refuses the video (here: longer than this account may post, 2 s against the sample's 3 s),
    which no local check could know: the sensor fails with X's error, at once, and nothing is posted."""
    from tests.e2e.dag_runs import emulator_config

    with EmulatorServer(emulator_config(max_video_secs=2.0)) as emulator:
        run = run_dag(airflow_env, emulator, "example_twitter_video")

    assert run.state == "failed"
    assert run.task_states["upload_media"] == "success"
    assert run.task_states["wait_for_processing"] == "failed"
    assert run.task_states["post"] == "upstream_failed"
    assert "UnsupportedMedia: Duration" in run.output
    assert run.posts == []
    assert run.calls("POST", "/2/tweets") == []


def test_image_needs_no_processing(airflow_env: dict[str, str], emulator: EmulatorServer) -> None:
    run = run_dag(airflow_env, emulator, "example_twitter_taskflow")

    assert run.state == "success", run.output[-3000:]
    assert set(run.task_states.values()) == {"success"}
    assert run.reschedules["wait_for_processing"] == 0
    assert run.calls("GET", "/2/media/upload") == []  # X has no STATUS for images: the upload said so
    (post,) = run.posts
    assert post["text"].startswith("Sample, published ")
    assert json.loads(run.xcom["report"]) == f"https://x.com/i/web/status/{post['id']}"


def test_media_expired_while_processing_fails_with_id_and_age(airflow_env: dict[str, str]) -> None:
    from tests.e2e.dag_runs import emulator_config

    with EmulatorServer(emulator_config(processing_secs=6.0, expires_after_secs=2)) as emulator:
        run = run_dag(airflow_env, emulator, "example_twitter_video")

    assert run.state == "failed"
    assert run.task_states["wait_for_processing"] == "failed"
    media_id = json.loads(run.xcom["upload_media"])["media_id"]
    assert f"Media {media_id} has expired or is unknown to X; it was uploaded 0 min ago" in run.output
    assert "X keeps media only for its expires_after_secs" in run.output
    assert run.posts == []


def test_deferrable_sensor_waits_in_the_triggerer(airflow_env: dict[str, str], emulator: EmulatorServer) -> None:
    run = run_dag(airflow_env, emulator, "example_twitter_video_deferrable")

    assert run.state == "success", run.output[-3000:]
    assert set(run.task_states.values()) == {"success"}
    assert run.reschedules["wait_for_processing"] == 0
    assert "[DAG TEST] running trigger in line" in run.output
    assert "polling again in" in run.output  # the trigger, not the task, waited for X
    media_id = json.loads(run.xcom["upload_media"])["media_id"]
    assert media_ids_of(run) == [[media_id]]
    assert json.loads(run.xcom["wait_for_processing"])["processing_info"]["state"] == "succeeded"


def test_genuine_duplicate_fails_clearly(airflow_env: dict[str, str], emulator: EmulatorServer) -> None:
    run = run_dag(airflow_env, emulator, "e2e_duplicate_post", dags_folder=Path(__file__).parent / "dags")

    assert run.task_states == {"first": "success", "second": "failed"}
    assert "Duplicate post" in run.output and "made before this task" in run.output
    assert len(run.posts) == 1
    assert run.calls("GET", "/2/users/me") == []  # a first-attempt duplicate is never taken for our own post
