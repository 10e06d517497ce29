"""The slice of an Airflow task context that operators and sensors read when called directly."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any, cast
from unittest import mock

if TYPE_CHECKING:
    from airflow.providers.common.compat.sdk import Context


class FakeTaskStateStore:
    """Airflow 3.3's ``context["task_state_store"]`` in memory, with its API (``get``, ``set`` with ``retention``,
    ``delete``): values go through JSON as they would to the API server, and every write is counted."""

    def __init__(self, values: dict[str, Any] | None = None) -> None:
        self.values: dict[str, Any] = dict(values or {})
        self.writes: list[tuple[str, Any, dt.timedelta | None]] = []

    def get(self, key: str, default: Any = None) -> Any:
        return json.loads(self.values[key]) if key in self.values else default

    def set(self, key: str, value: Any, *, retention: dt.timedelta | None = None) -> None:
        if value is None:
            raise ValueError("Cannot set value as None")
        self.values[key] = json.dumps(value)
        self.writes.append((key, json.loads(self.values[key]), retention))

    def delete(self, key: str) -> None:
        self.values.pop(key, None)


def task_context(
    first_poke: dt.datetime | None = None,
    try_number: int = 1,
    run_started: dt.datetime | None = None,
    run_after: dt.datetime | None = None,
    task_state_store: FakeTaskStateStore | None = None,
) -> Context:
    """A context whose ``ti`` says when the first try's first poke was (None: this is the first poke), and which
    try this is; ``dag_run`` says when the run started (``start_date``, reset when a task is cleared) and the time
    it was due (``run_after``, which stays). With ``task_state_store`` it is Airflow 3.3's context; without, 3.0-3.2's.
    """
    ti = mock.Mock(try_number=try_number)
    ti.get_first_reschedule_date.return_value = first_poke
    dag_run = mock.Mock(start_date=run_started, run_after=run_after)
    context: dict[str, Any] = {"ti": ti, "dag_run": dag_run}
    if task_state_store is not None:
        context["task_state_store"] = task_state_store
    return cast("Context", context)


def xcom_pushes(context: Context) -> list[Any]:
    """The task's ``ti.xcom_push`` calls, in order."""
    return list(cast("mock.Mock", context["ti"]).xcom_push.call_args_list)
