"""The Airflow connection that points the provider at a running emulator (JSON and URI forms)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from airflow_provider.emulator.config import EmulatorConfig

CONN_ENV_VAR = "AIRFLOW_CONN_TWITTER_DEFAULT"


def connection_fields(config: EmulatorConfig, url: str) -> dict[str, Any]:
    """``AIRFLOW_CONN_*`` JSON: host is the emulator's base URL, secrets are the emulator's demo credentials; OAuth 2.0
    with the start-up grant's refresh token as the seed when the emulator has one."""
    if config.oauth2_seed:
        return {"conn_type": "twitter", "host": url, "extra": oauth2_extra(config)}
    return {
        "conn_type": "twitter",
        "host": url,
        "login": config.api_key,
        "password": config.api_key_secret,
        "extra": {"access_token": config.access_token, "access_token_secret": config.access_token_secret},
    }


def oauth2_extra(config: EmulatorConfig) -> dict[str, str]:
    return {
        "auth_type": "oauth2",
        "client_id": config.oauth2_client_id,
        "client_secret": config.oauth2_client_secret,
        "refresh_token": config.oauth2_seed,
    }


def connection_uri(config: EmulatorConfig, url: str) -> str:
    """The same connection as an Airflow URI, e.g. ``twitter://http://key:secret@127.0.0.1%3A8080/?...``.

    The host keeps its scheme (Airflow's ``type://scheme://`` form) and its port is percent-encoded into it,
    so that ``Connection.host`` is the whole base URL, exactly as in the JSON form.
    """
    scheme, address = url.split("://", 1)
    login = f"{quote(config.api_key, safe='')}:{quote(config.api_key_secret, safe='')}"
    if config.oauth2_seed:
        return f"twitter://{scheme}://{quote(address, safe='')}/?{urlencode(oauth2_extra(config))}"
    extra = urlencode({"access_token": config.access_token, "access_token_secret": config.access_token_secret})
    return f"twitter://{scheme}://{login}@{quote(address, safe='')}/?{extra}"
