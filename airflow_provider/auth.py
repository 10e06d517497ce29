"""Credentials read from a ``twitter`` connection, and the request signing they imply.

One class per X auth scheme, each able to sign ``requests`` calls, so that OAuth 2.0 user tokens can be
added beside OAuth 1.0a without touching the hook or the operators.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import oauthlib.oauth1

from airflow_provider.exceptions import TwitterInputError

if TYPE_CHECKING:
    from airflow.providers.common.compat.sdk import Connection
    from requests.auth import AuthBase

_FIELDS = {
    "login": "API Key (login)",
    "password": "API Key Secret (password)",
    "access_token": "Access Token (extra 'access_token')",
    "access_token_secret": "Access Token Secret (extra 'access_token_secret')",
}


@dataclass(frozen=True)
class OAuth1Credentials:
    """OAuth 1.0a user context: what X's media endpoints accept from self-serve apps."""

    api_key: str
    api_key_secret: str = field(repr=False)
    access_token: str
    access_token_secret: str = field(repr=False)

    @classmethod
    def from_connection(
        cls, conn: Connection, extra: dict[str, Any] | None = None, *, conn_label: str | None = None
    ) -> OAuth1Credentials:
        """Read the four credentials; ``extra`` lets async callers pass an extra they read without blocking.

        ``conn_label`` replaces "Connection '<id>'" in the error, for callers whose id is not the user's.
        """
        extra = conn.extra_dejson if extra is None else extra
        values = {
            "login": conn.login,
            "password": conn.password,
            "access_token": extra.get("access_token"),
            "access_token_secret": extra.get("access_token_secret"),
        }
        missing = [label for key, label in _FIELDS.items() if not values[key]]
        if missing:
            where = (
                "Set them in the connection form"
                if conn_label
                else f"Set them in Admin > Connections or in AIRFLOW_CONN_{(conn.conn_id or 'TWITTER_DEFAULT').upper()}"
            )
            raise TwitterInputError(
                f"{conn_label or f'Connection {conn.conn_id!r}'} is missing {', '.join(missing)}. "
                f"{where} (see docs/connection.md)."
            )
        return cls(
            api_key=str(values["login"]),
            api_key_secret=str(values["password"]),
            access_token=str(values["access_token"]),
            access_token_secret=str(values["access_token_secret"]),
        )

    @property
    def secrets(self) -> tuple[str, ...]:
        return (self.api_key_secret, self.access_token, self.access_token_secret)

    def authorization_header(self, method: str, url: str) -> str:
        """A fresh ``Authorization`` header for a body-less request (async callers sign each attempt with it)."""
        client = oauthlib.oauth1.Client(
            self.api_key,
            client_secret=self.api_key_secret,
            resource_owner_key=self.access_token,
            resource_owner_secret=self.access_token_secret,
        )
        _, headers, _ = client.sign(url, http_method=method)
        return str(headers["Authorization"])

    def requests_auth(self) -> AuthBase:
        """Sign each request when it is prepared, so every attempt gets a fresh nonce and timestamp."""
        from requests_oauthlib import OAuth1  # imports requests: kept out of the trigger's import path

        return OAuth1(
            self.api_key,
            client_secret=self.api_key_secret,
            resource_owner_key=self.access_token,
            resource_owner_secret=self.access_token_secret,
            signature_type="AUTH_HEADER",
        )
