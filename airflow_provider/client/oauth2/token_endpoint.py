"""``POST /2/oauth2/token``, with every outcome sorted by what it means for the refresh token that was sent.

A refresh token is single-use: once X has read it, it is spent, whatever happens to the answer. So a failure is
sorted by whether X can have read the request: not sent (could not connect: the token is intact), refused (X
answered 4xx: the token is dead or the client wrong), or lost (sent, no usable answer: spent or not, nobody can
know, and the new token exists only in that lost answer).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

import httpx

from airflow_provider.client.config import USER_AGENT
from airflow_provider.client.oauth2 import TOKEN_PATH

# Small form and JSON answer: a generous bound, short enough to stay well inside the refresh lease.
TIMEOUT = httpx.Timeout(10.0, connect=5.0)


class TokenNotSent(Exception):
    """X cannot have read the request (no connection, 429, or a 4xx that is no token endpoint's): the refresh token
    is intact."""


class TokenAnswerLost(Exception):
    """The request may have reached X but no usable answer came back: the refresh token may be spent."""


class TokenRefused(Exception):
    """X answered 4xx: ``error`` and ``error_description`` as X sent them (RFC 6749 §5.2)."""

    def __init__(self, status: int, error: str, description: str) -> None:
        super().__init__(f"HTTP {status} {error}: {description}")
        self.status, self.error, self.description = status, error, description


@dataclass(frozen=True)
class Client:
    """The app's OAuth 2.0 client: confidential ones authenticate with HTTP Basic, public ones send ``client_id`` in
    the body (DOCS fundamentals/authentication/oauth-2-0/authorization-code.mdx, "Confidential clients")."""

    client_id: str
    client_secret: str = ""

    def request_auth(self, form: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
        """The body and headers of a token request."""
        if self.client_secret:
            basic = base64.b64encode(f"{self.client_id}:{self.client_secret}".encode()).decode()
            return form, {"Authorization": f"Basic {basic}"}
        return {**form, "client_id": self.client_id}, {}


def post_token(base_url: str, client: Client, form: dict[str, str]) -> dict[str, Any]:
    """One request, no retry (a retry could present a spent token): X's token answer, or one of the errors above."""
    body, headers = client.request_auth(form)
    try:
        with httpx.Client(timeout=TIMEOUT, headers={"User-Agent": USER_AGENT}) as http:
            response = http.post(base_url + TOKEN_PATH, data=body, headers=headers)
    except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as e:
        raise TokenNotSent(type(e).__name__) from None
    except httpx.HTTPError as e:
        raise TokenAnswerLost(type(e).__name__) from None
    if response.status_code == 429:
        raise TokenNotSent("HTTP 429 (rate limited)")
    try:
        answer = response.json()
    except ValueError:
        answer = None
    if 400 <= response.status_code < 500:
        if isinstance(answer, dict) and answer.get("error"):
            raise TokenRefused(response.status_code, str(answer["error"]), str(answer.get("error_description", "")))
        # Not a token endpoint's answer (a proxy, a wrong host): no grant was processed.
        raise TokenNotSent(f"HTTP {response.status_code} without an OAuth 2.0 error")
    if response.status_code != 200 or not isinstance(answer, dict) or not answer.get("access_token"):
        raise TokenAnswerLost(f"HTTP {response.status_code} without a token answer")
    return answer
