"""Options of a post beyond its text and media, from X's ``CreatePostsRequest`` (OAS 2.167), checked before sending.

X refuses a body with a field it does not know or a value outside its schema (``additionalProperties: false``),
so each option is checked here with the schema's own rules and a message naming the option and the fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from airflow_provider.exceptions import TwitterInputError

# CreatePostsRequest.reply_settings; leaving it out lets everyone reply.
REPLY_SETTINGS = ("following", "mentionedUsers", "subscribers", "verified")
_ID = re.compile(r"[0-9]{1,19}")


@dataclass(frozen=True)
class PostOptions:
    """``reply_settings``: who may reply (None: everyone). ``made_with_ai`` and ``paid_partnership``: X's labels.
    ``community_id``: post in that community; ``share_with_followers`` also shows it to followers (needs
    ``community_id``). ``in_reply_to_tweet_id``: make the post a reply to that post."""

    reply_settings: str | None = None
    made_with_ai: bool | None = None
    paid_partnership: bool | None = None
    community_id: str | None = None
    share_with_followers: bool | None = None
    in_reply_to_tweet_id: str | None = None

    def __post_init__(self) -> None:
        if self.reply_settings is not None and self.reply_settings not in REPLY_SETTINGS:
            raise TwitterInputError(
                f"reply_settings must be one of {', '.join(REPLY_SETTINGS)} (or None for everyone), got "
                f"{self.reply_settings!r}."
            )
        for name in ("made_with_ai", "paid_partnership", "share_with_followers"):
            if (value := getattr(self, name)) is not None and not isinstance(value, bool):
                raise TwitterInputError(f"{name} must be True, False or None, got {type(value).__name__} {value!r}.")
        for name in ("community_id", "in_reply_to_tweet_id"):
            value = getattr(self, name)
            if value is not None and not (isinstance(value, str | int) and _ID.fullmatch(str(value).strip())):
                raise TwitterInputError(f"{name} must be an X id (1 to 19 ASCII digits), got {value!r}.")
        if self.share_with_followers is not None and self.community_id is None:
            raise TwitterInputError(
                "share_with_followers applies to a community post: set community_id too, or leave it out."
            )

    def body(self) -> dict[str, Any]:
        """The fields of ``POST /2/tweets`` these options set; nothing for an option left at None."""
        body: dict[str, Any] = {
            name: value
            for name in ("reply_settings", "made_with_ai", "paid_partnership", "share_with_followers")
            if (value := getattr(self, name)) is not None
        }
        if self.community_id is not None:
            body["community_id"] = str(self.community_id).strip()
        if self.in_reply_to_tweet_id is not None:
            body["reply"] = {"in_reply_to_tweet_id": str(self.in_reply_to_tweet_id).strip()}
        return body
