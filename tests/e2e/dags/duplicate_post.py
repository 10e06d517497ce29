"""Posts the same text twice: the second post is a genuine duplicate and must fail, not be adopted."""

from __future__ import annotations

from datetime import datetime

from airflow.providers.common.compat.sdk import DAG

from airflow_provider.operators.tweet import CreateTweetOperator

with DAG(dag_id="e2e_duplicate_post", schedule=None, start_date=datetime(2026, 1, 1), catchup=False):
    first = CreateTweetOperator(task_id="first", text="Same words, posted twice")
    second = CreateTweetOperator(task_id="second", text="Same words, posted twice")
    first >> second
