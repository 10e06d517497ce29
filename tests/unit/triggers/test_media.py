"""The trigger is a thin loop over the hook: these tests give it a scripted hook and a scripted clock."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any
from unittest import mock

import pytest

import airflow_provider.triggers.media as trigger_module
from airflow_provider.exceptions import TwitterApiError, TwitterInputError, TwitterRejectedError
from airflow_provider.hooks.twitter import TwitterHook
from airflow_provider.triggers.media import MediaProcessingTrigger

START = 1_800_000_000.0


def status(state: str | None, **info: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"id": "1234"}
    if state:
        data["processing_info"] = {"state": state, **info}
    return data


class Clock:
    """The trigger's clock: time passes only when the trigger sleeps; each planned wait is recorded."""

    def __init__(self) -> None:
        self.now = START
        self.waits: list[float] = []

    async def sleep_until(self, epoch: float) -> None:
        self.waits.append(round(max(0.0, epoch - self.now), 3))
        self.now = max(self.now, epoch)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(trigger_module, "now", lambda: fake.now)
    monkeypatch.setattr(trigger_module, "sleep_until", fake.sleep_until)
    return fake


@pytest.fixture
def x_says(hook: mock.MagicMock) -> Callable[..., mock.AsyncMock]:
    """Script the hook's ``aget_upload_status``: each answer in turn (a STATUS ``data`` or an exception)."""

    def script(*answers: dict[str, Any] | Exception) -> mock.AsyncMock:
        hook.aget_upload_status.side_effect = list(answers)
        return hook.aget_upload_status

    return script


def trigger(**kwargs: Any) -> MediaProcessingTrigger:
    return MediaProcessingTrigger(**{"media_id": "1234", "poll_at": START, "end_time": START + 600, **kwargs})


async def first_event(t: MediaProcessingTrigger) -> dict[str, Any]:
    events = [event async for event in t.run()]
    assert len(events) == 1
    payload = events[0].payload
    json.dumps(payload)  # JSON-serializable, never pickled
    return payload


def test_serialize_round_trip() -> None:
    t = trigger(twitter_conn_id="x_prod", poll_interval=7, poll_at=1234.5, hook_params={"timeout": 5})
    classpath, kwargs = t.serialize()
    assert classpath == "airflow_provider.triggers.media.MediaProcessingTrigger"
    assert MediaProcessingTrigger(**kwargs).serialize() == (classpath, kwargs)
    assert kwargs["twitter_conn_id"] == "x_prod" and kwargs["poll_at"] == 1234.5
    assert kwargs["hook_params"] == {"timeout": 5}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"media_id": "None"}, "'None' is not an X media id"),
        ({"twitter_conn_id": ""}, "twitter_conn_id"),
        ({"poll_interval": 0}, "poll_interval"),
        ({"hook_params": {"retries": 3}}, "hook_params has unknown key"),
    ],
)
def test_arguments_are_checked(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(TwitterInputError, match=message):
        trigger(**kwargs)


async def test_hook_is_built_from_the_task_without_rate_limit_waits(
    clock: Clock, hook_class: mock.MagicMock, x_says: Callable[..., mock.AsyncMock]
) -> None:
    """A rate limit is waited out between polls (below), never inside the hook's call."""
    x_says(status("succeeded"))
    await first_event(trigger(twitter_conn_id="x_prod", hook_params={"timeout": 5, "max_rate_limit_wait": 300}))
    hook_class.assert_called_once_with("x_prod", timeout=5, max_rate_limit_wait=0)


async def test_polls_exactly_as_advised(clock: Clock, x_says: Callable[..., mock.AsyncMock]) -> None:
    method = x_says(
        status("pending", check_after_secs=3),
        status("in_progress", check_after_secs=5, progress_percent=50),
        status("succeeded", progress_percent=100),
    )
    event = await first_event(trigger(poll_at=START + 2))
    assert event == {
        "media_id": "1234",
        "status": "succeeded",
        "media": {"id": "1234", "processing_info": {"state": "succeeded", "progress_percent": 100}},
    }
    assert clock.waits == [2, 3, 5]
    assert method.await_args_list == [mock.call("1234")] * 3


async def test_restarted_trigger_polls_at_the_time_x_advised(
    clock: Clock, x_says: Callable[..., mock.AsyncMock]
) -> None:
    """Polls are planned as absolute times: a trigger restarted after its poll time polls at once."""
    x_says(status("succeeded"))
    assert (await first_event(trigger(poll_at=START - 30)))["status"] == "succeeded"
    assert clock.waits == [0]


async def test_no_advice_polls_every_poll_interval(clock: Clock, x_says: Callable[..., mock.AsyncMock]) -> None:
    x_says(status("pending"), status("succeeded"))
    await first_event(trigger(poll_interval=7))
    assert clock.waits == [0, 7]


async def test_failed_processing_event(clock: Clock, x_says: Callable[..., mock.AsyncMock]) -> None:
    x_says(status("failed", error={"code": 1, "name": "InvalidMedia", "message": "Unsupported video format"}))
    event = await first_event(trigger())
    assert event["status"] == "failed"
    assert event["message"] == "X could not process media 1234: InvalidMedia: Unsupported video format"
    # X's error too: the sensor uploads a video sent in parallel again only for InvalidMedia (docs/operators.md).
    assert event["error"] == {"code": 1, "name": "InvalidMedia", "message": "Unsupported video format"}


async def test_timeout_event_after_a_last_poll_at_the_deadline(
    clock: Clock, x_says: Callable[..., mock.AsyncMock]
) -> None:
    method = x_says(status("in_progress", check_after_secs=30), status("in_progress", check_after_secs=30))
    event = await first_event(trigger(end_time=START + 10))
    assert event == {"media_id": "1234", "status": "timeout", "message": "media 1234 still processing at the timeout"}
    assert method.await_count == 2 and clock.waits == [0, 10]  # at once, then at the deadline, not 30 s later


async def test_rate_limit_waits_for_reset(clock: Clock, x_says: Callable[..., mock.AsyncMock]) -> None:
    limited = TwitterApiError(endpoint="GET /2/media/upload", http_status=429, rate_limit_reset=START + 100)
    x_says(limited, status("succeeded"))
    assert (await first_event(trigger()))["status"] == "succeeded"
    assert clock.waits == [0, 101]


async def test_rate_limit_without_reset_backs_off(clock: Clock, x_says: Callable[..., mock.AsyncMock]) -> None:
    """A 429 without reset headers does not end the wait: X advises waiting a minute or two."""
    x_says(TwitterApiError(endpoint="GET /2/media/upload", http_status=429), status("succeeded"))
    assert (await first_event(trigger()))["status"] == "succeeded"
    assert clock.waits == [0, 60]


@pytest.mark.parametrize(
    ("error", "outcome"),
    [
        (TwitterApiError(endpoint="GET /2/media/upload", http_status=503), "error"),  # after the hook's retries
        (TwitterRejectedError(endpoint="GET /2/media/upload", http_status=401), "failed"),  # a retry cannot help
        (TwitterInputError("Connection 'twitter_default' is missing API Key Secret (password)."), "failed"),
    ],
)
async def test_errors_become_events(
    clock: Clock, x_says: Callable[..., mock.AsyncMock], error: Exception, outcome: str
) -> None:
    x_says(error)
    event = await first_event(trigger())
    assert (event["status"], event["message"]) == (outcome, str(error))


async def test_other_failures_are_errors_a_new_try_may_not_meet(
    clock: Clock, x_says: Callable[..., mock.AsyncMock]
) -> None:
    """For example a connection not defined (yet): the task's retries apply."""
    x_says(LookupError("The conn_id `twitter_default` isn't defined"))
    event = await first_event(trigger())
    assert (event["status"], event["message"]) == ("error", "LookupError: The conn_id `twitter_default` isn't defined")


async def test_bad_hook_params_fail_without_polling(clock: Clock) -> None:
    """A trigger row from an older, unchecked version: the real hook refuses its hook_params, and nothing polls."""
    t = trigger()
    t.hook_params = {"max_attempts": 0}
    with mock.patch.object(TwitterHook, "aget_upload_status", autospec=True) as poll:
        event = await first_event(t)
    assert event["status"] == "failed" and "max_attempts" in event["message"]
    poll.assert_not_called()


async def test_waits_without_blocking_the_event_loop(x_says: Callable[..., mock.AsyncMock]) -> None:
    """One triggerer loop runs thousands of triggers: while this one waits for its poll time, others run."""
    order: list[str] = []

    async def poll(media_id: str) -> dict[str, Any]:
        order.append("poll")
        return status("succeeded")

    x_says().side_effect = poll
    waiting = asyncio.create_task(first_event(trigger(poll_at=time.time() + 0.05, end_time=time.time() + 60)))
    await asyncio.sleep(0)  # the trigger starts and reaches its wait
    order.append("another trigger")
    assert (await waiting)["status"] == "succeeded"
    assert order == ["another trigger", "poll"]


def test_module_imports_nothing_heavy() -> None:
    """The triggerer imports trigger modules on its event loop: no requests there, not even through the hook."""
    code = (
        "import sys, airflow_provider.triggers.media, airflow_provider.hooks.twitter; "
        "print(sorted(m for m in ('requests', 'requests_oauthlib') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.strip() == "[]"
