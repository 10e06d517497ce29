"""The account's subscription: given by the connection, else asked of X once; unknown when X will not say."""

from __future__ import annotations

import pytest

from airflow_provider.client.account import AccountMemory
from airflow_provider.exceptions import TwitterInputError
from tests.unit.fake_x import FakeX, query, x_client

LONG = "x" * 300  # over 280, far under 25,000


def me(subscription_type: str) -> tuple[int, dict[str, object]]:
    return 200, {"data": {"id": "1", "username": "u", "subscription_type": subscription_type}}


def test_text_within_280_needs_no_request(fake_x: FakeX) -> None:
    x_client().account.check_text("x" * 280)
    assert fake_x.requests == []


def test_the_connection_setting_is_used_without_asking_x(fake_x: FakeX) -> None:
    account = x_client(account=AccountMemory("Premium", "the connection's extra 'subscription_type'")).account
    account.check_text(LONG)
    with pytest.raises(TwitterInputError, match=r"25,001 .* at most 25,000 for an X Premium subscriber \(subscr"):
        account.check_text("x" * 25_001)
    assert fake_x.requests == []


def test_over_280_x_is_asked_once_and_its_answer_remembered(fake_x: FakeX) -> None:
    fake_x.on("GET", "/2/users/me", me("None"))
    memory = AccountMemory()
    account = x_client(account=memory).account
    for _ in range(2):
        with pytest.raises(TwitterInputError, match=r"300 .* at most 280 for an account without X Premium .*from X"):
            account.check_text(LONG)
    (request,) = fake_x.requests
    assert query(request)["user.fields"] == ["subscription_type"]
    assert memory.subscription_type == "None"  # the hook shares it between the connection's clients
    x_client(account=memory).account.check_text("x" * 280)
    assert len(fake_x.requests) == 1


def test_a_subscriber_may_post_long_text(fake_x: FakeX) -> None:
    fake_x.on("GET", "/2/users/me", me("PremiumPlus"))
    x_client().account.check_text(LONG)


@pytest.mark.parametrize("answer", [(403, {"title": "Forbidden"}), (200, {"data": {"id": "1"}})])
def test_when_x_will_not_say_nothing_is_refused_for_the_account(fake_x: FakeX, answer: tuple[int, object]) -> None:
    fake_x.on("GET", "/2/users/me", answer)
    account = x_client().account
    account.check_text(LONG)  # X judges
    account.check_text(LONG)
    assert len(fake_x.requests) == 1  # asked once per client, even when X would not say
    assert account.max_video_seconds() is None
    with pytest.raises(TwitterInputError, match="cashtags"):  # what does not depend on the account still does
        account.check_text("$TSLA $AAPL " + LONG)


@pytest.mark.parametrize(("subscription", "seconds"), [("None", 140.0), ("Basic", None), ("Premium", None)])
def test_video_limit_follows_the_account(fake_x: FakeX, subscription: str, seconds: float | None) -> None:
    assert x_client(account=AccountMemory(subscription, "extra")).account.max_video_seconds() == seconds
