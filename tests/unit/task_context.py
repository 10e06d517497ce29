"""The slice of an Airflow task context that operators and sensors read when called directly."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, cast
from unittest import mock

if TYPE_CHECKING:
    from airflow.providers.common.compat.sdk import Context


def task_context(
    first_poke: dt.datetime | None = None,
    try_number: int = 1,
    run_started: dt.datetime | None = None,
    run_after: dt.datetime | None = None,
) -> Context:
    """A context whose ``ti`` says when the first try's first poke was (None: this is the first poke), and which
    try this is; ``dag_run`` says when the run started (``start_date``, reset when a task is cleared) and the time
    it was due (``run_after``, which stays)."""
    ti = mock.Mock(try_number=try_number)
    ti.get_first_reschedule_date.return_value = first_poke
    dag_run = mock.Mock(start_date=run_started, run_after=run_after)
    return cast("Context", {"ti": ti, "dag_run": dag_run})


def xcom_pushes(context: Context) -> list[Any]:
    """The task's ``ti.xcom_push`` calls, in order."""
    return list(cast("mock.Mock", context["ti"]).xcom_push.call_args_list)
