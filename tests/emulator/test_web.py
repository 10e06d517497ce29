"""The post page's pictures: media bytes served at /i/web/media/{media_key} while kept, within keep_media_mib."""

from __future__ import annotations

import re

import requests

from airflow_provider.emulator import EmulatorServer
from tests.emulator.helpers import GIF_HEAD, MIB, PNG_HEAD, FakeClock, MakeEmulator, XClient, media_bytes, mp4_lasting


def _page(server: EmulatorServer, post_id: str) -> str:
    page = requests.get(f"{server.url}/i/web/status/{post_id}", timeout=10)
    assert page.status_code == 200
    return page.text


def test_an_image_is_shown_and_its_bytes_served_with_its_type(x: XClient, emulator: EmulatorServer) -> None:
    image = media_bytes(PNG_HEAD, 3 * MIB // 2)
    media_id = x.upload(image, "image/png", "tweet_image")  # two segments, joined at FINALIZE
    x.post("/2/media/metadata", json={"id": media_id, "metadata": {"alt_text": {"text": "a 'quoted' <chart>"}}})
    post_id = x.tweet("with a picture", [media_id]).json()["data"]["id"]

    html = _page(emulator, post_id)
    assert f"<img class='media' src='/i/web/media/3_{media_id}' alt='a &#x27;quoted&#x27; &lt;chart&gt;'>" in html
    served = requests.get(f"{emulator.url}/i/web/media/3_{media_id}", timeout=10)  # no credentials, like the page
    assert served.status_code == 200 and served.content == image
    assert served.headers["content-type"] == "image/png"
    assert served.headers["x-content-type-options"] == "nosniff"


def test_a_gif_is_an_image_and_a_video_has_controls(x: XClient, emulator: EmulatorServer, clock: FakeClock) -> None:
    gif = x.upload(media_bytes(GIF_HEAD, 2000), "image/gif", "tweet_gif")
    video = x.upload(mp4_lasting(3.0), "video/mp4", "tweet_video")
    x.post("/2/media/metadata", json={"id": video, "metadata": {"alt_text": {"text": "a clip"}}})
    clock.advance(60)  # processing done
    gif_post = x.tweet("a gif", [gif]).json()["data"]["id"]
    video_post = x.tweet("a video", [video]).json()["data"]["id"]

    assert f"<img class='media' src='/i/web/media/16_{gif}' alt=''>" in _page(emulator, gif_post)
    html = _page(emulator, video_post)
    assert f"<video class='media' controls src='/i/web/media/7_{video}' aria-label='a clip'" in html
    assert "<img" not in html
    served = requests.get(f"{emulator.url}/i/web/media/7_{video}", timeout=10)
    assert served.headers["content-type"] == "video/mp4" and served.content == mp4_lasting(3.0)


def test_the_cap_drops_the_oldest_media_first(make_emulator: MakeEmulator) -> None:
    server, _, x = make_emulator(keep_media_mib=1)
    old, new = media_bytes(PNG_HEAD, 600_000), media_bytes(PNG_HEAD + b"new", 600_000)
    old_id = x.upload(old, "image/png", "tweet_image")
    new_id = x.upload(new, "image/png", "tweet_image")
    post_id = x.tweet("two pictures", [old_id, new_id]).json()["data"]["id"]

    assert requests.get(f"{server.url}/i/web/media/3_{old_id}", timeout=10).status_code == 404
    assert requests.get(f"{server.url}/i/web/media/3_{new_id}", timeout=10).content == new
    html = _page(server, post_id)
    assert f"No picture of media 3_{old_id}: dropped, or never kept" in html
    assert re.findall(r"<img [^>]*src='([^']+)'", html) == [f"/i/web/media/3_{new_id}"]


def test_media_over_the_cap_or_with_the_cap_off_is_not_kept(make_emulator: MakeEmulator) -> None:
    server, _, x = make_emulator(keep_media_mib=1)
    big = x.upload(media_bytes(PNG_HEAD, 2 * MIB), "image/png", "tweet_image")
    assert requests.get(f"{server.url}/i/web/media/3_{big}", timeout=10).status_code == 404

    off, _, y = make_emulator(keep_media_mib=0)
    media_id = y.upload(media_bytes(PNG_HEAD, 300), "image/png", "tweet_image")
    post_id = y.tweet("no picture", [media_id]).json()["data"]["id"]
    assert "the emulator keeps none (keep_media_mib 0)" in _page(off, post_id)
    assert requests.get(f"{off.url}/i/web/media/3_{media_id}", timeout=10).status_code == 404


def test_a_media_key_must_match_its_kind(x: XClient, emulator: EmulatorServer) -> None:
    media_id = x.upload(media_bytes(PNG_HEAD, 300), "image/png", "tweet_image")
    assert requests.get(f"{emulator.url}/i/web/media/3_{media_id}", timeout=10).status_code == 200
    assert requests.get(f"{emulator.url}/i/web/media/7_{media_id}", timeout=10).status_code == 404
