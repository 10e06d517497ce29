"""VariableStore: the OAuth 2.0 token store of a deployment, Airflow Variables read and written through the Task SDK."""

from __future__ import annotations

from typing import Any

import pytest

from airflow_provider.client.oauth2.store import DESCRIPTION, TOKEN_KEY
from airflow_provider.hooks.variable_store import VariableStore

KEY = TOKEN_KEY.format(conn_id="twitter_default")


def test_get_reads_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(f"AIRFLOW_VAR_{KEY.upper()}", '{"refresh_token": "r"}')
    assert VariableStore().get(KEY) == '{"refresh_token": "r"}'


def test_get_of_a_variable_never_set_is_none() -> None:
    assert VariableStore().get("twitter_oauth2_token__never_set") is None


def test_get_of_a_value_that_is_no_text_is_none(monkeypatch: pytest.MonkeyPatch) -> None:
    """The rotation parses a string; anything else reads as no state (its seed is then used)."""
    from airflow.providers.common.compat.sdk import Variable

    monkeypatch.setattr(Variable, "get", staticmethod(lambda key, default=None: {"not": "text"}))
    assert VariableStore().get(KEY) is None


def test_set_writes_the_variable_with_its_description(monkeypatch: pytest.MonkeyPatch) -> None:
    from airflow.providers.common.compat.sdk import Variable

    calls: list[tuple[Any, ...]] = []
    monkeypatch.setattr(Variable, "set", staticmethod(lambda *args, **kwargs: calls.append((args, kwargs))))
    description = DESCRIPTION.format(conn_id="twitter_default")
    VariableStore().set(KEY, '{"refresh_token": "r"}', description)
    VariableStore().set("twitter_oauth2_lease__twitter_default", "{}")
    assert calls == [
        ((KEY, '{"refresh_token": "r"}'), {"description": description}),
        (("twitter_oauth2_lease__twitter_default", "{}"), {"description": None}),
    ]
