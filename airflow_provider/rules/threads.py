"""A thread: items posted as a chain of replies, checked whole before the first request, and found again on X.

Airflow clears a task's XCom at each try, so a retried thread task learns what an earlier try posted from X itself:
the account's own posts since the DAG run began. Item 1 is the post carrying item 1's media ids (minted for this run
alone) or, without media, its text; item k+1 is the post that replies to item k's post and carries item k+1's media.
The reply link is what makes the match certain: item k's id was minted for this run, and only this task replies to
it. Text is not compared for replies, because X reads a post with media or a URL back with ``t.co`` links.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from airflow_provider.exceptions import TwitterApiError, TwitterInputError, TwitterRejectedError
from airflow_provider.rules.posts import post_url
from airflow_provider.rules.receipt import MediaReceipt, parse_media_list
from airflow_provider.rules.text import check_post_text, extract_urls

ITEM_KEYS = ("text", "media_ids")
# X's rule on replies for self-serve apps (DOCS changelog 2026-02-23; x-api/posts/manage-tweets/integrate.mdx).
REPLY_RULE = (
    "Since 2026-02-23 X lets self-serve (pay-per-use) apps reply only where the original post's author summoned "
    "the replying account (mentioned it or quoted one of its posts); whether a reply to one's own post is exempt "
    'is not documented (docs/operators.md, "X\'s rules on replies (2026)").'
)


@dataclass(frozen=True)
class ThreadItem:
    """One post of a thread: its text, and its media as given (ids or upload outputs) and as parsed."""

    number: int
    text: str
    media_ids: list[Any]
    media: list[MediaReceipt]

    @property
    def ids(self) -> list[str]:
        return sorted(m.media_id for m in self.media)


def parse_thread(items: Any) -> list[ThreadItem]:
    """The items of a thread, each checked as a post is, so that a bad item fails the task before item 1 is posted.

    An item is a dict with ``text`` and/or ``media_ids`` (ids or receipts, as CreateTweetOperator
    takes them), or a string (text alone). Two items with the same text and media would be X's duplicate content.
    """
    if isinstance(items, str | Mapping) or not isinstance(items, Sequence) or not items:
        raise TwitterInputError(
            f"items must be a non-empty list of posts, each {{'text': ..., 'media_ids': [...]}} or a string; got "
            f"{type(items).__name__} {items!r}."
        )
    parsed = [_parse_item(number, item) for number, item in enumerate(items, start=1)]
    seen: dict[tuple[str, tuple[str, ...]], int] = {}
    for item in parsed:
        key = (item.text.strip(), tuple(item.ids))
        if key in seen:
            raise TwitterInputError(
                f"Thread items {seen[key]} and {item.number} have the same text and media; X refuses the second as "
                "duplicate content. Make each item's text different."
            )
        seen[key] = item.number
    return parsed


def _parse_item(number: int, item: Any) -> ThreadItem:
    if isinstance(item, str):
        item = {"text": item}
    if not isinstance(item, Mapping):
        raise TwitterInputError(
            f"Thread item {number} must be a dict with 'text' and/or 'media_ids', or a string; got "
            f"{type(item).__name__} {item!r}."
        )
    if unknown := sorted(set(item) - set(ITEM_KEYS)):
        raise TwitterInputError(
            f"Thread item {number} has unknown key(s) {', '.join(map(repr, unknown))}; an item takes "
            f"{' and '.join(ITEM_KEYS)}. Post options (reply_settings, made_with_ai, ...) are the operator's arguments."
        )
    text = item.get("text", "")
    if not isinstance(text, str):
        raise TwitterInputError(f"Thread item {number}: text must be a string, got {type(text).__name__} {text!r}.")
    media_ids = item.get("media_ids") or []
    try:
        media = parse_media_list(media_ids, argument=f"thread item {number}'s media_ids")
        check_post_text(text)
    except TwitterInputError as e:
        raise TwitterInputError(f"Thread item {number}: {e}") from None
    if not text.strip() and not media:
        raise TwitterInputError(f"Thread item {number} has neither text nor media_ids; every post needs one.")
    return ThreadItem(number, text, list(media_ids), media)


def posted_chain(items: Sequence[ThreadItem], posts: Sequence[Mapping[str, Any]], root: str | None) -> list[str]:
    """The ids of items 1..k that ``posts`` (the account's own, any order) show already posted as this thread.

    ``root`` is the post item 1 replies to (None: item 1 is a post of its own). The walk stops at the first item
    not found, so the result is always a prefix of the thread.
    """
    oldest_first = sorted(posts, key=lambda post: int(post.get("id") or 0))
    ids: list[str] = []
    parent = root
    for item in items:
        found = next((post for post in oldest_first if _is_item(post, item, parent)), None)
        if found is None:
            break
        ids.append(str(found["id"]))
        parent = ids[-1]
    return ids


def _is_item(post: Mapping[str, Any], item: ThreadItem, parent: str | None) -> bool:
    if _replied_to(post) != parent or _media_ids(post) != item.ids:
        return False
    # A reply to a post of this thread, or a post with this run's media, is this item; a root without media is
    # known by its text alone, as CreateTweetOperator knows its own post, its URLs aside (X reads them back as t.co).
    return parent is not None or bool(item.ids) or _without_urls(str(post.get("text"))) == _without_urls(item.text)


def _without_urls(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    for url in extract_urls(text):
        text = text.replace(url, "\0", 1)
    return text


def _replied_to(post: Mapping[str, Any]) -> str | None:
    """The id of the post ``post`` replies to (X's ``referenced_tweets`` of type ``replied_to``), or None."""
    for reference in post.get("referenced_tweets") or []:
        if reference.get("type") == "replied_to":
            return str(reference.get("id"))
    return None


def _media_ids(post: Mapping[str, Any]) -> list[str]:
    keys = (post.get("attachments") or {}).get("media_keys") or []
    return sorted(str(key).rsplit("_", 1)[-1] for key in keys)


def link(post_id: str) -> str:
    return post_url(post_id)


def broken_thread(error: TwitterApiError, item: ThreadItem, posted: Sequence[str], total: int) -> TwitterApiError:
    """X's error for ``item``, of the same class (so Airflow retries it or not as before), naming which items are on X
    and which are not, and what to do. With nothing posted yet, X's error is returned as it is."""
    if not posted:
        return error
    done = ", ".join(f"item {n} {link(post_id)}" for n, post_id in enumerate(posted, start=1))
    rest = f"item {total}" if item.number == total else f"items {item.number} to {total}"
    summary = f"The thread stopped at item {item.number} of {total}. Posted: {done}. Not posted: {rest}."
    resume = f"resumes after item {item.number - 1} and posts no item twice"
    if not isinstance(error, TwitterRejectedError):
        action = f"This may pass: the task's next try {resume} (give the task retries, or clear it)."
    elif error.http_status == 403 and "duplicate" not in f"{error.title}".lower():
        action = (
            f"X refused item {item.number} as a reply to {posted[-1]}. {REPLY_RULE} Either post the rest by hand as "
            f"replies to {link(posted[-1])}, or delete the posted items on X. Once X accepts such replies (for "
            f"example after a change of access tier), clear this task: its next try {resume}."
        )
    else:
        action = f"{error.hint or 'Fix what X names above.'} Then clear this task: its next try {resume}."
    broken = type(error)(
        endpoint=error.endpoint,
        http_status=error.http_status,
        title=error.title,
        detail=error.detail,
        errors=error.errors,
        rate_limit_reset=error.rate_limit_reset,
        hint=f"{summary} {action}",
    )
    broken.attempts = error.attempts
    return broken
