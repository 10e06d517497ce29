"""Since when a retried post or thread looks for what an earlier try posted."""

from __future__ import annotations

import datetime as dt

from airflow_provider.operators.earlier_tries import earlier_tries_since
from tests.unit.task_context import task_context

DUE = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
STARTED = DUE + dt.timedelta(minutes=2)


def test_a_first_try_looks_for_nothing() -> None:
    assert earlier_tries_since(task_context(try_number=1, run_started=STARTED, run_after=DUE)) is None


def test_a_later_try_looks_back_to_when_the_run_was_due() -> None:
    """run_after stays when a task is cleared; start_date is reset then, and would miss an earlier try's post."""
    assert earlier_tries_since(task_context(try_number=2, run_started=STARTED, run_after=DUE)) == DUE.timestamp()


def test_without_run_after_the_run_start_is_used() -> None:
    assert earlier_tries_since(task_context(try_number=2, run_started=STARTED)) == STARTED.timestamp()


def test_a_run_with_neither_looks_back_to_the_beginning() -> None:
    assert earlier_tries_since(task_context(try_number=3)) == 0.0
