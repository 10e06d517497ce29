from __future__ import annotations

import datetime as dt
import time
from typing import Any
from unittest import mock

import pytest
import time_machine
from airflow.providers.common.compat.sdk import (
    AirflowFailException,
    AirflowSensorTimeout,
    TaskDeferred,
)
from airflow.sdk.exceptions import AirflowRescheduleException

from airflow_provider.exceptions import TwitterInputError, TwitterTriggerError
from airflow_provider.sensors.media import MediaProcessingSensor
from airflow_provider.triggers.media import MediaProcessingTrigger
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
    return MediaProcessingSensor(task_id="wait", **{"media_id": "1234", **kwargs})


@pytest.fixture(autouse=True)
def _conn(twitter_conn: dict[str, object]) -> None:
    pass


def receipt(**fields: Any) -> dict[str, Any]:
    """What MediaUploadOperator returns for a video X is processing."""
    return {"media_id": "1234", "media_key": "7_1234", "state": "pending", **fields}


@time_machine.travel(NOW, tick=False)
def test_next_poke_when_x_advises(fake_x: FakeX) -> None:
    fake_x.on("GET", STATUS, status("in_progress", check_after_secs=30, progress_percent=40))
    with pytest.raises(AirflowRescheduleException) as exc:
        sensor().execute(task_context())
    assert exc.value.reschedule_date == NOW + dt.timedelta(seconds=30)


@time_machine.travel(NOW, tick=False)
def test_reschedules_no_sooner_than_the_minimum(fake_x: FakeX) -> None:
    """A reschedule due within seconds runs into apache/airflow#71172: short advice waits the minimum instead."""
    fake_x.on("GET", STATUS, status("in_progress", check_after_secs=2), status("in_progress", check_after_secs=2))
    with pytest.raises(AirflowRescheduleException) as exc:
        sensor().execute(task_context())
    assert exc.value.reschedule_date == NOW + dt.timedelta(seconds=15)
    with pytest.raises(AirflowRescheduleException) as exc:
        sensor(min_reschedule_interval=5).execute(task_context())
    assert exc.value.reschedule_date == NOW + dt.timedelta(seconds=5)


def test_retries_a_try_lost_to_the_scheduler_by_default() -> None:
    assert (sensor().retries, sensor().retry_delay) == (3, dt.timedelta(seconds=15))
    assert sensor(retries=0).retries == 0


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


def test_succeeded_returns_the_receipt_with_the_outcome(fake_x: FakeX) -> None:
    fake_x.on("GET", STATUS, status("succeeded", progress_percent=100))
    result = sensor(media_id=receipt(uploaded_at=1000.0, next_status_at=1001.0)).execute(task_context())
    assert result == {
        **receipt(uploaded_at=1000.0),
        "state": "succeeded",
        "next_status_at": None,
        "expires_at": None,
        "subtitles": [],
    }


def test_no_processing_info_is_done(fake_x: FakeX) -> None:
    fake_x.on("GET", STATUS, status(None))
    result = sensor().execute(task_context())
    assert (result["media_id"], result["media_key"], result["state"]) == ("1234", "7_1234", "succeeded")
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


def test_poke_mode_waits_as_advised_without_a_floor(fake_x: FakeX) -> None:
    """In poke mode X's advice is followed to the second (no reschedule, so no race): the waits the sensor plans
    are X's, however short (kept tiny here so that the test really waits them)."""
    fake_x.on("GET", STATUS, status("pending", check_after_secs=0.03), status("in_progress", check_after_secs=0.02))
    fake_x.on("GET", STATUS, status("succeeded"))
    planned: list[float] = []
    real = time.sleep

    def spy(seconds: float) -> None:
        planned.append(seconds)
        real(seconds)

    with mock.patch("airflow_provider.sensors.media.time.sleep", spy):
        assert sensor(mode="poke").execute(task_context())["state"] == "succeeded"
    assert planned == [0.03, 0.02]


def test_bad_media_id_sends_nothing(fake_x: FakeX) -> None:
    with pytest.raises(TwitterInputError, match="'None' is not an X media id"):
        MediaProcessingSensor(task_id="wait", media_id="None").execute(task_context())
    assert fake_x.requests == []


def test_defaults() -> None:
    s = sensor()
    assert (s.mode, s.timeout, s.template_fields) == ("reschedule", 3600, ("media_id",))


class TestUploadOutput:
    """What the upload returns tells the sensor whether to ask X at all, when first, and when the window began."""

    def test_media_x_does_not_process_is_done_without_a_request(self, fake_x: FakeX) -> None:
        image = {"media_id": "1234", "media_key": "3_1234", "state": "succeeded"}
        assert sensor(media_id=image).execute(task_context())["media_id"] == "1234"
        assert sensor(media_id=image, deferrable=True).execute(task_context())["media_id"] == "1234"
        assert fake_x.requests == []

    @time_machine.travel(NOW, tick=False)
    def test_long_advice_reschedules_without_poking(self, fake_x: FakeX) -> None:
        with pytest.raises(AirflowRescheduleException) as exc:
            sensor(media_id=receipt(next_status_at=NOW.timestamp() + 20)).execute(task_context())
        assert exc.value.reschedule_date == NOW + dt.timedelta(seconds=20)
        assert fake_x.requests == []

    @time_machine.travel(NOW, tick=False)
    def test_past_advice_pokes_at_once(self, fake_x: FakeX) -> None:
        fake_x.on("GET", STATUS, status("succeeded"))
        result = sensor(media_id=receipt(next_status_at=NOW.timestamp() - 1)).execute(task_context())
        assert (result["media_id"], result["state"]) == ("1234", "succeeded")

    @pytest.mark.parametrize("mode", ["poke", "reschedule"])
    def test_short_advice_is_slept_in_the_slot(self, fake_x: FakeX, mode: str) -> None:
        fake_x.on("GET", STATUS, status("succeeded"))
        with mock.patch("airflow_provider.sensors.media.time") as clock:
            clock.time.return_value = 1000.0
            sensor(mode=mode, media_id=receipt(next_status_at=1003.0, uploaded_at=999.0)).execute(task_context())
        clock.sleep.assert_called_once_with(3.0)
        assert len(fake_x.requests) == 1

    @time_machine.travel(NOW, tick=False)
    def test_deferrable_defers_at_once_with_the_advice(self, fake_x: FakeX) -> None:
        with pytest.raises(TaskDeferred) as exc:
            sensor(deferrable=True, media_id=receipt(next_status_at=NOW.timestamp() + 4)).execute(task_context())
        assert exc.value.trigger.poll_at == NOW.timestamp() + 4
        assert fake_x.requests == []

    @time_machine.travel(NOW, tick=False)
    def test_timeout_counts_from_the_upload_across_tries(self, fake_x: FakeX) -> None:
        """A new try (after a lost one) keeps the window: it began when the upload ended."""
        fake_x.on("GET", STATUS, status("in_progress", check_after_secs=5))
        uploaded = receipt(uploaded_at=NOW.timestamp() - 601)
        with pytest.raises(AirflowSensorTimeout, match="still processing 600 s after its upload"):
            sensor(timeout=600, media_id=uploaded).execute(task_context(first_poke=None))

    @time_machine.travel(NOW, tick=False)
    def test_id_x_no_longer_knows_fails_naming_its_age(self, fake_x: FakeX) -> None:
        fake_x.on("GET", STATUS, (400, {"errors": [{"message": "BadRequest: Not found"}], "title": "Invalid Request"}))
        uploaded = receipt(uploaded_at=NOW.timestamp() - 25 * 3600)
        with pytest.raises(AirflowFailException, match=r"Media 1234 has expired or is unknown.*25\.0 h ago"):
            sensor(media_id=uploaded).execute(task_context())

    def test_bare_id_without_status_has_nothing_to_wait_for(self, fake_x: FakeX) -> None:
        """X answers STATUS 400 "Not found" for images (xdevplatform/xurl#18): a bare id cannot tell, so no wait."""
        fake_x.on("GET", STATUS, (400, {"errors": [{"message": "BadRequest: Not found"}], "title": "Invalid Request"}))
        assert sensor().execute(task_context())["media_id"] == "1234"

    @pytest.mark.parametrize("bad", [None, 1.5, ["1234"], {"id": "1234"}])
    def test_bad_media_id_is_named(self, fake_x: FakeX, bad: Any) -> None:
        with pytest.raises(TwitterInputError, match="media_id"):
            sensor(media_id=bad).execute(task_context())
        assert fake_x.requests == []


class TestDeferrable:
    @time_machine.travel(NOW, tick=False)
    def test_defers_after_one_inline_poke(self, fake_x: FakeX) -> None:
        fake_x.on("GET", STATUS, status("pending", check_after_secs=4))
        with pytest.raises(TaskDeferred) as exc:
            sensor(deferrable=True, timeout=900, poke_interval=6, hook_params={"timeout": 9}).execute(task_context())
        trigger = exc.value.trigger
        assert isinstance(trigger, MediaProcessingTrigger)
        assert (trigger.media_id, trigger.poll_at, trigger.poll_interval) == ("1234", NOW.timestamp() + 4, 6)
        assert trigger.hook_params == {"timeout": 9}
        assert trigger.end_time == NOW.timestamp() + 900
        assert exc.value.method_name == "execute_complete"
        assert len(fake_x.requests) == 1

    def test_image_needs_no_trigger(self, fake_x: FakeX) -> None:
        fake_x.on("GET", STATUS, status(None))
        assert sensor(deferrable=True).execute(task_context())["state"] == "succeeded"

    def test_failed_on_first_poke_fails_without_deferring(self, fake_x: FakeX) -> None:
        fake_x.on("GET", STATUS, status("failed", error={"name": "InvalidMedia", "message": "Bad format"}))
        with pytest.raises(AirflowFailException, match="InvalidMedia"):
            sensor(deferrable=True).execute(task_context())

    def test_default_follows_config(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import importlib

        import airflow_provider.sensors.media as module

        monkeypatch.setenv("AIRFLOW__OPERATORS__DEFAULT_DEFERRABLE", "True")
        try:
            assert importlib.reload(module).MediaProcessingSensor(task_id="w", media_id="1").deferrable is True
        finally:
            monkeypatch.delenv("AIRFLOW__OPERATORS__DEFAULT_DEFERRABLE")
            importlib.reload(module)

    def test_complete_succeeded_returns_the_receipt_with_the_outcome(self) -> None:
        media = {"id": "1234", "media_key": "7_1234", "processing_info": {"state": "succeeded"}}
        event = {"status": "succeeded", "media_id": "1234", "media": media}
        result = sensor(media_id=receipt(uploaded_at=1000.0)).execute_complete(task_context(), event)
        assert (result["media_id"], result["state"], result["uploaded_at"]) == ("1234", "succeeded", 1000.0)

    @pytest.mark.parametrize(
        ("event", "error", "message"),
        [
            (
                {"status": "failed", "message": "X could not process media 1234: InvalidMedia: Bad"},
                AirflowFailException,
                "InvalidMedia: Bad",
            ),
            ({"status": "timeout"}, AirflowSensorTimeout, "still processing 3600 s after its upload"),
            ({"status": "error", "message": "X API GET ... HTTP 401"}, TwitterTriggerError, "HTTP 401"),
            (None, TwitterTriggerError, "without an event"),
        ],
    )
    def test_complete_failures(self, event: dict[str, Any] | None, error: type[Exception], message: str) -> None:
        if event:
            event["media_id"] = "1234"
        with pytest.raises(error, match=message):
            sensor().execute_complete(task_context(), event)
