# mypy: disable-error-code="arg-type"
# (XComArgs fill templated arguments typed as their rendered value.)
"""
Upload a video with its metadata, wait for X to process it, give it English subtitles, then post it.

The upload sets, in one metadata call, the alt text, a content warning and whether viewers may download the
video. ``MediaSubtitlesOperator`` goes between the sensor and the post: it uploads the SRT (or WebVTT) file and
attaches it to the processed video as the language's track; a retry replaces the track, so there is one. Each task
passes the video's receipt on to the next, the subtitles' output naming the track it attached.

    airflow dags test example_twitter_subtitles -c '{"subtitles_path": "/data/clip.fr.srt", "language_code": "FR",
        "display_name": "Français"}'
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from airflow.providers.common.compat.sdk import DAG, Param

from airflow_provider.operators.media import MediaUploadOperator
from airflow_provider.operators.subtitles import MediaSubtitlesOperator
from airflow_provider.operators.tweet import CreateTweetOperator
from airflow_provider.sensors.media import MediaProcessingSensor

MEDIA = Path(__file__).parent / "media"

with DAG(
    dag_id="example_twitter_subtitles",
    description="Upload a video with metadata, wait for processing, attach subtitles, post it",
    schedule=None,
    start_date=datetime(2026, 1, 1),
    catchup=False,
    tags=["example", "twitter"],
    params={
        "media_path": Param(str(MEDIA / "sample.mp4"), type="string", description="Local video to post"),
        "subtitles_path": Param(str(MEDIA / "sample.en.srt"), type="string", description="SRT or WebVTT file"),
        "language_code": Param("EN", type="string", description="Two letters, such as EN or FR"),
        "display_name": Param("English", type="string", description="The language's name shown to viewers"),
        "text": Param("Published with subtitles from Airflow", type="string"),
    },
):
    upload = MediaUploadOperator(
        task_id="upload_media",
        file_path="{{ params.media_path }}",
        alt_text="Colour bars test pattern with a 440 Hz tone",
        sensitive_media_warning=["other"],
        allow_download=False,
    )
    wait = MediaProcessingSensor(task_id="wait_for_processing", media_id=upload.output, timeout=30 * 60)
    subtitles = MediaSubtitlesOperator(
        task_id="add_subtitles",
        media=wait.output,
        file_path="{{ params.subtitles_path }}",
        language_code="{{ params.language_code }}",
        display_name="{{ params.display_name }}",
    )
    CreateTweetOperator(task_id="post", text="{{ params.text }}", media_ids=[subtitles.output])
