"""Mapped uploads for one post that X would refuse (over 4 media, a video among images): refused before any
upload, by the DAG's import when the list is written in it, else by every mapped upload before its INITIALIZE."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import requests

from airflow_provider.emulator import EmulatorServer
from tests.e2e.dag_runs import AIRFLOW, ROOT, run_dag

pytestmark = pytest.mark.e2e

IMAGE = str(ROOT / "dags" / "media" / "sample.png")
VIDEO = str(ROOT / "dags" / "media" / "sample.mp4")


def images(*paths: str) -> dict[str, object]:
    return {"images": [{"file_path": path, "alt_text": f"view {n}"} for n, path in enumerate(paths, 1)]}


def test_five_images_from_xcom_are_refused_by_every_upload(
    airflow_env: dict[str, str], emulator: EmulatorServer
) -> None:
    run = run_dag(airflow_env, emulator, "example_twitter_images", images(*[IMAGE] * 5))

    assert run.state == "failed"
    assert run.task_states["upload_image"] == "failed"
    assert run.output.count("5 files for one post from the mapped upload 'upload_image'") >= 5  # each instance
    assert "a post carries at most 4 media. Nothing was uploaded" in run.output
    assert run.task_states["post"] == "upstream_failed"
    assert run.requests == [] and run.posts == []


def test_a_video_among_images_is_refused_by_every_upload(airflow_env: dict[str, str], emulator: EmulatorServer) -> None:
    run = run_dag(airflow_env, emulator, "example_twitter_images", images(IMAGE, VIDEO, IMAGE))

    assert run.state == "failed"
    message = f"'{VIDEO}' (video/mp4, map index 1) is a video or GIF; a post carries one video or GIF alone"
    assert run.output.count(message) >= 3  # the image uploads refuse too, not only the video's
    assert "Nothing was uploaded: post the video or GIF on its own." in run.output
    assert run.requests == [] and run.posts == []


def test_five_images_written_in_the_dag_fail_its_import(airflow_env: dict[str, str], emulator: EmulatorServer) -> None:
    env = {
        **airflow_env,
        "AIRFLOW__CORE__DAGS_FOLDER": str(Path(__file__).parent / "dags_refused_at_parse"),
        "AIRFLOW_CONN_TWITTER_DEFAULT": emulator.connection_json(),
    }
    test = subprocess.run([AIRFLOW, "dags", "test", "e2e_five_images"], env=env, capture_output=True, text=True)
    listed = subprocess.run(
        [AIRFLOW, "dags", "list-import-errors", "-o", "json"], env=env, capture_output=True, text=True
    ).stdout
    (error,) = json.loads(listed.splitlines()[-1])  # after any warnings logged to stdout

    assert test.returncode != 0 and "failed to parse" in test.stdout + test.stderr
    assert error["filepath"].endswith("five_images.py")
    assert (
        "TwitterInputError: The mapped upload 'upload_image' expands into 5 uploads, and its output is this post's "
        "media_ids; a post carries at most 4 media. Map it over at most 4 files, or split them across several posts."
    ) in error["error"]
    assert requests.get(f"{emulator.url}/_emulator/requests", timeout=10).json() == []
