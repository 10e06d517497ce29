"""The posting account's subscription, which sets X's limits on post length and video duration
(:mod:`airflow_provider.rules.account`): given by the connection, or asked of X once and remembered.

Asking costs one read (``GET /2/users/me?user.fields=subscription_type``), and only when a limit is in question: a post
over 280 weighted characters, a video over 140 s. X may not say (a token without ``users.read``, a 4xx, X down); then
the account stays unknown, nothing is refused for its sake, and X judges.
"""

from __future__ import annotations

from dataclasses import dataclass

from airflow_provider.client.answers import data_of
from airflow_provider.client.log import Log
from airflow_provider.client.session import XSession
from airflow_provider.exceptions import TwitterApiError
from airflow_provider.rules.account import EXTRA_FIELD, describe, max_post_length, max_video_seconds
from airflow_provider.rules.text import MAX_WEIGHTED_LENGTH, check_post_text, weighted_length


@dataclass
class AccountMemory:
    """What is known of one connection's account; the hook keeps one per connection in the process (an optimisation:
    a new process asks again). ``subscription_type`` None: not known yet."""

    subscription_type: str | None = None
    source: str = ""


class Account:
    """The account of ``session``: ``memory`` holds what the connection gave or X said."""

    def __init__(self, session: XSession, log: Log, memory: AccountMemory | None = None) -> None:
        self.session = session
        self.log = log
        self.memory = memory or AccountMemory()
        self.asked = False  # X is asked at most once per client, even when it would not say

    def subscription_type(self) -> str | None:
        """The account's ``subscription_type`` (``None`` the string: no X Premium), or None when X would not say."""
        if self.memory.subscription_type is None and not self.asked:
            self.asked = True
            try:
                me = data_of(
                    self.session.request("GET", "/2/users/me", params={"user.fields": "subscription_type"}),
                    "GET /2/users/me",
                )
            except TwitterApiError as e:
                self.log.warning(
                    "X would not say the account's subscription (%s); X will judge the limits that depend on it. "
                    "Set the connection's extra '%s' to skip the question.",
                    e,
                    EXTRA_FIELD,
                )
                return None
            if isinstance(value := me.get("subscription_type"), str):
                self.memory.subscription_type, self.memory.source = value, "from X's GET /2/users/me"
        return self.memory.subscription_type

    @property
    def described(self) -> str:
        """The account as messages name it."""
        return describe(self.memory.subscription_type, self.memory.source)

    def check_text(self, text: str) -> None:
        """``check_post_text`` against this account's limit: up to 280 weighted characters no request is needed;
        over it, the account decides, and an account X would not describe is left to X."""
        if weighted_length(text) <= MAX_WEIGHTED_LENGTH:
            check_post_text(text)
            return
        subscription = self.subscription_type()
        check_post_text(text, max_length=max_post_length(subscription), account=self.described)

    def max_video_seconds(self) -> float | None:
        """The longest video to refuse before uploading: 140 s without X Premium; None (X judges) otherwise."""
        return max_video_seconds(self.subscription_type())
