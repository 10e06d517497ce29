# mypy: disable-error-code="arg-type"
# (XComArgs fill templated arguments typed as their rendered value.)
"""Five images written in the DAG for one post: X takes 4, so the DAG fails to import and nothing runs."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from airflow.providers.common.compat.sdk import DAG

from airflow_provider.operators.media import MediaUploadOperator
from airflow_provider.operators.tweet import CreateTweetOperator

SAMPLE_IMAGE = str(Path(__file__).parents[3] / "dags" / "media" / "sample.png")

with DAG(dag_id="e2e_five_images", schedule=None, start_date=datetime(2026, 1, 1), catchup=False):
    upload = MediaUploadOperator.partial(task_id="upload_image").expand(file_path=[SAMPLE_IMAGE] * 5)
    CreateTweetOperator(task_id="post", text="Five views", media_ids=upload.output)
