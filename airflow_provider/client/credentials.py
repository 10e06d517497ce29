"""Credentials read from a connection's fields, and the request signing they imply.

One class per X auth scheme, chosen by the extra's ``auth_type`` (``oauth1``, the default, or ``oauth2``), each
giving the client the same four things: the secrets to mask, a ``requests`` auth, an ``Authorization`` header for the
async path, and a second header after a 401 when the scheme can have one (a rotated OAuth 2.0 token).

Every secret is handed to ``on_secret`` as soon as it is read (the hook passes Airflow's masker), and OAuth 2.0 keeps
its rotated tokens in the ``store`` the caller gives (the hook passes Airflow Variables).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import oauthlib.oauth1

from airflow_provider.client.config import api_base_url
from airflow_provider.client.oauth2.rotation import TokenManager
from airflow_provider.client.oauth2.store import Store
from airflow_provider.client.oauth2.token_endpoint import Client
from airflow_provider.client.signing_logs import quiet_signing_loggers
from airflow_provider.exceptions import TwitterInputError

if TYPE_CHECKING:
    from requests.auth import AuthBase

SecretSink = Callable[[str], None]


class ConnectionFields(Protocol):
    """The fields of a connection that credentials are read from (an Airflow ``Connection`` has them)."""

    @property
    def conn_id(self) -> str | None: ...

    @property
    def login(self) -> str | None: ...

    @property
    def password(self) -> str | None: ...

    @property
    def host(self) -> str | None: ...

    @property
    def port(self) -> int | None: ...


_FIELDS = {
    "login": "API Key (login)",
    "password": "API Key Secret (password)",
    "access_token": "Access Token (extra 'access_token')",
    "access_token_secret": "Access Token Secret (extra 'access_token_secret')",
    "client_id": "Client ID (extra 'client_id')",
    "client_secret": "Client Secret (extra 'client_secret')",
    "refresh_token": "Refresh Token (extra 'refresh_token')",
}
AUTH_TYPES = ("oauth1", "oauth2")


@dataclass(frozen=True)
class OAuth1Credentials:
    """OAuth 1.0a user context: what X's media endpoints accept from self-serve apps."""

    api_key: str
    api_key_secret: str = field(repr=False)
    access_token: str
    access_token_secret: str = field(repr=False)

    @classmethod
    def from_connection(
        cls, conn: ConnectionFields, extra: Mapping[str, Any], *, on_secret: SecretSink, conn_label: str | None = None
    ) -> OAuth1Credentials:
        """Read the four credentials.

        Surrounding whitespace (a pasted newline) is dropped; a value with whitespace inside is refused, naming the
        field and never the value. ``conn_label`` replaces "Connection '<id>'" in errors, for callers whose id is not
        the user's.
        """
        who = _who(conn, extra, conn_label)
        values = _required(
            conn,
            who,
            conn_label,
            {
                "login": conn.login,
                "password": conn.password,
                "access_token": extra.get("access_token"),
                "access_token_secret": extra.get("access_token_secret"),
            },
        )
        credentials = cls(
            api_key=values["login"],
            api_key_secret=values["password"],
            access_token=values["access_token"],
            access_token_secret=values["access_token_secret"],
        )
        for secret in credentials.secrets:
            on_secret(secret)
        return credentials

    @property
    def secrets(self) -> tuple[str, ...]:
        return (self.api_key_secret, self.access_token, self.access_token_secret)

    async def aauthorization_header(self, method: str, url: str) -> str:
        return self.authorization_header(method, url)

    async def aretry_header(self, used_header: str) -> str | None:
        """OAuth 1.0a credentials do not change: a 401 stands."""
        return None

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


@dataclass(frozen=True)
class OAuth2Credentials:
    """OAuth 2.0 user context: ``Authorization: Bearer`` with an access token refreshed before it expires.

    The connection holds the app's client and the *seed*, the refresh token of the one-time authorization. The
    rotated tokens live in ``store``, which every worker and the triggerer share
    (:mod:`airflow_provider.client.oauth2.rotation`); the seed is used only until a rotated token exists there.
    """

    conn_id: str
    base_url: str
    client_id: str
    client_secret: str = field(repr=False)
    refresh_token: str = field(repr=False)
    store: Store = field(repr=False, compare=False)
    on_secret: SecretSink = field(repr=False, compare=False)

    @classmethod
    def from_connection(
        cls,
        conn: ConnectionFields,
        extra: Mapping[str, Any],
        *,
        on_secret: SecretSink,
        store: Store,
        conn_label: str | None = None,
    ) -> OAuth2Credentials:
        """Read the client and the seed (``client_secret`` empty for a public client)."""
        who = _who(conn, extra, conn_label)
        values = _required(
            conn, who, conn_label, {"client_id": extra.get("client_id"), "refresh_token": extra.get("refresh_token")}
        )
        credentials = cls(
            conn_id=conn.conn_id or "",
            base_url=api_base_url(conn.host, conn.port),
            client_id=values["client_id"],
            client_secret=_credential(who, "client_secret", extra.get("client_secret")),
            refresh_token=values["refresh_token"],
            store=store,
            on_secret=on_secret,
        )
        for secret in credentials.secrets:
            on_secret(secret)
        return credentials

    @property
    def secrets(self) -> tuple[str, ...]:
        return tuple(secret for secret in (self.client_secret, self.refresh_token) if secret)

    @property
    def tokens(self) -> TokenManager:
        """This process's token manager for the connection, shared by its hooks, threads and triggers."""
        key = (self.conn_id, self.base_url, self.client_id, self.client_secret, self.refresh_token)
        with _MANAGERS_LOCK:
            if (manager := _MANAGERS.get(key)) is None:
                client = Client(self.client_id, self.client_secret)
                manager = TokenManager(
                    self.conn_id, self.base_url, client, self.refresh_token, self.store, on_secret=self.on_secret
                )
                _MANAGERS[key] = manager
            return manager

    def authorization_header(self, method: str, url: str) -> str:
        """Blocking: it may read the store or refresh (async callers use :meth:`aauthorization_header`)."""
        return f"Bearer {self.tokens.access_token()}"

    async def aauthorization_header(self, method: str, url: str) -> str:
        """The header, from a thread: the store is read and a refresh waits without holding the event loop."""
        return await asyncio.to_thread(self.authorization_header, method, url)

    async def aretry_header(self, used_header: str) -> str | None:
        """After a 401: the header of a token another process rotated in meanwhile, or None."""
        token = await asyncio.to_thread(self.tokens.after_unauthorized, used_header.removeprefix("Bearer "))
        return None if token is None else f"Bearer {token}"

    def requests_auth(self) -> AuthBase:
        from airflow_provider.client.oauth2.bearer import BearerAuth  # imports requests: kept out of the trigger's path

        return BearerAuth(self.tokens)


Credentials = OAuth1Credentials | OAuth2Credentials
# (conn_id, base URL, client, seed) -> its manager in this process
_MANAGERS: dict[tuple[str, ...], TokenManager] = {}
_MANAGERS_LOCK = threading.Lock()


def read_credentials(
    conn: ConnectionFields,
    extra: Any,
    *,
    on_secret: SecretSink,
    store: Store,
    conn_label: str | None = None,
) -> Credentials:
    """The credentials of the connection's scheme: extra ``auth_type`` ``oauth1`` (the default) or ``oauth2``."""
    who = _who(conn, extra, conn_label)
    auth_type = extra.get("auth_type") or "oauth1"
    if auth_type not in AUTH_TYPES:
        raise TwitterInputError(
            f"{who} has auth_type {auth_type!r} in its extra; use 'oauth1' (the default) or 'oauth2' "
            "(see docs/connection.md)."
        )
    if auth_type == "oauth2":
        return OAuth2Credentials.from_connection(conn, extra, on_secret=on_secret, store=store, conn_label=conn_label)
    return OAuth1Credentials.from_connection(conn, extra, on_secret=on_secret, conn_label=conn_label)


def _who(conn: ConnectionFields, extra: Any, conn_label: str | None) -> str:
    """How errors name the connection; an extra that is not a JSON object is refused here."""
    who = conn_label or f"Connection {conn.conn_id!r}"
    if not isinstance(extra, Mapping):
        raise TwitterInputError(
            f"{who} has an extra that is a JSON {type(extra).__name__}, not an object. Set it to "
            '{"access_token": "...", "access_token_secret": "..."} (see docs/connection.md).'
        )
    return who


def _required(conn: ConnectionFields, who: str, conn_label: str | None, raw: dict[str, Any]) -> dict[str, str]:
    """The cleaned values; all must be set, else one error naming every missing field."""
    values = {key: _credential(who, key, value) for key, value in raw.items()}
    missing = [_FIELDS[key] for key in raw if not values[key]]
    if missing:
        where = (
            "Set them in the connection form"
            if conn_label
            else f"Set them in Admin > Connections or in AIRFLOW_CONN_{(conn.conn_id or 'TWITTER_DEFAULT').upper()}"
        )
        raise TwitterInputError(f"{who} is missing {', '.join(missing)}. {where} (see docs/connection.md).")
    return values


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
