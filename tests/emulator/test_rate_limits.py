"""Rate limits: headers on every answer, per-endpoint windows and 24-hour caps, sticky 429s until the reset."""

from __future__ import annotations

import math

import requests

from airflow_provider.emulator.ratelimits import RateLimit
from tests.emulator.helpers import FakeClock, MakeEmulator, XClient


def test_every_answer_carries_the_headers_of_its_endpoint(x: XClient, clock: FakeClock) -> None:
    ok, refused = x.tweet("hello"), x.post("/2/tweets", json={"nope": 1})
    assert (ok.status_code, refused.status_code) == (201, 400)
    assert ok.headers["x-rate-limit-limit"] == "100"  # DOCS x-api/fundamentals/rate-limits.mdx
    assert (ok.headers["x-rate-limit-remaining"], refused.headers["x-rate-limit-remaining"]) == ("99", "98")
    assert int(ok.headers["x-rate-limit-reset"]) == math.ceil(clock.now + 900)
    assert (
        ok.headers["x-app-limit-24hour-limit"] == "10000" and refused.headers["x-app-limit-24hour-remaining"] == "9998"
    )
    me = x.get("/2/users/me")
    assert me.headers["x-rate-limit-limit"] == "75" and "x-app-limit-24hour-limit" not in me.headers
    assert x.status("1").headers["x-rate-limit-limit"] == "1000"


def test_a_spent_window_refuses_until_its_reset(make_emulator: MakeEmulator) -> None:
    _, clock, client = make_emulator(rate_limits=(RateLimit("users_me", 2),))
    assert [client.get("/2/users/me").status_code for _ in range(2)] == [200, 200]
    limited = client.get("/2/users/me")
    assert limited.status_code == 429
    assert limited.json() == {
        "title": "Too Many Requests",
        "type": "about:blank",
        "status": 429,
        "detail": "Too Many Requests",
    }
    assert limited.headers["x-rate-limit-remaining"] == "0"
    reset = int(limited.headers["x-rate-limit-reset"])
    clock.advance(reset - clock.now - 1)
    assert client.get("/2/users/me").status_code == 429  # sticky, and refusals do not move the reset
    assert int(client.get("/2/users/me").headers["x-rate-limit-reset"]) == reset
    clock.advance(1)
    assert client.get("/2/users/me").headers["x-rate-limit-remaining"] == "1"


def test_daily_caps_outlast_the_window(make_emulator: MakeEmulator) -> None:
    _, clock, client = make_emulator(rate_limits=(RateLimit("tweets", 10, user_day=2, app_day=3),))
    assert [client.tweet(f"post {n}").status_code for n in range(3)] == [201, 201, 429]
    clock.advance(900)
    capped = client.tweet("post 3")
    assert capped.status_code == 429
    assert capped.headers["x-user-limit-24hour-remaining"] == "0"
    assert capped.headers["x-app-limit-24hour-remaining"] == "1"
    clock.advance(86400 - 900)
    assert client.tweet("post 4").status_code == 201


def test_admin_api_sets_limits_and_reset_restores_them(x: XClient) -> None:
    response = requests.post(f"{x.base_url}/_emulator/rate-limits", json={"status": {"window": 1}}, timeout=10)
    assert response.json()["status"]["window"] == 1
    assert [x.status("1").status_code for _ in range(2)] == [400, 429]
    bad = requests.post(f"{x.base_url}/_emulator/rate-limits", json={"status": {"window": -1}}, timeout=10)
    assert bad.status_code == 400
    requests.post(f"{x.base_url}/_emulator/reset", timeout=10)
    assert x.admin("rate-limits")["status"]["window"] == 1000
    assert x.status("1").status_code == 400


def test_v1_rate_limit_uses_the_v1_body(make_emulator: MakeEmulator) -> None:
    _, _, client = make_emulator(rate_limits=(RateLimit("status", 0),))
    limited = client.get("/1.1/media/upload.json", params={"command": "STATUS", "media_id": "1"})
    assert limited.status_code == 429
    assert limited.json() == {"errors": [{"code": 88, "message": "Rate limit exceeded"}]}
