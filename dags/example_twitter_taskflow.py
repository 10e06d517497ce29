# mypy: disable-error-code="arg-type,call-arg"
# (XComArgs fill templated arguments typed as their rendered value; Airflow injects @task context arguments.)
"""
The same upload -> wait -> post chain, written with TaskFlow: plain Python tasks choose the file and write
the text, the provider's operators do the X work, and a last task reports the post's address.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from airflow.providers.common.compat.sdk import dag, task

from airflow_provider.operators.media import MediaUploadOperator
from airflow_provider.operators.tweet import CreateTweetOperator
from airflow_provider.sensors.media import MediaProcessingSensor

MEDIA_DIR = Path(__file__).parent / "media"


@dag(
    dag_id="example_twitter_taskflow",
    schedule=None,
    start_date=datetime(2026, 1, 1),
    catchup=False,
    tags=["example", "twitter"],
    params={"media_path": str(MEDIA_DIR / "sample.png")},
)
def example_twitter_taskflow() -> None:
    @task
    def choose_media(params: dict[str, Any]) -> str:
        path = Path(params["media_path"])
        print(f"Posting {path.name} ({path.stat().st_size} bytes)")
        return str(path)

    @task
    def write_caption(media_path: str, dag_run: Any) -> str:
        # run_after, not ds: a run triggered by hand or through the API may have no logical date.
        return f"{Path(media_path).stem.replace('_', ' ').title()}, published {dag_run.run_after:%Y-%m-%d %H:%M:%S} UTC"

    @task
    def report(post: dict[str, Any]) -> str:
        # The post's URL: on x.com, or the emulator's page of the post when the connection points at the emulator.
        print(f"Post {post['id']}: {post['url']}")
        return str(post["url"])

    media_path = choose_media()
    upload = MediaUploadOperator(task_id="upload_media", file_path=media_path)
    wait = MediaProcessingSensor(task_id="wait_for_processing", media_id=upload.output)
    post = CreateTweetOperator(task_id="post", text=write_caption(media_path), media_ids=[wait.output])
    report(post.output)


example_twitter_taskflow()
