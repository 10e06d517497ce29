"""A file whose content is no media X accepts is refused before INITIALIZE, whatever its name: nothing is uploaded."""

from __future__ import annotations

from pathlib import Path

import pytest

from airflow_provider.emulator import EmulatorServer
from tests.e2e.dag_runs import run_dag

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
