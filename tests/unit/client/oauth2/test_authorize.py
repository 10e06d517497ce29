"""The one-time authorization helper against the emulator, whose authorize page approves at once."""

from __future__ import annotations

import json
import socket
import threading

import pytest
import requests

from airflow_provider.client.oauth2 import authorize as helper
from airflow_provider.client.oauth2.rotation import TokenManager
from airflow_provider.client.oauth2.token_endpoint import Client
from airflow_provider.emulator import EmulatorConfig, EmulatorServer
from tests.unit.client.oauth2.stores import DictStore, print_nothing


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def browse(url: str) -> bool:
    """The user's browser: opens the authorize URL and follows X's redirect to the helper's callback."""
    threading.Thread(target=requests.get, args=(url,), kwargs={"timeout": 10}, daemon=True).start()
    return True


@pytest.mark.parametrize("client_secret", ["", "emulator-client-secret"], ids=["public", "confidential"])
def test_authorize_prints_a_refresh_token_that_works(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], client_secret: str
) -> None:
    monkeypatch.setattr(helper.webbrowser, "open", browse)
    config = EmulatorConfig(oauth2_client_secret=client_secret)
    with EmulatorServer(config) as emulator:
        argv = ["authorize", "--client-id", config.oauth2_client_id, "--api-base", emulator.url]
        argv += ["--redirect-uri", f"http://127.0.0.1:{free_port()}/callback", "--timeout", "20"]
        argv += ["--client-secret", client_secret] if client_secret else []
        assert helper.main(argv) == 0
        extra = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
        assert extra["auth_type"] == "oauth2" and extra["client_secret"] == client_secret
        tokens = TokenManager(
            "twitter_default",
            emulator.url,
            Client(extra["client_id"], client_secret),
            extra["refresh_token"],
            DictStore(),
            on_secret=print_nothing,
        )
        answer = requests.get(
            f"{emulator.url}/2/users/me", headers={"Authorization": f"Bearer {tokens.access_token()}"}, timeout=10
        )
        assert answer.status_code == 200
        # The request used PKCE (S256) and asked for every scope the provider needs.
        (authorize,) = [r for r in emulator.state.requests() if r["path"] == "/i/oauth2/authorize"]
        assert authorize["query"]["code_challenge_method"] == "S256"
        assert set(authorize["query"]["scope"].split()) == {
            "tweet.read",
            "tweet.write",
            "users.read",
            "media.write",
            "offline.access",
        }


def test_a_redirect_with_another_state_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    port = free_port()

    def forged(url: str) -> bool:
        callback = f"http://127.0.0.1:{port}/callback?state=forged&code=stolen"
        threading.Thread(target=requests.get, args=(callback,), kwargs={"timeout": 10}, daemon=True).start()
        return True

    monkeypatch.setattr(helper.webbrowser, "open", forged)
    argv = ["authorize", "--client-id", "id", "--api-base", "http://127.0.0.1:9", "--redirect-uri"]
    assert helper.main([*argv, f"http://127.0.0.1:{port}/callback", "--timeout", "10"]) == 1
