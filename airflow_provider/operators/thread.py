"""Post a thread on X: a list of items as a chain of replies, each item posted exactly once across retries."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from airflow.providers.common.compat.sdk import BaseOperator

from airflow_provider import DEFAULT_CONN_ID
from airflow_provider.exceptions import TwitterApiError
from airflow_provider.hooks.mixin import TwitterHookMixin
from airflow_provider.hooks.params import check_conn_id, check_hook_params
from airflow_provider.links.post import ViewOnXLink
from airflow_provider.operators.earlier_tries import earlier_tries_since
from airflow_provider.rules.post_options import PostOptions
from airflow_provider.rules.threads import broken_thread, link, parse_thread, posted_chain

if TYPE_CHECKING:
    from airflow.providers.common.compat.sdk import Context

# The XCom where the task keeps the ids of the items on X so far.
POSTED_KEY = "posted"


class CreateThreadOperator(TwitterHookMixin, BaseOperator):
    """
    Post ``items`` as a thread: item 1 a post, item k+1 a reply to item k.

    Every item is checked before the first request (text as X counts it, media ids and their count, the options),
    and the media of every item are checked on X (processed, not expired, no forbidden mix), so that a thread does
    not stop half-way on input that could be known at the start. A retried try reads the account's posts since the
    DAG run began, finds the items an earlier try posted (item 1 by its media ids or text, each next item as the
    reply to the previous one) and posts the rest: no item twice, none lost. If X refuses an item after others
    are posted, the task fails naming the posted items (ids and links) and those not posted, and what to do.

    As it goes the task keeps the ids posted so far in its XCom ``posted`` (``[]`` before the first post), which
    outlives a failure: a clean-up task (``DeleteTweetOperator(posts=XComArg(thread, key="posted"),
    trigger_rule="one_failed")``) can delete a thread that stopped part-way. Item 1's URL is its "View on X" link.

    Since 2026-02-23 X lets self-serve apps reply only where the replied-to post's author summoned the replying
    account; whether replies to one's own posts are exempt is not documented (docs/operators.md, "X's rules on
    replies (2026)").

    :param items: The posts, in order: each ``{"text": ..., "media_ids": [...]}`` (media ids or
        receipts such as ``wait.output``, up to 4 per item, as CreateTweetOperator takes them) or a string. (templated)
    :param reply_settings: Who may reply to each post: ``following``, ``mentionedUsers``, ``subscribers`` or
        ``verified``; None (the default) lets everyone.
    :param made_with_ai: Label every post as made with AI.
    :param paid_partnership: Label every post as a paid partnership.
    :param in_reply_to_tweet_id: Make item 1 a reply to this post, to continue a thread. (templated)
    :param twitter_conn_id: Connection of type ``twitter``.
    :param hook_params: Extra keyword arguments for :class:`~airflow_provider.hooks.twitter.TwitterHook`.
    :return: The posts' ids, in the order of ``items``.
    """

    template_fields: Sequence[str] = ("items", "in_reply_to_tweet_id")
    ui_color = "#e8f5fd"
    operator_extra_links = (ViewOnXLink(),)

    def __init__(
        self,
        *,
        items: Any,
        reply_settings: str | None = None,
        made_with_ai: bool | None = None,
        paid_partnership: bool | None = None,
        in_reply_to_tweet_id: str | None = None,
        twitter_conn_id: str = DEFAULT_CONN_ID,
        hook_params: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.items = items
        # Options that are not templated are checked now: a bad one fails the DAG at parse time.
        PostOptions(reply_settings=reply_settings, made_with_ai=made_with_ai, paid_partnership=paid_partnership)
        self.reply_settings = reply_settings
        self.made_with_ai = made_with_ai
        self.paid_partnership = paid_partnership
        self.in_reply_to_tweet_id = in_reply_to_tweet_id
        self.twitter_conn_id = check_conn_id(twitter_conn_id)
        self.hook_params = check_hook_params(hook_params)

    def _options(self, parent: str | None) -> PostOptions:
        return PostOptions(
            reply_settings=self.reply_settings,
            made_with_ai=self.made_with_ai,
            paid_partnership=self.paid_partnership,
            in_reply_to_tweet_id=parent,
        )

    def execute(self, context: Context) -> list[str]:
        items = parse_thread(self.items)
        root_id = str(self.in_reply_to_tweet_id).strip() if self.in_reply_to_tweet_id else None
        self._options(root_id)  # the options and item 1's parent, checked before any request
        posted: list[str] = []
        since = earlier_tries_since(context)
        if since is not None:  # an earlier try may have posted part of the thread before it died
            posted = posted_chain(items, self.hook.own_posts_since(since), root_id)
            if posted:
                self.log.warning(
                    "An earlier try posted items 1 to %d of %d (last %s); posting the rest.",
                    len(posted),
                    len(items),
                    link(posted[-1]),
                )
        self._keep(context, posted, link_first=bool(posted))
        for item in items[len(posted) :]:  # every media on X checked before the first post: no thread stops on one
            if item.media:
                self.hook.check_media_postable(item.media)
        for item in items[len(posted) :]:
            parent = posted[-1] if posted else root_id
            try:
                post = self.hook.create_tweet(
                    item.text,
                    item.media_ids,
                    check_media=False,
                    options=self._options(parent),
                    earlier_attempt_since=since,
                )
            except TwitterApiError as e:
                raise broken_thread(e, item, posted, len(items)) from None
            posted.append(str(post["id"]))
            self._keep(context, posted, link_first=len(posted) == 1)
            self.log.info("Posted item %d of %d: %s", item.number, len(items), link(post["id"]))
        return posted

    def _keep(self, context: Context, posted: list[str], *, link_first: bool) -> None:
        """What is on X so far, in XCom, for a clean-up after a failure; item 1's URL for the link, once."""
        context["ti"].xcom_push(key=POSTED_KEY, value=list(posted))
        if link_first:
            ViewOnXLink.persist(context, self.hook.post_url(posted[0]))
