# mypy: disable-error-code="arg-type,call-arg"
# (XComArgs fill templated arguments typed as their rendered value; Airflow injects @task context arguments.)
"""
Upload a video to X, wait for X to process it without holding a worker slot, then post it.

Each task hands its output to the next: the upload's receipt to the sensor, the sensor's (now saying X has processed
the video) to the post, which then asks X nothing more about the media.

Two DAGs differ only in how they wait:

- ``example_twitter_video``: the sensor in reschedule mode; the slot is free between pokes, and each poke
  comes when X's ``check_after_secs`` says.
- ``example_twitter_video_deferrable``: the sensor hands the wait to the triggerer (one async process for all
  waits).

Trigger with a config to post another file or text, for example::

    airflow dags test example_twitter_video -c '{"media_path": "/data/clip.mp4", "text": "New clip"}'
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from airflow.providers.common.compat.sdk import DAG, Param

from airflow_provider.operators.media import MediaUploadOperator
from airflow_provider.operators.tweet import CreateTweetOperator
from airflow_provider.sensors.media import MediaProcessingSensor

SAMPLE_VIDEO = Path(__file__).parent / "media" / "sample.mp4"


def video_dag(dag_id: str, *, deferrable: bool) -> DAG:
    with DAG(
        dag_id=dag_id,
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
        upload = MediaUploadOperator(
            task_id="upload_media",
            file_path="{{ params.media_path }}",
            alt_text="{{ params.alt_text }}",
        )
        wait = MediaProcessingSensor(
            task_id="wait_for_processing",
            media_id=upload.output,
            timeout=30 * 60,
            deferrable=deferrable,
        )
        CreateTweetOperator(task_id="post", text="{{ params.text }}", media_ids=[wait.output])
    return dag


example_twitter_video = video_dag("example_twitter_video", deferrable=False)
example_twitter_video_deferrable = video_dag("example_twitter_video_deferrable", deferrable=True)
