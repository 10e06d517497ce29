"""A post, then a reply to it with X's post options: who may reply, and the made-with-AI label."""

from __future__ import annotations

from datetime import datetime

from airflow.providers.common.compat.sdk import DAG

from airflow_provider.operators.tweet import CreateTweetOperator

with DAG(dag_id="e2e_post_options", schedule=None, start_date=datetime(2026, 1, 1), catchup=False):
    first = CreateTweetOperator(task_id="first", text="The news of the day")
    reply = CreateTweetOperator(
        task_id="reply",
        text="More on it below",
        in_reply_to_tweet_id="{{ ti.xcom_pull(task_ids='first')['id'] }}",
        reply_settings="following",
        made_with_ai=True,
    )
    first >> reply
