"""No credential in any log at any level: the signing libraries are held at INFO, the secrets are masked once read."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import oauthlib.oauth1
import pytest
from airflow.providers.common.compat.sdk import Connection, redact

from airflow_provider.client.credentials import OAuth1Credentials
from airflow_provider.client.signing_logs import SIGNING_LOGGERS
from airflow_provider.hooks.masking import register_secret
from airflow_provider.hooks.twitter import TwitterHook
from tests.unit.fake_x import FakeX, oauth_params

ME = (200, {"data": {"id": "42", "username": "newsroom"}})
CREDENTIALS = OAuth1Credentials("key", "hygiene-key-secret", "1-hygiene-access-token", "hygiene-token-secret")


@pytest.fixture
def debug_everywhere(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """DEBUG at the root, and set on the signing libraries' loggers themselves, as ``namespace_levels`` would."""
    children = ("oauthlib.oauth1.rfc5849", "requests_oauthlib.oauth1_auth")
    with caplog.at_level(logging.DEBUG):
        for name in (*SIGNING_LOGGERS, *children):
            logging.getLogger(name).setLevel(logging.DEBUG)
        yield caplog
        for name in (*SIGNING_LOGGERS, *children):
            logging.getLogger(name).setLevel(logging.NOTSET)


def test_oauthlib_would_log_the_token_at_debug(debug_everywhere: pytest.LogCaptureFixture) -> None:
    """What the guard is for, and proof that this capture sees the libraries' DEBUG records."""
    client = oauthlib.oauth1.Client(
        "key", client_secret="s", resource_owner_key="1-leaky-token", resource_owner_secret="t"
    )
    client.sign("https://api.x.com/2/users/me")
    assert "1-leaky-token" in debug_everywhere.text


def test_hook_signing_logs_no_credential_at_debug(
    twitter_conn: dict[str, object], fake_x: FakeX, debug_everywhere: pytest.LogCaptureFixture
) -> None:
    fake_x.on("GET", "/2/users/me", ME)
    TwitterHook().get_me()
    signature = oauth_params(fake_x.requests[0])["oauth_signature"]
    for leak in ("unit-access-token", signature, "OAuth ", "base string"):
        assert leak not in debug_everywhere.text


def test_trigger_signing_logs_no_credential_at_debug(debug_everywhere: pytest.LogCaptureFixture) -> None:
    header = CREDENTIALS.authorization_header("GET", "https://api.x.com/2/media/upload?command=STATUS&media_id=1")
    signature = header.split('oauth_signature="', 1)[1].split('"', 1)[0]
    for leak in (CREDENTIALS.access_token, signature, "base string"):
        assert leak not in debug_everywhere.text


def test_secrets_registered_with_the_masker_as_read_without_surrounding_whitespace() -> None:
    """Airflow knows the raw values; what is signed with is the stripped one, so that one is registered (through the
    masker the hook hands the client)."""
    extra = {"access_token": " 1-mask-access-token\n", "access_token_secret": "\tmask-token-secret "}
    conn = Connection(
        conn_id="x", conn_type="twitter", login="key", password="mask-key-secret\n", extra=json.dumps(extra)
    )
    credentials = OAuth1Credentials.from_connection(conn, conn.extra_dejson, on_secret=register_secret)
    assert credentials.secrets == ("mask-key-secret", "1-mask-access-token", "mask-token-secret")
    assert [redact(secret) for secret in credentials.secrets] == ["***"] * 3
    assert redact(credentials.api_key) == "key"  # the consumer key is public: every request carries it


def test_stripped_credentials_are_signed(
    twitter_conn: dict[str, object], monkeypatch: pytest.MonkeyPatch, fake_x: FakeX
) -> None:
    """A pasted newline around a token would make X answer 401; it is dropped instead."""
    extra = {"access_token": "  unit-access-token\n", "access_token_secret": "unit-access-token-secret-Pw55\r\n"}
    monkeypatch.setenv("AIRFLOW_CONN_TWITTER_DEFAULT", json.dumps({**twitter_conn, "extra": extra}))
    fake_x.on("GET", "/2/users/me", ME)
    TwitterHook().get_me()
    assert oauth_params(fake_x.requests[0])["oauth_token"] == "unit-access-token"
