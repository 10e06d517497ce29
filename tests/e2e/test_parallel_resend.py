"""X's one open question about parallel APPEND (issue #20): it documents neither that it puts segments sent in
parallel together by index nor that it does not. With the emulator's ``out_of_order_corrupts``, a video whose
segments arrived out of order fails processing as unreadable; the sensor then uploads the file again, one segment at
a time, as a new media, says why, and the post carries the new media. In reschedule mode the new media is kept in
the task state store (Airflow 3.3), and the sensor is rescheduled while X processes it.

The segments must arrive out of order for sure: a ``slow`` fault holds the first APPEND the emulator reads for a
second while the others, up to 3 in flight and 15 in all, are stored, so a higher index always lands before it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from airflow_provider.emulator import EmulatorServer, Fault
from tests.e2e.dag_runs import DagRun, emulator_config, run_dag

pytestmark = pytest.mark.e2e

DAGS = Path(__file__).parent / "dags"
SAMPLE_SIZE = (Path(__file__).resolve().parents[2] / "dags" / "media" / "sample.mp4").stat().st_size
SEGMENTS = -(-SAMPLE_SIZE // 4096)
FIRST_APPEND_LATE = Fault.from_json({"endpoint": "append", "calls": [1], "kind": "slow", "delay_secs": 1.0})


def run_with_disorder(airflow_env: dict[str, str], dag_id: str) -> tuple[DagRun, list[dict[str, object]]]:
    """The DAG against an emulator that corrupts out-of-order media; the run and a snapshot of each upload."""
    config = emulator_config(out_of_order_corrupts=True, faults=(FIRST_APPEND_LATE,))
    with EmulatorServer(config) as emulator:
        run = run_dag(airflow_env, emulator, dag_id, dags_folder=DAGS)
        initialized = [r for r in run.requests if r["endpoint"] == "initialize"]
        ids = dict.fromkeys(r["path"].split("/")[4] for r in run.calls("POST", "/2/media/upload/"))
        snapshots = [emulator.state.media_snapshot(media_id) for media_id in ids]
    assert len(initialized) == 2, run.output[-3000:]
    return run, [snapshot for snapshot in snapshots if snapshot is not None]


def check_sent_again(run: DagRun, media: list[dict[str, object]]) -> tuple[str, str]:
    assert run.state == "success", run.output[-3000:]
    first, second = media
    assert first["segments_out_of_order"] is True and first["state"] == "failed"
    assert second["segments_out_of_order"] is False and second["state"] == "succeeded"
    assert first["segment_count"] == second["segment_count"] == SEGMENTS
    assert first["received_bytes"] == second["received_bytes"] == SAMPLE_SIZE
    first_id, second_id = str(first["id"]), str(second["id"])
    assert run.xcom["upload_media"]["media_id"] == first_id and run.xcom["upload_media"]["resend"]
    assert run.xcom["wait_for_processing"]["media_id"] == second_id
    assert [post["media_ids"] for post in run.posts] == [[second_id]]
    assert "InvalidMedia: Unsupported video format. Its segments were sent in parallel" in run.output
    assert f"as media {second_id} (instead of {first_id})" in run.output
    return first_id, second_id


def test_reschedule_mode_uploads_again_sequentially(airflow_env: dict[str, str]) -> None:
    """On Airflow 3.3 (``dags test`` gives the task its state store) the new media is recorded there, so the sensor
    releases its slot while X processes it too: one reschedule for each media, the second poke back on the new one."""
    run, media = run_with_disorder(airflow_env, "e2e_parallel_upload")
    first_id, second_id = check_sent_again(run, media)
    assert run.task_states == {"upload_media": "success", "wait_for_processing": "success", "post": "success"}
    assert run.reschedules["wait_for_processing"] == 2, run.output[-3000:]
    assert f"Media {second_id} was uploaded again in place of {first_id} by an earlier poke or try" in run.output


def test_deferrable_uploads_again_with_the_alt_text(airflow_env: dict[str, str]) -> None:
    run, media = run_with_disorder(airflow_env, "e2e_parallel_upload_deferrable")
    check_sent_again(run, media)
    assert [snapshot["alt_text"] for snapshot in media] == ["Colour bars test pattern"] * 2
    assert run.reschedules["wait_for_processing"] == 0
