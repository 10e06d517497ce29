"""XSession: each attempt signed anew and sent whole, commands sent to the upload API's host, and every failure one
``TwitterApiError``, on the workers' path (``requests``) and the triggerer's (the event loop's pool)."""

from __future__ import annotations

import uuid

import httpx
import pytest
import requests

from airflow_provider.client.credentials import OAuth2Credentials
from airflow_provider.client.multipart import SegmentBody
from airflow_provider.client.retry import RetryPolicy
from airflow_provider.client.session import XSession
from airflow_provider.client.upload_api import UploadApi, V1UploadApi
from airflow_provider.exceptions import TwitterApiError, TwitterRejectedError
from tests.unit.client.oauth2.stores import NO_TOKEN_ENDPOINT, DictStore, print_nothing, rotated
from tests.unit.fake_x import CREDENTIALS, NO_WAIT, FakeX, answer_async, header, oauth_params

API = "https://api.x.com"
ME = (200, {"data": {"id": "42", "username": "newsroom"}})


def session(upload_api: UploadApi | None = None, *, timeout: float = 60.0, retry: RetryPolicy = NO_WAIT) -> XSession:
    return XSession(CREDENTIALS, base_url=API, upload_api=upload_api or UploadApi(API), timeout=timeout, retry=retry)


def test_a_request_goes_to_the_base_url_signed_with_the_credentials(fake_x: FakeX) -> None:
    fake_x.on("GET", "/2/users/me", ME)
    assert session(timeout=12).request("GET", "/2/users/me") == ME[1]
    (sent,) = fake_x.requests
    assert sent.url == f"{API}/2/users/me"
    oauth = oauth_params(sent)
    assert (oauth["oauth_consumer_key"], oauth["oauth_token"]) == ("unit-api-key", "unit-access-token")
    assert oauth["oauth_signature_method"] == "HMAC-SHA1"
    assert header(sent, "User-Agent") == "airflow-provider-twitter"
    assert fake_x.options[0]["timeout"] == 12


def test_send_takes_its_own_timeout_and_makes_one_attempt(fake_x: FakeX) -> None:
    fake_x.on("GET", "/2/users/me", (503, {"title": "Service Unavailable"}))
    with pytest.raises(TwitterApiError, match="HTTP 503"):
        session(timeout=60).send("GET", "/2/users/me", timeout=5)
    assert len(fake_x.requests) == 1 and fake_x.options[0]["timeout"] == 5


def test_every_attempt_is_signed_anew(fake_x: FakeX) -> None:
    """X refuses a replayed nonce: a retry is a new request, with a new nonce, timestamp and signature."""
    fake_x.on("GET", "/2/users/me", (503, {"title": "Service Unavailable"}), ME)
    session().request("GET", "/2/users/me")
    first, second = (oauth_params(r) for r in fake_x.requests)
    assert first["oauth_nonce"] != second["oauth_nonce"]
    assert first["oauth_signature"] != second["oauth_signature"]


def test_a_retry_resends_a_streamed_body_from_its_start(fake_x: FakeX) -> None:
    body = SegmentBody(0, b"segment bytes " * 1000)
    whole = body.read()
    fake_x.on("POST", "/2/media/upload/7/append", (503, {"title": "Service Unavailable"}), (200, {}))
    session().request("POST", "/2/media/upload/7/append", data=body, headers={"Content-Type": body.content_type})
    assert [r.body for r in fake_x.requests] == [whole, whole]


@pytest.mark.parametrize(
    "failure",
    [
        requests.ConnectionError("HTTPSConnectionPool(host='api.x.com'): /2/users/me?secret=1"),
        requests.ReadTimeout("read timed out: https://api.x.com/2/users/me"),
    ],
)
def test_network_failures_are_retried_then_named_without_the_url(fake_x: FakeX, failure: Exception) -> None:
    fake_x.on("GET", "/2/users/me", failure)
    with pytest.raises(TwitterApiError) as err:
        session().request("GET", "/2/users/me")
    assert (err.value.http_status, err.value.title, err.value.endpoint) == (
        None,
        type(failure).__name__,
        "GET /2/users/me",
    )
    assert err.value.is_transient and err.value.attempts == 5 == len(fake_x.requests)
    assert "api.x.com" not in str(err.value) and "secret" not in str(err.value)
    assert err.value.__cause__ is None and err.value.__suppress_context__


def test_an_upload_command_goes_to_the_upload_apis_host_and_is_read_as_it_writes(fake_x: FakeX) -> None:
    v1 = V1UploadApi("https://upload.twitter.com")
    fake_x.on("POST", "/1.1/media/upload.json", (400, {"request": "/1.1/media/upload.json", "error": "bad media"}))
    with pytest.raises(TwitterRejectedError) as err:
        session(v1).upload(v1.finalize("7"))
    assert fake_x.requests[0].url == "https://upload.twitter.com/1.1/media/upload.json"
    assert err.value.endpoint == "POST /1.1/media/upload.json (FINALIZE)"
    assert err.value.detail == "bad media"  # v1.1's own refusal shape, read by the v1.1 API


def test_the_requests_session_is_made_only_when_used() -> None:
    """The triggerer only sends async: it must not build (or import) a ``requests`` session."""
    assert "http" not in vars(session())


async def test_aupload_sends_the_command_signed_to_the_upload_host(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = answer_async(monkeypatch, httpx.Response(200, json={"data": {"id": "7"}}))
    x = session(UploadApi("http://127.0.0.1:8123"), timeout=9)
    assert await x.aupload(x.upload_api.status("7")) == {"data": {"id": "7"}}
    (sent,) = seen
    assert (sent.method, sent.url.host, sent.url.port, sent.url.path) == ("GET", "127.0.0.1", 8123, "/2/media/upload")
    assert dict(sent.url.params) == {"command": "STATUS", "media_id": "7"}
    assert 'oauth_token="unit-access-token"' in sent.headers["Authorization"]
    assert sent.headers["User-Agent"] == "airflow-provider-twitter"
    assert sent.extensions["timeout"] == {"connect": 9, "read": 9, "write": 9, "pool": 9}
    assert "http" not in vars(x)


async def test_aupload_retries_transient_failures_each_signed_anew(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = answer_async(
        monkeypatch,
        httpx.ConnectError("refused"),
        httpx.Response(503, json={"title": "Unavailable"}),
        httpx.Response(200, json={"data": {"id": "7"}}),
    )
    x = session()
    assert await x.aupload(x.upload_api.status("7")) == {"data": {"id": "7"}}
    nonces = {r.headers["Authorization"].split("oauth_nonce=")[1].split(",")[0] for r in seen}
    assert len(seen) == 3 and len(nonces) == 3


async def test_aupload_network_failure_is_named_without_the_url(monkeypatch: pytest.MonkeyPatch) -> None:
    answer_async(monkeypatch, httpx.ReadTimeout("timed out reading https://api.x.com/2/media/upload"))
    x = session(retry=RetryPolicy(max_attempts=1))
    with pytest.raises(TwitterApiError) as err:
        await x.aupload(x.upload_api.status("7"))
    assert (err.value.http_status, err.value.title) == (None, "ReadTimeout")
    assert err.value.endpoint == "GET /2/media/upload" and "api.x.com" not in str(err.value)


def oauth2(store: DictStore) -> OAuth2Credentials:
    """OAuth 2.0 credentials of a connection of their own (the process shares a manager per connection)."""
    return OAuth2Credentials(
        conn_id=f"conn_{uuid.uuid4().hex[:8]}",
        base_url=NO_TOKEN_ENDPOINT,
        client_id="client-id",
        client_secret="",
        refresh_token="seed-token",
        store=store,
        on_secret=print_nothing,
    )


async def test_aupload_after_a_401_sends_once_more_with_a_token_rotated_meanwhile(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Another process refreshed (X may revoke the earlier access token then): the poll uses the new one."""
    store = DictStore()
    credentials = oauth2(store)
    rotated(store, credentials.tokens, "access-1")
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["Authorization"])
        if request.headers["Authorization"] == "Bearer access-1":
            rotated(store, credentials.tokens, "access-2")  # the other process, while X answers
            return httpx.Response(401, json={"title": "Unauthorized"})
        return httpx.Response(200, json={"data": {"id": "7"}})

    answer_async(monkeypatch, handler)
    x = XSession(credentials, base_url=API, upload_api=UploadApi(API), retry=NO_WAIT)
    assert await x.aupload(x.upload_api.status("7")) == {"data": {"id": "7"}}
    assert seen == ["Bearer access-1", "Bearer access-2"]


async def test_aupload_401_stands_when_the_credentials_cannot_change(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = answer_async(monkeypatch, httpx.Response(401, json={"title": "Unauthorized"}))
    x = session()
    with pytest.raises(TwitterRejectedError, match="HTTP 401"):
        await x.aupload(x.upload_api.status("7"))
    assert len(seen) == 1
