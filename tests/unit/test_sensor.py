from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

import pytest
import time_machine
from airflow.providers.common.compat.sdk import AirflowFailException, AirflowSensorTimeout
from airflow.sdk.exceptions import AirflowRescheduleException

from airflow_provider.exceptions import TwitterInputError
from airflow_provider.sensors.media import MediaProcessingSensor
from tests.unit.fake_x import FakeX
from tests.unit.task_context import task_context

NOW = dt.datetime(2026, 11, 25, 12, 0, 0, tzinfo=dt.UTC)
STATUS = "/2/media/upload"


def status(state: str | None, **info: Any) -> tuple[int, dict[str, Any]]:
    data: dict[str, Any] = {"id": "1234", "media_key": "7_1234"}
    if state:
        data["processing_info"] = {"state": state, **info}
    return 200, {"data": data}


def sensor(**kwargs: Any) -> MediaProcessingSensor:
    return MediaProcessingSensor(task_id="wait", media_id="1234", **kwargs)


@pytest.fixture(autouse=True)
def _conn(twitter_conn: dict[str, object]) -> None:
    pass


@time_machine.travel(NOW, tick=False)
def test_next_poke_when_x_advises(fake_x: FakeX) -> None:
    fake_x.on("GET", STATUS, status("in_progress", check_after_secs=7, progress_percent=40))
    with pytest.raises(AirflowRescheduleException) as exc:
        sensor().execute(task_context())
    assert exc.value.reschedule_date == NOW + dt.timedelta(seconds=7)


@time_machine.travel(NOW, tick=False)
def test_falls_back_to_poke_interval(fake_x: FakeX) -> None:
    fake_x.on("GET", STATUS, status("pending"))
    with pytest.raises(AirflowRescheduleException) as exc:
        sensor(poke_interval=25).execute(task_context())
    assert exc.value.reschedule_date == NOW + dt.timedelta(seconds=25)


@time_machine.travel(NOW, tick=False)
def test_next_poke_never_past_timeout(fake_x: FakeX) -> None:
    fake_x.on("GET", STATUS, status("in_progress", check_after_secs=30))
    started = NOW - dt.timedelta(seconds=590)
    with pytest.raises(AirflowRescheduleException) as exc:
        sensor(timeout=600).execute(task_context(first_poke=started))
    assert exc.value.reschedule_date == started + dt.timedelta(seconds=600)


@time_machine.travel(NOW, tick=False)
def test_timeout_counts_across_reschedules(fake_x: FakeX) -> None:
    fake_x.on("GET", STATUS, status("in_progress", check_after_secs=5))
    with pytest.raises(AirflowSensorTimeout):
        sensor(timeout=600).execute(task_context(first_poke=NOW - dt.timedelta(seconds=601)))


@time_machine.travel(NOW, tick=False)
def test_max_wait_caps_advice(fake_x: FakeX) -> None:
    fake_x.on("GET", STATUS, status("pending", check_after_secs=120))
    with pytest.raises(AirflowRescheduleException) as exc:
        sensor(max_wait=15).execute(task_context())
    assert exc.value.reschedule_date == NOW + dt.timedelta(seconds=15)


def test_succeeded_returns_status(fake_x: FakeX) -> None:
    fake_x.on("GET", STATUS, status("succeeded", progress_percent=100))
    result = sensor().execute(task_context())
    assert result["processing_info"]["state"] == "succeeded" and result["id"] == "1234"


def test_no_processing_info_is_done(fake_x: FakeX) -> None:
    fake_x.on("GET", STATUS, status(None))
    assert sensor().execute(task_context())["id"] == "1234"
    assert len(fake_x.requests) == 1


@pytest.mark.parametrize(
    "reply",
    [
        status("failed", error={"code": 1, "name": "InvalidMedia", "message": "Unsupported video format"}),
        status(
            "in_progress", check_after_secs=5, error={"name": "InvalidMedia", "message": "Unsupported video format"}
        ),
    ],
)
def test_failed_processing_fails_without_retry(fake_x: FakeX, reply: tuple[int, dict[str, Any]]) -> None:
    fake_x.on("GET", STATUS, reply)
    with pytest.raises(AirflowFailException, match="media 1234: InvalidMedia: Unsupported video format"):
        sensor(retries=3).execute(task_context())


@time_machine.travel(NOW, tick=False)
def test_rate_limit_reschedules_to_reset(fake_x: FakeX) -> None:
    reset = int(NOW.timestamp()) + 120
    fake_x.on("GET", STATUS, (429, {"title": "Too Many Requests"}, {"x-rate-limit-reset": str(reset)}))
    with pytest.raises(AirflowRescheduleException) as exc:
        sensor().execute(task_context())
    assert exc.value.reschedule_date == NOW + dt.timedelta(seconds=121)
    assert len(fake_x.requests) == 1  # no sleeping in the slot


def test_poke_mode_sleeps_as_advised(fake_x: FakeX) -> None:
    fake_x.on("GET", STATUS, status("pending", check_after_secs=3), status("in_progress", check_after_secs=2))
    fake_x.on("GET", STATUS, status("succeeded"))
    with mock.patch("airflow.sdk.bases.sensor.time.sleep") as sleep:
        sensor(mode="poke").execute(task_context())
    assert [c.args[0] for c in sleep.call_args_list] == [3.0, 2.0]


def test_bad_media_id_sends_nothing(fake_x: FakeX) -> None:
    with pytest.raises(TwitterInputError, match="'None' is not an X media id"):
        MediaProcessingSensor(task_id="wait", media_id="None").execute(task_context())
    assert fake_x.requests == []


def test_defaults() -> None:
    s = sensor()
    assert (s.mode, s.timeout, s.template_fields) == ("reschedule", 3600, ("media_id",))
