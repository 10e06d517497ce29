"""A large video uploaded, waited for and posted; its upload task may be killed part-way and is retried a second later.
``dag_run.conf["path"]`` names the video, which the test writes."""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.providers.common.compat.sdk import DAG

from airflow_provider.operators.media import MediaUploadOperator
from airflow_provider.operators.tweet import CreateTweetOperator
from airflow_provider.sensors.media import MediaProcessingSensor

with DAG(dag_id="e2e_killed_upload", schedule=None, start_date=datetime(2026, 1, 1), catchup=False):
    upload = MediaUploadOperator(
        task_id="upload_media",
        file_path="{{ dag_run.conf['path'] }}",
        retries=1,
        retry_delay=timedelta(seconds=1),
    )
    wait = MediaProcessingSensor(task_id="wait_for_processing", media_id=upload.output)
    CreateTweetOperator(task_id="post", text="A large video, uploaded once", media_ids=[wait.output])
