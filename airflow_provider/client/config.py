"""Where X's API is and how long to wait for it, from a connection's host, port and extra: the settings the client
takes besides its credentials, each refused before any request when no request could use it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import SplitResult, urlsplit, urlunsplit

from airflow_provider.exceptions import TwitterInputError

DEFAULT_API_URL = "https://api.x.com"
USER_AGENT = "airflow-provider-twitter"
DEFAULT_TIMEOUT = 60.0


def api_base_url(host: str | None, port: int | None = None) -> str:
    """The connection's host when set (emulator, proxy), else ``https://api.x.com``; the connection's port, if any,
    is kept (a URI-form connection stores it apart from the host). A host no request could reach is refused here,
    before the hook would retry the request five times."""
    host = (host or "").strip()
    if not host:
        return DEFAULT_API_URL
    url = urlsplit(host if "://" in host else f"https://{host}")
    url = url._replace(path=url.path.rstrip("/"))
    if problem := _url_problem(host, url, port):
        shown = "" if url.username or url.password else f" {host!r}"  # never echo a password
        raise TwitterInputError(
            f"The connection's host (API base URL){shown} is not usable: {problem}. Leave it empty for "
            f"{DEFAULT_API_URL}, or set a URL such as http://127.0.0.1:8080 (see docs/connection.md)."
        )
    if port and url.port is None:
        url = url._replace(netloc=f"{url.netloc}:{int(port)}")
    return urlunsplit(url)


def _url_problem(host: str, url: SplitResult, port: int | None) -> str | None:
    if url.scheme not in ("http", "https"):
        return f"the scheme is {url.scheme!r}; X is reached over https:// (http:// for a local emulator)"
    if url.username or url.password:
        return "it carries a user name or password; put credentials in the connection's credential fields"
    if not url.hostname or any(c.isspace() for c in host):
        return "it names no host, or has whitespace in it"
    if url.query or url.fragment:
        return "it has a query (?...) or fragment (#...); the provider appends the endpoint's path to it"
    try:
        url_port = url.port
    except ValueError:
        url_port = -1
    if url_port is not None and not 0 < url_port < 65536:
        return "its port is not a number from 1 to 65535"
    if port is not None and not (isinstance(port, int) and 0 <= port < 65536):
        return f"the connection's port {port!r} is not a number from 1 to 65535"
    return None


def request_timeout(code_timeout: float | None, extra: Mapping[str, Any]) -> float:
    """Seconds to wait for one answer: the task's own value wins over the connection's extra ``timeout`` (as in
    Airflow's ``http`` provider), else 60. A value that is not a positive number is refused, naming the fix."""
    for source, value in (("timeout", code_timeout), ("the connection's extra 'timeout'", extra.get("timeout"))):
        if value is None or value == "":
            continue
        try:
            seconds = 0.0 if isinstance(value, bool) else float(value)
        except (TypeError, ValueError):
            seconds = 0.0
        if not 0 < seconds < float("inf"):
            raise TwitterInputError(
                f"{source} must be a positive number of seconds, got {value!r}. Set it to, for example, 60."
            )
        return seconds
    return DEFAULT_TIMEOUT


# The connection's extra ``upload_api``: which of X's chunked uploads the tasks use (docs/connection.md).
UPLOAD_APIS = ("v2", "v1.1")
# v1.1's own host, named by every v1.1 media reference page ("The domain for this endpoint is upload.twitter.com");
# STATUS sent to the API host instead answered 404 (abraham/twitteroauth PR #634).
DEFAULT_V1_UPLOAD_URL = "https://upload.twitter.com"


def upload_api_name(extra: Mapping[str, Any]) -> str:
    """The extra's ``upload_api`` (``v2`` when unset), refused before any request when X could not serve it: an
    unknown value, or ``v1.1`` with OAuth 2.0, whose user tokens v1.1 never accepted (plhery/node-twitter-api-v2#167,
    #417: 403)."""
    name = extra.get("upload_api") or "v2"
    if name not in UPLOAD_APIS:
        raise TwitterInputError(
            f"The connection's extra 'upload_api' is {name!r}; use 'v2' (the default: X's /2/media/upload endpoints) "
            "or 'v1.1' (upload.twitter.com/1.1/media/upload.json, for accounts still on it; see docs/connection.md)."
        )
    if name == "v1.1" and extra.get("auth_type") == "oauth2":
        raise TwitterInputError(
            "The connection sets upload_api 'v1.1' with auth_type 'oauth2', but X's v1.1 upload takes no OAuth 2.0 "
            "user token (it answers 403). Remove upload_api to upload through v2 with the media.write scope, or use "
            "OAuth 1.0a credentials for v1.1 (see docs/connection.md)."
        )
    return str(name)


def upload_base_url(name: str, host: str | None, port: int | None = None) -> str:
    """Where the upload endpoints are: the connection's host when set (a proxy or the emulator serves every path
    on one host), else the API host for v2 and ``https://upload.twitter.com`` for v1.1."""
    if name == "v1.1" and not (host or "").strip():
        return DEFAULT_V1_UPLOAD_URL
    return api_base_url(host, port)
