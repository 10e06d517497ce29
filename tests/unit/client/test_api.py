"""XClient: one account's X API built from credentials and settings alone, its endpoints over one session."""

from __future__ import annotations

import logging

import pytest

from airflow_provider.client.api import XClient
from airflow_provider.client.retry import RetryPolicy
from airflow_provider.client.upload_api import UploadApi, V1UploadApi
from tests.unit.fake_x import CREDENTIALS, FakeX, oauth_params


def test_the_endpoints_share_one_session_with_the_settings() -> None:
    retry = RetryPolicy(max_attempts=2)
    uploads = V1UploadApi("https://upload.twitter.com")
    x = XClient(CREDENTIALS, base_url="https://proxy.example", upload_api=uploads, timeout=7, retry=retry)
    assert x.media.session is x.session and x.posts.session is x.session
    assert x.posts.media is x.media  # a post checks its media through the same endpoints
    assert (x.session.credentials, x.session.base_url, x.session.upload_api) == (
        CREDENTIALS,
        "https://proxy.example",
        uploads,
    )
    assert (x.session.timeout, x.session.retry) == (7, retry)


def test_defaults_are_a_minute_five_attempts_and_the_modules_logger() -> None:
    x = XClient(CREDENTIALS, base_url="https://api.x.com", upload_api=UploadApi("https://api.x.com"))
    assert (x.session.timeout, x.session.retry) == (60.0, RetryPolicy())
    assert x.log is logging.getLogger("airflow_provider.client.api")
    assert x.media.log is x.log and x.posts.log is x.log


def test_a_client_needs_no_airflow_connection(monkeypatch: pytest.MonkeyPatch, fake_x: FakeX) -> None:
    """Nothing is read from Airflow: no connection exists, and the request is signed with the credentials given."""
    monkeypatch.delenv("AIRFLOW_CONN_TWITTER_DEFAULT", raising=False)
    fake_x.on("GET", "/2/users/me", (200, {"data": {"id": "42"}}))
    x = XClient(CREDENTIALS, base_url="http://127.0.0.1:8123", upload_api=UploadApi("http://127.0.0.1:8123"))
    assert x.posts.me() == {"id": "42"}
    assert fake_x.requests[0].url == "http://127.0.0.1:8123/2/users/me"
    assert oauth_params(fake_x.requests[0])["oauth_token"] == CREDENTIALS.access_token


def test_the_log_given_is_the_endpoints_log() -> None:
    log = logging.getLogger("a.task")
    x = XClient(CREDENTIALS, base_url="https://api.x.com", upload_api=UploadApi("https://api.x.com"), log=log)
    assert x.log is x.media.log is x.posts.log is log
