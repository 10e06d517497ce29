"""``POST /2/oauth2/token``: one request, its client authenticated as X asks, and every outcome sorted by what it
means for the refresh token sent: not sent (intact), refused (dead, or the client wrong), or lost (maybe spent)."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest

from airflow_provider.client.oauth2.token_endpoint import (
    Client,
    TokenAnswerLost,
    TokenNotSent,
    TokenRefused,
    post_token,
)

FORM = {"grant_type": "refresh_token", "refresh_token": "seed-token"}
TOKEN = {"access_token": "access-1", "refresh_token": "refresh-2", "expires_in": 7200, "scope": "tweet.read"}
Answer = httpx.Response | Exception


@pytest.fixture
def token_x(monkeypatch: pytest.MonkeyPatch) -> Callable[[Answer], list[httpx.Request]]:
    """Answer the token request with ``answer`` through a mock transport; returns the requests as sent."""
    real = httpx.Client

    def install(answer: Answer) -> list[httpx.Request]:
        seen: list[httpx.Request] = []

        def handler(request: httpx.Request) -> httpx.Response:
            seen.append(request)
            if isinstance(answer, Exception):
                raise answer
            return answer

        monkeypatch.setattr(httpx, "Client", lambda **kw: real(transport=httpx.MockTransport(handler), **kw))
        return seen

    return install


def form(request: httpx.Request) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(request.content.decode()).items()}


def test_a_confidential_client_authenticates_with_basic(token_x: Callable[[Answer], list[httpx.Request]]) -> None:
    seen = token_x(httpx.Response(200, json=TOKEN))
    assert post_token("http://127.0.0.1:8123", Client("client-id", "app-secret"), FORM) == TOKEN
    (request,) = seen
    assert (request.method, str(request.url)) == ("POST", "http://127.0.0.1:8123/2/oauth2/token")
    assert request.headers["Authorization"] == "Basic " + base64.b64encode(b"client-id:app-secret").decode()
    assert request.headers["User-Agent"] == "airflow-provider-twitter"
    assert form(request) == FORM  # the client is in the header, not the body
    assert request.extensions["timeout"] == {"connect": 5.0, "read": 10.0, "write": 10.0, "pool": 10.0}


def test_a_public_client_sends_its_id_in_the_body(token_x: Callable[[Answer], list[httpx.Request]]) -> None:
    seen = token_x(httpx.Response(200, json=TOKEN))
    post_token("https://api.x.com", Client("client-id"), FORM)
    (request,) = seen
    assert "Authorization" not in request.headers
    assert form(request) == {**FORM, "client_id": "client-id"}


@pytest.mark.parametrize(
    ("answer", "error", "message"),
    [
        (httpx.ConnectError("refused"), TokenNotSent, "ConnectError"),
        (httpx.ConnectTimeout("slow"), TokenNotSent, "ConnectTimeout"),
        (httpx.PoolTimeout("busy"), TokenNotSent, "PoolTimeout"),
        (httpx.Response(429, json={"title": "Too Many Requests"}), TokenNotSent, r"HTTP 429 \(rate limited\)"),
        (httpx.Response(404, text="<html>no such page</html>"), TokenNotSent, "HTTP 404 without an OAuth 2.0 error"),
        (httpx.ReadTimeout("no answer"), TokenAnswerLost, "ReadTimeout"),
        (httpx.RemoteProtocolError("dropped"), TokenAnswerLost, "RemoteProtocolError"),
        (httpx.Response(502, text="Bad Gateway"), TokenAnswerLost, "HTTP 502 without a token answer"),
        (httpx.Response(200, text="not json"), TokenAnswerLost, "HTTP 200 without a token answer"),
        (httpx.Response(200, json={"token_type": "bearer"}), TokenAnswerLost, "HTTP 200 without a token answer"),
    ],
)
def test_each_failure_is_sorted_by_what_it_means_for_the_token(
    token_x: Callable[[Answer], list[httpx.Request]], answer: Answer, error: type[Exception], message: str
) -> None:
    seen = token_x(answer)
    with pytest.raises(error, match=message):
        post_token("https://api.x.com", Client("client-id"), FORM)
    assert len(seen) == 1  # never retried: a retry could present a spent token


@pytest.mark.parametrize(
    ("status", "body"),
    [(400, {"error": "invalid_request", "error_description": "spent"}), (401, {"error": "unauthorized_client"})],
)
def test_an_oauth_error_is_a_refusal_with_xs_words(
    token_x: Callable[[Answer], list[httpx.Request]], status: int, body: dict[str, Any]
) -> None:
    token_x(httpx.Response(status, json=body))
    with pytest.raises(TokenRefused) as err:
        post_token("https://api.x.com", Client("client-id"), FORM)
    assert (err.value.status, err.value.error, err.value.description) == (
        status,
        body["error"],
        body.get("error_description", ""),
    )
    assert str(err.value) == f"HTTP {status} {body['error']}: {body.get('error_description', '')}"
