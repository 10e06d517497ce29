"""MediaProcessingSensor: when it asks the hook for X's STATUS, what it makes of each answer and error, when the
next poke comes (rescheduled, slept or deferred), and the receipt it returns."""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import time_machine
from airflow.providers.common.compat.sdk import (
    AirflowFailException,
    AirflowSensorTimeout,
    AirflowSkipException,
    TaskDeferred,
)
from airflow.sdk.exceptions import AirflowRescheduleException

from airflow_provider.exceptions import TwitterApiError, TwitterInputError, TwitterRejectedError, TwitterTriggerError
from airflow_provider.operators.task_memory import RESEND_KEY, RETENTION
from airflow_provider.sensors.media import MediaProcessingSensor
from airflow_provider.triggers.media import MediaProcessingTrigger
from tests.unit.task_context import FakeTaskStateStore, task_context

NOW = dt.datetime(2026, 11, 25, 12, 0, 0, tzinfo=dt.UTC)
STATUS = "GET /2/media/upload"


def status(state: str | None, **info: Any) -> dict[str, Any]:
    """X's STATUS ``data`` as the hook returns it."""
    data: dict[str, Any] = {"id": "1234", "media_key": "7_1234"}
    if state:
        data["processing_info"] = {"state": state, **info}
    return data


def not_found() -> TwitterRejectedError:
    """The hook's error when X answers STATUS 400 "Not found" (an image, or an id X no longer knows)."""
    return TwitterRejectedError(endpoint=STATUS, http_status=400, errors=[{"message": "BadRequest: Not found"}])


def sensor(**kwargs: Any) -> MediaProcessingSensor:
    return MediaProcessingSensor(task_id="wait", **{"media_id": "1234", **kwargs})


def receipt(**fields: Any) -> dict[str, Any]:
    """What MediaUploadOperator returns for a video X is processing."""
    return {"media_id": "1234", "media_key": "7_1234", "state": "pending", **fields}


def snowflake(seconds_ago: float) -> str:
    """A media id as X mints it, ``seconds_ago`` before NOW."""
    return str(int((NOW.timestamp() - seconds_ago) * 1000 - 1288834974657) << 22)


def rescheduled_in(exc: pytest.ExceptionInfo[AirflowRescheduleException]) -> float:
    return (exc.value.reschedule_date - NOW).total_seconds()


@time_machine.travel(NOW, tick=False)
def test_next_poke_when_x_advises(
    hook_class: mock.MagicMock, hook: mock.MagicMock, capsys: pytest.CaptureFixture[str]
) -> None:
    hook.get_upload_status.return_value = status("in_progress", check_after_secs=30, progress_percent=40)
    with pytest.raises(AirflowRescheduleException) as exc:
        sensor(twitter_conn_id="x_prod").execute(task_context())
    assert rescheduled_in(exc) == 30
    hook_class.assert_called_once_with("x_prod", max_rate_limit_wait=0)  # a rate limit reschedules, see below
    hook.get_upload_status.assert_called_once_with("1234", uploaded_at=None)
    out = capsys.readouterr().out  # structlog
    assert "Media 1234 is in_progress 40% (X advises checking again in 30 s)." in out
    assert "min_reschedule_interval" not in out


@time_machine.travel(NOW, tick=False)
def test_reschedules_no_sooner_than_the_minimum_and_says_why(
    hook: mock.MagicMock, capsys: pytest.CaptureFixture[str]
) -> None:
    """A reschedule due within seconds runs into apache/airflow#71172: short advice waits the minimum instead."""
    hook.get_upload_status.return_value = status("in_progress", check_after_secs=2)
    with pytest.raises(AirflowRescheduleException) as exc:
        sensor().execute(task_context())
    assert rescheduled_in(exc) == 15
    assert "Next poke in 15 s, not the 2 s X advises: min_reschedule_interval" in capsys.readouterr().out
    with pytest.raises(AirflowRescheduleException) as exc:
        sensor(min_reschedule_interval=5).execute(task_context())
    assert rescheduled_in(exc) == 5


def test_retries_a_try_lost_to_the_scheduler_by_default() -> None:
    assert (sensor().retries, sensor().retry_delay) == (3, dt.timedelta(seconds=15))
    assert sensor(min_reschedule_interval=40).retry_delay == dt.timedelta(seconds=40)
    assert sensor(retries=0).retries == 0


@time_machine.travel(NOW, tick=False)
def test_falls_back_to_poke_interval(hook: mock.MagicMock, capsys: pytest.CaptureFixture[str]) -> None:
    hook.get_upload_status.return_value = status("pending")
    with pytest.raises(AirflowRescheduleException) as exc:
        sensor(poke_interval=25).execute(task_context())
    assert rescheduled_in(exc) == 25
    assert "Media 1234 is pending (no advice)." in capsys.readouterr().out


@time_machine.travel(NOW, tick=False)
def test_next_poke_never_past_timeout(hook: mock.MagicMock) -> None:
    hook.get_upload_status.return_value = status("in_progress", check_after_secs=30)
    started = NOW - dt.timedelta(seconds=590)
    with pytest.raises(AirflowRescheduleException) as exc:
        sensor(timeout=600).execute(task_context(first_poke=started))
    assert exc.value.reschedule_date == started + dt.timedelta(seconds=600)


@time_machine.travel(NOW, tick=False)
def test_timeout_counts_across_reschedules(hook: mock.MagicMock) -> None:
    hook.get_upload_status.return_value = status("in_progress", check_after_secs=5)
    with pytest.raises(AirflowSensorTimeout, match="1234 was still processing 600 s after its upload"):
        sensor(timeout=600).execute(task_context(first_poke=NOW - dt.timedelta(seconds=601)))


@time_machine.travel(NOW, tick=False)
def test_soft_fail_skips_at_the_timeout(hook: mock.MagicMock) -> None:
    hook.get_upload_status.return_value = status("in_progress", check_after_secs=5)
    with pytest.raises(AirflowSkipException, match="still processing 600 s after its upload"):
        sensor(timeout=600, soft_fail=True).execute(task_context(first_poke=NOW - dt.timedelta(seconds=601)))


@pytest.mark.parametrize(("max_wait", "advice", "delay"), [(15, 120, 15), (10, 2, 10)])
@time_machine.travel(NOW, tick=False)
def test_max_wait_caps_every_wait(hook: mock.MagicMock, max_wait: float, advice: float, delay: float) -> None:
    """Airflow's cap on the wait between pokes bounds X's advice, and the minimum reschedule interval too."""
    hook.get_upload_status.return_value = status("pending", check_after_secs=advice)
    with pytest.raises(AirflowRescheduleException) as exc:
        sensor(max_wait=max_wait).execute(task_context())
    assert rescheduled_in(exc) == delay


@time_machine.travel(NOW, tick=False)
def test_succeeded_returns_the_receipt_with_the_outcome(hook: mock.MagicMock) -> None:
    hook.get_upload_status.return_value = status("succeeded", progress_percent=100) | {"expires_after_secs": 3000}
    result = sensor(media_id=receipt(uploaded_at=1000.0, next_status_at=1001.0)).execute(task_context())
    assert result == {
        **receipt(uploaded_at=1000.0),
        "state": "succeeded",
        "next_status_at": None,
        "expires_at": NOW.timestamp() + 3000,  # as X last said
        "subtitles": [],
        "resend": None,
    }
    hook.get_upload_status.assert_called_once_with("1234", uploaded_at=1000.0)


def test_no_processing_info_is_done(hook: mock.MagicMock) -> None:
    hook.get_upload_status.return_value = status(None)
    result = sensor().execute(task_context())
    assert (result["media_id"], result["media_key"], result["state"]) == ("1234", "7_1234", "succeeded")
    hook.get_upload_status.assert_called_once()


@pytest.mark.parametrize(
    "answer",
    [
        status("failed", error={"code": 1, "name": "InvalidMedia", "message": "Unsupported video format"}),
        status(
            "in_progress", check_after_secs=5, error={"name": "InvalidMedia", "message": "Unsupported video format"}
        ),
    ],
)
def test_failed_processing_fails_without_retry(hook: mock.MagicMock, answer: dict[str, Any]) -> None:
    hook.get_upload_status.return_value = answer
    with pytest.raises(AirflowFailException, match="media 1234: InvalidMedia: Unsupported video format"):
        sensor(retries=3).execute(task_context())


@time_machine.travel(NOW, tick=False)
def test_rate_limit_reschedules_to_reset(hook: mock.MagicMock, capsys: pytest.CaptureFixture[str]) -> None:
    reset = NOW.timestamp() + 120
    hook.get_upload_status.side_effect = TwitterApiError(endpoint=STATUS, http_status=429, rate_limit_reset=reset)
    with pytest.raises(AirflowRescheduleException) as exc:
        sensor().execute(task_context())
    assert rescheduled_in(exc) == 121
    hook.get_upload_status.assert_called_once()  # no asking again in the slot
    assert "Rate limited by X; next poke after the reset, in 121 s." in capsys.readouterr().out


def test_hook_params_override_the_sensors_hook_defaults(hook_class: mock.MagicMock) -> None:
    assert sensor(hook_params={"max_rate_limit_wait": 30, "timeout": 5}).hook is hook_class.return_value
    hook_class.assert_called_once_with("twitter_default", max_rate_limit_wait=30, timeout=5)


@pytest.mark.parametrize(
    "error",
    [
        TwitterApiError(endpoint=STATUS, http_status=503),  # after the hook's retries: the task's retries apply
        TwitterRejectedError(endpoint=STATUS, http_status=401),  # fails without retry
    ],
)
def test_other_errors_are_the_hooks_as_they_are(hook: mock.MagicMock, error: TwitterApiError) -> None:
    hook.get_upload_status.side_effect = error
    with pytest.raises(TwitterApiError) as exc:
        sensor().execute(task_context())
    assert exc.value is error


def test_poke_mode_waits_as_advised_without_a_floor(hook: mock.MagicMock) -> None:
    """In poke mode X's advice is followed to the second (no reschedule, so no race): the waits the sensor plans
    are X's, however short (kept tiny here so that the test really waits them)."""
    hook.get_upload_status.side_effect = [
        status("pending", check_after_secs=0.03),
        status("in_progress", check_after_secs=0.02),
        status("succeeded"),
    ]
    planned: list[float] = []
    real = time.sleep

    def spy(seconds: float) -> None:
        planned.append(seconds)
        real(seconds)

    with mock.patch("airflow_provider.sensors.media.time.sleep", spy):
        assert sensor(mode="poke").execute(task_context())["state"] == "succeeded"
        assert planned == [0.03, 0.02]
        planned.clear()
        hook.get_upload_status.side_effect = [status("pending", check_after_secs=120), status("succeeded")]
        assert sensor(mode="poke", max_wait=0.01).execute(task_context())["state"] == "succeeded"
        assert planned == [0.01]  # max_wait caps the sleep too


def test_bad_media_id_fails_before_the_hook_is_built(hook_class: mock.MagicMock) -> None:
    with pytest.raises(TwitterInputError, match="'None' is not an X media id"):
        MediaProcessingSensor(task_id="wait", media_id="None").execute(task_context())
    hook_class.assert_not_called()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"silent_fail": True}, "does not take silent_fail: it reschedules itself"),
        ({"never_fail": True}, "does not take never_fail"),
        ({"min_reschedule_interval": -1}, "min_reschedule_interval"),
        ({"twitter_conn_id": ""}, "twitter_conn_id"),
        ({"hook_params": {"retries": 3}}, "hook_params has unknown key"),
    ],
)
def test_arguments_checked_at_parse_time(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(TwitterInputError, match=message):
        sensor(**kwargs)


def test_defaults() -> None:
    s = sensor()
    assert (s.mode, s.timeout, s.template_fields) == ("reschedule", 3600, ("media_id",))
    assert s.media_id == "1234"
    assert sensor(media_id="{{ ti.xcom_pull('upload') }}").media_id == "{{ ti.xcom_pull('upload') }}"  # templated


class TestUploadOutput:
    """What the upload returns tells the sensor whether to ask X at all, when first, and when the window began."""

    def test_media_x_does_not_process_is_done_without_the_hook(
        self, hook_class: mock.MagicMock, capsys: pytest.CaptureFixture[str]
    ) -> None:
        image = {"media_id": "1234", "media_key": "3_1234", "state": "succeeded"}
        assert sensor(media_id=image).execute(task_context())["media_id"] == "1234"
        assert sensor(media_id=image, deferrable=True).execute(task_context())["media_id"] == "1234"
        hook_class.assert_not_called()
        assert "X reported media 1234 ready at FINALIZE: nothing to wait for." in capsys.readouterr().out

    @time_machine.travel(NOW, tick=False)
    def test_long_advice_reschedules_without_poking(self, hook_class: mock.MagicMock) -> None:
        with pytest.raises(AirflowRescheduleException) as exc:
            sensor(media_id=receipt(next_status_at=NOW.timestamp() + 20)).execute(task_context())
        assert rescheduled_in(exc) == 20
        hook_class.assert_not_called()

    @time_machine.travel(NOW, tick=False)
    def test_past_advice_pokes_at_once(self, hook: mock.MagicMock) -> None:
        hook.get_upload_status.return_value = status("succeeded")
        result = sensor(media_id=receipt(next_status_at=NOW.timestamp() - 1)).execute(task_context())
        assert (result["media_id"], result["state"]) == ("1234", "succeeded")

    @pytest.mark.parametrize("mode", ["poke", "reschedule"])
    def test_short_advice_is_slept_in_the_slot(self, hook: mock.MagicMock, mode: str) -> None:
        hook.get_upload_status.return_value = status("succeeded")
        with mock.patch("airflow_provider.sensors.media.time") as clock:
            clock.time.return_value = 1000.0
            sensor(mode=mode, media_id=receipt(next_status_at=1003.0, uploaded_at=999.0)).execute(task_context())
        clock.sleep.assert_called_once_with(3.0)
        hook.get_upload_status.assert_called_once_with("1234", uploaded_at=999.0)

    @time_machine.travel(NOW, tick=False)
    def test_deferrable_defers_at_once_with_the_advice(self, hook_class: mock.MagicMock) -> None:
        with pytest.raises(TaskDeferred) as exc:
            sensor(deferrable=True, media_id=receipt(next_status_at=NOW.timestamp() + 4)).execute(task_context())
        assert exc.value.trigger.poll_at == NOW.timestamp() + 4
        hook_class.assert_not_called()

    @time_machine.travel(NOW, tick=False)
    def test_timeout_counts_from_the_upload_across_tries(self, hook: mock.MagicMock) -> None:
        """A new try (after a lost one) keeps the window: it began when the upload ended."""
        hook.get_upload_status.return_value = status("in_progress", check_after_secs=5)
        uploaded = receipt(uploaded_at=NOW.timestamp() - 601)
        with pytest.raises(AirflowSensorTimeout, match="still processing 600 s after its upload"):
            sensor(timeout=600, media_id=uploaded).execute(task_context(first_poke=None))

    @time_machine.travel(NOW, tick=False)
    def test_a_bare_id_counts_from_when_x_minted_it(self, hook: mock.MagicMock) -> None:
        hook.get_upload_status.return_value = status("in_progress", check_after_secs=5)
        with pytest.raises(AirflowSensorTimeout):
            sensor(timeout=600, media_id=snowflake(601)).execute(task_context(first_poke=NOW))

    @time_machine.travel(NOW, tick=False)
    def test_id_x_no_longer_knows_fails_with_the_hooks_error(self, hook: mock.MagicMock) -> None:
        """The receipt says X processes this media, so a STATUS refusal is final; the hook names the upload's age
        from ``uploaded_at``."""
        hook.get_upload_status.side_effect = error = not_found()
        uploaded = receipt(uploaded_at=NOW.timestamp() - 25 * 3600)
        with pytest.raises(TwitterRejectedError) as exc:
            sensor(media_id=uploaded).execute(task_context())
        assert exc.value is error and isinstance(error, AirflowFailException)
        hook.get_upload_status.assert_called_once_with("1234", uploaded_at=uploaded["uploaded_at"])

    @pytest.mark.parametrize("http_status", [400, 404])
    def test_bare_id_without_status_has_nothing_to_wait_for(
        self, hook: mock.MagicMock, http_status: int, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """X answers STATUS 400 "Not found" for images (xdevplatform/xurl#18): a bare id cannot tell, so no wait."""
        hook.get_upload_status.side_effect = TwitterRejectedError(endpoint=STATUS, http_status=http_status)
        assert sensor().execute(task_context()) == {
            "media_id": "1234",
            "media_key": None,
            "state": None,  # nothing more known: the post asks X
            "next_status_at": None,
            "uploaded_at": None,
            "expires_at": None,
            "subtitles": [],
            "resend": None,
        }
        assert "X has no processing for media 1234" in capsys.readouterr().out

    @pytest.mark.parametrize("bad", [None, 1.5, ["1234"], {"id": "1234"}])
    def test_bad_media_id_is_named(self, hook_class: mock.MagicMock, bad: Any) -> None:
        with pytest.raises(TwitterInputError, match="media_id"):
            sensor(media_id=bad).execute(task_context())
        hook_class.assert_not_called()


class TestDeferrable:
    @time_machine.travel(NOW, tick=False)
    def test_defers_after_one_inline_poke(self, hook: mock.MagicMock) -> None:
        hook.get_upload_status.return_value = status("pending", check_after_secs=4)
        op = sensor(deferrable=True, timeout=900, poke_interval=6, twitter_conn_id="x_prod", hook_params={"timeout": 9})
        with pytest.raises(TaskDeferred) as exc:
            op.execute(task_context())
        trigger = exc.value.trigger
        assert isinstance(trigger, MediaProcessingTrigger)
        assert (trigger.media_id, trigger.twitter_conn_id) == ("1234", "x_prod")
        assert (trigger.poll_at, trigger.poll_interval) == (NOW.timestamp() + 4, 6)
        assert trigger.hook_params == {"timeout": 9}
        assert trigger.end_time == NOW.timestamp() + 900
        assert exc.value.method_name == "execute_complete"
        assert exc.value.timeout == dt.timedelta(seconds=960)  # a backstop after the trigger's own timeout event
        hook.get_upload_status.assert_called_once()

    @time_machine.travel(NOW, tick=False)
    def test_first_poll_never_past_the_deadline(self, hook: mock.MagicMock) -> None:
        hook.get_upload_status.return_value = status("pending", check_after_secs=30)
        uploaded = receipt(uploaded_at=NOW.timestamp() - 590)
        with pytest.raises(TaskDeferred) as exc:
            sensor(deferrable=True, timeout=600, media_id=uploaded).execute(task_context())
        assert exc.value.trigger.poll_at == exc.value.trigger.end_time == NOW.timestamp() + 10

    @time_machine.travel(NOW, tick=False)
    def test_rate_limit_defers_to_the_reset(self, hook: mock.MagicMock) -> None:
        limited = TwitterApiError(endpoint=STATUS, http_status=429, rate_limit_reset=NOW.timestamp() + 50)
        hook.get_upload_status.side_effect = limited
        with pytest.raises(TaskDeferred) as exc:
            sensor(deferrable=True).execute(task_context())
        assert exc.value.trigger.poll_at == NOW.timestamp() + 51

    def test_image_needs_no_trigger(self, hook: mock.MagicMock) -> None:
        hook.get_upload_status.return_value = status(None)
        assert sensor(deferrable=True).execute(task_context())["state"] == "succeeded"

    def test_failed_on_first_poke_fails_without_deferring(self, hook: mock.MagicMock) -> None:
        hook.get_upload_status.return_value = status("failed", error={"name": "InvalidMedia", "message": "Bad format"})
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

    @time_machine.travel(NOW, tick=False)
    def test_complete_succeeded_returns_the_receipt_with_the_outcome(self, hook_class: mock.MagicMock) -> None:
        media = {"id": "1234", "media_key": "7_1234", "processing_info": {"state": "succeeded"}}
        event = {"status": "succeeded", "media_id": "1234", "media": media | {"expires_after_secs": 3000}}
        result = sensor(media_id=receipt(uploaded_at=1000.0)).execute_complete(task_context(), event)
        assert result == {
            **receipt(uploaded_at=1000.0),
            "state": "succeeded",
            "next_status_at": None,
            "expires_at": NOW.timestamp() + 3000,
            "subtitles": [],
            "resend": None,
        }
        hook_class.assert_not_called()

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

    def test_complete_timeout_with_soft_fail_skips(self) -> None:
        with pytest.raises(AirflowSkipException, match="still processing"):
            sensor(soft_fail=True).execute_complete(task_context(), {"status": "timeout", "media_id": "1234"})


@pytest.mark.parametrize("deferrable", [False, True])
def test_soft_fail_skips_failed_processing_in_every_mode(hook: mock.MagicMock, deferrable: bool) -> None:
    """Airflow's soft_fail, the same whether the check runs in a poke or inline before deferring."""
    hook.get_upload_status.return_value = status("failed", error={"name": "InvalidMedia", "message": "Bad format"})
    with pytest.raises(AirflowSkipException):
        sensor(soft_fail=True, deferrable=deferrable).execute(task_context())


SAMPLE = str(Path(__file__).resolve().parents[3] / "dags" / "media" / "sample.mp4")
AGAIN_ID = "5678"


def sent_in_parallel(**fields: Any) -> dict[str, Any]:
    """The upload's receipt for a video whose segments went 4 at a time (MediaUploadOperator's ``resend``)."""
    resend = {
        "file_path": SAMPLE,
        "media_type": "video/mp4",
        "media_category": "tweet_video",
        "chunk_size": 16 * 1024,
        "max_video_duration": 140.0,
        "metadata": {"alt_text": "A clip", "sensitive_media_warning": None, "allow_download": None},
    }
    return receipt(uploaded_at=NOW.timestamp(), resend=resend, **fields)


UNREADABLE = {"code": 1, "name": "InvalidMedia", "message": "Unsupported video format"}
PENDING_AGAIN = {"id": AGAIN_ID, "media_key": f"7_{AGAIN_ID}", "processing_info": {"state": "pending"}}


class TestSentAgain:
    """X failed a video sent in parallel as unreadable: the sensor uploads it once more, one segment at a time."""

    @time_machine.travel(NOW, tick=False)
    @pytest.mark.parametrize("mode", ["reschedule", "poke"])
    def test_uploads_again_sequentially_and_waits_in_the_slot_before_3_3(
        self, hook: mock.MagicMock, mode: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        hook.get_upload_status.side_effect = [
            status("failed", error=UNREADABLE),
            {**PENDING_AGAIN, "processing_info": {"state": "in_progress", "check_after_secs": 2}},
            {**PENDING_AGAIN, "processing_info": {"state": "succeeded"}, "expires_after_secs": 3000},
        ]
        hook.upload_media.return_value = PENDING_AGAIN
        with mock.patch("airflow_provider.sensors.media.time.sleep") as sleep:
            result = sensor(media_id=sent_in_parallel(), mode=mode).execute(task_context())

        (media,), kwargs = hook.upload_media.call_args
        assert (media.path, media.media_type, media.media_category) == (SAMPLE, "video/mp4", "tweet_video")
        assert kwargs["parallel_segments"] == 1 and kwargs["chunk_size"] == 16 * 1024
        assert kwargs["metadata"].alt_text == "A clip"
        assert [c.args[0] for c in hook.get_upload_status.call_args_list] == ["1234", AGAIN_ID, AGAIN_ID]
        # The new id lives only in this run: its waits (none advised at FINALIZE, then 2 s) are slept, not rescheduled.
        assert [c.args[0] for c in sleep.call_args_list] == [0.0, 2.0]
        assert (result["media_id"], result["state"], result["resend"]) == (AGAIN_ID, "succeeded", None)
        out = capsys.readouterr().out
        assert "InvalidMedia: Unsupported video format. Its segments were sent in parallel" in out
        assert f"as media {AGAIN_ID} (instead of 1234)" in out

    @time_machine.travel(NOW, tick=False)
    def test_a_second_failure_fails_with_x_error(self, hook: mock.MagicMock) -> None:
        hook.get_upload_status.side_effect = [
            status("failed", error=UNREADABLE),
            {**PENDING_AGAIN, **status("failed", error=UNREADABLE), "id": AGAIN_ID},
        ]
        hook.upload_media.return_value = {**PENDING_AGAIN, "processing_info": {"state": "in_progress"}}
        with pytest.raises(AirflowFailException, match=f"media {AGAIN_ID}: InvalidMedia"):
            sensor(media_id=sent_in_parallel(next_status_at=0)).execute(task_context())
        assert hook.upload_media.call_count == 1  # once, never a third media

    @pytest.mark.parametrize(
        ("upload", "error"),
        [
            (sent_in_parallel(), {"code": 3, "name": "UnsupportedMedia", "message": "Duration exceeds max"}),
            (receipt(), UNREADABLE),  # sent one segment at a time: the order is not the cause
        ],
    )
    def test_other_failures_fail_without_uploading(
        self, hook: mock.MagicMock, upload: dict[str, Any], error: dict[str, Any]
    ) -> None:
        hook.get_upload_status.return_value = status("failed", error=error)
        with pytest.raises(AirflowFailException, match=error["name"]):
            sensor(media_id=upload).execute(task_context())
        hook.upload_media.assert_not_called()

    @time_machine.travel(NOW, tick=False)
    def test_deferred_failure_uploads_again_and_defers_for_the_new_media(self, hook: mock.MagicMock) -> None:
        hook.upload_media.return_value = {
            **PENDING_AGAIN,
            "processing_info": {"state": "pending", "check_after_secs": 3},
        }
        event = {"status": "failed", "media_id": "1234", "message": "X could not ...", "error": UNREADABLE}
        with pytest.raises(TaskDeferred) as deferred:
            sensor(media_id=sent_in_parallel(), deferrable=True).execute_complete(task_context(), event)
        trigger = deferred.value.trigger
        assert isinstance(trigger, MediaProcessingTrigger)
        assert (trigger.media_id, trigger.poll_at) == (AGAIN_ID, NOW.timestamp() + 3)
        assert hook.upload_media.call_args.kwargs["parallel_segments"] == 1

        succeeded = {"status": "succeeded", "media_id": AGAIN_ID, "media": {**PENDING_AGAIN, "processing_info": {}}}
        result = sensor(media_id=sent_in_parallel(), deferrable=True).execute_complete(task_context(), succeeded)
        assert (result["media_id"], result["media_key"], result["state"]) == (AGAIN_ID, f"7_{AGAIN_ID}", "succeeded")


def test_a_hand_edited_resend_is_refused_naming_it(hook: mock.MagicMock) -> None:
    hook.get_upload_status.return_value = status("failed", error=UNREADABLE)
    with pytest.raises(TwitterInputError, match="its receipt's resend is not the upload's"):
        sensor(media_id=receipt(resend={"file_path": SAMPLE})).execute(task_context())
    hook.upload_media.assert_not_called()


class TestSentAgainRemembered:
    """Airflow 3.3+: the media sent again is kept in the task state store, so the slot is released while X processes
    it, and neither a later poke nor a retry uploads a third copy."""

    @staticmethod
    def record(instead_of: str = "1234") -> dict[str, Any]:
        return {
            "instead_of": instead_of,
            "media": {"media_id": AGAIN_ID, "media_key": f"7_{AGAIN_ID}", "state": "pending"},
        }

    @time_machine.travel(NOW, tick=False)
    def test_records_the_new_media_and_releases_the_slot(self, hook: mock.MagicMock) -> None:
        hook.get_upload_status.return_value = status("failed", error=UNREADABLE)
        hook.upload_media.return_value = {
            **PENDING_AGAIN,
            "processing_info": {"state": "pending", "check_after_secs": 30},
        }
        store = FakeTaskStateStore()
        with pytest.raises(AirflowRescheduleException) as exc:
            sensor(media_id=sent_in_parallel()).execute(task_context(task_state_store=store))
        assert rescheduled_in(exc) == 30  # X's advice at FINALIZE of the new media, waited out of the slot
        ((key, value, retention),) = store.writes
        assert (key, value["instead_of"], retention) == (RESEND_KEY, "1234", RETENTION)
        assert (value["media"]["media_id"], value["media"]["next_status_at"]) == (AGAIN_ID, NOW.timestamp() + 30)
        assert value["media"]["resend"] is None  # never a third upload, and no file path kept

    @pytest.mark.parametrize("mode", ["reschedule", "poke"])
    def test_a_later_poke_or_retry_waits_for_the_recorded_media(self, hook: mock.MagicMock, mode: str) -> None:
        hook.get_upload_status.side_effect = [
            {**PENDING_AGAIN, "processing_info": {"state": "in_progress", "check_after_secs": 20}},
            {**PENDING_AGAIN, "processing_info": {"state": "succeeded"}},
        ]
        store = FakeTaskStateStore({RESEND_KEY: json.dumps(self.record())})
        context = task_context(first_poke=NOW, try_number=2, task_state_store=store)
        with time_machine.travel(NOW, tick=False), mock.patch("airflow_provider.sensors.media.time.sleep") as sleep:
            if mode == "reschedule":
                with pytest.raises(AirflowRescheduleException) as exc:
                    sensor(media_id=sent_in_parallel()).execute(context)
                assert rescheduled_in(exc) == 20  # the slot is released for the media sent again too
            result = sensor(media_id=sent_in_parallel(), mode=mode).execute(context)
        hook.upload_media.assert_not_called()
        assert [c.args[0] for c in hook.get_upload_status.call_args_list] == [AGAIN_ID, AGAIN_ID]
        assert [c.args[0] for c in sleep.call_args_list] == ([] if mode == "reschedule" else [20.0])
        assert (result["media_id"], result["state"]) == (AGAIN_ID, "succeeded")
        # Left to its retention: a retry or a clear after success returns the same media instead of uploading.
        assert store.get(RESEND_KEY) == self.record()

    def test_a_record_for_another_uploads_media_is_ignored(self, hook: mock.MagicMock) -> None:
        """The upload task ran again since (the store outlives a clear): its new media is the one to wait for."""
        hook.get_upload_status.return_value = status("succeeded")
        store = FakeTaskStateStore({RESEND_KEY: json.dumps(self.record(instead_of="999"))})
        result = sensor(media_id=sent_in_parallel(next_status_at=0)).execute(task_context(task_state_store=store))
        assert result["media_id"] == "1234"
        assert [c.args[0] for c in hook.get_upload_status.call_args_list] == ["1234"]

    @time_machine.travel(NOW, tick=False)
    def test_deferred_upload_again_is_recorded_for_a_retry(self, hook: mock.MagicMock) -> None:
        """A worker dying between the upload again and the deferral: the retry defers for the recorded media."""
        hook.upload_media.return_value = {
            **PENDING_AGAIN,
            "processing_info": {"state": "pending", "check_after_secs": 3},
        }
        store = FakeTaskStateStore()
        event = {"status": "failed", "media_id": "1234", "message": "X could not ...", "error": UNREADABLE}
        with pytest.raises(TaskDeferred):
            sensor(media_id=sent_in_parallel(), deferrable=True).execute_complete(
                task_context(task_state_store=store), event
            )
        with pytest.raises(TaskDeferred) as deferred:
            sensor(media_id=sent_in_parallel(), deferrable=True).execute(
                task_context(try_number=2, task_state_store=store)
            )
        assert (deferred.value.trigger.media_id, deferred.value.trigger.poll_at) == (AGAIN_ID, NOW.timestamp() + 3)
        assert hook.upload_media.call_count == 1
        hook.get_upload_status.assert_not_called()
