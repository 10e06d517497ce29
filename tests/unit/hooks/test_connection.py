"""The hook's async path (the triggerer's): X faked at the transport level under the event loop's shared client."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from airflow.providers.common.compat.sdk import redact

import airflow_provider.client.session as session_module
import airflow_provider.hooks.connection as hook_module
from airflow_provider.client.transport import async_pool
from airflow_provider.exceptions import TwitterApiError, TwitterInputError, TwitterRejectedError
from airflow_provider.hooks.twitter import TwitterHook

Answer = httpx.Response | Exception


@pytest.fixture(autouse=True)
def _fresh_settings() -> Iterator[None]:
    hook_module._ASYNC_SETTINGS.clear()
    yield
    hook_module._ASYNC_SETTINGS.clear()


@pytest.fixture
def x_answers(monkeypatch: pytest.MonkeyPatch, twitter_conn: dict[str, object]) -> Callable[..., list[httpx.Request]]:
    """Answer the hook's async requests from a list, in turn (the last repeats), and record them."""

    def install(*answers: Answer) -> list[httpx.Request]:
        seen: list[httpx.Request] = []
        queue = list(answers)

        def handler(request: httpx.Request) -> httpx.Response:
            seen.append(request)
            answer = queue.pop(0) if len(queue) > 1 else queue[0]
            if isinstance(answer, Exception):
                raise answer
            return answer

        client = httpx.AsyncClient(transport=httpx.MockTransport(handler))

        async def shared(url: httpx.URL) -> httpx.AsyncClient:
            return client

        monkeypatch.setattr(session_module, "async_pool", shared)
        return seen

    return install


def ok(data: dict[str, Any]) -> httpx.Response:
    return httpx.Response(200, json={"data": data})


FAST: dict[str, Any] = {"backoff_initial": 0.01, "backoff_max": 0.01}


async def test_status_is_signed_and_read(x_answers: Callable[..., list[httpx.Request]]) -> None:
    seen = x_answers(ok({"id": "1234", "processing_info": {"state": "pending", "check_after_secs": 2}}))
    data = await TwitterHook().aget_upload_status("1234")
    assert data["processing_info"]["state"] == "pending"
    (request,) = seen
    assert (request.url.path, dict(request.url.params)) == (
        "/2/media/upload",
        {"command": "STATUS", "media_id": "1234"},
    )
    assert 'oauth_token="unit-access-token"' in request.headers["Authorization"]
    assert request.headers["User-Agent"] == "airflow-provider-twitter"


async def test_transient_failures_retried_each_signed_anew(x_answers: Callable[..., list[httpx.Request]]) -> None:
    seen = x_answers(httpx.ConnectError("refused"), httpx.Response(503, json={"title": "Unavailable"}), ok({"id": "1"}))
    assert await TwitterHook(**FAST).aget_upload_status("1") == {"id": "1"}
    nonces = {r.headers["Authorization"].split("oauth_nonce=")[1].split(",")[0] for r in seen}
    assert len(seen) == 3 and len(nonces) == 3


async def test_gives_up_after_max_attempts(x_answers: Callable[..., list[httpx.Request]]) -> None:
    seen = x_answers(httpx.Response(503, json={"title": "Unavailable"}))
    with pytest.raises(TwitterApiError, match="HTTP 503") as err:
        await TwitterHook(max_attempts=3, **FAST).aget_upload_status("1")
    assert len(seen) == 3 and err.value.attempts == 3


async def test_unknown_media_is_mapped_as_in_the_sync_path(x_answers: Callable[..., list[httpx.Request]]) -> None:
    """The same 400 means the same thing on both paths: media X does not know, not retried."""
    seen = x_answers(httpx.Response(400, json={"errors": [{"message": "BadRequest: Not found"}]}))
    with pytest.raises(TwitterRejectedError, match="Media 1234 has expired or is unknown to X"):
        await TwitterHook().aget_upload_status("1234")
    assert len(seen) == 1


async def test_rate_limit_is_left_to_the_caller_beyond_max_wait(x_answers: Callable[..., list[httpx.Request]]) -> None:
    reset = 4_000_000_000
    seen = x_answers(
        httpx.Response(429, json={"title": "Too Many Requests"}, headers={"x-rate-limit-reset": str(reset)})
    )
    with pytest.raises(TwitterApiError) as err:
        await TwitterHook(max_rate_limit_wait=0).aget_upload_status("1")
    assert err.value.is_rate_limit and err.value.rate_limit_reset == reset and len(seen) == 1


async def test_connection_read_once_per_process(
    x_answers: Callable[..., list[httpx.Request]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Thousands of triggers on one connection read it once (per minute), not once each."""
    reads = []
    real = hook_module.get_async_connection

    async def counting(conn_id: str) -> Any:
        reads.append(conn_id)
        return await real(conn_id)

    monkeypatch.setattr(hook_module, "get_async_connection", counting)
    x_answers(ok({"id": "1"}))
    for _ in range(5):
        await TwitterHook().aget_upload_status("1")
    assert reads == ["twitter_default"]


async def test_code_timeout_wins_over_the_connection(
    x_answers: Callable[..., list[httpx.Request]], monkeypatch: pytest.MonkeyPatch, twitter_conn: dict[str, Any]
) -> None:
    monkeypatch.setenv(
        "AIRFLOW_CONN_TWITTER_DEFAULT", json.dumps({**twitter_conn, "extra": {**twitter_conn["extra"], "timeout": 30}})
    )
    seen = x_answers(ok({"id": "1"}))
    await TwitterHook(timeout=7).aget_upload_status("1")
    await TwitterHook().aget_upload_status("1")
    assert [r.extensions["timeout"]["read"] for r in seen] == [7, 30]


async def test_credentials_are_stripped_and_masked(
    x_answers: Callable[..., list[httpx.Request]], monkeypatch: pytest.MonkeyPatch, twitter_conn: dict[str, Any]
) -> None:
    extra = {"access_token": " 1-trigger-access-token\n", "access_token_secret": "trigger-token-secret "}
    monkeypatch.setenv("AIRFLOW_CONN_TWITTER_DEFAULT", json.dumps({**twitter_conn, "extra": extra}))
    seen = x_answers(ok({"id": "1"}))
    await TwitterHook().aget_upload_status("1")
    assert 'oauth_token="1-trigger-access-token"' in seen[0].headers["Authorization"]
    assert redact("1-trigger-access-token") == redact("trigger-token-secret") == "***"


async def test_malformed_credential_is_refused_naming_the_field(
    x_answers: Callable[..., list[httpx.Request]], monkeypatch: pytest.MonkeyPatch, twitter_conn: dict[str, Any]
) -> None:
    monkeypatch.setenv("AIRFLOW_CONN_TWITTER_DEFAULT", json.dumps({**twitter_conn, "password": "two words"}))
    seen = x_answers(ok({"id": "1"}))
    with pytest.raises(TwitterInputError, match=r"API Key Secret \(password\) has whitespace") as err:
        await TwitterHook().aget_upload_status("1")
    assert "two words" not in str(err.value) and seen == []


async def test_one_pool_per_event_loop() -> None:
    url = httpx.URL("https://api.x.com/2/media/upload")
    assert await async_pool(url) is await async_pool(url)
