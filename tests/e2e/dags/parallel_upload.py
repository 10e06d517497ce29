"""The sample video in 4 KiB segments, 4 in flight: enough segments for X to see them out of order."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from airflow.providers.common.compat.sdk import DAG

from airflow_provider.operators.media import MediaUploadOperator
from airflow_provider.operators.tweet import CreateTweetOperator
from airflow_provider.sensors.media import MediaProcessingSensor

SAMPLE_VIDEO = Path(__file__).resolve().parents[3] / "dags" / "media" / "sample.mp4"

with DAG(dag_id="e2e_parallel_upload", schedule=None, start_date=datetime(2026, 1, 1), catchup=False):
    upload = MediaUploadOperator(task_id="upload_media", file_path=str(SAMPLE_VIDEO), chunk_size=4096)
    wait = MediaProcessingSensor(task_id="wait_for_processing", media_id=upload.output)
    CreateTweetOperator(task_id="post", text="Uploaded in parallel", media_ids=[wait.output])
