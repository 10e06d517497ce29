"""Which refusals of the first request on an earlier try's media id mean that X has forgotten it."""

from __future__ import annotations

import pytest

from airflow_provider.client.resume import MediaForgotten, forgotten
from airflow_provider.exceptions import TwitterBillingError, TwitterRejectedError


def refusal(status: int, cls: type[TwitterRejectedError] = TwitterRejectedError) -> TwitterRejectedError:
    return cls(endpoint="POST /2/media/upload/7/append", http_status=status, title="Refused", detail="Media 7")


@pytest.mark.parametrize("status", [400, 404])
def test_unknown_id_answers_mean_forgotten(status: int) -> None:
    result = forgotten("7", refusal(status))
    assert isinstance(result, MediaForgotten)
    assert str(result).startswith("X no longer takes media 7 from an earlier try (")


@pytest.mark.parametrize("status", [401, 403, 413])
def test_other_refusals_say_nothing_of_the_id(status: int) -> None:
    assert forgotten("7", refusal(status)) is None


def test_billing_is_never_taken_for_a_forgotten_id() -> None:
    assert forgotten("7", refusal(400, TwitterBillingError)) is None
