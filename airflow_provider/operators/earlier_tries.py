"""Since when an earlier try of a task may have posted: what a retried post or thread looks for on X before posting."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from airflow.providers.common.compat.sdk import Context


def earlier_tries_since(context: Context) -> float | None:
    """None on a task's first try; on a later one, when the DAG run began (epoch seconds): ``run_after``, which stays
    when the task is cleared (``start_date`` is reset then), else ``start_date``; both come before any post of the
    run. 0.0 (the beginning) when the run has neither."""
    if context["ti"].try_number <= 1:
        return None
    dag_run = context["dag_run"]
    began = dag_run.run_after or dag_run.start_date
    return began.timestamp() if began else 0.0
