"""Registering secrets with Airflow's masker, once: shared by both auth schemes and the OAuth 2.0 token store."""

from __future__ import annotations

from airflow.providers.common.compat.sdk import mask_secret, redact


def register_secret(secret: str) -> None:
    """``mask_secret``, unless Airflow's masker already hides the value (the connection's password and token
    extras, as a rule): Airflow's supervisor logs every secret it is sent at DEBUG, so registering one again would
    print it once more."""
    if redact(secret) != "***":
        mask_secret(secret)
