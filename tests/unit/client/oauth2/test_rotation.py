"""Rotation against the emulator's token endpoint, one scenario at a time: what is presented, what is stored, and
which errors stop a refresh token from being presented again."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from airflow_provider.client.oauth2 import rotation
from airflow_provider.client.oauth2.rotation import TokenManager, TokenState
from airflow_provider.client.oauth2.token_endpoint import Client
from airflow_provider.emulator import EmulatorConfig, EmulatorServer
from airflow_provider.exceptions import TwitterApiError, TwitterInputError
from tests.unit.client.oauth2.stores import DictStore, print_nothing

SEED = "seed-refresh-token"
KEY = "twitter_oauth2_token__twitter_default"


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    with EmulatorServer(EmulatorConfig(oauth2_seed=SEED, oauth2_access_token_secs=60)) as server:
        yield server


@pytest.fixture
def emulator(server: EmulatorServer) -> EmulatorServer:
    server.reset()
    return server


def manager(emulator: EmulatorServer, store: DictStore, seed: str = SEED, **client: str) -> TokenManager:
    config = emulator.config
    app = Client(client.get("client_id", config.oauth2_client_id), client.get("secret", config.oauth2_client_secret))
    return TokenManager(
        "twitter_default", emulator.url, app, seed, store, on_secret=print_nothing, sleep=lambda _: None
    )


def oauth2(emulator: EmulatorServer) -> dict[str, Any]:
    return dict(requests.get(f"{emulator.url}/_emulator/oauth2", timeout=10).json())


def token_calls(emulator: EmulatorServer) -> int:
    return sum(r["endpoint"] == "oauth2_token" for r in emulator.state.requests())


def me(emulator: EmulatorServer, token: str) -> int:
    return requests.get(
        f"{emulator.url}/2/users/me", headers={"Authorization": f"Bearer {token}"}, timeout=10
    ).status_code


def test_the_seed_is_presented_once_then_the_rotated_token(emulator: EmulatorServer) -> None:
    store = DictStore()
    first = manager(emulator, store)
    token = first.access_token()
    assert me(emulator, token) == 200
    stored = TokenState.parse(store.values[KEY])
    assert stored and stored.refresh_token != SEED and stored.access_token == token and stored.generation == 1
    assert SEED not in store.values[KEY]  # only a hash prefix of the seed identifies it

    # Another process sharing the store uses the stored token; a third, finding it expired, refreshes from the
    # rotated refresh token.
    assert manager(emulator, store).access_token() == token
    store.values[KEY] = json.dumps({**json.loads(store.values[KEY]), "expires_at": 0})
    renewed = manager(emulator, store).access_token()
    assert renewed != token and me(emulator, renewed) == 200
    assert me(emulator, token) == 401  # the emulator revokes the earlier access token at a refresh
    assert oauth2(emulator)["refreshes"] == 2 and oauth2(emulator)["spent_presented"] == []
    # The first process's token was revoked: after X's 401 it finds the rotated one without a refresh.
    assert first.after_unauthorized(token) == renewed
    assert token_calls(emulator) == 2


def test_a_lost_answer_stops_every_process_without_presenting_again(emulator: EmulatorServer) -> None:
    emulator.faults.replace(rotation_fault("lost_answer"))
    store = DictStore()
    with pytest.raises(TwitterInputError, match=r"can no longer be used.*answer was lost.*authorize"):
        manager(emulator, store).access_token()
    with pytest.raises(TwitterInputError, match="can no longer be used"):
        manager(emulator, store).access_token()
    assert token_calls(emulator) == 1
    assert oauth2(emulator)["spent_presented"] == []


def test_a_holder_that_died_mid_refresh_is_not_followed(emulator: EmulatorServer) -> None:
    store = DictStore()
    store.values[KEY] = TokenState(manager(emulator, store).seed_id, SEED, in_flight=1.0).dump()
    with pytest.raises(TwitterInputError, match="never stored"):
        manager(emulator, store).access_token()
    assert token_calls(emulator) == 0
    assert json.loads(store.values[KEY])["dead"]


def test_a_refresh_that_was_never_sent_leaves_the_token_usable(emulator: EmulatorServer) -> None:
    emulator.faults.replace(rotation_fault("status", calls=[1], status=429))
    store = DictStore()
    with pytest.raises(TwitterApiError, match="Refresh not sent") as err:
        manager(emulator, store).access_token()
    assert err.value.is_transient
    assert TokenState.parse(store.values[KEY]) == TokenState(manager(emulator, store).seed_id, SEED)
    assert me(emulator, manager(emulator, store).access_token()) == 200


def test_a_spent_seed_is_a_clear_error_and_is_not_presented_twice(emulator: EmulatorServer) -> None:
    manager(emulator, DictStore()).access_token()  # another deployment spent the seed
    store = DictStore()
    with pytest.raises(TwitterInputError, match=r"invalid_request.*python -m airflow_provider\.oauth2 authorize"):
        manager(emulator, store).access_token()
    with pytest.raises(TwitterInputError, match="can no longer be used"):
        manager(emulator, store).access_token()
    assert len(oauth2(emulator)["spent_presented"]) == 1  # the one the other deployment's store could not know


def test_a_new_seed_in_the_connection_replaces_a_dead_state(emulator: EmulatorServer) -> None:
    store = DictStore()
    store.values[KEY] = TokenState(manager(emulator, store).seed_id, SEED, dead="test").dump()
    new_seed = requests.post(f"{emulator.url}/_emulator/oauth2/grants", timeout=10).json()["refresh_token"]
    assert me(emulator, manager(emulator, store, seed=new_seed).access_token()) == 200


def test_a_token_without_media_write_is_refused_before_any_upload(emulator: EmulatorServer) -> None:
    scopes = ["tweet.read", "tweet.write", "users.read", "offline.access"]
    seed = requests.post(f"{emulator.url}/_emulator/oauth2/grants", json={"scopes": scopes}, timeout=10).json()
    with pytest.raises(TwitterInputError, match=r"lacks the scope media\.write.*authorize"):
        manager(emulator, DictStore(), seed=seed["refresh_token"]).access_token()
    assert not [r for r in emulator.state.requests() if r["endpoint"] != "oauth2_token"]


def test_a_refused_client_keeps_the_refresh_token(emulator: EmulatorServer) -> None:
    store = DictStore()
    with pytest.raises(TwitterInputError, match=r"refused the OAuth 2\.0 client"):
        manager(emulator, store, secret="wrong").access_token()
    assert TokenState.parse(store.values[KEY]) == TokenState(manager(emulator, store).seed_id, SEED)
    assert me(emulator, manager(emulator, store).access_token()) == 200


def test_a_public_client_sends_its_client_id() -> None:
    with EmulatorServer(EmulatorConfig(oauth2_seed=SEED, oauth2_client_secret="")) as public:
        assert me(public, manager(public, DictStore(), secret="").access_token()) == 200


def test_a_slow_claim_is_abandoned(emulator: EmulatorServer) -> None:
    """A claim whose read-then-write took longer than CLAIM_MAX may have landed after a rival confirmed: give up."""
    clock = iter([0.0, rotation.CLAIM_MAX + 0.1])
    slow = TokenManager(
        "twitter_default",
        emulator.url,
        Client("id"),
        SEED,
        DictStore(),
        on_secret=print_nothing,
        monotonic=lambda: next(clock),
    )
    assert slow._claim() is None


def test_a_held_lease_is_waited_for_then_taken_over_once_abandoned(emulator: EmulatorServer) -> None:
    store = DictStore()
    store.values["twitter_oauth2_lease__twitter_default"] = json.dumps({"holder": "dead-process", "nonce": "n1"})
    now = [0.0]
    waiting = TokenManager(
        "twitter_default",
        emulator.url,
        Client("id"),
        SEED,
        store,
        on_secret=print_nothing,
        monotonic=lambda: now[0],
        sleep=lambda _: None,
    )
    assert waiting._claim() is None
    now[0] = rotation.LEASE + 1
    assert waiting._claim() == rotation.LEASE + 1


@pytest.mark.parametrize("raw", [None, "", "{not json", '{"unknown": 1}', '["a", "list"]'])
def test_a_stored_value_that_is_no_state_is_none(raw: str | None) -> None:
    """The seed is then used, as when nothing was stored."""
    assert TokenState.parse(raw) is None


@pytest.mark.parametrize(
    ("lifetime", "valid_for", "fresh"),
    [(7200, 301, True), (7200, 299, False), (60, 31, True), (60, 29, False), (7200, 7000, True)],
)
def test_a_token_is_refreshed_early_by_five_minutes_or_half_its_life_if_shorter(
    lifetime: float, valid_for: float, fresh: bool
) -> None:
    state = TokenState("seed-id", "refresh", access_token="access", expires_at=1000 + valid_for, lifetime=lifetime)
    assert state.fresh(1000) is fresh and state.valid_for(1000) == valid_for
    assert TokenState("seed-id", "refresh").valid_for(1000) == 0.0  # no access token yet


def rotation_fault(kind: str, **fields: Any) -> tuple[Any, ...]:
    from airflow_provider.emulator.faults import parse_plan

    return parse_plan({"faults": [{"endpoint": "oauth2_token", "kind": kind, **fields}]})
