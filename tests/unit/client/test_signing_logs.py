"""No credential in any log at any level: the signing libraries' loggers are held at INFO, whatever the task's
logging level or a level set on one of their children."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import oauthlib.oauth1
import pytest

from airflow_provider.client.signing_logs import SIGNING_LOGGERS, quiet_signing_loggers
from tests.unit.fake_x import CREDENTIALS, FakeX, oauth_params, x_client

ME = (200, {"data": {"id": "42", "username": "newsroom"}})
CHILDREN = ("oauthlib.oauth1.rfc5849", "requests_oauthlib.oauth1_auth")


@pytest.fixture
def debug_everywhere(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """DEBUG at the root, and set on the signing libraries' loggers themselves, as ``namespace_levels`` would."""
    with caplog.at_level(logging.DEBUG):
        for name in (*SIGNING_LOGGERS, *CHILDREN):
            logging.getLogger(name).setLevel(logging.DEBUG)
        yield caplog
        for name in (*SIGNING_LOGGERS, *CHILDREN):
            logging.getLogger(name).setLevel(logging.NOTSET)


def test_oauthlib_would_log_the_token_at_debug(debug_everywhere: pytest.LogCaptureFixture) -> None:
    """What the guard is for, and proof that this capture sees the libraries' DEBUG records."""
    client = oauthlib.oauth1.Client(
        "key", client_secret="s", resource_owner_key="1-leaky-token", resource_owner_secret="t"
    )
    client.sign("https://api.x.com/2/users/me")
    assert "1-leaky-token" in debug_everywhere.text


def test_the_workers_signing_logs_no_credential_at_debug(
    fake_x: FakeX, debug_everywhere: pytest.LogCaptureFixture
) -> None:
    fake_x.on("GET", "/2/users/me", ME)
    x_client().posts.me()
    signature = oauth_params(fake_x.requests[0])["oauth_signature"]
    for leak in (CREDENTIALS.access_token, signature, "OAuth ", "base string"):
        assert leak not in debug_everywhere.text


def test_the_triggers_signing_logs_no_credential_at_debug(debug_everywhere: pytest.LogCaptureFixture) -> None:
    header = CREDENTIALS.authorization_header("GET", "https://api.x.com/2/media/upload?command=STATUS&media_id=1")
    signature = header.split('oauth_signature="', 1)[1].split('"', 1)[0]
    for leak in (CREDENTIALS.access_token, signature, "base string"):
        assert leak not in debug_everywhere.text


def test_levels_below_info_are_raised_and_others_left_alone() -> None:
    loggers = {name: logging.getLogger(name) for name in (*SIGNING_LOGGERS, *CHILDREN, "oauthlib.quiet", "urllib3")}
    levels = {
        "oauthlib": logging.DEBUG,
        "requests_oauthlib": logging.NOTSET,
        "oauthlib.oauth1.rfc5849": logging.DEBUG,  # a child's own DEBUG would bypass its parent's INFO
        "requests_oauthlib.oauth1_auth": logging.NOTSET,  # inherits the parent's INFO
        "oauthlib.quiet": logging.ERROR,
        "urllib3": logging.DEBUG,  # logs no request header: not the guard's
    }
    try:
        for name, level in levels.items():
            loggers[name].setLevel(level)
        quiet_signing_loggers()
        assert {name: logger.level for name, logger in loggers.items()} == {
            "oauthlib": logging.INFO,
            "requests_oauthlib": logging.INFO,
            "oauthlib.oauth1.rfc5849": logging.INFO,
            "requests_oauthlib.oauth1_auth": logging.NOTSET,
            "oauthlib.quiet": logging.ERROR,
            "urllib3": logging.DEBUG,
        }
    finally:
        for logger in loggers.values():
            logger.setLevel(logging.NOTSET)
