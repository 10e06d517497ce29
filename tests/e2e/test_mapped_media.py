"""Mapped uploads for one post that X would refuse (over 4 media, a video among images): the post refuses them before
it is sent, naming the rule, and nothing is posted. Airflow has no public way to judge a mapped expansion before its
instances run, so the uploads themselves run (docs/operators.md, "Several images in one post")."""

from __future__ import annotations

import pytest

from airflow_provider.emulator import EmulatorServer
from tests.e2e.dag_runs import ROOT, run_dag

pytestmark = pytest.mark.e2e

IMAGE = str(ROOT / "dags" / "media" / "sample.png")
VIDEO = str(ROOT / "dags" / "media" / "sample.mp4")


def images(*paths: str) -> dict[str, object]:
    return {"images": [{"file_path": path, "alt_text": f"view {n}"} for n, path in enumerate(paths, 1)]}


def test_five_images_are_refused_by_the_post(airflow_env: dict[str, str], emulator: EmulatorServer) -> None:
    run = run_dag(airflow_env, emulator, "example_twitter_images", images(*[IMAGE] * 5))

    assert run.state == "failed"
    assert [run.task_states[f"upload_image[{n}]"] for n in range(5)] == ["success"] * 5
    assert run.task_states["post"] == "failed"
    assert "5 media ids given; a post carries at most 4." in run.output
    assert run.calls("POST", "/2/tweets") == [] and run.posts == []


def test_a_video_among_images_is_refused_by_the_post_before_asking_x(
    airflow_env: dict[str, str], emulator: EmulatorServer
) -> None:
    run = run_dag(airflow_env, emulator, "example_twitter_images", images(IMAGE, VIDEO, IMAGE))

    assert run.state == "failed"
    assert run.task_states["post"] == "failed"
    assert "A post carries one video or GIF, or up to 4 images, not both" in run.output
    # Judged from the receipts' media keys: no STATUS for the video, no post.
    assert run.calls("GET", "/2/media/upload") == []
    assert run.calls("POST", "/2/tweets") == [] and run.posts == []
