"""A ``twitter`` connection read into the client's settings: in a worker as it is, in the triggerer with Airflow's
async-safe helpers and a per-process cache, so that thousands of waits on one connection read it once a minute."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from airflow.providers.common.compat.sdk import Connection, redact

import airflow_provider.hooks.connection as connection_module
from airflow_provider.client.credentials import OAuth1Credentials, OAuth2Credentials
from airflow_provider.client.retry import RetryPolicy
from airflow_provider.client.upload_api import UploadApi, V1UploadApi
from airflow_provider.exceptions import TwitterInputError
from airflow_provider.hooks.connection import ASYNC_SETTINGS_TTL, ClientSettings, aread_settings
from airflow_provider.hooks.twitter import TwitterHook
from airflow_provider.hooks.variable_store import VariableStore
from tests.unit.fake_x import answer_async


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    connection_module._ASYNC_SETTINGS.clear()
    yield
    connection_module._ASYNC_SETTINGS.clear()


def connection(**fields: Any) -> Connection:
    extra = fields.pop("extra", {"access_token": "1-token", "access_token_secret": "settings-token-secret"})
    return Connection(
        conn_id="x_news",
        conn_type="twitter",
        **{"login": "key", "password": "settings-key-secret", **fields},
        extra=json.dumps(extra),
    )


class TestRead:
    def test_credentials_hosts_and_extra(self) -> None:
        conn = connection(
            host="http://127.0.0.1:8123",
            extra={"access_token": "1-token", "access_token_secret": "s-secret", "upload_api": "v1.1"},
        )
        settings = ClientSettings.read(conn, conn.extra_dejson)
        assert settings.credentials == OAuth1Credentials("key", "settings-key-secret", "1-token", "s-secret")
        assert (settings.base_url, settings.upload_api) == (
            "http://127.0.0.1:8123",
            V1UploadApi("http://127.0.0.1:8123"),
        )
        assert settings.extra == conn.extra_dejson

    def test_fields_left_empty_in_airflow_3_3s_form_mean_their_defaults(self) -> None:
        """Airflow 3.3's form saves every field it shows, an empty one as null (apache/airflow#57984)."""
        unset = ("auth_type", "client_id", "client_secret", "refresh_token", "timeout", "upload_api")
        extra = {"access_token": "1-token", "access_token_secret": "s-secret"} | dict.fromkeys(unset)
        conn = connection(extra=extra)
        settings = ClientSettings.read(conn, conn.extra_dejson)
        client = settings.client(timeout=None, retry=RetryPolicy(1, 0, 0, 0), log=logging.getLogger(__name__))
        assert settings.credentials == OAuth1Credentials("key", "settings-key-secret", "1-token", "s-secret")
        assert (settings.upload_api, client.session.timeout) == (UploadApi("https://api.x.com"), 60.0)

    def test_secrets_are_masked_as_read_without_surrounding_whitespace(self) -> None:
        """Airflow knows the raw values; what is signed with is the stripped one, so that one is registered."""
        extra = {"access_token": " 1-mask-access-token\n", "access_token_secret": "\tmask-token-secret "}
        conn = connection(password="mask-key-secret\n", extra=extra)
        settings = ClientSettings.read(conn, conn.extra_dejson)
        assert settings.credentials.secrets == ("mask-key-secret", "1-mask-access-token", "mask-token-secret")
        assert [redact(secret) for secret in settings.credentials.secrets] == ["***"] * 3
        assert redact("key") == "key"  # the consumer key is public: every request carries it

    def test_oauth2_keeps_its_tokens_in_airflow_variables(self) -> None:
        conn = connection(extra={"auth_type": "oauth2", "client_id": "cid", "refresh_token": "settings-seed-token"})
        credentials = ClientSettings.read(conn, conn.extra_dejson).credentials
        assert isinstance(credentials, OAuth2Credentials) and isinstance(credentials.store, VariableStore)
        assert redact("settings-seed-token") == "***"

    def test_errors_name_the_connection_or_the_label(self) -> None:
        conn = connection(password=None)
        with pytest.raises(TwitterInputError, match=r"^Connection 'x_news' is missing API Key Secret"):
            ClientSettings.read(conn, conn.extra_dejson)
        with pytest.raises(TwitterInputError, match=r"^The connection is missing API Key Secret"):
            ClientSettings.read(conn, conn.extra_dejson, conn_label="The connection")

    @pytest.mark.parametrize(
        ("conn", "message"),
        [
            (
                connection(host="ftp://x.example"),
                "The connection's host (API base URL) 'ftp://x.example' is not usable",
            ),
            (
                connection(extra={"access_token": "t", "access_token_secret": "s", "upload_api": "v3"}),
                "'upload_api' is 'v3'",
            ),
        ],
    )
    def test_settings_no_request_could_use_are_refused(self, conn: Connection, message: str) -> None:
        with pytest.raises(TwitterInputError, match=re.escape(message)):
            ClientSettings.read(conn, conn.extra_dejson)

    @pytest.mark.parametrize(
        ("code", "extra", "expected"), [(None, {}, 60.0), (None, {"timeout": 30}, 30.0), (7, {"timeout": 30}, 7.0)]
    )
    def test_the_client_takes_the_codes_timeout_before_the_extras(
        self, code: float | None, extra: dict[str, Any], expected: float
    ) -> None:
        settings = ClientSettings(
            OAuth1Credentials("k", "s", "t", "ts"), "https://api.x.com", UploadApi("https://api.x.com"), extra
        )
        retry, log = RetryPolicy(max_attempts=2), logging.getLogger("a.task")
        client = settings.client(timeout=code, retry=retry, log=log)
        assert (client.session.timeout, client.session.retry, client.log) == (expected, retry, log)


class TestAsyncRead:
    async def test_read_once_per_process_per_minute(
        self, twitter_conn: dict[str, Any], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Thousands of triggers on one connection read it once (per minute), not once each."""
        reads: list[str] = []
        real = connection_module.get_async_connection
        now = [1000.0]

        async def counting(conn_id: str) -> Any:
            reads.append(conn_id)
            return await real(conn_id)

        monkeypatch.setattr(connection_module, "get_async_connection", counting)
        monkeypatch.setattr(connection_module.time, "time", lambda: now[0])
        first = await aread_settings("twitter_default")
        for _ in range(5):
            assert await aread_settings("twitter_default") is first
        now[0] += ASYNC_SETTINGS_TTL - 0.1
        assert await aread_settings("twitter_default") is first
        assert reads == ["twitter_default"]
        now[0] += 0.2  # a changed connection is seen a minute later at most
        assert await aread_settings("twitter_default") is not first
        assert reads == ["twitter_default"] * 2

    async def test_each_connection_is_read_for_itself(
        self, twitter_conn: dict[str, Any], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("AIRFLOW_CONN_X_OTHER", json.dumps({**twitter_conn, "host": "http://127.0.0.1:8123"}))
        assert (await aread_settings("twitter_default")).base_url == "https://api.x.com"
        assert (await aread_settings("x_other")).base_url == "http://127.0.0.1:8123"

    async def test_credentials_are_stripped_and_masked(
        self, monkeypatch: pytest.MonkeyPatch, twitter_conn: dict[str, Any]
    ) -> None:
        extra = {"access_token": " 1-trigger-access-token\n", "access_token_secret": "trigger-token-secret "}
        monkeypatch.setenv("AIRFLOW_CONN_TWITTER_DEFAULT", json.dumps({**twitter_conn, "extra": extra}))
        seen = answer_async(monkeypatch, httpx.Response(200, json={"data": {"id": "1"}}))
        await TwitterHook().aget_upload_status("1")
        assert 'oauth_token="1-trigger-access-token"' in seen[0].headers["Authorization"]
        assert redact("1-trigger-access-token") == redact("trigger-token-secret") == "***"

    async def test_a_malformed_credential_is_refused_naming_the_field_before_any_request(
        self, monkeypatch: pytest.MonkeyPatch, twitter_conn: dict[str, Any]
    ) -> None:
        monkeypatch.setenv("AIRFLOW_CONN_TWITTER_DEFAULT", json.dumps({**twitter_conn, "password": "two words"}))
        seen = answer_async(monkeypatch, httpx.Response(200, json={"data": {"id": "1"}}))
        with pytest.raises(TwitterInputError, match=r"API Key Secret \(password\) has whitespace") as err:
            await TwitterHook().aget_upload_status("1")
        assert "two words" not in str(err.value) and seen == []

    async def test_oauth2_with_v1_is_refused_before_any_request(self, monkeypatch: pytest.MonkeyPatch) -> None:
        extra = {"auth_type": "oauth2", "client_id": "cid", "refresh_token": "seed-token", "upload_api": "v1.1"}
        monkeypatch.setenv("AIRFLOW_CONN_TWITTER_DEFAULT", json.dumps({"conn_type": "twitter", "extra": extra}))
        seen = answer_async(monkeypatch, httpx.Response(200, json={"data": {"id": "1"}}))
        with pytest.raises(TwitterInputError, match=r"takes no OAuth 2\.0 user token"):
            await TwitterHook().aget_upload_status("1")
        assert seen == []

    async def test_the_codes_timeout_wins_over_the_connections(
        self, monkeypatch: pytest.MonkeyPatch, twitter_conn: dict[str, Any]
    ) -> None:
        monkeypatch.setenv(
            "AIRFLOW_CONN_TWITTER_DEFAULT",
            json.dumps({**twitter_conn, "extra": {**twitter_conn["extra"], "timeout": 30}}),
        )
        seen = answer_async(monkeypatch, httpx.Response(200, json={"data": {"id": "1"}}))
        await TwitterHook(timeout=7).aget_upload_status("1")
        await TwitterHook().aget_upload_status("1")
        assert [r.extensions["timeout"]["read"] for r in seen] == [7, 30]


def test_the_extra_may_say_the_accounts_subscription() -> None:
    extra = {"access_token": "1-token", "access_token_secret": "settings-token-secret", "subscription_type": "Basic"}
    conn = connection(extra=extra)
    settings = ClientSettings.read(conn, conn.extra_dejson)
    assert settings.subscription_type == "Basic"
    client = settings.client(timeout=None, retry=RetryPolicy(), log=logging.getLogger(__name__), connection="x_news")
    assert (client.account.memory.subscription_type, client.account.memory.source) == (
        "Basic",
        "the connection's extra 'subscription_type'",
    )
    assert client.session.connection == "x_news"
