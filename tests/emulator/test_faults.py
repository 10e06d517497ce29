"""Fault injection over real sockets: refusals, rate limits, dropped connections, slow and lost answers."""

from __future__ import annotations

import logging
import math
import socket
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from airflow_provider.emulator import EmulatorServer
from airflow_provider.emulator.faults import parse_plan
from tests.emulator.helpers import MP4_HEAD, PNG_HEAD, FakeClock, MakeEmulator, XClient, media_bytes


def test_status_fault_answers_without_acting(x: XClient) -> None:
    x.set_faults({"endpoint": "tweets", "calls": [1], "kind": "status", "status": 503})
    refused = x.tweet("hello")
    assert refused.status_code == 503
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json() == {
        "title": "Service Unavailable",
        "type": "about:blank",
        "status": 503,
        "detail": "Service Unavailable",
    }
    assert x.admin("posts") == []
    assert x.tweet("hello").status_code == 201
    assert x.admin("faults") == {
        "faults": [{"endpoint": "tweets", "kind": "status", "calls": [1], "status": 503, "fired": 1}],
        "calls": {"tweets": 2},
    }


def test_faults_fire_on_the_listed_call_numbers_in_plan_order(x: XClient) -> None:
    x.set_faults(
        {"endpoint": "users_me", "calls": [2, 3], "kind": "status", "status": 502},
        {"endpoint": "users_me", "kind": "status", "status": 500},
    )
    assert [x.get("/2/users/me").status_code for _ in range(4)] == [500, 502, 502, 500]
    assert [fault["fired"] for fault in x.admin("faults")["faults"]] == [2, 2]


def test_rate_limit_fault_sends_x_headers_and_lasts_until_its_reset(x: XClient, clock: FakeClock) -> None:
    x.set_faults(
        {"endpoint": "append", "calls": [1], "kind": "rate_limit", "reset_after_secs": 30},
        {"endpoint": "tweets", "kind": "rate_limit", "daily": True},
    )
    media_id = x.initialize(b"x" * 10, "video/mp4", "tweet_video")
    limited = x.append(media_id, 0, b"x" * 10)
    assert limited.status_code == 429
    assert limited.json() == {
        "title": "Too Many Requests",
        "type": "about:blank",
        "status": 429,
        "detail": "Too Many Requests",
    }
    assert limited.headers["x-rate-limit-remaining"] == "0"
    assert int(limited.headers["x-rate-limit-limit"]) > 0
    assert int(limited.headers["x-rate-limit-reset"]) == math.ceil(clock.now + 30)
    assert limited.headers["x-app-limit-24hour-remaining"] != "0"
    assert "x-user-limit-24hour-limit" not in limited.headers  # no per-user daily cap is documented
    assert x.admin(f"media/{media_id}")["segment_count"] == 0
    clock.advance(29)
    assert x.append(media_id, 0, b"x" * 10).status_code == 429  # sticky: not a fault call, the window is spent
    clock.advance(1)
    assert x.append(media_id, 0, b"x" * 10).status_code == 200

    daily = x.tweet("hello")
    assert daily.headers["x-app-limit-24hour-remaining"] == "0"
    assert int(daily.headers["x-app-limit-24hour-reset"]) == math.ceil(clock.now + 2)
    assert int(daily.headers["x-app-limit-24hour-limit"]) == 10_000


def test_drop_closes_the_connection_without_an_answer(
    x: XClient, emulator: EmulatorServer, caplog: pytest.LogCaptureFixture
) -> None:
    x.set_faults({"endpoint": "users_me", "kind": "drop"})
    with socket.create_connection(("127.0.0.1", emulator.port), timeout=5) as raw:
        raw.sendall(f"GET /2/users/me HTTP/1.1\r\nHost: 127.0.0.1:{emulator.port}\r\n\r\n".encode())
        try:
            received = raw.recv(1024)
        except ConnectionResetError:
            received = b""
    assert received == b""  # no status line: reset or closed
    with pytest.raises(requests.ConnectionError):
        x.get("/2/users/me")
    assert [entry["status"] for entry in x.admin("requests")] == [None, None]
    assert [entry["fault"] for entry in x.admin("requests")] == ["drop", "drop"]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]  # uvicorn did not try to answer 500


def test_drop_during_a_large_append_stores_nothing(x: XClient) -> None:
    data = media_bytes(MP4_HEAD, 4 * 1024 * 1024)
    media_id = x.initialize(data, "video/mp4", "tweet_video")
    x.set_faults({"endpoint": "append", "calls": [1], "kind": "drop"})
    with pytest.raises(requests.ConnectionError):
        x.append(media_id, 0, data)
    assert x.admin(f"media/{media_id}")["segment_count"] == 0
    assert x.append(media_id, 0, data).status_code == 200


def test_lost_answer_creates_the_post_but_the_client_never_hears(x: XClient) -> None:
    image = x.upload(media_bytes(PNG_HEAD, 100), "image/png", "tweet_image")
    x.set_faults({"endpoint": "tweets", "calls": [1], "kind": "lost_answer"})
    with pytest.raises(requests.ConnectionError):
        x.tweet("did it post?", [image])
    posts = x.admin("posts")
    assert [(post["text"], post["media_ids"]) for post in posts] == [("did it post?", [image])]
    assert x.tweet("did it post?", [image]).status_code == 403  # a blind retry is a duplicate
    found = x.get("/2/users/1000000000000000001/tweets", params={"max_results": 5}).json()
    assert found["data"][0]["id"] == posts[0]["id"]


def test_lost_answer_can_answer_503_instead(x: XClient) -> None:
    x.set_faults({"endpoint": "initialize", "kind": "lost_answer", "then_status": 503})
    response = x.post("/2/media/upload/initialize", json={"media_type": "image/png", "total_bytes": 10})
    assert response.status_code == 503
    assert [entry["status"] for entry in x.admin("requests")] == [503]


def test_slow_fault_outlasts_the_client_timeout_and_still_acts(x: XClient) -> None:
    x.set_faults({"endpoint": "tweets", "kind": "slow", "delay_secs": 0.3})
    with pytest.raises(requests.ReadTimeout):
        x.session.post(f"{x.base_url}/2/tweets", json={"text": "slowly"}, timeout=0.1)
    deadline = time.monotonic() + 3
    while not x.admin("posts") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [post["text"] for post in x.admin("posts")] == ["slowly"]


@pytest.mark.parametrize(
    "plan",
    [
        {"faults": [{"endpoint": "teleport", "kind": "drop"}]},
        {"faults": [{"endpoint": "tweets", "kind": "explode"}]},
        {"faults": [{"endpoint": "tweets", "kind": "drop", "calls": [0]}]},
        {"faults": [{"endpoint": "tweets", "kind": "status", "status": 200}]},
        {"faults": [{"endpoint": "tweets", "kind": "drop", "typo": 1}]},
        {"faults": "all of them"},
    ],
)
def test_invalid_fault_plans_are_refused(emulator: EmulatorServer, plan: object) -> None:
    response = requests.post(f"{emulator.url}/_emulator/faults", json=plan, timeout=10)
    assert response.status_code == 400
    assert response.json()["error"]


def test_reset_clears_state_and_faults(x: XClient) -> None:
    x.set_faults({"endpoint": "users_me", "kind": "status"})
    x.tweet("before reset")
    assert requests.post(f"{x.base_url}/_emulator/reset", timeout=10).json() == {"reset": True}
    assert x.admin("faults") == {"faults": [], "calls": {}}
    assert x.admin("posts") == [] and x.admin("requests") == []
    assert x.get("/2/users/me").status_code == 200


def test_request_log_never_holds_credentials(emulator: EmulatorServer) -> None:
    client = XClient(emulator.url)
    client.get("/2/media/upload", params={"media_id": "1", "command": "STATUS", "oauth_token": "leak"})
    entry = client.admin("requests")[0]
    assert entry["query"] == {"media_id": "1", "command": "STATUS"}
    assert set(entry) == {"method", "path", "query", "status", "at", "endpoint", "fault", "reason"}
    assert "emulator-access-token" not in str(client.admin("requests"))


def test_fault_plan_given_at_start_up(make_emulator: MakeEmulator) -> None:
    _, _, client = make_emulator(
        faults=parse_plan({"faults": [{"endpoint": "users_me", "calls": [1], "kind": "status"}]})
    )
    assert client.get("/2/users/me").status_code == 503
    assert client.get("/2/users/me").status_code == 200


def test_latency_delays_every_answer_but_requests_overlap(make_emulator: MakeEmulator) -> None:
    server, _, client = make_emulator(latency_ms=150)
    started = time.monotonic()
    assert client.get("/2/users/me").status_code == 200
    assert time.monotonic() - started >= 0.15
    clients = [XClient(server.url) for _ in range(5)]
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=5) as pool:
        codes = list(pool.map(lambda c: c.get("/2/users/me").status_code, clients))
    assert codes == [200] * 5
    assert 0.15 <= time.monotonic() - started < 0.45
