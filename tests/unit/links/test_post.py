"""ViewOnXLink: what the task stores is what the link gives, through the XCom Airflow's task runner reads."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest

from airflow_provider.links.post import URL_KEY, ViewOnXLink
from airflow_provider.operators.tweet import CreateTweetOperator
from tests.unit.task_context import task_context, xcom_pushes

URL = "https://x.com/i/web/status/1800"


def test_persist_stores_the_url_under_the_key_get_link_reads() -> None:
    context = task_context()
    ViewOnXLink.persist(context, URL)
    assert xcom_pushes(context) == [mock.call(key=URL_KEY, value=URL)]


@pytest.mark.parametrize(("stored", "link"), [(URL, URL), (None, ""), (["not", "a", "url"], "")])
def test_get_link_reads_the_tasks_xcom(stored: Any, link: str) -> None:
    ti_key = mock.Mock(dag_id="d", task_id="post", run_id="r", map_index=-1)
    with mock.patch("airflow_provider.links.post.XCom.get_value", return_value=stored) as get_value:
        assert ViewOnXLink().get_link(CreateTweetOperator(task_id="post", text="hi"), ti_key=ti_key) == link
    get_value.assert_called_once_with(key=URL_KEY, ti_key=ti_key)


def test_the_links_name_and_its_xcom_key_for_the_api_server() -> None:
    link = ViewOnXLink()
    assert (link.name, link.xcom_key) == ("View on X", "_link_ViewOnXLink")
