"""Where the rotated tokens live: two Airflow Variables per connection, which every task and the triggerer can read
and write through Airflow 3's execution API, and which outlive them.

- ``twitter_oauth2_token__<conn_id>``: the token state (JSON). Its key holds "token", so Airflow masks its value in
  the UI, the REST API and logs; the tokens in it are also registered with the masker as they are read.
- ``twitter_oauth2_lease__<conn_id>``: who may refresh now (no secret in it).

Variables offer get and set only, last writer wins; :mod:`airflow_provider.oauth2.rotation` builds the mutual
exclusion from that. Reads must see the latest write, so Airflow's optional secrets cache (``[secrets] use_cache``)
is bypassed for these keys.
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


class VariableStore:
    """Airflow Variables through the Task SDK (tasks, the triggerer, ``airflow dags test``)."""

    def get(self, key: str) -> str | None:
        from airflow.providers.common.compat.sdk import Variable

        _forget_cached(key)
        value = Variable.get(key, default=None)
        return value if isinstance(value, str) else None

    def set(self, key: str, value: str, description: str | None = None) -> None:
        from airflow.providers.common.compat.sdk import Variable

        Variable.set(key, value, description=description)


def _forget_cached(key: str) -> None:
    """Drop the key from Airflow's secrets cache (Airflow 3.1+, when ``[secrets] use_cache`` is on), which would
    otherwise answer a read with a value up to its TTL old."""
    try:
        from airflow.sdk.execution_time.cache import SecretCache
    except ImportError:  # Airflow 3.0 has no such cache
        return
    SecretCache.invalidate_variable(key)
