"""Provider metadata read by Airflow's ``ProvidersManager`` through the ``apache_airflow_provider`` entry point.

Kept free of heavy imports (only the package's version): Airflow loads it in every process (scheduler,
API server, CLI) at start-up. With ``conn-fields`` / ``ui-field-behaviour`` declared here, the API server draws
the connection form without importing the hook (Airflow 3.2+); the hook's ``get_connection_form_widgets``
serves older UIs.

The dropdowns list their values only, with no ``None`` among them: Airflow's form shows an enum's ``None`` as a
literal "null" option. Left empty, a dropdown shows its placeholder and the field means its default.
"""

from __future__ import annotations

from typing import Any

from airflow_provider import __version__


def get_provider_info() -> dict[str, Any]:
    return {
        "package-name": "airflow-provider-twitter",
        "name": "Twitter / X",
        "description": "Publish images and videos to X (Twitter): chunked media upload, a processing sensor "
        "that frees the worker slot, and posts.",
        "versions": [__version__],
        "integrations": [
            {
                "integration-name": "Twitter / X",
                "external-doc-url": "https://docs.x.com/x-api/media/introduction",
                "tags": ["service"],
            }
        ],
        "hooks": [{"integration-name": "Twitter / X", "python-modules": ["airflow_provider.hooks.twitter"]}],
        "operators": [
            {
                "integration-name": "Twitter / X",
                "python-modules": [
                    "airflow_provider.operators.media",
                    "airflow_provider.operators.tweet",
                    "airflow_provider.operators.thread",
                    "airflow_provider.operators.subtitles",
                    "airflow_provider.operators.delete",
                ],
            }
        ],
        "extra-links": ["airflow_provider.links.post.ViewOnXLink"],
        "sensors": [{"integration-name": "Twitter / X", "python-modules": ["airflow_provider.sensors.media"]}],
        "triggers": [{"integration-name": "Twitter / X", "python-modules": ["airflow_provider.triggers.media"]}],
        "connection-types": [
            {
                "connection-type": "twitter",
                "hook-class-name": "airflow_provider.hooks.twitter.TwitterHook",
                "hook-name": "Twitter / X",
                "ui-field-behaviour": {
                    "hidden-fields": ["schema", "port"],
                    "relabeling": {"login": "API Key", "password": "API Key Secret", "host": "API base URL"},
                    "placeholders": {"host": "https://api.x.com (leave empty unless you use a proxy or the emulator)"},
                },
                "conn-fields": {
                    "auth_type": {
                        "label": "Auth type",
                        "description": "oauth1 (default): API Key, API Key Secret, Access Token and Access Token "
                        "Secret. oauth2: Client ID, Client Secret and Refresh Token (docs/connection.md).",
                        "schema": {
                            "type": ["string", "null"],
                            "enum": ["oauth1", "oauth2"],
                            "values_display": {"oauth1": "OAuth 1.0a", "oauth2": "OAuth 2.0"},
                        },
                    },
                    "access_token": {
                        "label": "Access Token",
                        "description": "OAuth 1.0a access token of the account that posts.",
                        "schema": {"type": ["string", "null"], "format": "password"},
                    },
                    "access_token_secret": {
                        "label": "Access Token Secret",
                        "description": "OAuth 1.0a access token secret of the account that posts.",
                        "schema": {"type": ["string", "null"], "format": "password"},
                    },
                    "client_id": {
                        "label": "Client ID (OAuth 2.0)",
                        "description": "The app's OAuth 2.0 Client ID (Keys and tokens in the X developer portal).",
                        "schema": {"type": ["string", "null"]},
                    },
                    "client_secret": {
                        "label": "Client Secret (OAuth 2.0)",
                        "description": "The app's OAuth 2.0 Client Secret; leave empty for a public client "
                        "(Native App or Single page App).",
                        "schema": {"type": ["string", "null"], "format": "password"},
                    },
                    "refresh_token": {
                        "label": "Refresh Token (OAuth 2.0)",
                        "description": "Printed by `python -m airflow_provider.oauth2 authorize`; used once, then the "
                        "provider keeps the rotated tokens in the Variable twitter_oauth2_token__<conn_id>.",
                        "schema": {"type": ["string", "null"], "format": "password"},
                    },
                    "subscription_type": {
                        "label": "X subscription",
                        "description": "The posting account's X subscription, as X's GET /2/users/me names it. Left "
                        "empty, the provider asks X once, and only when a post or video is over a standard account's "
                        "limit (docs/connection.md).",
                        "schema": {
                            "type": ["string", "null"],
                            "enum": ["None", "Basic", "Premium", "PremiumPlus"],
                            "values_display": {
                                "None": "None (no X Premium)",
                                "Basic": "Basic",
                                "Premium": "Premium",
                                "PremiumPlus": "Premium+",
                            },
                        },
                    },
                    "timeout": {
                        "label": "Timeout (seconds)",
                        "description": "Seconds to wait for X to answer one request (default 60); a task's own "
                        "timeout wins.",
                        "schema": {"type": ["number", "null"], "exclusiveMinimum": 0},
                    },
                    "upload_api": {
                        "label": "Upload API",
                        "description": "v2 (default): X's /2/media/upload endpoints. v1.1: "
                        "upload.twitter.com/1.1/media/upload.json, for accounts still on it; OAuth 1.0a only "
                        "(docs/connection.md).",
                        "schema": {
                            "type": ["string", "null"],
                            "enum": ["v2", "v1.1"],
                            "values_display": {"v2": "v2", "v1.1": "v1.1 (upload.twitter.com)"},
                        },
                    },
                },
            }
        ],
    }
