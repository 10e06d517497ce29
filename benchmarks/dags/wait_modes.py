# mypy: disable-error-code="arg-type,call-arg"
# (XComArgs fill templated arguments typed as their rendered value; Airflow injects @task context arguments.)
"""Three ways to wait for X's processing of one uploaded video, for the slot-time benchmark.

``bench_wait_blocking`` is what a tweepy user would write: one task that sleeps ``check_after_secs`` between
STATUS calls, holding its worker slot throughout. The others use MediaProcessingSensor.
"""

from __future__ import annotations

import os
import time
from datetime import datetime

from airflow.providers.common.compat.sdk import DAG, task

from airflow_provider.operators.media import MediaUploadOperator
from airflow_provider.sensors.media import MediaProcessingSensor

VIDEO = os.environ.get("BENCH_VIDEO", "/dev/null")


@task
def blocking_wait(media_id: str) -> None:
    """tweepy's ``chunked_upload`` loop: sleep as advised while pending or in progress."""
    from airflow_provider.hooks.twitter import TwitterHook

    hook = TwitterHook()
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
            MediaProcessingSensor(task_id="wait", media_id=upload.output, deferrable=mode == "deferrable")
