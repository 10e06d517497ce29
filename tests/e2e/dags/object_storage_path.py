"""MediaUploadOperator given an ``ObjectStoragePath``, not a URL string: the path Airflow's object storage makes, with
its connection (``aws_media``) and a templated key, reaches the upload."""

from __future__ import annotations

from datetime import datetime

from airflow.providers.common.compat.sdk import DAG, ObjectStoragePath

from airflow_provider.operators.media import MediaUploadOperator
from airflow_provider.operators.tweet import CreateTweetOperator
from airflow_provider.sensors.media import MediaProcessingSensor

with DAG(
    dag_id="e2e_object_storage_path",
    schedule=None,
    start_date=datetime(2026, 1, 1),
    catchup=False,
    params={"key": "clips/sample.mp4"},
):
    upload = MediaUploadOperator(
        task_id="upload_media", file_path=ObjectStoragePath("s3://media/{{ params.key }}", conn_id="aws_media")
    )
    wait = MediaProcessingSensor(task_id="wait_for_processing", media_id=upload.output)
    CreateTweetOperator(task_id="post", text="From object storage", media_ids=[wait.output])
