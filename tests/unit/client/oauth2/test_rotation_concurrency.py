"""Real concurrency: processes and threads sharing one store hammer the emulator with access tokens that last a few
seconds. The emulator records every spent refresh token presented again and, configured as the strictest provider,
revokes the whole grant at the first one; the run must end with none presented and the grant alive."""

from __future__ import annotations

import multiprocessing
import threading
import time
from collections import Counter
from collections.abc import MutableMapping
from typing import Any

import requests

from airflow_provider.client.oauth2.rotation import TokenManager
from airflow_provider.client.oauth2.token_endpoint import Client
from airflow_provider.emulator import EmulatorConfig, EmulatorServer, RateLimit
from tests.unit.client.oauth2.stores import SharedStore, print_nothing

SEED = "concurrency-seed"
PROCESSES = 6
THREADS = 3
SECONDS = 20.0
TOKEN_SECS = 4
STORE_LATENCY = 0.03


def _hammer(url: str, config: EmulatorConfig, shared: MutableMapping[str, str], results: Any) -> None:
    """One process: its threads call X with the process's manager until time is up; counts of what they saw."""
    client = Client(config.oauth2_client_id, config.oauth2_client_secret)
    tokens = TokenManager(
        "twitter_default", url, client, SEED, SharedStore(shared, STORE_LATENCY), on_secret=print_nothing
    )
    seen: Counter[str] = Counter()
    end = time.monotonic() + SECONDS

    def call(token: str) -> int:
        headers = {"Authorization": f"Bearer {token}"}
        return requests.get(f"{url}/2/users/me", headers=headers, timeout=30).status_code

    def thread() -> None:
        while time.monotonic() < end:
            try:
                token = tokens.access_token()
                status = call(token)
                if status == 401 and (newer := tokens.after_unauthorized(token)):
                    status = call(newer)
                seen[str(status)] += 1
            except Exception as e:  # counted: the test fails on any
                seen[type(e).__name__] += 1
                time.sleep(0.5)

    threads = [threading.Thread(target=thread) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    results.put(dict(seen))


def test_no_spent_refresh_token_is_presented_under_real_concurrency() -> None:
    config = EmulatorConfig(
        oauth2_seed=SEED,
        oauth2_access_token_secs=TOKEN_SECS,
        oauth2_reuse_revokes_grant=True,
        rate_limits=(RateLimit("users_me", 1_000_000),),
    )
    context = multiprocessing.get_context("spawn")
    with EmulatorServer(config) as emulator, context.Manager() as sync:
        shared = sync.dict()
        results = sync.Queue()
        workers = [
            context.Process(target=_hammer, args=(emulator.url, config, shared, results)) for _ in range(PROCESSES)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(SECONDS + 120)
        seen = [results.get(timeout=5) for _ in workers]
        oauth2 = requests.get(f"{emulator.url}/_emulator/oauth2", timeout=10).json()

    total: Counter[str] = Counter()
    for counts in seen:
        total.update(counts)
    assert oauth2["spent_presented"] == []
    assert oauth2["revoked_grants"] == 0
    # The tokens lasted TOKEN_SECS: the run went through several rotations, shared by all processes.
    assert oauth2["refreshes"] >= SECONDS / TOKEN_SECS - 1, oauth2
    assert set(total) == {"200"}, total
    assert all(counts.get("200") for counts in seen), seen
    print(f"\n{PROCESSES} processes x {THREADS} threads, {SECONDS:.0f} s: {total['200']} calls, {oauth2}")
