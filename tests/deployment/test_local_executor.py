"""The example DAGs on a real deployment with LocalExecutor: separate api-server, scheduler, dag-processor and
triggerer processes on PostgreSQL, DAG runs triggered and read through the REST API."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from tests.deployment.crashes import (
    post_cleared_after_success,
    post_killed_after_x_accepted_the_post,
    upload_killed_mid_way,
)
from tests.deployment.deployment import EXAMPLE_DAGS, Deployment

pytestmark = pytest.mark.deployment

RUNS_PER_DAG = 2
RUN_TIMEOUT = 600


@pytest.mark.parametrize("check_after_secs", [1, 2, 5])
def test_example_dags_post_once_per_run(local: Deployment, check_after_secs: int) -> None:
    """Every example DAG, several concurrent runs, each green with exactly one post of its own media."""
    # Processing outlasts the gap between the upload and the sensor's first poke even on a loaded machine (6 s
    # was seen at load 3.3), so the reschedule sensor always finds X still processing.
    local.emulator.start(processing_secs=3 * check_after_secs + 12, check_after_secs=check_after_secs)
    runs = [
        local.trigger(dag_id, f"check{check_after_secs}_{n}_{dag_id}")
        for n in range(RUNS_PER_DAG)
        for dag_id in EXAMPLE_DAGS
    ]
    local.wait_finished(runs, RUN_TIMEOUT)
    posts = local.emulator.posts()

    problems = [problem for run in runs for problem in run.problems(posts)]
    assert not problems, "\n".join(problems)
    assert len(posts) == len(runs)
    # The reschedule sensor really rescheduled: X was still processing at its first poke.
    assert all(r.reschedules["wait_for_processing"] >= 1 for r in runs if r.dag_id == "example_twitter_video")


def test_sensor_timeout_fails_the_run_without_a_post(local: Deployment) -> None:
    from tests.deployment.dags.deployment_dags import SENSOR_TIMEOUT_SECS

    local.emulator.start(processing_secs=20 * SENSOR_TIMEOUT_SECS, check_after_secs=2)
    (run,) = local.wait_finished([local.trigger("deployment_sensor_timeout", "sensor_timeout")], RUN_TIMEOUT)

    assert run.state == "failed", run.describe()
    assert run.tasks["wait_for_processing"]["state"] == "failed", run.describe()
    assert run.tasks["post"]["state"] == "upstream_failed", run.describe()
    assert "AirflowSensorTimeout" in local.task_log(run, "wait_for_processing", 1)
    assert local.emulator.posts() == []


def test_triggerer_killed_mid_wait(local: Deployment) -> None:
    """SIGKILL the triggerer while the deferred sensor waits; a new triggerer takes the wait over."""
    local.emulator.start(processing_secs=40, check_after_secs=5)
    run = local.trigger("example_twitter_video_deferrable", "triggerer_killed")
    trigger_id = local.wait(
        "sensor deferred, its trigger running in the triggerer",
        lambda: local.task_state(run, "wait_for_processing") == "deferred" and local.running_trigger(run),
        RUN_TIMEOUT,
    )
    local.triggerer.kill(signal.SIGKILL)
    local.triggerer.stop()  # reaps it
    local.start_triggerer()
    local.wait_finished([run], RUN_TIMEOUT)

    assert run.state == "success", run.describe()
    posts = local.emulator.posts()
    assert [p["media_ids"] for p in posts] == [[run.media_id]]
    assert local.running_trigger(run) is None
    assert trigger_id


def test_post_task_killed_after_x_accepted_the_post(local: Deployment) -> None:
    post_killed_after_x_accepted_the_post(local, "post_killed")


def test_upload_task_killed_mid_upload(local: Deployment, tmp_path: Path) -> None:
    upload_killed_mid_way(local, tmp_path, "upload_killed")


def test_post_task_cleared_after_success_returns_the_recorded_post(local: Deployment) -> None:
    post_cleared_after_success(local, "post_cleared")
