"""The "View on X" link end to end: the task page's extra link, read through Airflow's REST API as the UI reads it,
leads to the emulator's page of the post; ``airflow providers links`` lists it."""

from __future__ import annotations

import subprocess
from urllib.parse import quote

import pytest
import requests

from airflow_provider.emulator import EmulatorServer
from tests.e2e.dag_runs import AIRFLOW, DagRun, airflow_api, emulator_config, run_dag

pytestmark = pytest.mark.e2e


def extra_links(airflow_env: dict[str, str], dag_id: str, run: DagRun, task_id: str) -> dict[str, str | None]:
    path = f"/dags/{dag_id}/dagRuns/{quote(run.run_id, safe='')}/taskInstances/{task_id}/links"
    links: dict[str, str | None] = airflow_api(airflow_env).call("GET", path)["extra_links"]
    return links


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
