"""Subtitles whose attach answer is lost: the hook makes one attempt, so the task itself is retried."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from airflow.providers.common.compat.sdk import DAG

from airflow_provider.operators.media import MediaUploadOperator
from airflow_provider.operators.subtitles import MediaSubtitlesOperator
from airflow_provider.sensors.media import MediaProcessingSensor

MEDIA = Path(__file__).resolve().parents[3] / "dags" / "media"

with DAG(dag_id="e2e_subtitles_retry", schedule=None, start_date=datetime(2026, 1, 1), catchup=False):
    upload = MediaUploadOperator(task_id="upload_media", file_path=str(MEDIA / "sample.mp4"))
    wait = MediaProcessingSensor(task_id="wait_for_processing", media_id=upload.output)
    MediaSubtitlesOperator(
        task_id="add_subtitles",
        media=wait.output,
        file_path=str(MEDIA / "sample.en.srt"),
        language_code="en",
        display_name="English",
        hook_params={"max_attempts": 1},
        retries=1,
        retry_delay=timedelta(seconds=1),
    )
