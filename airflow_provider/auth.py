"""Credentials read from a ``twitter`` connection, and the request signing they imply.

One class per X auth scheme, each able to sign ``requests`` calls, so that OAuth 2.0 user tokens can be
added beside OAuth 1.0a without touching the hook or the operators.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import oauthlib.oauth1
from airflow.providers.common.compat.sdk import mask_secret, redact

from airflow_provider.exceptions import TwitterInputError
from airflow_provider.log_hygiene import quiet_signing_loggers

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

        Surrounding whitespace (a pasted newline) is dropped; a value with whitespace inside is refused, naming the
        field and never the value. The secrets are registered with Airflow's masker as soon as they are read.
        ``conn_label`` replaces "Connection '<id>'" in errors, for callers whose id is not the user's.
        """
        who = conn_label or f"Connection {conn.conn_id!r}"
        extra = conn.extra_dejson if extra is None else extra
        if not isinstance(extra, Mapping):
            raise TwitterInputError(
                f"{who} has an extra that is a JSON {type(extra).__name__}, not an object. Set it to "
                '{"access_token": "...", "access_token_secret": "..."} (see docs/connection.md).'
            )
        raw = {
            "login": conn.login,
            "password": conn.password,
            "access_token": extra.get("access_token"),
            "access_token_secret": extra.get("access_token_secret"),
        }
        values = {key: _credential(who, key, value) for key, value in raw.items()}
        missing = [label for key, label in _FIELDS.items() if not values[key]]
        if missing:
            where = (
                "Set them in the connection form"
                if conn_label
                else f"Set them in Admin > Connections or in AIRFLOW_CONN_{(conn.conn_id or 'TWITTER_DEFAULT').upper()}"
            )
            raise TwitterInputError(f"{who} is missing {', '.join(missing)}. {where} (see docs/connection.md).")
        credentials = cls(
            api_key=values["login"],
            api_key_secret=values["password"],
            access_token=values["access_token"],
            access_token_secret=values["access_token_secret"],
        )
        for secret in credentials.secrets:
            _register_secret(secret)
        return credentials

    @property
    def secrets(self) -> tuple[str, ...]:
        return (self.api_key_secret, self.access_token, self.access_token_secret)

    def authorization_header(self, method: str, url: str) -> str:
        """A fresh ``Authorization`` header for a body-less request (async callers sign each attempt with it)."""
        quiet_signing_loggers()
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

        quiet_signing_loggers()
        return OAuth1(
            self.api_key,
            client_secret=self.api_key_secret,
            resource_owner_key=self.access_token,
            resource_owner_secret=self.access_token_secret,
            signature_type="AUTH_HEADER",
        )


def _credential(who: str, key: str, value: Any) -> str:
    """The value without the whitespace a paste brings around it (``""`` when unset). A value that is not text, or
    has whitespace or a control character inside, is refused: X would answer 401. The error names the field,
    never the value."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise TwitterInputError(
            f"{who}: {_FIELDS[key]} must be text, not {type(value).__name__}. Set it to the value the X developer "
            "portal shows, as a string."
        )
    value = value.strip()
    if any(c.isspace() or not c.isprintable() for c in value):
        raise TwitterInputError(
            f"{who}: {_FIELDS[key]} has whitespace or a control character inside it; X credentials have none. "
            "Copy it again from the X developer portal."
        )
    return value


def _register_secret(secret: str) -> None:
    """``mask_secret``, unless Airflow's masker already hides the value (the connection's password and token
    extras, as a rule): Airflow's supervisor logs every secret it is sent at DEBUG, so registering one again would
    print it once more."""
    if redact(secret) != "***":
        mask_secret(secret)
