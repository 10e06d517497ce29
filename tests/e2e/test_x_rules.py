"""X's rules end to end: ``airflow dags test`` against the emulator, which answers as X does by default."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from airflow_provider.emulator import EmulatorConfig, EmulatorServer, Fault
from airflow_provider.emulator.ratelimits import RateLimit
from tests.e2e.dag_runs import ROOT, emulator_config, run_dag

pytestmark = pytest.mark.e2e

IMAGES = "example_twitter_images"
SAMPLE_SIZE = (ROOT / "dags" / "media" / "sample.mp4").stat().st_size


def test_four_images_in_one_post_in_the_order_given(airflow_env: dict[str, str], emulator: EmulatorServer) -> None:
    run = run_dag(airflow_env, emulator, IMAGES)

    assert run.state == "success", run.output[-3000:]
    assert len(run.calls("POST", "/2/media/upload/initialize")) == 4
    (post,) = run.posts
    alt_texts = [
        requests.get(f"{emulator.url}/_emulator/media/{media_id}", timeout=10).json()["alt_text"]
        for media_id in post["media_ids"]
    ]
    assert alt_texts == [f"Colour bars test pattern, view {n}" for n in range(1, 5)]  # the order given
    assert run.calls("GET", "/2/media/upload") == []  # images: X has no STATUS for them, and none was asked


def test_out_of_credits_fails_as_billing_without_retry(airflow_env: dict[str, str]) -> None:
    """Which endpoints X bills is not documented, so the emulator answers 402 on all: the upload fails first."""
    with EmulatorServer(emulator_config(out_of_credits=True)) as emulator:
        run = run_dag(airflow_env, emulator, IMAGES)

    assert run.state == "failed" and run.task_states["post"] == "upstream_failed"
    assert "HTTP 402" in run.output and "This is billing" in run.output
    assert len(run.calls("POST", "/2/media/upload/initialize")) == 4  # one per image, never retried
    assert run.posts == []


def test_spent_24_hour_cap_fails_naming_the_reset(airflow_env: dict[str, str]) -> None:
    config: EmulatorConfig = emulator_config(rate_limits=(RateLimit("tweets", window=100, user_day=0),))
    with EmulatorServer(config) as emulator:
        run = run_dag(airflow_env, emulator, IMAGES)

    assert run.task_states["post"] == "failed"
    assert "HTTP 429" in run.output and "The limit resets at" in run.output and "(UTC)" in run.output
    assert run.posts == []


def test_segment_refused_in_parallel_falls_back_to_one_at_a_time(airflow_env: dict[str, str]) -> None:
    """X does not document out-of-order APPEND; if it refuses a segment sent in parallel, the upload sends it
    again alone and goes on in order, and the post carries the whole video."""
    refused = Fault.from_json({"endpoint": "append", "calls": [3], "kind": "status", "status": 400})
    with EmulatorServer(emulator_config(faults=(refused,))) as emulator:
        run = run_dag(airflow_env, emulator, "e2e_parallel_upload", dags_folder=Path(__file__).parent / "dags")
        (post,) = run.posts
        media = requests.get(f"{emulator.url}/_emulator/media/{post['media_ids'][0]}", timeout=10).json()

    assert run.state == "success", run.output[-3000:]
    assert "sent in parallel" in run.output and "going on one at a time" in run.output
    segments = -(-SAMPLE_SIZE // 4096)
    assert len(run.calls("POST", f"/2/media/upload/{post['media_ids'][0]}/append")) == segments + 1
    assert (media["received_bytes"], media["segment_count"]) == (SAMPLE_SIZE, segments)


def test_post_options_reach_x(airflow_env: dict[str, str]) -> None:
    # The reply is to the account's own post, which X's reply rule may not exempt: the emulator refuses it by
    # default (docs/emulator.md, replies), so this run allows self-replies.
    with EmulatorServer(emulator_config(self_replies=True)) as emulator:
        run = run_dag(airflow_env, emulator, "e2e_post_options", dags_folder=Path(__file__).parent / "dags")

    assert run.state == "success", run.output[-3000:]
    first, reply = run.posts
    assert reply["options"] == {
        "reply_settings": "following",
        "made_with_ai": True,
        "reply": {"in_reply_to_tweet_id": first["id"]},
    }
