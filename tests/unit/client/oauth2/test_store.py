"""Where the rotated tokens live, as the rotation sees it: a register per key whose token key Airflow masks by its
name, and whose lease key holds nothing secret."""

from __future__ import annotations

from airflow.providers.common.compat.sdk import redact

from airflow_provider.client.oauth2.store import DESCRIPTION, LEASE_KEY, TOKEN_KEY, Store
from airflow_provider.hooks.variable_store import VariableStore
from tests.unit.client.oauth2.stores import DictStore, offline_manager


def test_airflow_masks_the_token_variable_by_its_name_and_not_the_lease() -> None:
    """Airflow hides a Variable's value in the UI, the REST API and logs when its key names a secret."""
    assert redact('{"refresh_token": "r"}', TOKEN_KEY.format(conn_id="twitter_default")) == "***"
    assert redact('{"holder": "h"}', LEASE_KEY.format(conn_id="twitter_default")) != "***"


def test_each_connection_has_its_own_keys() -> None:
    manager = offline_manager(DictStore(), "x_news", "access-1")
    assert (manager.token_key, manager.lease_key) == ("twitter_oauth2_token__x_news", "twitter_oauth2_lease__x_news")


def test_the_description_names_the_connection_and_the_way_back() -> None:
    description = DESCRIPTION.format(conn_id="x_news")
    assert "connection 'x_news'" in description and "do not edit" in description and "authorize again" in description


def test_the_stores_used_are_stores_and_know_no_key_at_first() -> None:
    """Typed as the protocol (checked by mypy): the deployment's Variables and the tests' registers. A key never set
    reads as None, which the rotation takes as "no rotated token yet": the connection's seed is used."""
    stores: list[Store] = [VariableStore(), DictStore()]
    assert [store.get(TOKEN_KEY.format(conn_id="never_used")) for store in stores] == [None, None]
