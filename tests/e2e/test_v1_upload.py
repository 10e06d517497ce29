"""The example DAGs with the connection's ``upload_api: v1.1``: the same operators, sensor and trigger, uploading
through ``/1.1/media/upload.json`` on the emulator over loopback HTTP, and posting through ``/2/tweets``."""

from __future__ import annotations

from typing import Any

import pytest

from airflow_provider.emulator import EmulatorServer
from tests.e2e.dag_runs import DagRun, run_dag

pytestmark = pytest.mark.e2e

V1 = "/1.1/media/upload.json"
V1_EXTRA = {"upload_api": "v1.1"}


def upload_calls(run: DagRun) -> dict[str, list[str]]:
    """Each upload command the emulator answered, by endpoint name, with the path it came on."""
    calls: dict[str, list[str]] = {}
    for request in run.requests:
        if request["endpoint"] in ("initialize", "append", "finalize", "status"):
            calls.setdefault(request["endpoint"], []).append(f"{request['method']} {request['path']}")
    return calls


def output_shape(xcom: dict[str, Any]) -> dict[str, Any]:
    """The upload's output with its values' types: what later tasks read."""
    return {key: type(value).__name__ for key, value in xcom.items()}


def test_video_over_v1_reschedule(airflow_env: dict[str, str], emulator: EmulatorServer) -> None:
    run = run_dag(airflow_env, emulator, "example_twitter_video", conn_extra=V1_EXTRA)

    assert run.state == "success", run.output[-3000:]
    assert run.task_states == {"upload_media": "success", "wait_for_processing": "success", "post": "success"}
    assert run.reschedules["wait_for_processing"] >= 1
    calls = upload_calls(run)
    assert calls["initialize"] == [f"POST {V1}"]
    assert calls["finalize"] == [f"POST {V1}"]
    assert set(calls["append"]) == {f"POST {V1}"}
    assert calls["status"] and set(calls["status"]) == {
        f"GET {V1}"
    }  # STATUS as a GET, by the sensor (the post reads its receipt)
    assert run.calls("POST", "/2/media/upload") == [] and run.calls("GET", "/2/media/upload") == []
    assert len(run.calls("POST", "/2/media/metadata")) == 1  # alt text through v2
    uploaded = run.xcom["upload_media"]
    assert uploaded["state"] in ("pending", "in_progress") and uploaded["media_key"] == f"7_{uploaded['media_id']}"
    assert [post["media_ids"] for post in run.posts] == [[uploaded["media_id"]]]
    assert run.xcom["wait_for_processing"]["state"] == "succeeded"
    snapshot = emulator.state.media_snapshot(uploaded["media_id"])
    assert snapshot is not None and snapshot["alt_text"] == "Colour bars test pattern"


def test_video_over_v1_deferrable(airflow_env: dict[str, str], emulator: EmulatorServer) -> None:
    run = run_dag(airflow_env, emulator, "example_twitter_video_deferrable", conn_extra=V1_EXTRA)

    assert run.state == "success", run.output[-3000:]
    assert set(run.task_states.values()) == {"success"}
    assert run.reschedules["wait_for_processing"] == 0
    assert "polling again in" in run.output  # the trigger waited, through v1.1's STATUS
    assert set(upload_calls(run)["status"]) == {f"GET {V1}"}
    assert run.calls("GET", "/2/media/upload") == []
    uploaded = run.xcom["upload_media"]
    assert [post["media_ids"] for post in run.posts] == [[uploaded["media_id"]]]


def test_image_over_v1_gives_the_same_output_as_v2(airflow_env: dict[str, str]) -> None:
    """The image post over both APIs: the same tasks, no STATUS (X has none for images), the same output."""
    from tests.e2e.dag_runs import emulator_config

    runs = {}
    for api in ("v2", "v1.1"):
        with EmulatorServer(emulator_config()) as emulator:
            runs[api] = run_dag(airflow_env, emulator, "example_twitter_taskflow", conn_extra={"upload_api": api})
    v1 = runs["v1.1"]
    assert v1.state == "success", v1.output[-3000:]
    assert set(v1.task_states.values()) == {"success"}
    assert "status" not in upload_calls(v1)
    assert {call.split()[1] for calls in upload_calls(v1).values() for call in calls} == {V1}
    (post,) = v1.posts
    assert len(post["media_ids"]) == 1
    assert output_shape(v1.xcom["upload_media"]) == output_shape(runs["v2"].xcom["upload_media"])
    assert v1.xcom["upload_media"]["media_key"].startswith("3_")
