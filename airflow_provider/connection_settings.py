"""Settings read from a ``twitter`` connection that the hook and the trigger share: where the X API is, and how
long to wait for it. Kept apart from the hook so that the trigger imports it without requests or tenacity."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from airflow_provider.exceptions import TwitterInputError

DEFAULT_API_URL = "https://api.x.com"
USER_AGENT = "airflow-provider-twitter"
DEFAULT_TIMEOUT = 60.0


def api_base_url(host: str | None, port: int | None = None) -> str:
    """The connection's host when set (emulator, proxy), else ``https://api.x.com``; the connection's port, if any,
    is kept (a URI-form connection stores it apart from the host)."""
    host = (host or "").strip().rstrip("/")
    if not host:
        return DEFAULT_API_URL
    url = urlsplit(host if "://" in host else f"https://{host}")
    if port and url.port is None:
        url = url._replace(netloc=f"{url.netloc}:{int(port)}")
    return urlunsplit(url)


def request_timeout(code_timeout: float | None, extra: Mapping[str, Any]) -> float:
    """Seconds to wait for one answer: the task's own value wins over the connection's extra ``timeout`` (as in
    Airflow's ``http`` provider), else 60. A value that is not a positive number is refused, naming the fix."""
    for source, value in (("timeout", code_timeout), ("the connection's extra 'timeout'", extra.get("timeout"))):
        if value is None or value == "":
            continue
        try:
            seconds = float(value)
        except (TypeError, ValueError):
            seconds = 0.0
        if not 0 < seconds < float("inf"):
            raise TwitterInputError(
                f"{source} must be a positive number of seconds, got {value!r}. Set it to, for example, 60."
            )
        return seconds
    return DEFAULT_TIMEOUT
