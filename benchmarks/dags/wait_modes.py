# mypy: disable-error-code="arg-type,call-arg"
# (XComArgs fill templated arguments typed as their rendered value; Airflow injects @task context arguments.)
"""Three ways to wait for X's processing of one uploaded video, for the slot-time benchmark.

``bench_wait_blocking`` is what a tweepy user would write: one task that sleeps ``check_after_secs`` between
STATUS calls, holding its worker slot throughout. The others use MediaProcessingSensor. Every stretch of time
the waiting task spends executing (each poke, the deferral, the resumption) is appended to ``BENCH_SLOT_LOG``
when that is set.

``bench_deployment_blocking`` is ``example_twitter_video`` with that blocking wait in place of the sensor: the
baseline of the real-deployment benchmark (``benchmarks/deployment.py``).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from airflow.providers.common.compat.sdk import DAG, Param, task

from airflow_provider.operators.media import MediaUploadOperator
from airflow_provider.operators.tweet import CreateTweetOperator
from airflow_provider.sensors.media import MediaProcessingSensor

VIDEO = os.environ.get("BENCH_VIDEO", "/dev/null")
SAMPLE_VIDEO = Path(__file__).resolve().parents[2] / "dags" / "media" / "sample.mp4"


@contextmanager
def in_slot(phase: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        if slot_log := os.environ.get("BENCH_SLOT_LOG"):
            with open(slot_log, "a") as log:
                log.write(json.dumps({"phase": phase, "secs": time.perf_counter() - started}) + "\n")


class TimedSensor(MediaProcessingSensor):
    def execute(self, context: Any) -> Any:
        with in_slot("execute"):
            return super().execute(context)

    def execute_complete(self, context: Any, event: dict[str, Any] | None = None) -> Any:
        with in_slot("execute_complete"):
            return super().execute_complete(context, event)


@task
def blocking_wait(upload: dict[str, Any]) -> None:
    """tweepy's ``chunked_upload`` loop: sleep as advised while pending or in progress."""
    from airflow_provider.hooks.twitter import TwitterHook

    with in_slot("blocking"):
        hook = TwitterHook()
        media_id = upload["media_id"]
        info = hook.get_upload_status(media_id).get("processing_info") or {}
        while info.get("state") in ("pending", "in_progress") and "error" not in info:
            time.sleep(info["check_after_secs"])
            info = hook.get_upload_status(media_id).get("processing_info") or {}


for mode in ("blocking", "reschedule", "deferrable"):
    with DAG(dag_id=f"bench_wait_{mode}", schedule=None, start_date=datetime(2026, 1, 1), catchup=False):
        upload = MediaUploadOperator(task_id="upload_media", file_path=VIDEO)
        if mode == "blocking":
            blocking_wait.override(task_id="wait")(upload.output)
        else:
            TimedSensor(task_id="wait", media_id=upload.output, deferrable=mode == "deferrable")


with DAG(
    dag_id="bench_deployment_blocking",
    schedule=None,
    start_date=datetime(2026, 1, 1),
    catchup=False,
    params={"media_path": Param(str(SAMPLE_VIDEO), type="string"), "text": Param("Blocking wait", type="string")},
):
    upload = MediaUploadOperator(task_id="upload_media", file_path="{{ params.media_path }}")
    waited = blocking_wait.override(task_id="wait_for_processing")(upload.output)
    waited >> CreateTweetOperator(task_id="post", text="{{ params.text }}", media_ids=[upload.output])
