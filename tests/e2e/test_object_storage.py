"""Media from object storage end to end: ``airflow dags test`` uploading from a ``file://`` URL, and from an
S3-compatible server (moto's, in its own process) through the Amazon provider's filesystem and an Airflow ``aws``
connection, as a URL and as an ``ObjectStoragePath``; a missing object refused before any request to X; and the
memory an upload from S3 holds against one from a local file."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from airflow_provider.emulator import EmulatorServer
from airflow_provider.rules.media import MiB
from tests.e2e.dag_runs import ROOT, DagRun, run_dag
from tests.e2e.s3_server import CREDENTIALS, aws_connection, s3_client, s3_server
from tests.e2e.upload_memory import peak_rss_growth, write_video

pytestmark = pytest.mark.e2e

SAMPLE = ROOT / "dags" / "media" / "sample.mp4"
BUCKET = "media"
KEY = "clips/sample.mp4"
E2E_DAGS = Path(__file__).parent / "dags"


@pytest.fixture(scope="module")
def s3(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The server's endpoint, with the sample video at ``s3://media/clips/sample.mp4``."""
    with s3_server(tmp_path_factory.mktemp("s3") / "moto_server.log") as endpoint_url:
        client = s3_client(endpoint_url)
        client.create_bucket(Bucket=BUCKET)
        client.upload_file(str(SAMPLE), BUCKET, KEY)
        yield endpoint_url


@pytest.fixture
def s3_env(airflow_env: dict[str, str], s3: str) -> dict[str, str]:
    """The DAG runs' environment with the ``aws_media`` connection to the server."""
    return {**airflow_env, "AIRFLOW_CONN_AWS_MEDIA": aws_connection(s3)}


def assert_video_posted_whole(run: DagRun, emulator: EmulatorServer) -> None:
    assert run.state == "success", run.output[-3000:]
    media_id = run.xcom["upload_media"]["media_id"]
    media = emulator.state.media_snapshot(media_id)
    assert media is not None
    assert media["received_bytes"] == media["total_bytes"] == SAMPLE.stat().st_size
    assert media["processing_info"]["state"] == "succeeded"  # the emulator read the duration from the bytes sent
    assert [post["media_ids"] for post in run.posts] == [[media_id]]


def test_video_from_a_file_url(airflow_env: dict[str, str], emulator: EmulatorServer) -> None:
    run = run_dag(airflow_env, emulator, "example_twitter_video", {"media_path": SAMPLE.as_uri()})

    assert_video_posted_whole(run, emulator)
    assert f"Uploading {SAMPLE.as_uri()}: video/mp4, tweet_video" in run.output


def test_video_from_s3_url_with_a_connection(s3_env: dict[str, str], emulator: EmulatorServer) -> None:
    url = f"s3://aws_media@{BUCKET}/{KEY}"
    run = run_dag(s3_env, emulator, "example_twitter_video", {"media_path": url})

    assert_video_posted_whole(run, emulator)
    assert f"Uploading {url}: video/mp4, tweet_video" in run.output
    assert CREDENTIALS["aws_secret_access_key"] not in run.output


def test_object_storage_path_with_a_templated_key(s3_env: dict[str, str], emulator: EmulatorServer) -> None:
    run = run_dag(s3_env, emulator, "e2e_object_storage_path", {"key": KEY}, dags_folder=E2E_DAGS)

    assert_video_posted_whole(run, emulator)


def test_missing_object_is_refused_before_any_request(s3_env: dict[str, str], emulator: EmulatorServer) -> None:
    url = f"s3://aws_media@{BUCKET}/clips/missing.mp4"
    run = run_dag(s3_env, emulator, "example_twitter_video", {"media_path": url})

    assert run.task_states["upload_media"] == "failed"
    assert f"Media file '{url}' does not exist: no such object." in run.output
    assert run.requests == [] and run.posts == []


def test_upload_from_s3_holds_memory_as_from_a_local_file(s3: str, emulator: EmulatorServer, tmp_path: Path) -> None:
    """A 64 MiB video, 4 MiB chunks, 4 in flight: from S3 the upload's peak memory growth stays within the chunks
    in flight plus the same slack as from a local file, far below the object's size."""
    video = write_video(tmp_path / "video.mp4", 64 * MiB)
    s3_client(s3).upload_file(str(video), BUCKET, "clips/video.mp4")
    env = {
        **os.environ,
        "AIRFLOW_CONN_TWITTER_DEFAULT": emulator.connection_json(),
        "AIRFLOW_CONN_AWS_MEDIA": aws_connection(s3),
    }

    local = peak_rss_growth(str(video), env)["growth_mib"]
    stored = peak_rss_growth(f"s3://aws_media@{BUCKET}/clips/video.mp4", env)["growth_mib"]

    in_flight = (4 + 1) * 4  # (parallel_segments + 1) x chunk_size, in MiB
    assert local <= in_flight + 20
    assert stored <= in_flight + 20, f"from S3: {stored:.1f} MiB, from a local file: {local:.1f} MiB"
