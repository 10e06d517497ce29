"""register_secret: every secret the client reads or mints reaches Airflow's masker once, and no more."""

from __future__ import annotations

from unittest import mock

from airflow.providers.common.compat.sdk import redact

import airflow_provider.hooks.masking as masking
from airflow_provider.hooks.masking import register_secret


def test_a_new_secret_is_masked_from_then_on() -> None:
    assert redact("masking-fresh-secret-4711") == "masking-fresh-secret-4711"
    register_secret("masking-fresh-secret-4711")
    assert redact("masking-fresh-secret-4711") == "***"
    assert redact("the token masking-fresh-secret-4711 in a line") == "the token *** in a line"


def test_a_secret_already_masked_is_not_sent_again() -> None:
    """Airflow's supervisor logs every secret it is sent at DEBUG: a second registration would print it again."""
    register_secret("masking-known-secret-0815")
    with mock.patch.object(masking, "mask_secret") as mask_secret:
        register_secret("masking-known-secret-0815")
        register_secret("masking-other-secret-2024")
    mask_secret.assert_called_once_with("masking-other-secret-2024")
