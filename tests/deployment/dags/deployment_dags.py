# mypy: disable-error-code="arg-type"
# (XComArgs fill templated arguments typed as their rendered value.)
"""DAGs that only the deployment tests need: the example chain with settings its params cannot change."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from airflow.providers.common.compat.sdk import DAG

from airflow_provider.operators.media import MediaUploadOperator
from airflow_provider.operators.tweet import CreateTweetOperator
from airflow_provider.sensors.media import MediaProcessingSensor

SAMPLE_VIDEO = Path(__file__).resolve().parents[3] / "dags" / "media" / "sample.mp4"

SENSOR_TIMEOUT_SECS = 15


def upload_wait_post(
    dag_id: str,
    *,
    sensor_timeout: float,
    post_retries: int,
    upload_retries: int = 0,
    file_path: str = str(SAMPLE_VIDEO),
) -> DAG:
    with DAG(
        dag_id=dag_id,
        schedule=None,
        start_date=datetime(2026, 1, 1),
        catchup=False,
        tags=["deployment-test"],
        params={"text": "deployment test"},
    ) as dag:
        upload = MediaUploadOperator(
            task_id="upload_media",
            file_path=file_path,
            retries=upload_retries,
            retry_delay=timedelta(seconds=2),
        )
        wait = MediaProcessingSensor(task_id="wait_for_processing", media_id=upload.output, timeout=sensor_timeout)
        CreateTweetOperator(
            task_id="post",
            text="{{ params.text }}",
            media_ids=[wait.output],
            retries=post_retries,
            retry_delay=timedelta(seconds=2),
        )
    return dag


# The sensor gives up long before the emulator finishes processing.
deployment_sensor_timeout = upload_wait_post(
    "deployment_sensor_timeout", sensor_timeout=SENSOR_TIMEOUT_SECS, post_retries=0
)
# The post task gets a second try after its process is killed.
deployment_post_retry = upload_wait_post("deployment_post_retry", sensor_timeout=30 * 60, post_retries=1)
# The upload task gets a second try after its process is killed mid-upload; the test writes a large video and names
# it in the run's conf.
deployment_upload_retry = upload_wait_post(
    "deployment_upload_retry",
    sensor_timeout=30 * 60,
    post_retries=1,
    upload_retries=1,
    file_path="{{ dag_run.conf['path'] }}",
)
