"""``example_twitter_video`` with the same shape and arguments but EmptyOperators: the baseline for parse cost."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from airflow.providers.common.compat.sdk import DAG, Param
from airflow.providers.standard.operators.empty import EmptyOperator

SAMPLE_VIDEO = Path(__file__).parent / "media" / "sample.mp4"

with DAG(
    dag_id="example_twitter_video_empty",
    description="Upload a video to X, wait for processing, post it",
    schedule=None,
    start_date=datetime(2026, 1, 1),
    catchup=False,
    tags=["example", "twitter"],
    params={
        "media_path": Param(str(SAMPLE_VIDEO), type="string", description="Local file to post"),
        "text": Param("Published from Airflow with airflow-provider-twitter", type="string"),
        "alt_text": Param("Colour bars test pattern", type="string", description="Alt text of the media"),
    },
) as dag:
    upload_media = EmptyOperator(task_id="upload_media")
    wait_for_processing = EmptyOperator(task_id="wait_for_processing")
    post = EmptyOperator(task_id="post")
    upload_media >> wait_for_processing >> post
