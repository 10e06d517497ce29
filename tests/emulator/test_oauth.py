"""OAuth 1.0a verification: over HTTP with requests-oauthlib, and the verifier's nonce memory directly."""

from __future__ import annotations

import time

import pytest
import requests
from oauthlib.oauth1 import Client

from airflow_provider.emulator import EmulatorConfig, EmulatorServer
from airflow_provider.emulator.errors import Unauthorized
from airflow_provider.emulator.oauth import OAuthVerifier
from tests.emulator.helpers import MakeEmulator, XClient, oauth1

UNAUTHORIZED = {"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"}


def test_valid_signature_is_accepted(x: XClient) -> None:
    response = x.get("/2/users/me")
    assert response.status_code == 200
    assert response.json() == {"data": {"id": "1000000000000000001", "name": "X API Emulator", "username": "emulator"}}


def test_signed_query_and_form_parameters_are_verified(x: XClient) -> None:
    assert x.get("/2/users/1000000000000000001/tweets", params={"max_results": "5"}).status_code == 200
    init = {"command": "INIT", "media_type": "image/png", "total_bytes": "100"}
    assert x.post("/1.1/media/upload.json", data=init).status_code == 202


@pytest.mark.parametrize(
    "overrides",
    [
        {"client_secret": "wrong-secret"},
        {"resource_owner_secret": "wrong-token-secret"},
        {"client_key": "someone-else"},
        {"resource_owner_key": "another-user-token"},
        {"timestamp": str(int(time.time()) - 301)},
        {"signature_method": "PLAINTEXT"},
    ],
    ids=["api-secret", "token-secret", "api-key", "token", "stale-timestamp", "plaintext"],
)
def test_bad_credentials_or_signature_get_401(emulator: EmulatorServer, overrides: dict[str, str]) -> None:
    response = requests.get(f"{emulator.url}/2/users/me", auth=oauth1(overrides=overrides), timeout=10)
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == UNAUTHORIZED


def test_missing_header_gets_401(emulator: EmulatorServer) -> None:
    response = requests.post(f"{emulator.url}/2/tweets", json={"text": "hi"}, timeout=10)
    assert response.status_code == 401
    assert emulator.state.posts() == []


def test_tampered_form_body_gets_401(emulator: EmulatorServer) -> None:
    request = requests.Request(
        "POST", f"{emulator.url}/1.1/media/upload.json", data={"command": "INIT", "total_bytes": "1"}, auth=oauth1()
    ).prepare()
    request.body = "command=INIT&total_bytes=2"
    request.headers["Content-Length"] = str(len(request.body))
    assert requests.Session().send(request, timeout=10).status_code == 401


def test_reused_nonce_gets_401(emulator: EmulatorServer) -> None:
    auth = oauth1(overrides={"nonce": "0123456789abcdef"})
    assert requests.get(f"{emulator.url}/2/users/me", auth=auth, timeout=10).status_code == 200
    replay = requests.get(f"{emulator.url}/2/users/me", auth=auth, timeout=10)
    assert replay.status_code == 401
    assert "oauth_nonce" in replay.json()["detail"]


def _signed_header(config: EmulatorConfig, uri: str, nonce: str, timestamp: int) -> str:
    client = Client(
        config.api_key,
        client_secret=config.api_key_secret,
        resource_owner_key=config.access_token,
        resource_owner_secret=config.access_token_secret,
        nonce=nonce,
        timestamp=str(timestamp),
    )
    _, headers, _ = client.sign(uri, "GET")
    return str(headers["Authorization"])


def test_nonce_memory_is_bounded_by_the_timestamp_window() -> None:
    config = EmulatorConfig()
    now = [1_800_000_000.0]
    verifier = OAuthVerifier(config, wall_clock=lambda: now[0])
    uri = "http://127.0.0.1:8080/2/users/me"

    def verify(nonce: str) -> None:
        verifier.verify("GET", uri, _signed_header(config, uri, nonce, int(now[0])), "", [])

    verify("first")
    with pytest.raises(Unauthorized):
        verify("first")
    now[0] += config.oauth_window_secs + 1
    verify("second")  # purges "first", whose timestamp left the window
    verify("first")  # a fresh timestamp: no longer remembered, accepted
    assert len(verifier._nonces) == 2


def test_custom_credentials_are_enforced(make_emulator: MakeEmulator) -> None:
    server, _, client = make_emulator(api_key="k", api_key_secret="ks", access_token="t", access_token_secret="ts")
    assert client.get("/2/users/me").status_code == 200
    assert XClient(server.url).get("/2/users/me").status_code == 401
