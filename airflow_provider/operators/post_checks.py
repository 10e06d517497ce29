"""The posts an upload feeds, checked before it uploads: nothing is uploaded for a post that cannot be made.

A task that uploads (``MediaUploadOperator``, ``MediaSubtitlesOperator``) calls :func:`check_downstream_posts` before
its first upload request. It finds the posts downstream of it in the same DAG (``get_flat_relatives``, Airflow's public
task API), renders each post's templated arguments for this run (the post task's public ``render_template``, with the
uploading task's context: the same ``params``, dates and ``conf``), and runs the check the post itself runs
(``TwitterHook.check_post``: text as X counts it, against the post's account; the number of media) and its options.

What cannot be known before the upstream tasks run is left to the post: an argument that is an ``XComArg``, or a
template that reads XCom or the task instance; the number of media when ``media_ids`` is not a list literal (a mapped
upload's output). A mapped post (``.expand``) is not checked early: its arguments exist only when it runs. So the
early check refuses only what the post would surely refuse, and the post checks everything again.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from airflow.providers.common.compat.sdk import XComArg

from airflow_provider.operators.sources import naming_sources
from airflow_provider.operators.thread import CreateThreadOperator
from airflow_provider.operators.tweet import CreateTweetOperator

if TYPE_CHECKING:
    from airflow.providers.common.compat.sdk import BaseOperator, Context

# A template that reads what upstream tasks leave (XCom, the task instance) renders to something else before they run.
_READS_RUN_STATE = re.compile(r"xcom|\bti\b|\btask_instance\b")


class Unknown:
    """A value that cannot be known before the upstream tasks run."""


UNKNOWN = Unknown()


def check_downstream_posts(task: BaseOperator, context: Context) -> None:
    """Refuse, before ``task`` uploads anything, a post downstream of it that cannot be made."""
    posts = [
        t for t in task.get_flat_relatives(upstream=False) if isinstance(t, CreateTweetOperator | CreateThreadOperator)
    ]
    for post in sorted(posts, key=lambda p: p.task_id):
        if isinstance(post, CreateTweetOperator):
            check_tweet(post, context)
        else:
            check_thread(post, context)


def rendered(post: BaseOperator, value: Any, context: Context) -> Any:
    """``value`` rendered for this run as ``post`` would render it, or ``UNKNOWN`` before the upstream tasks run."""
    if not_yet_known(value):
        return UNKNOWN
    return post.render_template(value, context)


def not_yet_known(value: Any) -> bool:
    if isinstance(value, XComArg):
        return True
    if isinstance(value, str):
        return "{" in value and bool(_READS_RUN_STATE.search(value))
    if isinstance(value, list | tuple | set):
        return any(not_yet_known(v) for v in value)
    if isinstance(value, dict):
        return any(not_yet_known(v) for v in value.values())
    return False


def media_count(media_ids: Any) -> int | None:
    """How many media a post carries, when its ``media_ids`` is a list literal (of upload outputs or ids)."""
    if media_ids is None:
        return 0
    if isinstance(media_ids, list | tuple):
        return len(media_ids)
    return None


def check_tweet(post: CreateTweetOperator, context: Context) -> None:
    raw = {name: getattr(post, name) for name in ("text", "community_id", "in_reply_to_tweet_id")}
    values = {name: rendered(post, value, context) for name, value in raw.items()}
    with naming_sources(post, raw, values, prefix=_refusal(post)):
        if values["text"] is not UNKNOWN:
            post.hook.check_post(values["text"], media_count(post.media_ids))
        if UNKNOWN not in (values["community_id"], values["in_reply_to_tweet_id"]):
            post.post_options(values["community_id"], values["in_reply_to_tweet_id"])


def check_thread(post: CreateThreadOperator, context: Context) -> None:
    if not isinstance(post.items, list | tuple):
        return  # the items come from an upstream task or a template: only the thread can check them
    for number, item in enumerate(post.items, start=1):
        if not isinstance(item, str | dict):
            continue  # the thread refuses it, naming it
        text, media_ids = (item, None) if isinstance(item, str) else (item.get("text", ""), item.get("media_ids"))
        value = rendered(post, text, context)
        if value is UNKNOWN:
            continue
        raw = {f"items[{number - 1}]['text']": text}
        with naming_sources(post, raw, dict.fromkeys(raw, value), prefix=f"{_refusal(post)}Thread item {number}: "):
            post.hook.check_post(value, media_count(media_ids))


def _refusal(post: BaseOperator) -> str:
    return f"Post task {post.task_id!r} cannot be made, so nothing was uploaded for it: "
