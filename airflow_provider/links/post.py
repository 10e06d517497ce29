"""``ViewOnXLink``: the "View on X" button on the task page of a post or a thread.

Airflow 3's way (as dbt Cloud's and Databricks' run links): the task stores the post's URL in its XCom ``url`` while
it runs; when the task ends, Airflow's task runner asks this link for its URL in the worker and keeps it as XCom
``_link_ViewOnXLink``, which the API server reads for the task page and ``.../links``. The link derives nothing: the
URL (x.com, or the emulator's page) was made by the client from the connection's base URL.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from airflow.providers.common.compat.sdk import BaseOperatorLink, XCom

if TYPE_CHECKING:
    from airflow.providers.common.compat.sdk import BaseOperator, Context, TaskInstanceKey

URL_KEY = "url"


class ViewOnXLink(BaseOperatorLink):
    """The post a task made (a thread's first post), on x.com or on the emulator's page of it."""

    name = "View on X"

    @staticmethod
    def persist(context: Context, url: str) -> None:
        """Store ``url`` as soon as the post exists, so that a task failing later still links to it."""
        context["ti"].xcom_push(key=URL_KEY, value=url)

    def get_link(self, operator: BaseOperator, *, ti_key: TaskInstanceKey) -> str:
        url: Any = XCom.get_value(key=URL_KEY, ti_key=ti_key)
        return url if isinstance(url, str) else ""
