"""What X checks when a post is created and shows when it is read back: weighted length, cashtags, media owners,
video duration, and the t.co link of attached media."""

from __future__ import annotations

import pytest
import requests

from airflow_provider.emulator.posttext import weighted_length
from tests.emulator.helpers import PNG_HEAD, FakeClock, MakeEmulator, XClient, last_reason, media_bytes, mp4_lasting

USER_ID = "1000000000000000001"
TOO_LONG = {
    "errors": [
        {
            "message": "Your Tweet text is too long. For more information on how Twitter determines text length see "
            "https://github.com/twitter/twitter-text."
        }
    ],
    "title": "Invalid Request",
    "detail": "One or more parameters to your request was invalid.",
    "type": "https://api.twitter.com/2/problems/invalid-request",
}


@pytest.mark.parametrize(
    ("text", "weight"),
    [
        ("a" * 280, 280),
        ("日本語", 6),  # CJK weighs 2
        ("\u2018quoted\u2019 \u2014 dash", 15),  # U+2010-U+201F weigh 1
        ("see https://example.com/" + "x" * 200, 27),  # a URL counts 23
        ("e\u0301", 1),  # NFC: e + combining acute is one é
        ("👍", 2),
    ],
)
def test_weighted_length(text: str, weight: int) -> None:
    assert weighted_length(text) == weight


def test_over_long_text_is_x_400_and_long_urls_fit(x: XClient) -> None:
    assert x.tweet("a" * 280).status_code == 201
    refused = x.tweet("b" * 281)
    assert (refused.status_code, refused.json()) == (400, TOO_LONG)
    assert x.tweet("字" * 141).json() == TOO_LONG
    assert x.tweet("c" * 250 + " https://example.com/" + "p" * 300).status_code == 201


@pytest.mark.parametrize("subscription", ["Basic", "Premium", "PremiumPlus"])
def test_a_subscriber_posts_up_to_25000(make_emulator: MakeEmulator, subscription: str) -> None:
    _, _, client = make_emulator(subscription_type=subscription)
    assert client.tweet("a" * 25_000).status_code == 201
    assert client.tweet("字" * 12_501).json() == TOO_LONG
    me = client.get("/2/users/me", params={"user.fields": "created_at,subscription_type"}).json()["data"]
    assert me["subscription_type"] == subscription


def test_users_me_gives_the_subscription_only_when_asked(x: XClient) -> None:
    assert "subscription_type" not in x.get("/2/users/me").json()["data"]
    asked = x.get("/2/users/me", params={"user.fields": "subscription_type"}).json()["data"]
    assert asked["subscription_type"] == "None"


def test_one_cashtag_per_post(x: XClient) -> None:
    assert x.tweet("buy $AAPL now").status_code == 201
    refused = x.tweet("$AAPL and $MSFT")
    assert refused.status_code == 403 and refused.json()["type"] == "about:blank"
    assert last_reason(x) == "2 cashtags"


def test_media_must_belong_to_the_poster_or_list_it(x: XClient) -> None:
    def foreign(owners: list[str]) -> str:
        body = {"owner_id": "42", "media_type": "image/png", "additional_owners": owners}
        response = requests.post(f"{x.base_url}/_emulator/media", json=body, timeout=10)
        assert response.status_code == 201
        return str(response.json()["id"])

    theirs = foreign([])
    refused = x.tweet("not mine", [theirs])
    assert refused.status_code == 400
    assert refused.json()["errors"] == [
        {"parameters": {"media.media_ids": [theirs]}, "message": "Your media IDs are invalid."}
    ]
    assert "belongs to user 42" in last_reason(x)
    assert x.tweet("shared with me", [foreign([USER_ID])]).status_code == 201


def test_video_duration_is_checked_at_processing(make_emulator: MakeEmulator) -> None:
    _, clock, client = make_emulator(processing_secs=1)
    long_video = client.upload(mp4_lasting(149), "video/mp4", "tweet_video")
    short_video = client.upload(mp4_lasting(0.2), "video/mp4", "tweet_video")
    fine_video = client.upload(mp4_lasting(140), "video/mp4", "tweet_video")
    clock.advance(1)
    assert client.status(long_video).json()["data"]["processing_info"] == {
        "state": "failed",
        "error": {
            "code": 3,
            "name": "UnsupportedMedia",
            "message": "Duration 2.minutes+29.seconds exceeds max duration of 2.minutes+20.seconds",
        },
    }
    assert client.status(short_video).json()["data"]["processing_info"]["state"] == "failed"
    assert client.tweet("too long", [long_video]).json()["errors"][0]["message"] == "Your media IDs are invalid."
    assert client.tweet("fine", [fine_video]).status_code == 201


def test_read_back_text_ends_with_the_media_link(x: XClient, clock: FakeClock) -> None:
    image = x.upload(media_bytes(PNG_HEAD, 300), "image/png", "tweet_image")
    created = x.tweet("with media", [image]).json()["data"]
    assert created["text"] == "with media"
    looked_up = x.get(f"/2/tweets/{created['id']}").json()["data"]
    assert looked_up["text"].startswith("with media https://t.co/")
    assert len(looked_up["text"]) == len("with media https://t.co/") + 10
    listed = x.get(f"/2/users/{USER_ID}/tweets").json()["data"][0]
    assert listed["text"] == looked_up["text"]
    plain = x.tweet("no media").json()["data"]["id"]
    assert x.get(f"/2/tweets/{plain}").json()["data"]["text"] == "no media"


def test_unknown_post_is_a_partial_error(x: XClient) -> None:
    response = x.get("/2/tweets/1234")
    assert response.status_code == 200
    (error,) = response.json()["errors"]
    assert error["type"] == "https://api.twitter.com/2/problems/resource-not-found"
    assert error["detail"] == "Could not find tweet with id: [1234]."
