"""Credentials read from a connection's fields (either scheme, every secret handed over as read, every problem
named by its field and never by its value), and the signing they imply: OAuth 1.0a checked against X's own worked
example, not only against oauthlib on both sides."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any
from unittest import mock
from urllib.parse import quote, unquote

import pytest
import requests
from oauthlib.oauth1.rfc5849 import utils

from airflow_provider.client.credentials import OAuth1Credentials, OAuth2Credentials, read_credentials
from airflow_provider.client.oauth2.bearer import BearerAuth
from airflow_provider.emulator.config import EmulatorConfig
from airflow_provider.emulator.errors import Unauthorized
from airflow_provider.emulator.oauth import OAuthVerifier
from airflow_provider.exceptions import TwitterInputError
from tests.unit.client.oauth2.stores import DictStore, rotated

# docs.x.com, "Creating a signature" (xdevplatform/docs fundamentals/authentication/oauth-1-0a/creating-a-signature):
# its request, keys, nonce and timestamp, and the signature it arrives at.
URL = "https://api.twitter.com/1.1/statuses/update.json"
QUERY = "include_entities=true"
STATUS = "Hello Ladies + Gentlemen, a signed OAuth request!"
CREDENTIALS = OAuth1Credentials(
    api_key="xvz1evFS4wEEPTGEFPHBog",
    api_key_secret="kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
    access_token="370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
    access_token_secret="LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE",
)
NONCE = "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg"
TIMESTAMP = "1318622958"
SIGNATURE = "hCtSmYh+iHYCEqBWrE7C7hYmtUk="


def signed_header() -> str:
    with (
        mock.patch("oauthlib.oauth1.rfc5849.generate_nonce", return_value=NONCE),
        mock.patch("oauthlib.oauth1.rfc5849.generate_timestamp", return_value=TIMESTAMP),
    ):
        request = requests.Request(
            "POST", f"{URL}?{QUERY}", data={"status": STATUS}, auth=CREDENTIALS.requests_auth()
        ).prepare()
    header = request.headers["Authorization"]
    return header.decode() if isinstance(header, bytes) else header


def test_provider_signs_as_x_documents() -> None:
    oauth = dict(utils.parse_authorization_header(signed_header()))
    assert unquote(oauth["oauth_signature"]) == SIGNATURE
    assert (oauth["oauth_nonce"], oauth["oauth_timestamp"], oauth["oauth_signature_method"]) == (
        NONCE,
        TIMESTAMP,
        "HMAC-SHA1",
    )


def test_emulator_accepts_xs_documented_request() -> None:
    """The emulator's verifier takes the header X's docs build by hand, and refuses it with one byte changed."""
    config = EmulatorConfig(
        api_key=CREDENTIALS.api_key,
        api_key_secret=CREDENTIALS.api_key_secret,
        access_token=CREDENTIALS.access_token,
        access_token_secret=CREDENTIALS.access_token_secret,
    )
    fields = {
        "oauth_consumer_key": CREDENTIALS.api_key,
        "oauth_nonce": NONCE,
        "oauth_signature": SIGNATURE,
        "oauth_signature_method": "HMAC-SHA1",
        "oauth_timestamp": TIMESTAMP,
        "oauth_token": CREDENTIALS.access_token,
        "oauth_version": "1.0",
    }
    header = "OAuth " + ", ".join(f'{k}="{quote(v, safe="")}"' for k, v in fields.items())
    verifier = OAuthVerifier(config, wall_clock=lambda: float(TIMESTAMP))
    verifier.verify("POST", URL, header, QUERY, [("status", STATUS)])

    with pytest.raises(Unauthorized):
        OAuthVerifier(config, wall_clock=lambda: float(TIMESTAMP)).verify(
            "POST", URL, header, QUERY, [("status", STATUS + ".")]
        )


@dataclass
class Conn:
    """The fields of a connection that credentials are read from."""

    conn_id: str | None = "twitter_default"
    login: str | None = "key"
    password: str | None = "key-secret"
    host: str | None = None
    port: int | None = None


OAUTH1_EXTRA = {"access_token": "1-token", "access_token_secret": "token-secret"}


def read(conn: Conn, extra: Any, **kwargs: Any) -> tuple[Any, list[str]]:
    """The credentials and the secrets handed to ``on_secret``, in order."""
    secrets: list[str] = []
    credentials = read_credentials(conn, extra, on_secret=secrets.append, store=DictStore(), **kwargs)
    return credentials, secrets


class TestOAuth1:
    def test_read_without_surrounding_whitespace_and_every_secret_handed_over(self) -> None:
        """A pasted newline would make X answer 401; the stripped value is what is signed, so it is the one masked."""
        extra = {"access_token": " 1-token\n", "access_token_secret": "\ttoken-secret "}
        credentials, secrets = read(Conn(login=" key", password="key-secret\r\n"), extra)
        assert credentials == OAuth1Credentials("key", "key-secret", "1-token", "token-secret")
        assert secrets == ["key-secret", "1-token", "token-secret"] == list(credentials.secrets)
        # the consumer key is public (every request carries it): not a secret
        assert "key" not in secrets

    def test_the_default_scheme(self) -> None:
        assert isinstance(read(Conn(), {**OAUTH1_EXTRA, "auth_type": None})[0], OAuth1Credentials)

    def test_repr_shows_no_secret(self) -> None:
        shown = repr(OAuth1Credentials("key", "key-secret", "1-token", "token-secret"))
        assert "key-secret" not in shown and "token-secret" not in shown

    def test_every_missing_field_is_named_with_where_to_set_it(self) -> None:
        with pytest.raises(TwitterInputError) as err:
            read(Conn(conn_id="x_news", password=None), {"access_token": "  "})
        assert str(err.value) == (
            "Connection 'x_news' is missing API Key Secret (password), Access Token (extra 'access_token'), Access "
            "Token Secret (extra 'access_token_secret'). Set them in Admin > Connections or in AIRFLOW_CONN_X_NEWS "
            "(see docs/connection.md)."
        )

    def test_a_label_replaces_the_connection_id(self) -> None:
        """The UI's test runs under a temporary id the user never chose: the message names the form instead."""
        with pytest.raises(TwitterInputError) as err:
            read(Conn(conn_id="tmpxyz", login=None), OAUTH1_EXTRA, conn_label="The connection")
        assert str(err.value).startswith("The connection is missing API Key (login). Set them in the connection form")
        assert "tmpxyz" not in str(err.value).lower()

    @pytest.mark.parametrize("bad", ["two words", "tab\there", "bell\x07"])
    def test_whitespace_or_a_control_character_inside_is_refused_naming_the_field_not_the_value(self, bad: str) -> None:
        with pytest.raises(
            TwitterInputError, match=r"Access Token Secret \(extra 'access_token_secret'\) has whitespace"
        ) as err:
            read(Conn(), {**OAUTH1_EXTRA, "access_token_secret": bad})
        assert bad not in str(err.value)

    def test_a_value_that_is_no_text_is_refused(self) -> None:
        with pytest.raises(TwitterInputError, match=r"Access Token \(extra 'access_token'\) must be text, not int"):
            read(Conn(), {**OAUTH1_EXTRA, "access_token": 12345})

    @pytest.mark.parametrize("extra", [["a", "list"], "a string"])
    def test_an_extra_that_is_no_json_object_is_refused(self, extra: Any) -> None:
        with pytest.raises(TwitterInputError, match=r"has an extra that is a JSON (list|str), not an object"):
            read(Conn(), extra)

    def test_an_unknown_scheme_is_refused(self) -> None:
        with pytest.raises(TwitterInputError, match="has auth_type 'oauth3' in its extra; use 'oauth1'"):
            read(Conn(), {**OAUTH1_EXTRA, "auth_type": "oauth3"})

    async def test_each_header_is_signed_anew_and_a_401_stands(self) -> None:
        credentials = OAuth1Credentials("key", "key-secret", "1-token", "token-secret")
        url = "https://api.x.com/2/media/upload?command=STATUS&media_id=1"
        first, second = (
            credentials.authorization_header("GET", url),
            await credentials.aauthorization_header("GET", url),
        )
        nonces = [dict(utils.parse_authorization_header(h))["oauth_nonce"] for h in (first, second)]
        assert first.startswith("OAuth ") and nonces[0] != nonces[1]
        assert await credentials.aretry_header(first) is None


OAUTH2_EXTRA = {"auth_type": "oauth2", "client_id": "client-id", "refresh_token": "seed-token"}


class TestOAuth2:
    def test_read_with_the_api_host_and_the_secrets_handed_over(self) -> None:
        extra = {**OAUTH2_EXTRA, "client_secret": " app-secret\n"}
        credentials, secrets = read(Conn(host="http://127.0.0.1", port=8123), extra)
        assert isinstance(credentials, OAuth2Credentials)
        assert (credentials.base_url, credentials.client_id, credentials.client_secret) == (
            "http://127.0.0.1:8123",
            "client-id",
            "app-secret",
        )
        assert secrets == ["app-secret", "seed-token"]
        assert "app-secret" not in repr(credentials) and "seed-token" not in repr(credentials)

    def test_a_public_client_has_no_secret(self) -> None:
        credentials, secrets = read(Conn(login=None, password=None), OAUTH2_EXTRA)
        assert credentials.client_secret == "" and secrets == ["seed-token"]

    def test_the_client_and_the_seed_are_required(self) -> None:
        with pytest.raises(TwitterInputError, match=r"is missing Client ID \(extra 'client_id'\), Refresh Token"):
            read(Conn(), {"auth_type": "oauth2"})

    def test_one_token_manager_per_connection_and_seed_in_the_process(self) -> None:
        conn_id = f"conn_{uuid.uuid4().hex[:8]}"
        first, _ = read(Conn(conn_id=conn_id), OAUTH2_EXTRA)
        again, _ = read(Conn(conn_id=conn_id), OAUTH2_EXTRA)
        reseeded, _ = read(Conn(conn_id=conn_id), {**OAUTH2_EXTRA, "refresh_token": "new-seed"})
        assert first.tokens is again.tokens  # hooks, threads and triggers of the process share it
        assert reseeded.tokens is not first.tokens

    async def test_the_headers_carry_the_stored_token_and_a_rotated_one_after_a_401(self) -> None:
        store = DictStore()
        credentials = read_credentials(
            Conn(conn_id=f"conn_{uuid.uuid4().hex[:8]}", host="http://127.0.0.1:9"),
            OAUTH2_EXTRA,
            on_secret=lambda _: None,
            store=store,
        )
        assert isinstance(credentials, OAuth2Credentials)
        rotated(store, credentials.tokens, "access-1")
        assert credentials.authorization_header("GET", "unused") == "Bearer access-1"
        assert await credentials.aauthorization_header("GET", "unused") == "Bearer access-1"
        rotated(store, credentials.tokens, "access-2")  # another process refreshed
        assert await credentials.aretry_header("Bearer access-1") == "Bearer access-2"
        assert isinstance(credentials.requests_auth(), BearerAuth)
