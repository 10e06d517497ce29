"""Stores for the OAuth 2.0 tests: the same get/set register as Airflow's Variables, with nothing else, and the
token state another process leaves in one."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import MutableMapping

from airflow_provider.client.oauth2 import REQUIRED_SCOPES
from airflow_provider.client.oauth2.rotation import TokenManager, TokenState
from airflow_provider.client.oauth2.store import TOKEN_KEY
from airflow_provider.client.oauth2.token_endpoint import Client

# No token endpoint listens here: a test whose manager tried to refresh would fail with "Refresh not sent".
NO_TOKEN_ENDPOINT = "http://127.0.0.1:9"


class DictStore:
    """One process's register; ``writes`` records every write, for assertions."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}
        self.writes: list[tuple[str, str]] = []
        self._lock = threading.Lock()

    def get(self, key: str) -> str | None:
        with self._lock:
            return self.values.get(key)

    def set(self, key: str, value: str, description: str | None = None) -> None:
        with self._lock:
            self.values[key] = value
            self.writes.append((key, value))


class SharedStore:
    """A register shared by processes (a ``multiprocessing`` manager's dict, linearizable like the metadata
    database behind the execution API), with the API's latency: each call waits a random while before and after
    it takes effect, so that reads and writes of rival processes interleave as they would over HTTP."""

    def __init__(self, shared: MutableMapping[str, str], max_latency: float) -> None:
        self.shared, self.max_latency = shared, max_latency

    def _pause(self) -> None:
        time.sleep(random.uniform(0, self.max_latency))

    def get(self, key: str) -> str | None:
        self._pause()
        value = self.shared.get(key)
        self._pause()
        return value

    def set(self, key: str, value: str, description: str | None = None) -> None:
        self._pause()
        self.shared[key] = value
        self._pause()


def print_nothing(secret: str) -> None:
    """The rotation's ``on_secret`` where no log masker runs."""


def rotated(store: DictStore, manager: TokenManager, access_token: str) -> None:
    """Store what another process leaves after a refresh: ``access_token``, valid for two hours, with every scope."""
    state = TokenState(
        seed=manager.seed_id,
        refresh_token=f"refresh-for-{access_token}",
        access_token=access_token,
        expires_at=time.time() + 7200,
        lifetime=7200,
        scope=" ".join(REQUIRED_SCOPES),
        generation=1,
    )
    store.set(TOKEN_KEY.format(conn_id=manager.conn_id), state.dump())


def offline_manager(store: DictStore, conn_id: str, access_token: str) -> TokenManager:
    """A manager whose store already holds ``access_token``: it never needs the token endpoint."""
    manager = TokenManager(
        conn_id, NO_TOKEN_ENDPOINT, Client("client-id"), "seed-token", store, on_secret=print_nothing
    )
    rotated(store, manager, access_token)
    return manager
