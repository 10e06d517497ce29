"""Where the rotated tokens of a connection live, as the token rotation sees it: a string register per key.

The key holds "token", so that Airflow masks the Variable it becomes; the tokens in it are also announced to the
masker as they are read. The lease key holds no secret.
"""

from __future__ import annotations

from typing import Protocol

TOKEN_KEY = "twitter_oauth2_token__{conn_id}"
LEASE_KEY = "twitter_oauth2_lease__{conn_id}"
DESCRIPTION = (
    "OAuth 2.0 tokens of connection {conn_id!r}, rotated by airflow-provider-twitter: do not edit. To start again, "
    "authorize again and put the new refresh token in the connection (docs/connection.md)."
)


class Store(Protocol):
    """A linearizable string register per key: ``get`` sees the latest ``set`` (no compare-and-set needed)."""

    def get(self, key: str) -> str | None: ...

    def set(self, key: str, value: str, description: str | None = None) -> None: ...
