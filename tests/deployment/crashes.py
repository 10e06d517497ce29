"""Crashes a deployment survives on Airflow 3.3, run the same way on each executor (LocalExecutor, CeleryExecutor):

- the upload task's process SIGKILLed at 7 of 12 segments of a 48 MiB video (58%): Airflow retries it, and the retry
  continues the same media id from the task state store, so X sees one media id, 5 segments again and one post;
- the post task's process SIGKILLed right after X accepted the post, its answer held back: the task state store holds
  the intent and no result, so the retry searches the timeline once and returns that post: one post;
- the post task cleared after it succeeded: its next try finds the recorded post and returns it without a request to
  X (before this change, a retried try read the account and a page of its timeline to find it).

The end-to-end tier runs the first through ``dags test --use-executor`` (tests/e2e/test_killed_upload.py), with the
same figures and the same helpers from here. docs/reliability.md has the figures.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from airflow_provider.rules.media import MiB
from tests.deployment.deployment import Api, Deployment
from tests.unit.mp4 import large_mp4

SIZE, CHUNK = 48 * MiB, 4 * MiB  # 12 segments of the default 4 MiB chunk
SEGMENTS = SIZE // CHUNK
KILL_AFTER = 7  # segments acknowledged when the upload task is killed: 58%
# APPEND calls 8 to 11 (the 4 in flight once 7 are acknowledged) hang: the first try gets no further.
HANG_AFTER_7 = {"endpoint": "append", "calls": [8, 9, 10, 11], "kind": "slow", "delay_secs": 20}
RUN_TIMEOUT = 600


def state_store(api: Api, dag_id: str, run_id: str, task_id: str) -> dict[str, Any]:
    """A task instance's state store, read through Airflow 3.3's public REST API."""
    path = f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}/state-store"
    return {e["key"]: e["value"] for e in api.call("GET", path)["task_state_store"]}


def acknowledged(api: Api, dag_id: str, run_id: str) -> list[int]:
    """The segments the upload task has recorded as acknowledged by X."""
    return list(state_store(api, dag_id, run_id, "upload_media").get("x_upload", {}).get("acknowledged", []))


def at_least(count: int, segments: list[int]) -> list[int] | None:
    return segments if len(segments) >= count else None


def appends_after(requests_seen: list[dict[str, Any]], media_id: str, since: float) -> list[dict[str, Any]]:
    """The APPENDs of ``media_id`` X began answering after ``since`` (the kill), from the emulator's request log."""
    path = f"/2/media/upload/{media_id}/append"
    return [r for r in requests_seen if r["method"] == "POST" and r["path"] == path and r["at"] > since]


def upload_killed_mid_way(deployment: Deployment, tmp_path: Path, run_id: str) -> None:
    """The upload task killed at 58% and retried: one media id, 42% of the bytes again, one post."""
    import time

    deployment.emulator.start(processing_secs=2, check_after_secs=1)
    deployment.emulator.set_faults([HANG_AFTER_7])
    video = large_mp4(tmp_path / f"{run_id}.mp4", SIZE)
    run = deployment.trigger("deployment_upload_retry", run_id, {"text": f"deployment {run_id}", "path": str(video)})
    acks = deployment.wait(
        f"{KILL_AFTER} segments acknowledged in the state store",
        lambda: at_least(KILL_AFTER, acknowledged(deployment.api, run.dag_id, run.run_id)),
        RUN_TIMEOUT,
    )
    pid = deployment.wait("the upload task's pid", lambda: deployment.task_pid(run, "upload_media"), 60)
    killed_at = time.time()
    deployment.processes.kill_descendant(pid)
    deployment.wait_finished([run], RUN_TIMEOUT)

    assert run.state == "success", run.describe()
    assert run.tasks["upload_media"]["try_number"] == 2, run.describe()
    assert len(acks) == KILL_AFTER
    log = deployment.emulator.request_log()
    assert len([r for r in log if r["path"] == "/2/media/upload/initialize"]) == 1  # one media id
    (post,) = deployment.emulator.posts()
    assert post["media_ids"] == [run.media_id]
    again = appends_after(log, str(run.media_id), killed_at)
    assert len(again) == SEGMENTS - KILL_AFTER and len(again) * CHUNK <= SIZE // 2
    media = deployment.emulator.media(str(run.media_id))
    assert (media["segment_count"], media["received_bytes"]) == (SEGMENTS, SIZE)
    assert "X acknowledged 7 of 12 segment(s)" in deployment.task_log(run, "upload_media", 2)
    assert state_store(deployment.api, run.dag_id, run.run_id, "upload_media") == {}  # removed once done


def post_killed_after_x_accepted_the_post(deployment: Deployment, run_id: str) -> None:
    """The post is made, its answer held back; the task's process is killed; the retry must not post again. The
    state store holds the intent without a result, so the retry reads the timeline (once) and returns that post."""
    deployment.emulator.start(processing_secs=6, check_after_secs=1)
    # The first POST is carried out but its connection dropped; the client's retries then hang for minutes.
    deployment.emulator.set_faults(
        [
            {"endpoint": "tweets", "calls": [1], "kind": "lost_answer"},
            {"endpoint": "tweets", "kind": "slow", "delay_secs": 300},
            {"endpoint": "user_tweets", "kind": "slow", "delay_secs": 300},
        ]
    )
    run = deployment.trigger("deployment_post_retry", run_id)
    deployment.wait("the post made on X", deployment.emulator.posts, RUN_TIMEOUT)
    pid = deployment.wait("the post task's pid", lambda: deployment.task_pid(run, "post"), 60)
    assert state_store(deployment.api, run.dag_id, run.run_id, "post")["x_post"] == {"sending": True, "done": []}
    deployment.processes.kill_descendant(pid)
    deployment.emulator.set_faults([])
    deployment.wait_finished([run], RUN_TIMEOUT)

    assert run.tasks["post"]["try_number"] == 2, run.describe()
    assert run.state == "success", run.describe()
    (post,) = deployment.emulator.posts()
    recorded = state_store(deployment.api, run.dag_id, run.run_id, "post")["x_post"]
    assert recorded == {"sending": False, "output": deployment.api.xcom(run.dag_id, run.run_id, "post")}
    assert recorded["output"]["id"] == post["id"]


def post_cleared_after_success(deployment: Deployment, run_id: str) -> None:
    """A post task cleared after success runs again (try 2) and returns the post its first try recorded, with the
    same XCom, without a single request to X."""
    deployment.emulator.start(processing_secs=2, check_after_secs=1)
    (run,) = deployment.wait_finished([deployment.trigger("deployment_post_retry", run_id)], RUN_TIMEOUT)
    assert run.state == "success", run.describe()
    first = deployment.api.xcom(run.dag_id, run.run_id, "post")
    seen = len(deployment.emulator.request_log())

    body = {"dry_run": False, "only_failed": False, "task_ids": ["post"], "dag_run_id": run.run_id}
    deployment.api.call("POST", f"/dags/{run.dag_id}/clearTaskInstances", json=body)
    run.state = None
    deployment.wait_finished([run], RUN_TIMEOUT)

    assert run.state == "success", run.describe()
    assert run.tasks["post"]["try_number"] == 2, run.describe()
    assert deployment.api.xcom(run.dag_id, run.run_id, "post") == first
    assert deployment.emulator.request_log()[seen:] == []  # no request to X at all
    assert [p["id"] for p in deployment.emulator.posts()] == [first["id"]]
    assert "An earlier try made post" in deployment.task_log(run, "post", 2)
