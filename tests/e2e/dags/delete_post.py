"""Posts, deletes the post from the post task's output, then deletes it again by its id: the second finds it gone."""

from __future__ import annotations

from datetime import datetime

from airflow.providers.common.compat.sdk import DAG

from airflow_provider.operators.delete import DeleteTweetOperator
from airflow_provider.operators.tweet import CreateTweetOperator

with DAG(dag_id="e2e_delete_post", schedule=None, start_date=datetime(2026, 1, 1), catchup=False):
    post = CreateTweetOperator(task_id="post", text="Posted, then deleted")
    delete = DeleteTweetOperator(task_id="delete", posts=post.output)
    again = DeleteTweetOperator(task_id="delete_again", posts="{{ ti.xcom_pull(task_ids='post')['id'] }}")
    delete >> again
