# mypy: disable-error-code="arg-type,call-arg"
# (XComArgs fill templated arguments typed as their rendered value; Airflow injects @task context arguments.)
"""
One post with several images: a mapped upload, one task per image, each with its own alt text, feeding one
post that carries them all in the order given (up to 4, X's limit).

Images need no processing on X, so no sensor stands between the upload and the post: the upload's output
says so, and the post judges the images from it without asking X again.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from airflow.providers.common.compat.sdk import Param, dag, task

from airflow_provider.operators.media import MediaUploadOperator
from airflow_provider.operators.tweet import CreateTweetOperator

SAMPLE_IMAGE = str(Path(__file__).parent / "media" / "sample.png")


@dag(
    dag_id="example_twitter_images",
    schedule=None,
    start_date=datetime(2026, 1, 1),
    catchup=False,
    tags=["example", "twitter"],
    params={
        "images": Param(
            [{"file_path": SAMPLE_IMAGE, "alt_text": f"Colour bars test pattern, view {n}"} for n in range(1, 5)],
            type="array",
            description="Up to 4 images, each {file_path, alt_text}",
        ),
        "text": Param("Four views, published from Airflow", type="string"),
    },
)
def example_twitter_images() -> None:
    @task
    def choose_images(params: dict[str, Any]) -> list[dict[str, str]]:
        return [{"file_path": image["file_path"], "alt_text": image["alt_text"]} for image in params["images"]]

    upload = MediaUploadOperator.partial(task_id="upload_image").expand_kwargs(choose_images())
    CreateTweetOperator(task_id="post", text="{{ params.text }}", media_ids=upload.output)


example_twitter_images()
