"""Create a post on X, with media attached."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from airflow.providers.common.compat.sdk import BaseOperator

from airflow_provider import DEFAULT_CONN_ID
from airflow_provider.hooks.mixin import TwitterHookMixin
from airflow_provider.hooks.params import check_conn_id, check_hook_params
from airflow_provider.links.post import ViewOnXLink
from airflow_provider.operators.earlier_tries import earlier_tries_since
from airflow_provider.rules.post_options import PostOptions

if TYPE_CHECKING:
    from airflow.providers.common.compat.sdk import Context


class CreateTweetOperator(TwitterHookMixin, BaseOperator):
    """
    Publish a post with ``POST /2/tweets``.

    Media must have finished processing: pass the sensor's output (``[wait.output]``), which says so, and the post
    asks X nothing more about it; given an upload's output or a bare id of a video, the post asks X's STATUS once and
    refuses media still processing, so nothing is ever posted without its media. If the answer to the post is
    lost, or the task was killed after X accepted the post, the retry finds that post and returns it instead of
    posting again: one run, one post. For a post with media this is certain (the media ids are this run's own);
    for text alone, a post with the same text made since the DAG run began (``run_after``, which stays when the task
    is cleared) is taken as this run's.

    :param text: Text of the post. (templated)
    :param media_ids: Up to 4 media: receipts (``[wait.output]`` of ``MediaProcessingSensor``, ``[upload.output]``
        of an image's ``MediaUploadOperator``, or a mapped upload's ``upload.output``) or media ids. (templated)
    :param reply_settings: Who may reply: ``following``, ``mentionedUsers``, ``subscribers`` or ``verified``;
        None (the default) lets everyone.
    :param made_with_ai: Label the post as made with AI.
    :param paid_partnership: Label the post as a paid partnership.
    :param community_id: Post in this community. (templated)
    :param share_with_followers: With ``community_id``, also show the post to followers.
    :param in_reply_to_tweet_id: Make the post a reply to this post. (templated)
    :param twitter_conn_id: Connection of type ``twitter``.
    :param hook_params: Extra keyword arguments for :class:`~airflow_provider.hooks.twitter.TwitterHook`.
    :return: The post: ``{"id": ..., "text": ..., "url": ...}``, ``url`` on x.com (or the emulator's page of it),
        also the task page's "View on X" link.
    """

    template_fields: Sequence[str] = ("text", "media_ids", "community_id", "in_reply_to_tweet_id")
    ui_color = "#e8f5fd"
    operator_extra_links = (ViewOnXLink(),)

    def __init__(
        self,
        *,
        text: str,
        media_ids: Sequence[Any] | None = None,
        reply_settings: str | None = None,
        made_with_ai: bool | None = None,
        paid_partnership: bool | None = None,
        community_id: str | None = None,
        share_with_followers: bool | None = None,
        in_reply_to_tweet_id: str | None = None,
        twitter_conn_id: str = DEFAULT_CONN_ID,
        hook_params: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.text = text
        self.media_ids = media_ids
        # Options that are not templated are checked now: a bad one fails the DAG at parse time.
        PostOptions(reply_settings=reply_settings, made_with_ai=made_with_ai, paid_partnership=paid_partnership)
        self.reply_settings = reply_settings
        self.made_with_ai = made_with_ai
        self.paid_partnership = paid_partnership
        self.community_id = community_id
        self.share_with_followers = share_with_followers
        self.in_reply_to_tweet_id = in_reply_to_tweet_id
        self.twitter_conn_id = check_conn_id(twitter_conn_id)
        self.hook_params = check_hook_params(hook_params)

    def execute(self, context: Context) -> dict[str, Any]:
        options = PostOptions(
            reply_settings=self.reply_settings,
            made_with_ai=self.made_with_ai,
            paid_partnership=self.paid_partnership,
            community_id=self.community_id or None,
            share_with_followers=self.share_with_followers,
            in_reply_to_tweet_id=self.in_reply_to_tweet_id or None,
        )
        # An earlier try may have posted before it died: the hook finds that post instead of posting again.
        post = self.hook.create_tweet(
            self.text, self.media_ids, options=options, earlier_attempt_since=earlier_tries_since(context)
        )
        ViewOnXLink.persist(context, post["url"])
        self.log.info("Posted %s", post["url"])
        return post
