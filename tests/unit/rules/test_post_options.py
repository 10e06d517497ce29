"""Post options are checked with the rules of X's CreatePostsRequest before anything is sent."""

from __future__ import annotations

from typing import Any

import pytest

from airflow_provider.exceptions import TwitterInputError
from airflow_provider.rules.post_options import PostOptions


def test_only_options_set_reach_the_body() -> None:
    assert PostOptions().body() == {}
    options = PostOptions(
        reply_settings="mentionedUsers",
        made_with_ai=True,
        paid_partnership=False,
        community_id="1234",
        share_with_followers=True,
        in_reply_to_tweet_id=" 1800000000000000001 ",
    )
    assert options.body() == {
        "reply_settings": "mentionedUsers",
        "made_with_ai": True,
        "paid_partnership": False,
        "community_id": "1234",
        "share_with_followers": True,
        "reply": {"in_reply_to_tweet_id": "1800000000000000001"},
    }


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"reply_settings": "everyone"}, "reply_settings must be one of following, mentionedUsers"),
        ({"made_with_ai": "yes"}, "made_with_ai must be True, False or None"),
        ({"paid_partnership": 1}, "paid_partnership must be True, False or None"),
        ({"community_id": "abc"}, "community_id must be an X id"),
        ({"in_reply_to_tweet_id": "١٢٣"}, "in_reply_to_tweet_id must be an X id"),  # Arabic-Indic digits
        ({"share_with_followers": True}, "share_with_followers applies to a community post"),
    ],
)
def test_bad_option_is_named(options: dict[str, Any], message: str) -> None:
    with pytest.raises(TwitterInputError, match=message):
        PostOptions(**options)
