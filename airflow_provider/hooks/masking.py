"""Registering secrets with Airflow's masker, once: what the hook gives the client to call on every secret it reads
or mints (both auth schemes' credentials, OAuth 2.0's rotated tokens)."""

from __future__ import annotations

from airflow.providers.common.compat.sdk import mask_secret, redact


def register_secret(secret: str) -> None:
    """``mask_secret``, unless Airflow's masker already hides the value (the connection's password and token
    extras, as a rule): Airflow's supervisor logs every secret it is sent at DEBUG, so registering one again would
    print it once more."""
    if redact(secret) != "***":
        mask_secret(secret)
