"""A DAG whose mapped upload feeds one post, and the context one of its instances runs in."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, cast
from unittest import mock

from airflow.providers.common.compat.sdk import DAG, task

from airflow_provider.operators.media import MediaUploadOperator
from airflow_provider.operators.tweet import CreateTweetOperator

if TYPE_CHECKING:
    from airflow.providers.common.compat.sdk import Context


def mapped_post_dag(
    expansion: dict[str, Any] | list[dict[str, Any]], *, via_xcom: bool = False, post: bool = True, **partial: Any
) -> DAG:
    """``upload`` mapped with ``expand(**expansion)`` (a dict) or ``expand_kwargs(expansion)`` (a list), over the
    literal values or, with ``via_xcom``, over upstream tasks' return values (each argument its own task, whose
    value the context gives); its output is ``post``'s media_ids."""
    with DAG(dag_id="mapped", schedule=None, start_date=datetime(2026, 1, 1), params={"dir": "/nowhere"}) as dag:

        @task
        def choose() -> Any:
            return expansion

        upload = MediaUploadOperator.partial(task_id="upload", **partial)
        if isinstance(expansion, dict):
            mapped = upload.expand(**({name: choose() for name in expansion} if via_xcom else expansion))
        else:
            mapped = upload.expand_kwargs(choose() if via_xcom else expansion)
        if post:
            media: Any = mapped.output  # rendered to the list of the uploads' outputs
            CreateTweetOperator(task_id="post", text="hi", media_ids=media)
    return dag


def instance_context(dag: DAG, map_index: int, xcom: Any = None, params: dict[str, Any] | None = None) -> Context:
    """The context of the mapped instance ``map_index``: its DAG, and upstream XComs that all return ``xcom``."""
    ti = mock.Mock(map_index=map_index, try_number=1)
    ti.xcom_pull.return_value = xcom
    return cast("Context", {"ti": ti, "dag": dag, "params": params or {"dir": "/nowhere"}})


def run_instance(dag: DAG, map_index: int, kwargs: dict[str, Any], xcom: Any = None) -> Any:
    """Execute instance ``map_index`` of ``dag``'s upload, unmapped with ``kwargs`` as Airflow would."""
    return MediaUploadOperator(task_id="upload", **kwargs).execute(instance_context(dag, map_index, xcom))


def post_of_wrapped_upload(file_path: str, *, mapped: bool) -> None:
    """A post whose media_ids wraps an upload's output the wrong way: a mapped one's in a list, a single one's not."""
    with DAG(dag_id="wrapped", schedule=None, start_date=datetime(2026, 1, 1)):
        if mapped:
            media: Any = [MediaUploadOperator.partial(task_id="upload").expand(file_path=[file_path]).output]
        else:
            media = MediaUploadOperator(task_id="upload", file_path=file_path).output
        CreateTweetOperator(task_id="post", text="hi", media_ids=media)
