"""BearerAuth: the current token on every request, and one more try after a 401 when another process rotated the
token meanwhile (X may revoke the earlier access token at a refresh)."""

from __future__ import annotations

from typing import Any, cast

import pytest
import requests
from requests.adapters import HTTPAdapter

from airflow_provider.client.multipart import SegmentBody
from airflow_provider.client.oauth2.bearer import BearerAuth
from airflow_provider.client.oauth2.rotation import TokenManager
from tests.unit.fake_x import FakeX, header

ME = "https://api.x.com/2/users/me"


class Tokens:
    """A token manager's two answers: the current token, and the one rotated in after a 401 (None: none)."""

    def __init__(self, current: str, rotated: str | None) -> None:
        self.current, self.rotated = current, rotated
        self.unauthorized: list[str] = []

    def access_token(self) -> str:
        return self.current

    def after_unauthorized(self, used: str) -> str | None:
        self.unauthorized.append(used)
        return self.rotated


class Sent(FakeX):
    """A fake X behind ``requests``' adapter as urllib3 leaves things: a streamed body is read to its end and stays
    the request's body, and each answer knows its adapter (the resend goes through it). ``bodies``: as X read them."""

    def __init__(self) -> None:
        super().__init__()
        self.bodies: list[bytes] = []

    def through(self, adapter: HTTPAdapter, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        stream = request.body if hasattr(request.body, "read") else None
        response = self.send(request, **kwargs)  # reads a streamed body into request.body
        self.bodies.append(request.body if isinstance(request.body, bytes) else b"")
        if stream is not None:
            request.body = stream
        response.connection = adapter
        return response


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Sent:
    x = Sent()
    monkeypatch.setattr(HTTPAdapter, "send", lambda adapter, request, **kw: x.through(adapter, request, **kw))
    return x


def session(tokens: Tokens) -> requests.Session:
    http = requests.Session()
    http.auth = BearerAuth(cast(TokenManager, tokens))
    return http


def test_every_request_carries_the_current_token(fake: Sent) -> None:
    fake.on("GET", "/2/users/me", (200, {"data": {"id": "42"}}))
    tokens = Tokens("access-1", None)
    assert session(tokens).get(ME).json() == {"data": {"id": "42"}}
    assert header(fake.requests[0], "Authorization") == "Bearer access-1"
    assert tokens.unauthorized == []


def test_a_401_is_sent_once_more_with_the_rotated_token_and_its_body_from_the_start(fake: Sent) -> None:
    fake.on("POST", "/2/media/upload/7/append", (401, {"title": "Unauthorized"}), (200, {}))
    tokens = Tokens("access-1", "access-2")
    body = SegmentBody(0, b"segment " * 1000)
    whole = body.read()
    body.seek(0)
    response = session(tokens).post(
        "https://api.x.com/2/media/upload/7/append", data=body, headers={"Content-Type": body.content_type}
    )
    assert response.status_code == 200 and [r.status_code for r in response.history] == [401]
    assert [header(r, "Authorization") for r in fake.requests] == ["Bearer access-1", "Bearer access-2"]
    assert fake.bodies == [whole, whole]
    assert tokens.unauthorized == ["access-1"]


def test_a_401_stands_when_no_newer_token_exists(fake: Sent) -> None:
    fake.on("GET", "/2/users/me", (401, {"title": "Unauthorized"}))
    tokens = Tokens("access-1", None)
    assert session(tokens).get(ME).status_code == 401
    assert len(fake.requests) == 1 and tokens.unauthorized == ["access-1"]


def test_the_resent_request_is_not_resent_again(fake: Sent) -> None:
    """The resend goes through the adapter, which runs no response hooks: a second 401 is the answer."""
    fake.on("GET", "/2/users/me", (401, {"title": "Unauthorized"}))
    tokens = Tokens("access-1", "access-2")
    assert session(tokens).get(ME).status_code == 401
    assert len(fake.requests) == 2 and tokens.unauthorized == ["access-1"]
