"""Create a post on X, with media attached."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from airflow.providers.common.compat.sdk import BaseOperator

from airflow_provider import DEFAULT_CONN_ID
from airflow_provider.arguments import check_conn_id, check_hook_params
from airflow_provider.hooks.mixin import TwitterHookMixin

if TYPE_CHECKING:
    from airflow.providers.common.compat.sdk import Context


class CreateTweetOperator(TwitterHookMixin, BaseOperator):
    """
    Publish a post with ``POST /2/tweets``.

    Media must have finished processing (see :class:`~airflow_provider.sensors.media.MediaProcessingSensor`);
    X refuses the post otherwise, so nothing is ever posted without its media. If the answer to the post is
    lost, or the task was killed after X accepted the post, the retry finds that post and returns it instead of
    posting again: one run, one post. For a post with media this is certain (the media ids are this run's own);
    for text alone, a post with the same text made since the DAG run started is taken as this run's.

    :param text: Text of the post. (templated)
    :param media_ids: Up to 4 uploads' outputs or media ids, for example ``[upload.output]``. (templated)
    :param twitter_conn_id: Connection of type ``twitter``.
    :param hook_params: Extra keyword arguments for :class:`~airflow_provider.hooks.twitter.TwitterHook`.
    :return: X's ``data`` for the post: ``{"id": ..., "text": ...}``.
    """

    template_fields: Sequence[str] = ("text", "media_ids")
    ui_color = "#e8f5fd"

    def __init__(
        self,
        *,
        text: str,
        media_ids: Sequence[Any] | None = None,
        twitter_conn_id: str = DEFAULT_CONN_ID,
        hook_params: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.text = text
        self.media_ids = media_ids
        self.twitter_conn_id = check_conn_id(twitter_conn_id)
        self.hook_params = check_hook_params(hook_params)

    def execute(self, context: Context) -> dict[str, Any]:
        earlier_attempt_since = None
        if context["ti"].try_number > 1:  # an earlier try may have posted before it died
            started = context["dag_run"].start_date
            earlier_attempt_since = started.timestamp() if started else 0.0
        post = self.hook.create_tweet(self.text, self.media_ids, earlier_attempt_since=earlier_attempt_since)
        self.log.info("Posted https://x.com/i/web/status/%s", post["id"])
        return post
