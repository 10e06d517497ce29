"""Delete posts on X: one post, a post task's output, or a thread's, safe to run again."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from airflow.providers.common.compat.sdk import BaseOperator

from airflow_provider import DEFAULT_CONN_ID
from airflow_provider.hooks.mixin import TwitterHookMixin
from airflow_provider.hooks.params import check_conn_id, check_hook_params

if TYPE_CHECKING:
    from airflow.providers.common.compat.sdk import Context


class DeleteTweetOperator(TwitterHookMixin, BaseOperator):
    """
    Delete the account's posts with ``DELETE /2/tweets/{id}``, a thread's last item first.

    A post that is already gone counts as deleted, so the task can be retried or run twice: a retry after a lost
    answer finds the post gone and succeeds. Typical use is a clean-up after a failure, with
    ``trigger_rule="one_failed"``: ``posts=XComArg(thread, key="posted")`` deletes what a thread posted before it
    stopped (``dags/example_twitter_thread.py``).

    :param posts: A post id, ``CreateTweetOperator``'s output (``post.output``), ``CreateThreadOperator``'s
        (``thread.output``, or its XCom ``posted``), or a list of these; None or ``[]`` deletes nothing. (templated)
    :param twitter_conn_id: Connection of type ``twitter``; the posts must be its account's.
    :param hook_params: Extra keyword arguments for :class:`~airflow_provider.hooks.twitter.TwitterHook`.
    :return: ``{"deleted": [...], "already_gone": [...]}``: the ids, in the order they were deleted.
    """

    template_fields: Sequence[str] = ("posts",)
    ui_color = "#fde8e8"

    def __init__(
        self,
        *,
        posts: Any,
        twitter_conn_id: str = DEFAULT_CONN_ID,
        hook_params: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.posts = posts
        self.twitter_conn_id = check_conn_id(twitter_conn_id)
        self.hook_params = check_hook_params(hook_params)

    def execute(self, context: Context) -> dict[str, list[str]]:
        outcome = self.hook.delete_tweet(self.posts)
        for post_id in outcome["deleted"]:
            self.log.info("Deleted post %s", post_id)
        if outcome["already_gone"]:
            self.log.info("Already gone (deleted before): %s", ", ".join(outcome["already_gone"]))
        return outcome
