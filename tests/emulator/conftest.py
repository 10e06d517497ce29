"""Emulator fixtures: one shared server (reset before each test) plus a factory for special configurations."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from airflow_provider.emulator import EmulatorConfig, EmulatorServer
from tests.emulator.helpers import FakeClock, MakeEmulator, XClient


@pytest.fixture(scope="session")
def shared_clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(scope="session")
def shared_server(shared_clock: FakeClock) -> Iterator[EmulatorServer]:
    with EmulatorServer(EmulatorConfig(), clock=shared_clock) as server:
        yield server


@pytest.fixture
def emulator(shared_server: EmulatorServer) -> EmulatorServer:
    """The shared emulator with default settings, emptied for this test."""
    shared_server.reset()
    return shared_server


@pytest.fixture
def clock(emulator: EmulatorServer, shared_clock: FakeClock) -> FakeClock:
    return shared_clock


@pytest.fixture
def x(emulator: EmulatorServer) -> XClient:
    return XClient(emulator.url)


@pytest.fixture
def make_emulator() -> Iterator[MakeEmulator]:
    """Start an emulator with config overrides and its own clock; stopped after the test."""
    servers: list[EmulatorServer] = []

    def make(**overrides: Any) -> tuple[EmulatorServer, FakeClock, XClient]:
        clock = FakeClock()
        config = EmulatorConfig(**overrides)
        server = EmulatorServer(config, clock=clock).start()
        servers.append(server)
        return server, clock, XClient(server.url, config)

    yield make
    for server in servers:
        server.stop()
