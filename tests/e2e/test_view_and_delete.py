"""The "View on X" link and the delete, end to end. The task page's extra link, read through Airflow's REST API as
the UI reads it, leads to the emulator's page of the post; ``airflow providers links`` lists it. A delete takes a
post task's output or an id, and a post already gone is no error.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from urllib.parse import quote

import pytest
import requests

from airflow_provider.emulator import EmulatorServer
from tests.e2e.dag_runs import AIRFLOW, DagRun, airflow_api, emulator_config, run_dag

pytestmark = pytest.mark.e2e


def extra_links(airflow_env: dict[str, str], dag_id: str, run: DagRun, task_id: str) -> dict[str, str | None]:
    return airflow_api(airflow_env).extra_links(dag_id, quote(run.run_id, safe=""), task_id)


def test_a_post_links_to_the_emulators_page_of_it(airflow_env: dict[str, str], emulator: EmulatorServer) -> None:
    run = run_dag(airflow_env, emulator, "example_twitter_images")

    assert run.state == "success", run.output[-3000:]
    (post,) = run.posts
    url = f"{emulator.url}/i/web/status/{post['id']}"
    assert run.xcom["post"] == {"id": post["id"], "text": post["text"], "url": url}  # the task's output carries it
    assert extra_links(airflow_env, "example_twitter_images", run, "post") == {"View on X": url}
    page = requests.get(url, timeout=10)
    assert page.status_code == 200 and post["text"] in page.text and "image/png" in page.text
    assert f"Posted {url}" in run.output


def test_a_thread_links_to_its_first_post(airflow_env: dict[str, str]) -> None:
    with EmulatorServer(emulator_config(self_replies=True)) as emulator:
        run = run_dag(airflow_env, emulator, "example_twitter_thread")
        first = run.posts[0]
        url = f"{emulator.url}/i/web/status/{first['id']}"
        assert run.task_states["post_thread"] == "success", run.output[-3000:]
        assert extra_links(airflow_env, "example_twitter_thread", run, "post_thread") == {"View on X": url}
        assert requests.get(url, timeout=10).status_code == 200


def test_providers_links_lists_the_link(airflow_env: dict[str, str]) -> None:
    listed = subprocess.run(
        [AIRFLOW, "providers", "links"], env=airflow_env, capture_output=True, text=True, timeout=120, check=True
    ).stdout
    assert "airflow_provider.links.post.ViewOnXLink" in listed


def test_delete_takes_a_posts_output_or_its_id_and_a_post_gone_is_no_error(
    airflow_env: dict[str, str], emulator: EmulatorServer
) -> None:
    run = run_dag(airflow_env, emulator, "e2e_delete_post", dags_folder=Path(__file__).parent / "dags")

    assert run.state == "success", run.output[-3000:]
    post_id = run.xcom["post"]["id"]
    assert run.xcom["delete"] == {"deleted": [post_id], "already_gone": []}
    assert run.xcom["delete_again"] == {"deleted": [], "already_gone": [post_id]}
    assert [r["status"] for r in run.calls("DELETE", f"/2/tweets/{post_id}")] == [200, 404]
    assert run.posts == []
    page = requests.get(run.xcom["post"]["url"], timeout=10)
    assert page.status_code == 404 and "This post was deleted." in page.text
