"""A thread of four whose task gives up on the first unanswered post and is retried a second later: the retry must
find on X what the first try posted and go on from there."""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.providers.common.compat.sdk import DAG

from airflow_provider.operators.thread import CreateThreadOperator

with DAG(dag_id="e2e_thread_retry", schedule=None, start_date=datetime(2026, 1, 1), catchup=False):
    CreateThreadOperator(
        task_id="post_thread",
        items=[f"Part {n} of the story (Dec 5)" for n in range(1, 5)],
        hook_params={"max_attempts": 1},
        retries=1,
        retry_delay=timedelta(seconds=1),
    )
