"""``make screenshots``: the UI pictures in ``docs/images/``, taken in a real browser against ``make up``.

Starts ``make up``'s deployment (tests/deployment/up.py), runs ``example_twitter_video`` through the REST API and
photographs the UI with playwright driving the system's Chromium (``CHROMIUM``, default ``/usr/bin/chromium``;
playwright's own browser download is not used). Not part of CI: rerun it after a change the pictures show.
"""

from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import Page, ViewportSize, sync_playwright

from tests.deployment.deployment import Deployment
from tests.deployment.harness import ROOT, Postgres, Processes
from tests.deployment.up import start

IMAGES = ROOT / "docs" / "images"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
VIEWPORT: ViewportSize = {"width": 1440, "height": 900}
RUN_TIMEOUT = 600
DAG_ID = "example_twitter_video"
RUN_ID = "screenshots"
LINK = "View on X"
# The graph fits itself to the window, and a task's extra links load after its page: a moment to settle.
SETTLE_MS = 2000


def save(page: Page, name: str) -> Path:
    path = IMAGES / f"{name}.png"
    page.screenshot(path=path)
    print(f"  {path.relative_to(ROOT)}", flush=True)
    return path


def connection_form(page: Page, ui: str) -> None:
    """A new Twitter / X connection, its extra fields open: the dropdowns list their values, no ``null``."""
    page.goto(f"{ui}/connections")
    page.get_by_role("button", name="Add Connection").click()
    dialog = page.get_by_role("dialog")
    dialog.locator("input[name=connection_id]").fill("twitter_news")
    connection_type = dialog.locator("input[role=combobox]").first
    connection_type.click(force=True)  # react-select's input sits under its placeholder
    connection_type.fill("Twitter")
    page.keyboard.press("Enter")
    dialog.get_by_text("Standard Fields", exact=True).click()  # closes them: the extra fields are the point
    dialog.get_by_text("Extra Fields", exact=True).click()
    dialog.locator("#element_auth_type").click()
    dialog.get_by_text("OAuth 2.0", exact=True).wait_for()
    save(page, "connection-form")
    page.keyboard.press("Escape")


def main() -> int:
    IMAGES.mkdir(parents=True, exist_ok=True)
    processes = Processes("screenshots")
    postgres: Postgres | None = None
    try:
        print("Starting make up's deployment...", flush=True)
        postgres = Postgres.start(processes)
        airflow: Deployment = start(processes, postgres)
        ui = airflow.api.url
        run = airflow.trigger(DAG_ID, RUN_ID, {"text": "New clip, published from Airflow"})
        with sync_playwright() as playwright:
            sandbox = [] if os.geteuid() else ["--no-sandbox"]  # Chromium refuses root without it
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=sandbox)
            page = browser.new_page(viewport=VIEWPORT)
            page.goto(f"{ui}/auth/token/login?next={ui}/")  # the all-admins login sets the session cookie
            print("Taking:", flush=True)

            airflow.wait(
                "sensor waiting", lambda: airflow.task_state(run, "wait_for_processing") == "up_for_reschedule", 300
            )
            page.goto(f"{ui}/dags/{DAG_ID}/runs/{RUN_ID}/tasks/wait_for_processing")
            page.get_by_text("Next poke in").wait_for()
            page.keyboard.press("w")  # the log viewer's wrap toggle: the whole line, why the sensor waits 15 s
            save(page, "sensor-waiting")

            connection_form(page, ui)

            (run,) = airflow.wait_finished([run], RUN_TIMEOUT)
            if run.state != "success":
                raise RuntimeError(f"{run.describe()}: not successful")
            # Before the graph: the UI keeps the graph view, whose side panel shows its tabs as icons only.
            page.goto(f"{ui}/dags/{DAG_ID}/runs/{RUN_ID}/tasks/post")
            page.get_by_text("Details", exact=True).click()  # the tab where Airflow 3.3 shows a task's extra links
            page.get_by_text("Scheduled At", exact=True).wait_for()
            page.wait_for_timeout(SETTLE_MS)
            link = page.get_by_role("link", name=LINK)
            if link.count():
                save(page, "post-link")
                page.goto(str(link.first.get_attribute("href")))
                save(page, "post-page")
            else:
                print(f"  no {LINK!r} link on the post task in this checkout: post-link.png not taken", flush=True)
            page.goto(f"{ui}/dags/{DAG_ID}/runs/{RUN_ID}")
            page.get_by_role("button", name="Show Graph (Press g)").click()
            page.locator(".react-flow__node").first.wait_for()
            page.wait_for_timeout(SETTLE_MS)
            save(page, "dag")

            browser.close()
    finally:
        processes.stop_all()
        if postgres:
            postgres.remove_data()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
