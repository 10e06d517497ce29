"""The emulator's OAuth 2.0: code with PKCE, rotation with single-use refresh tokens, Bearer checks and scopes."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import requests

from tests.emulator.helpers import MakeEmulator

ALL = "media.write offline.access tweet.read tweet.write users.read"
REDIRECT = "http://127.0.0.1:8976/callback"


def token(url: str, secret: str = "emulator-client-secret", **form: str) -> requests.Response:
    auth = ("emulator-client-id", secret) if secret else None
    body = form if secret else {**form, "client_id": "emulator-client-id"}
    return requests.post(f"{url}/2/oauth2/token", data=body, auth=auth, timeout=10)


def refresh(url: str, refresh_token: str) -> requests.Response:
    return token(url, grant_type="refresh_token", refresh_token=refresh_token)


def grant(url: str, scopes: list[str] | None = None) -> dict[str, Any]:
    body = {} if scopes is None else {"scopes": scopes}
    return dict(requests.post(f"{url}/_emulator/oauth2/grants", json=body, timeout=10).json())


def bearer(url: str, path: str, access_token: str, method: str = "GET", **kwargs: Any) -> requests.Response:
    headers = {"Authorization": f"Bearer {access_token}"}
    return requests.request(method, url + path, headers=headers, timeout=10, **kwargs)


def code_for(url: str, verifier: str) -> str:
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    params = {
        "response_type": "code",
        "client_id": "emulator-client-id",
        "redirect_uri": REDIRECT,
        "scope": ALL,
        "state": "s",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    answer = requests.get(f"{url}/i/oauth2/authorize", params=params, allow_redirects=False, timeout=10)
    assert answer.status_code == 302 and answer.headers["location"].startswith(f"{REDIRECT}?state=s&code=")
    return answer.headers["location"].rsplit("code=", 1)[1]


def test_code_with_pkce_is_single_use_and_checked(make_emulator: MakeEmulator) -> None:
    server, clock, _ = make_emulator()
    exchange = {"grant_type": "authorization_code", "redirect_uri": REDIRECT}
    code = code_for(server.url, "v" * 43)
    assert token(server.url, code=code, code_verifier="w" * 43, **exchange).status_code == 400  # and now spent
    assert token(server.url, code=code, code_verifier="v" * 43, **exchange).status_code == 400
    code = code_for(server.url, "v" * 43)
    answer = token(server.url, code=code, code_verifier="v" * 43, **exchange).json()
    assert answer["token_type"] == "bearer" and answer["expires_in"] == 7200 and answer["scope"] == ALL
    late = code_for(server.url, "v" * 43)
    clock.advance(31)  # DOCS: the code must be exchanged within 30 s
    assert token(server.url, code=late, code_verifier="v" * 43, **exchange).status_code == 400


def test_refresh_tokens_rotate_and_a_spent_one_is_recorded(make_emulator: MakeEmulator) -> None:
    server, _, _ = make_emulator()
    first = grant(server.url)
    second = refresh(server.url, first["refresh_token"]).json()
    assert second["refresh_token"] != first["refresh_token"]
    assert bearer(server.url, "/2/users/me", first["access_token"]).status_code == 401  # revoked at the refresh
    again = refresh(server.url, first["refresh_token"])
    assert again.status_code == 400
    assert again.json() == {"error": "invalid_request", "error_description": "Value passed for the token was invalid."}
    state = requests.get(f"{server.url}/_emulator/oauth2", timeout=10).json()
    assert len(state["spent_presented"]) == 1 and state["revoked_grants"] == 0
    assert bearer(server.url, "/2/users/me", second["access_token"]).status_code == 200


def test_reuse_can_revoke_the_whole_grant(make_emulator: MakeEmulator) -> None:
    server, _, _ = make_emulator(oauth2_reuse_revokes_grant=True)
    first = grant(server.url)
    second = refresh(server.url, first["refresh_token"]).json()
    assert refresh(server.url, first["refresh_token"]).status_code == 400
    assert bearer(server.url, "/2/users/me", second["access_token"]).status_code == 401
    assert refresh(server.url, second["refresh_token"]).status_code == 400


def test_clients_authenticate_as_their_kind(make_emulator: MakeEmulator) -> None:
    confidential, _, _ = make_emulator()
    seed = grant(confidential.url)["refresh_token"]
    missing = token(confidential.url, secret="", grant_type="refresh_token", refresh_token=seed)
    assert missing.status_code == 401 and missing.json()["error"] == "unauthorized_client"
    public, _, _ = make_emulator(oauth2_client_secret="")
    seed = grant(public.url)["refresh_token"]
    assert token(public.url, secret="", grant_type="refresh_token", refresh_token=seed).status_code == 200


def test_bearer_tokens_expire_and_need_each_endpoints_scopes(make_emulator: MakeEmulator) -> None:
    server, clock, _ = make_emulator(oauth2_access_token_secs=5)
    no_media = grant(server.url, ["tweet.read", "tweet.write", "users.read", "offline.access"])["access_token"]
    body = {"total_bytes": 10, "media_type": "image/png", "media_category": "tweet_image"}
    assert bearer(server.url, "/2/media/upload/initialize", no_media, "POST", json=body).status_code == 403
    assert bearer(server.url, "/2/users/me", no_media).status_code == 200
    full = grant(server.url)["access_token"]
    assert bearer(server.url, "/2/media/upload/initialize", full, "POST", json=body).status_code == 200
    assert bearer(server.url, "/1.1/media/upload.json", full, params={"command": "STATUS"}).status_code == 403
    clock.advance(5)
    assert bearer(server.url, "/2/users/me", full).status_code == 401
    reasons = [r["reason"] for r in server.state.requests() if r["status"] in (401, 403)]
    assert reasons == [
        "the token lacks scope media.write",
        "v1.1 with an OAuth 2.0 user token",
        "Unauthorized: expired bearer token",
    ]
