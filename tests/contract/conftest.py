"""The contract suite's targets: the emulator always; api.x.com too when a maintainer sets credentials."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from requests_oauthlib import OAuth1

from airflow_provider.emulator import EmulatorConfig, EmulatorServer
from tests.contract.target import Target, live_credentials
from tests.emulator.helpers import oauth1


@pytest.fixture(scope="session")
def contract_emulator() -> Iterator[EmulatorServer]:
    with EmulatorServer(EmulatorConfig(processing_secs=0.5, check_after_secs=1)) as server:
        yield server


@pytest.fixture(params=["emulator", "x"])
def target(request: pytest.FixtureRequest, contract_emulator: EmulatorServer) -> Target:
    if request.param == "emulator":
        contract_emulator.reset()
        url = contract_emulator.url
        return Target("emulator", url, oauth1(contract_emulator.config), admin_url=f"{url}/_emulator", v1_url=url)
    credentials = live_credentials()
    if credentials is None:
        pytest.skip("live X target: set X_CONTRACT_API_KEY, _API_KEY_SECRET, _ACCESS_TOKEN, _ACCESS_TOKEN_SECRET")
    return Target(
        "x",
        os.environ.get("X_CONTRACT_BASE_URL", "https://api.x.com"),
        OAuth1(*credentials),
        allow_posts=os.environ.get("X_CONTRACT_ALLOW_POSTS") == "1",
        record=os.environ.get("X_CONTRACT_RECORD") == "1",
    )
