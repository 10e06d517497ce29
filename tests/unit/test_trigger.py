from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from airflow.providers.common.compat.sdk import redact

from airflow_provider.triggers.media import MediaProcessingTrigger
from tests.unit.this_thread import only_in_this_thread

Handler = Callable[[httpx.Request], httpx.Response]


def status(state: str | None, **info: Any) -> httpx.Response:
    data: dict[str, Any] = {"id": "1234"}
    if state:
        data["processing_info"] = {"state": state, **info}
    return httpx.Response(200, json={"data": data})


@pytest.fixture
def x_answers(monkeypatch: pytest.MonkeyPatch, twitter_conn: dict[str, object]) -> Callable[..., list[httpx.Request]]:
    """Answer the trigger's HTTP requests from a list (transport level) and record its sleeps, without sleeping."""

    def install(*answers: httpx.Response | Exception, sleeps: list[float] | None = None) -> list[httpx.Request]:
        seen: list[httpx.Request] = []
        queue = list(answers)

        def handler(request: httpx.Request) -> httpx.Response:
            seen.append(request)
            answer = queue.pop(0) if len(queue) > 1 else queue[0]
            if isinstance(answer, Exception):
                raise answer
            return answer

        real_client = httpx.AsyncClient
        monkeypatch.setattr(
            httpx, "AsyncClient", lambda **kw: real_client(transport=httpx.MockTransport(handler), **kw)
        )

        real_sleep, real_time = asyncio.sleep, time.time
        clock = [real_time()]

        async def fake_sleep(secs: float) -> None:
            clock[0] += secs  # time passes as the trigger sleeps, without waiting
            if sleeps is not None:
                sleeps.append(round(secs, 3))

        monkeypatch.setattr(asyncio, "sleep", only_in_this_thread(real_sleep, fake_sleep))
        monkeypatch.setattr(time, "time", only_in_this_thread(real_time, lambda: clock[0]))
        return seen

    return install


def trigger(**kwargs: Any) -> MediaProcessingTrigger:
    return MediaProcessingTrigger(
        **{"media_id": "1234", "poll_at": time.time(), "end_time": time.time() + 600, **kwargs}
    )


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


async def test_sleeps_exactly_as_advised(x_answers: Callable[..., list[httpx.Request]]) -> None:
    sleeps: list[float] = []
    seen = x_answers(
        status("pending", check_after_secs=3),
        status("in_progress", check_after_secs=5, progress_percent=50),
        status("succeeded", progress_percent=100),
        sleeps=sleeps,
    )
    event = await first_event(trigger(poll_at=time.time() + 2))
    assert event == {
        "media_id": "1234",
        "status": "succeeded",
        "media": {"id": "1234", "processing_info": {"state": "succeeded", "progress_percent": 100}},
    }
    assert sleeps == [2, 3, 5]
    assert [dict(r.url.params) for r in seen] == [{"command": "STATUS", "media_id": "1234"}] * 3
    nonces = {r.headers["Authorization"].split("oauth_nonce=")[1].split(",")[0] for r in seen}
    assert len(nonces) == 3  # every poll signed anew


async def test_restarted_trigger_polls_at_the_time_x_advised(x_answers: Callable[..., list[httpx.Request]]) -> None:
    """Polls are planned as absolute times: a trigger restarted after its poll time polls at once."""
    sleeps: list[float] = []
    x_answers(status("succeeded"), sleeps=sleeps)
    assert (await first_event(trigger(poll_at=time.time() - 30)))["status"] == "succeeded"
    assert sleeps == [0]


def test_module_imports_nothing_heavy() -> None:
    """The triggerer imports trigger modules on its event loop: no requests or hook (Airflow brings tenacity)."""
    import subprocess
    import sys

    code = (
        "import sys, airflow_provider.triggers.media; "
        "print(sorted(m for m in ('requests', 'requests_oauthlib', 'airflow_provider.hooks.twitter') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.strip() == "[]"


async def test_failed_processing_event(x_answers: Callable[..., list[httpx.Request]]) -> None:
    x_answers(status("failed", error={"code": 1, "name": "InvalidMedia", "message": "Unsupported video format"}))
    event = await first_event(trigger())
    assert event["status"] == "failed"
    assert event["message"] == "X could not process media 1234: InvalidMedia: Unsupported video format"


async def test_timeout_event_after_a_last_poll_at_the_deadline(x_answers: Callable[..., list[httpx.Request]]) -> None:
    sleeps: list[float] = []
    end_time = time.time() + 10
    seen = x_answers(status("in_progress", check_after_secs=30), sleeps=sleeps)
    event = await first_event(trigger(end_time=end_time))
    assert event["status"] == "timeout"
    assert len(seen) == 2  # at once, then at the deadline rather than 30 s later
    assert sleeps[0] == 0 and 9.9 <= sleeps[1] <= 10


async def test_transient_errors_retried_then_error(x_answers: Callable[..., list[httpx.Request]]) -> None:
    seen = x_answers(httpx.ConnectError("refused"), httpx.Response(503, json={"title": "Service Unavailable"}))
    event = await first_event(trigger(hook_params={"max_attempts": 3}))
    assert event["status"] == "error" and "HTTP 503" in event["message"]
    assert len(seen) == 3


async def test_rate_limit_waits_for_reset(x_answers: Callable[..., list[httpx.Request]]) -> None:
    sleeps: list[float] = []
    reset = int(time.time()) + 100
    x_answers(
        httpx.Response(429, json={"title": "Too Many Requests"}, headers={"x-rate-limit-reset": str(reset)}),
        status("succeeded"),
        sleeps=sleeps,
    )
    assert (await first_event(trigger()))["status"] == "succeeded"
    assert 99 <= sleeps[1] <= 101


async def test_rejected_is_an_error_event(x_answers: Callable[..., list[httpx.Request]]) -> None:
    x_answers(httpx.Response(401, json={"title": "Unauthorized"}))
    event = await first_event(trigger())
    assert event["status"] == "error" and "HTTP 401" in event["message"]


async def test_bad_connection_is_an_error_event(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIRFLOW_CONN_TWITTER_DEFAULT", json.dumps({"conn_type": "twitter", "login": "k"}))
    event = await first_event(trigger())
    assert event["status"] == "error" and "API Key Secret (password)" in event["message"]


async def test_credentials_read_in_the_trigger_are_stripped_and_masked(
    x_answers: Callable[..., list[httpx.Request]], monkeypatch: pytest.MonkeyPatch, twitter_conn: dict[str, Any]
) -> None:
    extra = {"access_token": " 1-trigger-access-token\n", "access_token_secret": "trigger-token-secret "}
    monkeypatch.setenv("AIRFLOW_CONN_TWITTER_DEFAULT", json.dumps({**twitter_conn, "extra": extra}))
    seen = x_answers(status("succeeded"))
    assert (await first_event(trigger()))["status"] == "succeeded"
    assert 'oauth_token="1-trigger-access-token"' in seen[0].headers["Authorization"]
    assert redact("1-trigger-access-token") == redact("trigger-token-secret") == "***"


async def test_malformed_credential_is_an_error_event_naming_the_field(
    x_answers: Callable[..., list[httpx.Request]], monkeypatch: pytest.MonkeyPatch, twitter_conn: dict[str, Any]
) -> None:
    monkeypatch.setenv("AIRFLOW_CONN_TWITTER_DEFAULT", json.dumps({**twitter_conn, "password": "two words"}))
    seen = x_answers(status("succeeded"))
    event = await first_event(trigger())
    assert event["status"] == "error" and "API Key Secret (password) has whitespace" in event["message"]
    assert "two words" not in event["message"] and seen == []
