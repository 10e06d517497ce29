"""Replies: X's rule since 2026-02-23 (a self-serve app replies only when summoned), the self-reply switch, and how a
reply reads back (``referenced_tweets``)."""

from __future__ import annotations

from typing import Any

import requests

from airflow_provider.emulator.cli import _config, _parser
from airflow_provider.emulator.errors import REPLY_NOT_SUMMONED
from tests.emulator.helpers import MakeEmulator, XClient, last_reason

USER_ID = "1000000000000000001"


def reply(x: XClient, text: str, to: str, **fields: Any) -> requests.Response:
    return x.post("/2/tweets", json={"text": text, "reply": {"in_reply_to_tweet_id": to}, **fields})


def test_a_reply_to_an_own_post_that_summons_nobody_is_refused_by_default(x: XClient) -> None:
    first = x.tweet("A thread (1/2)").json()["data"]["id"]
    refused = reply(x, "(2/2)", first)

    assert refused.status_code == 403
    assert refused.json() == {"title": "Forbidden", "type": "about:blank", "status": 403, "detail": REPLY_NOT_SUMMONED}
    assert "self-replies are refused" in last_reason(x)
    assert len(x.admin("posts")) == 1


def test_a_mention_or_a_quote_summons_the_replier(x: XClient) -> None:
    mentioning = x.tweet("Over to @Emulator for the details").json()["data"]["id"]
    assert reply(x, "Here they are", mentioning).status_code == 201
    lookalike = x.tweet("Not a mention: me@emulator, @emulators").json()["data"]["id"]
    assert reply(x, "No", lookalike).status_code == 403
    quoting = x.post("/2/tweets", json={"text": "Worth reading again", "quote_tweet_id": lookalike}).json()["data"][
        "id"
    ]
    assert reply(x, "Yes", quoting).status_code == 201


def test_self_replies_switch_allows_a_thread(make_emulator: MakeEmulator) -> None:
    _, _, x = make_emulator(self_replies=True)
    first = x.tweet("A thread (1/2)").json()["data"]["id"]
    assert reply(x, "(2/2)", first).status_code == 201


def test_a_reply_reads_back_with_its_parent(make_emulator: MakeEmulator) -> None:
    _, _, x = make_emulator(self_replies=True)
    first = x.tweet("root").json()["data"]["id"]
    second = reply(x, "child", first).json()["data"]["id"]

    assert "referenced_tweets" not in x.get(f"/2/tweets/{first}").json()["data"]
    assert x.get(f"/2/tweets/{second}").json()["data"]["referenced_tweets"] == [{"type": "replied_to", "id": first}]
    newest = x.get(f"/2/users/{USER_ID}/tweets").json()["data"][0]
    assert newest["referenced_tweets"] == [{"type": "replied_to", "id": first}]


def test_cli_switch() -> None:
    assert _config(_parser().parse_args([])).self_replies is False
    assert _config(_parser().parse_args(["--self-replies"])).self_replies is True
