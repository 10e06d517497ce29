"""Where X's API is and how long to wait for it, from a connection's host, port and extra: each setting refused,
before any request, when no request could use it."""

from __future__ import annotations

import re
from typing import Any

import pytest

from airflow_provider.client.config import api_base_url, request_timeout, upload_api_name, upload_base_url
from airflow_provider.exceptions import TwitterInputError


@pytest.mark.parametrize(
    ("host", "port", "expected"),
    [
        (None, None, "https://api.x.com"),
        ("  ", None, "https://api.x.com"),
        ("http://127.0.0.1:8080/", None, "http://127.0.0.1:8080"),
        ("proxy.corp.example", None, "https://proxy.corp.example"),
        ("https://proxy.corp.example/x/", None, "https://proxy.corp.example/x"),
        ("http://127.0.0.1", 8123, "http://127.0.0.1:8123"),  # a URI-form connection keeps the port apart
        ("http://127.0.0.1:8080", 8123, "http://127.0.0.1:8080"),  # the host's own port wins
    ],
)
def test_api_base_url(host: str | None, port: int | None, expected: str) -> None:
    assert api_base_url(host, port) == expected


@pytest.mark.parametrize(
    ("host", "port", "problem"),
    [
        ("ftp://files.example", None, "the scheme is 'ftp'"),
        ("https://api.x.com?debug=1", None, "it has a query"),
        ("https://api.x.com#top", None, "it has a query (?...) or fragment"),
        ("https://", None, "it names no host"),
        ("api .x.com", None, "it names no host, or has whitespace in it"),
        ("https://api.x.com:99999", None, "its port is not a number from 1 to 65535"),
        ("https://api.x.com", 70000, "the connection's port 70000 is not a number from 1 to 65535"),
    ],
)
def test_a_host_no_request_could_reach_is_refused_naming_the_problem(host: str, port: int | None, problem: str) -> None:
    with pytest.raises(TwitterInputError, match=re.escape(problem)) as err:
        api_base_url(host, port)
    assert f"host (API base URL) {host.strip()!r} is not usable" in str(err.value)
    assert "Leave it empty for https://api.x.com" in str(err.value)


def test_a_host_with_a_password_is_refused_without_echoing_it() -> None:
    with pytest.raises(TwitterInputError, match="carries a user name or password") as err:
        api_base_url("https://user:hunter22@proxy.example")
    assert "hunter22" not in str(err.value)


@pytest.mark.parametrize(
    ("code", "extra", "expected"),
    [(None, {}, 60.0), (None, {"timeout": "12"}, 12.0), (5.0, {"timeout": "12"}, 5.0), (None, {"timeout": ""}, 60.0)],
)
def test_request_timeout_from_code_wins_over_the_connection(
    code: float | None, extra: dict[str, Any], expected: float
) -> None:
    assert request_timeout(code, extra) == expected


@pytest.mark.parametrize(
    ("code", "extra", "named"),
    [
        (None, {"timeout": "abc"}, "the connection's extra 'timeout'"),
        (None, {"timeout": 0}, "the connection's extra 'timeout'"),
        (None, {"timeout": "inf"}, "the connection's extra 'timeout'"),
        (None, {"timeout": True}, "the connection's extra 'timeout'"),
        (-1, {}, "timeout"),
    ],
)
def test_a_timeout_that_is_no_positive_number_is_refused(code: float | None, extra: dict[str, Any], named: str) -> None:
    with pytest.raises(TwitterInputError, match=f"^{re.escape(named)} must be a positive number of seconds"):
        request_timeout(code, extra)


@pytest.mark.parametrize(
    ("name", "host", "expected"),
    [
        ("v2", None, "https://api.x.com"),
        ("v1.1", None, "https://upload.twitter.com"),
        ("v1.1", "  ", "https://upload.twitter.com"),
        ("v1.1", "http://127.0.0.1:8080", "http://127.0.0.1:8080"),
        ("v2", "proxy.example", "https://proxy.example"),
    ],
)
def test_upload_host(name: str, host: str | None, expected: str) -> None:
    assert upload_base_url(name, host) == expected


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        ({"upload_api": "v1"}, "The connection's extra 'upload_api' is 'v1'; use 'v2'"),
        ({"upload_api": 1.1}, "The connection's extra 'upload_api' is 1.1; use 'v2'"),
        ({"upload_api": "v1.1", "auth_type": "oauth2"}, "X's v1.1 upload takes no OAuth 2.0 user token"),
    ],
)
def test_upload_api_setting_refused(extra: dict[str, Any], fragment: str) -> None:
    with pytest.raises(TwitterInputError, match=re.escape(fragment)):
        upload_api_name(extra)


def test_upload_api_default_is_v2() -> None:
    assert upload_api_name({}) == upload_api_name({"upload_api": None}) == "v2"
    assert upload_api_name({"upload_api": "v1.1", "auth_type": "oauth1"}) == "v1.1"
