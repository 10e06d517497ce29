"""Stores for the rotation tests: the same get/set register as Airflow's Variables, with nothing else."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import MutableMapping


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
