"""The slice of an Airflow task context that operators and sensors read when called directly."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, cast
from unittest import mock

if TYPE_CHECKING:
    from airflow.providers.common.compat.sdk import Context


def task_context(first_poke: dt.datetime | None = None) -> Context:
    """A context whose ``ti`` says when the first try's first poke was (None: this is the first poke)."""
    ti = mock.Mock()
    ti.get_first_reschedule_date.return_value = first_poke
    return cast("Context", {"ti": ti})
