"""Inputs refused before anything is uploaded: a file whose content is no media X accepts, whatever its name; a post
downstream that cannot be made (issue #18), with the account's limits; and errors that name what the user wrote."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from airflow_provider.emulator import EmulatorServer, Fault
from tests.e2e.dag_runs import DagRun, emulator_config, run_dag
from tests.unit.mp4 import mp4

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("name", ["notes.mp4", "notes.png"])
def test_text_file_named_as_media_is_refused_before_any_request(
    airflow_env: dict[str, str], emulator: EmulatorServer, tmp_path: Path, name: str
) -> None:
    text = tmp_path / name
    text.write_bytes(b"This is a text file pretending to be media.\n" * 200)

    run = run_dag(airflow_env, emulator, "example_twitter_video", {"media_path": str(text)})

    assert run.state == "failed"
    assert run.task_states["upload_media"] == "failed"
    assert f"Media file '{text}' is text by its content, whatever its name says." in run.output
    assert run.requests == [] and run.posts == []


LONG_TEXT = "Ein Bild 🖼️ " * 24  # 312 code points; X counts 288: each emoji (U+1F5BC U+FE0F) counts 2


def media_requests(run: DagRun) -> list[dict[str, Any]]:
    return [r for r in run.requests if r["path"].startswith("/2/media")]


def test_a_post_that_cannot_be_made_uploads_nothing(airflow_env: dict[str, str], emulator: EmulatorServer) -> None:
    """Issue #18: four images were uploaded before the post refused its text. Each mapped upload now checks the
    post first; the account (standard on the emulator) is asked once, a read, and nothing is uploaded."""
    run = run_dag(airflow_env, emulator, "example_twitter_images", {"text": LONG_TEXT})

    assert run.state == "failed" and run.task_states["post"] == "upstream_failed"
    assert {run.task_states[f"upload_image[{n}]"] for n in range(4)} == {"failed"}
    assert (
        "Post task 'post' cannot be made, so nothing was uploaded for it: The post text is 288 characters as X "
        "counts them; X allows at most 280 for an account without X Premium (subscription_type None, from X's "
        "GET /2/users/me)." in run.output
    )
    assert "text came from DAG param 'text'" in run.output
    assert media_requests(run) == [] and run.posts == []
    assert {(r["method"], r["path"]) for r in run.requests} == {("GET", "/2/users/me")}


def test_with_the_account_in_the_connection_not_even_a_read_is_sent(
    airflow_env: dict[str, str], emulator: EmulatorServer
) -> None:
    """The video DAG: the video is neither uploaded nor processed for a post whose text cannot be posted."""
    run = run_dag(
        airflow_env, emulator, "example_twitter_video", {"text": LONG_TEXT}, conn_extra={"subscription_type": "None"}
    )

    assert run.task_states["upload_media"] == "failed" and run.task_states["post"] == "upstream_failed"
    assert "X allows at most 280 for an account without X Premium (subscription_type None, the connection's" in (
        run.output
    )
    assert run.requests == [] and run.posts == []


def test_a_subscriber_posts_text_a_standard_account_may_not(airflow_env: dict[str, str]) -> None:
    with EmulatorServer(emulator_config(subscription_type="Premium")) as emulator:
        run = run_dag(airflow_env, emulator, "example_twitter_images", {"text": LONG_TEXT})

    assert run.state == "success", run.output[-3000:]
    (post,) = run.posts
    assert post["text"] == LONG_TEXT
    assert len(media_requests(run)) > 0


def test_when_x_will_not_say_the_account_x_judges_and_its_refusal_is_explained(airflow_env: dict[str, str]) -> None:
    """A token that may not read the user (here a 403 on GET /2/users/me): nothing is refused for the account's sake;
    X refuses the post, and the error names the limits and that the account is unknown."""
    config = emulator_config(faults=(Fault(endpoint="users_me", kind="status", status=403),))
    with EmulatorServer(config) as emulator:
        run = run_dag(airflow_env, emulator, "example_twitter_images", {"text": LONG_TEXT})

    assert run.task_states["post"] == "failed"
    assert len(run.calls("POST", "/2/media/upload/initialize")) == 4
    assert "Your Tweet text is too long" in run.output
    assert "X refused the text's length for an account X did not describe: 280 weighted characters without" in (
        run.output
    )
    assert run.posts == []


def test_a_long_video_is_refused_only_for_a_standard_account(
    airflow_env: dict[str, str], emulator: EmulatorServer, tmp_path: Path
) -> None:
    clip = tmp_path / "long.mp4"
    clip.write_bytes(mp4(149.0))

    standard = run_dag(airflow_env, emulator, "example_twitter_video", {"media_path": str(clip)})
    assert "lasts 149.00 s; X takes videos of 0.5 to 140 s" in standard.output
    assert media_requests(standard) == []

    emulator.reset()
    premium = run_dag(
        airflow_env,
        emulator,
        "example_twitter_video",
        {"media_path": str(clip)},
        conn_extra={"subscription_type": "Premium"},
    )
    assert len(premium.calls("POST", "/2/media/upload/initialize")) == 1  # X judges a subscriber's video


def test_a_missing_file_names_the_dag_param_it_came_from(
    airflow_env: dict[str, str], emulator: EmulatorServer, tmp_path: Path
) -> None:
    missing = tmp_path / "missing.mp4"
    run = run_dag(airflow_env, emulator, "example_twitter_video", {"media_path": str(missing)})

    assert (
        f"Media file '{missing}' does not exist. Check file_path. (file_path came from DAG param 'media_path' "
        f"('{{{{ params.media_path }}}}' rendered '{missing}')" in run.output
    )
    assert run.requests == []


def test_refused_credentials_name_the_connection(airflow_env: dict[str, str], emulator: EmulatorServer) -> None:
    run = run_dag(airflow_env, emulator, "example_twitter_video", conn_extra={"access_token_secret": "not-the-secret"})

    assert run.task_states["upload_media"] == "failed"
    assert (
        "Edit the connection 'twitter_default' (Admin > Connections, or AIRFLOW_CONN_TWITTER_DEFAULT): X did not "
        "accept its credentials." in run.output
    )
