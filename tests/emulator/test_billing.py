"""Pay-per-use billing: an account out of credits gets 402, one over its usage cap 429 ``usage-capped``."""

from __future__ import annotations

import requests

from tests.emulator.helpers import MakeEmulator, XClient


def test_out_of_credits_is_402_with_the_credits_problem(make_emulator: MakeEmulator) -> None:
    server, _, client = make_emulator(out_of_credits=True)
    refused = client.tweet("hello")
    assert refused.status_code == 402
    assert refused.headers["content-type"] == "application/json"
    assert refused.json() == {
        "title": "CreditsDepleted",
        "detail": f"Your enrolled account [{server.config.user_id}] does not have any credits to fulfill this request.",
        "type": "https://api.twitter.com/2/problems/credits",
    }
    assert "x-rate-limit-remaining" in refused.headers
    assert client.admin("posts") == []


def test_admin_switches_billing_and_reset_restores_it(x: XClient) -> None:
    switch = requests.post(f"{x.base_url}/_emulator/billing", json={"usage_capped": True}, timeout=10)
    assert switch.json() == {"out_of_credits": False, "usage_capped": True}
    capped = x.tweet("hello")
    assert capped.status_code == 429
    assert capped.json()["type"] == "https://api.twitter.com/2/problems/usage-capped"
    assert capped.json()["title"] == "UsageCapExceeded"
    assert x.get("/2/users/me").status_code == 429  # every X endpoint: the stricter reading
    assert requests.post(f"{x.base_url}/_emulator/billing", json={"credits": 1}, timeout=10).status_code == 400
    requests.post(f"{x.base_url}/_emulator/reset", timeout=10)
    assert x.tweet("hello").status_code == 201
