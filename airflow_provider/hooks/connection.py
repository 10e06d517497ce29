"""A ``twitter`` connection turned into the client's settings: read as it is in a worker, or with Airflow's async-safe
helpers and a short per-process cache in the triggerer, where thousands of waits share a connection."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from airflow.providers.common.compat.connection import get_async_connection, get_async_extra_dejson

from airflow_provider.client.account import AccountMemory
from airflow_provider.client.api import XClient
from airflow_provider.client.config import api_base_url, request_timeout
from airflow_provider.client.credentials import ConnectionFields, Credentials, read_credentials
from airflow_provider.client.log import Log
from airflow_provider.client.retry import RetryPolicy
from airflow_provider.client.upload_api import UploadApi, upload_api_for
from airflow_provider.hooks.masking import register_secret
from airflow_provider.hooks.variable_store import VariableStore
from airflow_provider.rules.account import EXTRA_FIELD, check_subscription_type

# How long a triggerer keeps a connection's settings: thousands of triggers on one connection read it once a minute,
# not once each, and a changed connection is seen within that time.
ASYNC_SETTINGS_TTL = 60.0


@dataclass(frozen=True)
class ClientSettings:
    """What the client needs from a connection: its credentials (masked as read), the API's and the uploads' hosts,
    the extra (for its ``timeout``), and the account's subscription when the extra gives it."""

    credentials: Credentials
    base_url: str
    upload_api: UploadApi
    extra: Mapping[str, Any] = field(repr=False)  # it holds the OAuth 1.0a access token and secret
    subscription_type: str | None = None

    @classmethod
    def read(cls, conn: ConnectionFields, extra: Any, *, conn_label: str | None = None) -> ClientSettings:
        """Refuses, before any request, credentials that are missing or malformed, a host no request could reach,
        and an upload API X could not serve. ``conn_label`` names the connection in errors (the UI's test)."""
        credentials = read_credentials(
            conn, extra, on_secret=register_secret, store=VariableStore(), conn_label=conn_label
        )
        return cls(
            credentials,
            api_base_url(conn.host, conn.port),
            upload_api_for(conn.host, conn.port, extra),
            extra,
            check_subscription_type(extra.get(EXTRA_FIELD)),
        )

    def client(self, *, timeout: float | None, retry: RetryPolicy, log: Log, connection: str | None = None) -> XClient:
        """A client with these settings; ``timeout`` given in code wins over the extra's, as in Airflow's ``http``
        provider. ``connection`` (its id) is named in X's 401 and 403 errors, and keys what X says of the account."""
        if self.subscription_type is not None:
            account = AccountMemory(self.subscription_type, f"the connection's extra '{EXTRA_FIELD}'")
        else:
            account = _ACCOUNTS.setdefault(connection, AccountMemory()) if connection else AccountMemory()
        return XClient(
            self.credentials,
            base_url=self.base_url,
            upload_api=self.upload_api,
            timeout=request_timeout(timeout, self.extra),
            retry=retry,
            log=log,
            account=account,
            connection=connection,
        )


# conn_id -> what X said of its account (its subscription), shared by the process's hooks: X is asked once per process.
_ACCOUNTS: dict[str, AccountMemory] = {}


# conn_id -> (when read, its settings), shared by the triggers of one triggerer process.
_ASYNC_SETTINGS: dict[str, tuple[float, ClientSettings]] = {}


async def aread_settings(conn_id: str) -> ClientSettings:
    """The connection's settings, read without blocking the event loop and kept for ``ASYNC_SETTINGS_TTL``."""
    cached = _ASYNC_SETTINGS.get(conn_id)
    if cached is not None and time.time() - cached[0] < ASYNC_SETTINGS_TTL:
        return cached[1]
    conn = await get_async_connection(conn_id)
    extra = await get_async_extra_dejson(conn)
    # In a thread: registering the secrets with Airflow's masker is a blocking call to its supervisor.
    settings = await asyncio.to_thread(ClientSettings.read, conn, extra)
    _ASYNC_SETTINGS[conn_id] = (time.time(), settings)
    return settings
