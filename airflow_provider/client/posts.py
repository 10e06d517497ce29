"""X's post endpoints: the account, its timeline, a post made exactly once across retries, and deleted again.

A retried post looks for what an earlier attempt made before posting again: a post with media by its media ids, which
X minted for this run alone (its text is not compared: X reads a post with media back with a ``t.co`` link appended),
and a post without media by its text, since a given time. The timeline is read page by page, at most 1,000 posts.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from airflow_provider.client.answers import data_of
from airflow_provider.client.log import Log
from airflow_provider.client.media import MediaEndpoints
from airflow_provider.client.session import XSession
from airflow_provider.exceptions import TwitterApiError, TwitterInputError, TwitterRejectedError
from airflow_provider.rules.post_options import PostOptions
from airflow_provider.rules.posts import post_url
from airflow_provider.rules.processing import minted_at
from airflow_provider.rules.receipt import parse_media_list
from airflow_provider.rules.text import check_post_text

# How far back the search for a post made by an earlier attempt looks: 10 pages of 100 posts.
TIMELINE_PAGES = 10
# Clocks of this machine and X's differ: look this much further back.
CLOCK_SLACK_SECS = 10.0


class PostEndpoints:
    """The post endpoints of one account, through ``session``; media are checked through ``media``."""

    def __init__(self, session: XSession, media: MediaEndpoints, log: Log) -> None:
        self.session = session
        self.media = media
        self.log = log

    def me(self) -> dict[str, Any]:
        return data_of(self.session.request("GET", "/2/users/me"), "GET /2/users/me")

    def create(
        self,
        text: str,
        media_ids: Sequence[Any] | None = None,
        *,
        check_media: bool = True,
        options: PostOptions | None = None,
        earlier_attempt_since: float | None = None,
    ) -> dict[str, Any]:
        """Post once: ``{"id", "text", "url"}`` of the post (``url``: :meth:`url`).

        ``media_ids`` takes media ids or receipts. With ``check_media``, media are checked first (see
        :meth:`MediaEndpoints.check_postable`), so that a media still processing, failed, expired or in a forbidden
        mix gets a clear error and no post is tried.

        Exactly one post: ``earlier_attempt_since`` (epoch seconds; a retried task passes it) says an earlier try may
        already have posted; a post with media is then looked for first, by its media ids. A post whose answer was
        lost within this call is retried; if X calls the retry a duplicate, the earlier attempt's post is looked for
        and returned.
        """
        media = parse_media_list(media_ids)
        if not isinstance(text, str):
            raise TwitterInputError(f"text must be a string, got {type(text).__name__}: pass the post's text.")
        ids = [m.media_id for m in media]
        if not text.strip() and not ids:
            raise TwitterInputError("A post needs text or media: text is empty and there are no media_ids.")
        check_post_text(text)
        if media and check_media:
            self.media.check_postable(media)
        if ids and earlier_attempt_since is not None and (post := self.find_own_post(text, ids)):
            self.log.warning("An earlier try of this task made post %s; using it instead of posting again.", post["id"])
            return self._output(post)
        body: dict[str, Any] = {"text": text, **(options or PostOptions()).body()}
        if ids:
            body["media"] = {"media_ids": ids}
        started = time.time() if earlier_attempt_since is None else earlier_attempt_since
        try:
            return self._output(data_of(self.session.request("POST", "/2/tweets", json=body), "POST /2/tweets"))
        except TwitterApiError as e:
            if not _is_duplicate(e):
                raise
            earlier = e.attempts > 1 or earlier_attempt_since is not None
            if earlier and (post := self.find_own_post(text, ids, since=started)):
                self.log.warning("An earlier attempt posted %s although its answer was lost; using it.", post["id"])
                return self._output(post)
            raise TwitterRejectedError(
                endpoint=e.endpoint,
                http_status=e.http_status,
                title="Duplicate post",
                detail="X already has a post with this text and media from this account, made before this task",
                hint="Change the text (for example add the date) or skip the task.",
            ) from None

    def url(self, post_id: str) -> str:
        """Where a person views the post: x.com, or the page of the API host that is not X's (the emulator)."""
        return post_url(post_id, self.session.base_url)

    def _output(self, post: dict[str, Any]) -> dict[str, Any]:
        return {"id": post["id"], "text": post["text"], "url": self.url(post["id"])}

    def delete(self, post_id: str) -> bool:
        """Delete the account's post ``post_id``: True if this call deleted it, False if it was already gone.

        Safe to repeat (a retried attempt or task finds the post gone). X's answer for a post already deleted is not
        documented: its OAS gives 200 ``{"data": {"deleted": bool}}`` or ``errors``, its error guide 404 for a
        resource that "doesn't exist or has been deleted" (DOCS x-api/fundamentals/response-codes-and-errors.mdx).
        So a 404, a ``resource-not-found`` error, or ``deleted: false`` for a post X then cannot find, is "gone";
        ``deleted: false`` for a post X still shows is refused.
        """
        endpoint = "DELETE /2/tweets/{id}"
        try:
            answer = self.session.request("DELETE", f"/2/tweets/{post_id}")
        except TwitterApiError as e:
            if e.http_status == 404:
                return False
            raise
        if _not_found(answer):
            return False
        if data_of(answer, endpoint).get("deleted") is True:
            return True
        if _not_found(self.session.request("GET", f"/2/tweets/{post_id}")):
            return False
        raise TwitterRejectedError(
            endpoint=endpoint,
            http_status=200,
            title="Not deleted",
            detail=f"X answered deleted: false for post {post_id}, and still shows it",
            hint="Check that the post belongs to the connection's account.",
        )

    def find_own_post(self, text: str, media_ids: Sequence[str], since: float | None = None) -> dict[str, Any] | None:
        """The account's post carrying exactly ``media_ids``, or, without media, ``text`` posted since ``since``; read
        back to when the media were minted (or ``since``)."""
        wanted = sorted(media_ids)
        oldest = min((minted_at(m) or 0.0 for m in media_ids), default=since or 0.0) - CLOCK_SLACK_SECS
        for post in self._own_timeline(oldest, "created_at,attachments"):
            keys = (post.get("attachments") or {}).get("media_keys") or []
            if sorted(k.rsplit("_", 1)[-1] for k in keys) != wanted:
                continue
            if wanted or (post.get("text") == text and _parse_time(post.get("created_at")) >= oldest):
                return post
        return None

    def own_posts_since(self, since: float) -> list[dict[str, Any]]:
        """The account's posts made since ``since`` (epoch seconds), newest first, with their media and the post each
        replies to (``referenced_tweets``): what a retried thread needs to find the items an earlier try posted."""
        oldest = since - CLOCK_SLACK_SECS
        fields = "created_at,attachments,referenced_tweets"
        return [post for post in self._own_timeline(oldest, fields) if _parse_time(post.get("created_at")) >= oldest]

    def _own_timeline(self, oldest: float, fields: str) -> Iterator[dict[str, Any]]:
        """The account's posts, newest first, read page by page (``GET /2/users/{id}/tweets``) until a page reaches
        back past ``oldest`` (epoch seconds), at most 1,000 posts."""
        user_id = self.me()["id"]
        params: dict[str, Any] = {"max_results": 100, "tweet.fields": fields}
        for _ in range(TIMELINE_PAGES):
            page = self.session.request("GET", f"/2/users/{user_id}/tweets", params=params)
            posts = page.get("data") or []
            yield from posts
            next_token = (page.get("meta") or {}).get("next_token")
            if not next_token or not posts or _parse_time(posts[-1].get("created_at")) < oldest:
                return
            params["pagination_token"] = next_token


def _is_duplicate(error: TwitterApiError) -> bool:
    return error.http_status == 403 and "duplicate" in f"{error.detail} {error.title}".lower()


def _not_found(answer: dict[str, Any]) -> bool:
    """X's partial error for an id it has no post for: a 200 with ``errors`` of type ``resource-not-found`` and no
    ``data`` (DOCS x-api/fundamentals/response-codes-and-errors.mdx, "Partial errors")."""
    errors = answer.get("errors") or []
    return "data" not in answer and any(str(e.get("type", "")).endswith("/resource-not-found") for e in errors)


def _parse_time(value: str | None) -> float:
    if not value:
        return 0.0
    return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
