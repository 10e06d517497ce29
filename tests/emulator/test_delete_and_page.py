"""DELETE /2/tweets/{id}, and the read-only page of a post at /i/web/status/{id} that "View on X" leads to."""

from __future__ import annotations

import requests

from airflow_provider.emulator import EmulatorServer
from tests.emulator.helpers import PNG_HEAD, MakeEmulator, XClient, media_bytes


def _delete(x: XClient, post_id: str) -> requests.Response:
    return x.session.delete(f"{x.base_url}/2/tweets/{post_id}", timeout=10)


def test_delete_answers_deleted_then_not_found(x: XClient) -> None:
    """X's OAS: 200 ``{"data": {"deleted": true}}``; a post already deleted is 404 (X's error guide), with the
    ``resource-not-found`` entry X's GET gives for an unknown id. The post leaves the timeline and the GET."""
    post_id = x.tweet("to delete").json()["data"]["id"]
    kept = x.tweet("to keep").json()["data"]["id"]

    first = _delete(x, post_id)
    assert (first.status_code, first.json()) == (200, {"data": {"deleted": True}})
    again = _delete(x, post_id)
    assert again.status_code == 404
    (error,) = again.json()["errors"]
    assert error["type"] == "https://api.twitter.com/2/problems/resource-not-found"
    assert error["resource_id"] == post_id
    assert [post["id"] for post in x.admin("posts")] == [kept]
    assert "data" not in x.get(f"/2/tweets/{post_id}").json()


def test_delete_of_an_unknown_or_malformed_id(x: XClient) -> None:
    assert _delete(x, "1234567890123456789").status_code == 404
    malformed = _delete(x, "12x")
    assert malformed.status_code == 400
    assert malformed.json()["errors"][0]["parameters"] == {"id": ["12x"]}


def test_delete_needs_a_signature_and_counts_against_its_limit(x: XClient) -> None:
    post_id = x.tweet("signed").json()["data"]["id"]
    unsigned = requests.delete(f"{x.base_url}/2/tweets/{post_id}", timeout=10)
    assert unsigned.status_code == 401
    answer = _delete(x, post_id)
    assert answer.headers["x-rate-limit-limit"] == "50"  # DOCS rate-limits.mdx: DELETE /2/tweets/:id 50/15 min


def test_page_shows_the_post_and_its_media(x: XClient, emulator: EmulatorServer) -> None:
    media_id = x.upload(media_bytes(PNG_HEAD, 300), "image/png", "tweet_image")
    x.post("/2/media/metadata", json={"id": media_id, "metadata": {"alt_text": {"text": "bars <&>"}}})
    post_id = x.tweet("a <b>bold</b> claim", [media_id]).json()["data"]["id"]

    page = requests.get(f"{emulator.url}/i/web/status/{post_id}", timeout=10)  # no credentials: a person's browser
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "a &lt;b&gt;bold&lt;/b&gt; claim" in page.text and "@emulator" in page.text
    assert "image/png" in page.text and "bars &lt;&amp;&gt;" in page.text and "300" in page.text


def test_page_links_a_reply_to_its_parent_and_says_when_deleted(make_emulator: MakeEmulator) -> None:
    server, _, own = make_emulator(self_replies=True)
    first = own.tweet("first").json()["data"]["id"]
    reply = own.post("/2/tweets", json={"text": "second", "reply": {"in_reply_to_tweet_id": first}}).json()
    page = requests.get(f"{server.url}/i/web/status/{reply['data']['id']}", timeout=10)
    assert f"href='/i/web/status/{first}'" in page.text

    own.session.delete(f"{server.url}/2/tweets/{first}", timeout=10)
    gone = requests.get(f"{server.url}/i/web/status/{first}", timeout=10)
    assert gone.status_code == 404 and "This post was deleted." in gone.text
    unknown = requests.get(f"{server.url}/i/web/status/1", timeout=10)
    assert unknown.status_code == 404 and "no post with this id" in unknown.text
