"""What Airflow's ProvidersManager reads: it must name importable modules and the hook's real class, under the
distribution's own name, and stay import-light (Airflow loads it in every process at start-up)."""

from __future__ import annotations

import importlib
import subprocess
import sys
import tomllib
from pathlib import Path

from airflow_provider import __version__
from airflow_provider.get_provider_info import get_provider_info
from airflow_provider.rules.account import SUBSCRIPTION_TYPES

ROOT = Path(__file__).resolve().parents[2]


def test_the_entry_point_and_the_package_name_match_the_distribution() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    entry = project["entry-points"]["apache_airflow_provider"]["provider_info"]
    assert entry == "airflow_provider.get_provider_info:get_provider_info"
    info = get_provider_info()
    assert info["package-name"] == project["name"] and info["versions"] == [__version__]


def test_every_listed_module_imports() -> None:
    info = get_provider_info()
    modules = [
        m for kind in ("hooks", "operators", "sensors", "triggers") for e in info[kind] for m in e["python-modules"]
    ]
    for module in modules:
        importlib.import_module(module)
    (connection,) = info["connection-types"]
    module, _, name = connection["hook-class-name"].rpartition(".")
    hook = getattr(importlib.import_module(module), name)
    assert (hook.conn_type, hook.hook_name) == (connection["connection-type"], connection["hook-name"])


def test_secrets_are_password_fields() -> None:
    (connection,) = get_provider_info()["connection-types"]
    passwords = {
        name for name, field in connection["conn-fields"].items() if field["schema"].get("format") == "password"
    }
    assert passwords == {"access_token", "access_token_secret", "client_secret", "refresh_token"}


def test_importing_it_loads_nothing_heavy() -> None:
    heavy = "('airflow', 'httpx', 'requests', 'tenacity')"
    code = (
        "import sys, airflow_provider.get_provider_info; "
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {heavy}))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]"


def test_dropdowns_offer_only_their_values_each_with_a_label() -> None:
    """Airflow's form lists an enum's None as a literal "null" option, and shows "null" as the field's value; without
    it an empty dropdown shows its placeholder, and means the default its description names."""
    (connection,) = get_provider_info()["connection-types"]
    fields = connection["conn-fields"]
    dropdowns = {name: field["schema"] for name, field in fields.items() if "enum" in field["schema"]}
    assert {name: schema["enum"] for name, schema in dropdowns.items()} == {
        "auth_type": ["oauth1", "oauth2"],
        "subscription_type": ["None", "Basic", "Premium", "PremiumPlus"],
        "upload_api": ["v2", "v1.1"],
    }
    assert set(dropdowns["subscription_type"]["enum"]) == set(SUBSCRIPTION_TYPES)  # the values the hook accepts
    for name, schema in dropdowns.items():
        assert set(schema["values_display"]) == set(schema["enum"]), name
        assert "null" in schema["type"], f"{name} may be left empty"


def test_extra_links_are_operator_links_the_operators_carry() -> None:
    """``airflow providers links`` lists these; each must import, be an SDK operator link, and be on its tasks."""
    from airflow.providers.common.compat.sdk import BaseOperatorLink

    from airflow_provider.operators.thread import CreateThreadOperator
    from airflow_provider.operators.tweet import CreateTweetOperator

    (path,) = get_provider_info()["extra-links"]
    module, _, name = path.rpartition(".")
    link = getattr(importlib.import_module(module), name)
    assert issubclass(link, BaseOperatorLink)
    for operator in (CreateTweetOperator, CreateThreadOperator):
        assert [type(each) for each in operator.operator_extra_links] == [link]
