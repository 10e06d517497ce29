"""Test-wide Airflow settings: a throw-away AIRFLOW_HOME, set before anything imports Airflow."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
os.environ["AIRFLOW_HOME"] = tempfile.mkdtemp(prefix="airflow-provider-twitter-tests-")
os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(ROOT / "dags")


@pytest.fixture
def twitter_conn(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, object]]:
    """A complete ``twitter_default`` connection in the environment (no metadata DB needed)."""
    conn: dict[str, object] = {
        "conn_type": "twitter",
        "login": "unit-api-key",
        "password": "unit-api-key-secret-Zq81",
        "extra": {"access_token": "unit-access-token", "access_token_secret": "unit-access-token-secret-Pw55"},
    }
    monkeypatch.setenv("AIRFLOW_CONN_TWITTER_DEFAULT", json.dumps(conn))
    yield conn


@pytest.fixture
def fake_x(monkeypatch: pytest.MonkeyPatch) -> object:
    """Route every HTTP request made through ``requests`` to a scripted fake X (no socket is opened)."""
    import requests

    from tests.unit.fake_x import FakeX

    fake = FakeX()
    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", lambda _adapter, request, **kw: fake.send(request, **kw))
    return fake
