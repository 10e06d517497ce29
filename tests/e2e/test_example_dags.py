"""The example DAGs, run end to end with ``airflow dags test`` against the emulator over loopback HTTP."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest

from airflow_provider.client.uploads import DEFAULT_CHUNK_SIZE
from airflow_provider.emulator import EmulatorServer
from airflow_provider.rules.media import MiB, segment_count
from tests.e2e.dag_runs import DagRun, emulator_config, run_dag
from tests.e2e.upload_memory import write_video

pytestmark = pytest.mark.e2e


def media_ids_of(run: DagRun) -> list[list[str]]:
    return [post["media_ids"] for post in run.posts]


def test_video_is_processed_then_posted_with_each_request_counted(airflow_env: dict[str, str], tmp_path: Path) -> None:
    """What X receives for one video post, in order: INITIALIZE, an APPEND per segment, FINALIZE, the alt text, a
    STATUS per poke of the sensor (each no sooner than X advised in the answer before it), and the post, which asks
    no STATUS of its own: its input is the sensor's receipt, which says X processed the video.

    A 3-segment video, and processing long enough (12 s) that the first poke finds it still in progress even on a
    loaded machine, so the sensor releases its slot; the next poke comes 15 s later (min_reschedule_interval).
    """
    video = write_video(tmp_path / "clip.mp4", 9 * MiB)
    segments = segment_count(video.stat().st_size, DEFAULT_CHUNK_SIZE)
    with EmulatorServer(emulator_config(processing_secs=12.0)) as emulator:
        run = run_dag(airflow_env, emulator, "example_twitter_video", {"media_path": str(video)})
        media = emulator.state.media_snapshot(run.xcom["upload_media"]["media_id"])

    assert run.state == "success", run.output[-3000:]
    assert run.task_states == {"upload_media": "success", "wait_for_processing": "success", "post": "success"}
    assert run.reschedules["wait_for_processing"] >= 1  # the slot was released while X processed
    pokes = run.reschedules["wait_for_processing"] + 1  # the first, then one after each reschedule
    assert segments == 3 and media is not None and media["segment_count"] == segments
    assert [r["endpoint"] for r in run.requests] == [
        "initialize",
        *["append"] * segments,
        "finalize",
        "metadata",
        *["status"] * pokes,  # one per poke, none after the last: the post asks none
        "tweets",
    ]
    assert {r["status"] for r in run.requests} <= {200, 201}  # nothing refused, nothing sent again
    # X's advice: check_after_secs in each answer, from FINALIZE on. A request's time is when it reached the
    # emulator, before its answer, so each STATUS must come at least that long after the request before it.
    advised = [r for r in run.requests if r["endpoint"] in ("finalize", "status")]
    gaps = [later["at"] - earlier["at"] for earlier, later in pairwise(advised)]
    assert min(gaps) >= emulator.config.check_after_secs, gaps
    # The post's input, through the REST API: the sensor's XCom is the upload's receipt, processed.
    uploaded, processed = run.xcom["upload_media"], run.xcom["wait_for_processing"]
    assert uploaded["state"] in ("pending", "in_progress") and uploaded["next_status_at"] is not None
    assert processed == {
        **uploaded,
        "state": "succeeded",
        "next_status_at": None,
        "expires_at": processed["expires_at"],
    }
    assert processed["expires_at"] > processed["uploaded_at"]  # as X's STATUS last said
    assert run.rendered_fields["post"]["media_ids"] == [processed]
    assert media_ids_of(run) == [[uploaded["media_id"]]]
    assert run.posts[0]["text"] == "Published from Airflow with airflow-provider-twitter"
    assert run.xcom["post"]["id"] == run.posts[0]["id"]
    assert f"Posted {emulator.url}/i/web/status/{run.posts[0]['id']}" in run.output  # the link's URL


def test_video_x_fails_to_process_fails_the_sensor_and_posts_nothing(airflow_env: dict[str, str]) -> None:
    """X's processing refuses the video (here: longer than this account may post, 2 s against the sample's 3 s),
    which no local check could know: the sensor fails with X's error, at once, and nothing is posted."""
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
    assert run.xcom["report"] == f"{emulator.url}/i/web/status/{post['id']}"  # the post's output carries it


def test_media_expired_while_processing_fails_with_id_and_age(airflow_env: dict[str, str]) -> None:
    with EmulatorServer(emulator_config(processing_secs=6.0, expires_after_secs=2)) as emulator:
        run = run_dag(airflow_env, emulator, "example_twitter_video")

    assert run.state == "failed"
    assert run.task_states["wait_for_processing"] == "failed"
    media_id = run.xcom["upload_media"]["media_id"]
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
    media_id = run.xcom["upload_media"]["media_id"]
    assert media_ids_of(run) == [[media_id]]
    assert run.xcom["wait_for_processing"]["state"] == "succeeded"


def test_genuine_duplicate_fails_clearly(airflow_env: dict[str, str], emulator: EmulatorServer) -> None:
    run = run_dag(airflow_env, emulator, "e2e_duplicate_post", dags_folder=Path(__file__).parent / "dags")

    assert run.task_states == {"first": "success", "second": "failed"}
    assert "Duplicate post" in run.output and "made before this task" in run.output
    assert len(run.posts) == 1
    assert run.calls("GET", "/2/users/me") == []  # a first-attempt duplicate is never taken for our own post
