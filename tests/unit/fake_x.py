"""A fake X at the transport level: every ``requests`` call is answered from a script, and recorded; the async path
(the triggerer's STATUS polls) is answered by an ``httpx`` mock transport where the event loop's pool would be.

``x_client`` builds the client as the hook does, from credentials and settings alone: no connection, no task.
"""

from __future__ import annotations

import json
import threading
from collections import defaultdict
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import requests
from requests.structures import CaseInsensitiveDict

import airflow_provider.client.session as session_module
from airflow_provider.client.api import XClient
from airflow_provider.client.config import DEFAULT_API_URL
from airflow_provider.client.credentials import Credentials, OAuth1Credentials
from airflow_provider.client.retry import RetryPolicy
from airflow_provider.client.upload_api import UploadApi

Reply = tuple[int, Any] | tuple[int, Any, dict[str, str]] | BaseException
AsyncAnswer = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]

# The same values as the ``twitter_conn`` fixture's connection (tests/conftest.py).
CREDENTIALS = OAuth1Credentials(
    api_key="unit-api-key",
    api_key_secret="unit-api-key-secret-Zq81",
    access_token="unit-access-token",
    access_token_secret="unit-access-token-secret-Pw55",
)
# Retries without waiting: the waits themselves are tested in tests/unit/client/test_retry.py.
NO_WAIT = RetryPolicy(backoff_initial=0, backoff_max=0)


def x_client(
    upload_api: UploadApi | None = None,
    *,
    credentials: Credentials = CREDENTIALS,
    base_url: str = DEFAULT_API_URL,
    retry: RetryPolicy = NO_WAIT,
    **kwargs: Any,
) -> XClient:
    """An ``XClient`` on X's API (v2 uploads unless ``upload_api`` says otherwise), retrying without waits."""
    return XClient(credentials, base_url=base_url, upload_api=upload_api or UploadApi(base_url), retry=retry, **kwargs)


class FakeX:
    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], list[Reply]] = defaultdict(list)
        self.requests: list[requests.PreparedRequest] = []
        self.options: list[dict[str, Any]] = []  # what each request was sent with (timeout, ...)
        self._lock = threading.Lock()  # parallel APPENDs call send() from several threads

    def on(self, method: str, path: str, *replies: Reply) -> FakeX:
        """Answer ``method path`` with each reply in turn; the last one repeats."""
        self.routes[(method, path)].extend(replies)
        return self

    def sent(self, method: str | None = None, path: str | None = None) -> list[requests.PreparedRequest]:
        return [
            r
            for r in self.requests
            if (method is None or r.method == method) and (path is None or urlsplit(r.url or "").path == path)
        ]

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        body: Any = request.body
        if hasattr(body, "read"):  # a streamed body: read it as a server would
            request.body = body.read()
        key = (request.method or "", urlsplit(request.url or "").path)
        with self._lock:
            self.requests.append(request)
            self.options.append(kwargs)
            replies = self.routes.get(key)
            if not replies:
                raise AssertionError(f"unexpected request {key}")
            reply = replies.pop(0) if len(replies) > 1 else replies[0]
        if isinstance(reply, BaseException):
            raise reply
        status, body, *rest = reply
        response = requests.Response()
        response.status_code = status
        response.reason = {200: "OK", 201: "Created"}.get(status, "Error")
        response._content = (
            b"" if body is None else body.encode() if isinstance(body, str) else json.dumps(body).encode()
        )
        response.headers = CaseInsensitiveDict(rest[0] if rest else {"content-type": "application/json"})
        response.url = request.url or ""
        response.request = request
        return response


def answer_async(monkeypatch: pytest.MonkeyPatch, *answers: AsyncAnswer) -> list[httpx.Request]:
    """Answer the client's async requests with each of ``answers`` in turn (the last repeats; an exception is
    raised as the transport would raise it, a function answers the request it is given), through a mock transport
    in place of the event loop's shared pool. Returns the requests as they were sent."""
    seen: list[httpx.Request] = []
    queue = list(answers)

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        answer = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(answer, Exception):
            raise answer
        return answer if isinstance(answer, httpx.Response) else answer(request)

    client = httpx.AsyncClient(transport=httpx.MockTransport(handler))

    async def pool(url: httpx.URL) -> httpx.AsyncClient:
        return client

    monkeypatch.setattr(session_module, "async_pool", pool)
    return seen


def query(request: requests.PreparedRequest) -> dict[str, list[str]]:
    return parse_qs(urlsplit(request.url or "").query)


def header(request: requests.PreparedRequest, name: str) -> str:
    """A header as sent (the OAuth 1.0a signing leaves headers as bytes)."""
    value = request.headers[name]
    return value.decode() if isinstance(value, bytes) else value


def json_body(request: requests.PreparedRequest) -> Any:
    return json.loads(request.body or b"")


def oauth_params(request: requests.PreparedRequest) -> dict[str, str]:
    authorization = header(request, "Authorization")
    assert authorization.startswith("OAuth ")
    pairs = (p.strip().split("=", 1) for p in authorization[len("OAuth ") :].split(","))
    return {k: v.strip('"') for k, v in pairs}


def segment_of(request: requests.PreparedRequest) -> tuple[int, bytes]:
    """A v2 APPEND's ``segment_index`` and segment bytes, as X reads them from its multipart body."""
    body = request.body if isinstance(request.body, bytes) else b""
    index = int(body.split(b'name="segment_index"\r\n\r\n', 1)[1].split(b"\r\n", 1)[0])
    data = body.split(b"Content-Type: application/octet-stream\r\n\r\n", 1)[1].rsplit(b"\r\n--", 1)[0]
    return index, data
