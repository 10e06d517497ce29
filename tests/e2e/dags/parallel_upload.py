"""The sample video in 4 KiB segments, 4 in flight: enough segments for X to see them out of order. The deferrable
one has alt text, which a sequential upload again must carry too."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from airflow.providers.common.compat.sdk import DAG

from airflow_provider.operators.media import MediaUploadOperator
from airflow_provider.operators.tweet import CreateTweetOperator
from airflow_provider.sensors.media import MediaProcessingSensor

SAMPLE_VIDEO = Path(__file__).resolve().parents[3] / "dags" / "media" / "sample.mp4"


def parallel_upload_dag(dag_id: str, *, deferrable: bool, alt_text: str | None = None) -> DAG:
    with DAG(dag_id=dag_id, schedule=None, start_date=datetime(2026, 1, 1), catchup=False) as dag:
        upload = MediaUploadOperator(
            task_id="upload_media", file_path=str(SAMPLE_VIDEO), chunk_size=4096, alt_text=alt_text
        )
        wait = MediaProcessingSensor(task_id="wait_for_processing", media_id=upload.output, deferrable=deferrable)
        CreateTweetOperator(task_id="post", text="Uploaded in parallel", media_ids=[wait.output])
    return dag


e2e_parallel_upload = parallel_upload_dag("e2e_parallel_upload", deferrable=False)
e2e_parallel_upload_deferrable = parallel_upload_dag(
    "e2e_parallel_upload_deferrable", deferrable=True, alt_text="Colour bars test pattern"
)
