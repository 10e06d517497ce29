"""OAuth 1.0a signing checked against X's own worked example, not only against oauthlib on both sides."""

from __future__ import annotations

from unittest import mock
from urllib.parse import quote, unquote

import pytest
import requests
from oauthlib.oauth1.rfc5849 import utils

from airflow_provider.client.credentials import OAuth1Credentials
from airflow_provider.emulator.config import EmulatorConfig
from airflow_provider.emulator.errors import Unauthorized
from airflow_provider.emulator.oauth import OAuthVerifier

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
