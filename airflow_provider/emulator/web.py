"""The emulator's read-only web page of a post, at X's own path ``/i/web/status/{id}``, and the media it shows.

Not part of X's API (no auth, no rate limit, no faults): it is where a "View on X" link made against the emulator
leads, so that a post made in ``make up`` can be looked at. It shows what the emulator keeps: the text, the reply
it continues, each media's type, size, state and alt text, and the media itself (an image or GIF inline, a video
with controls) from ``/i/web/media/{media_key}`` while its bytes are kept (``keptmedia``: the latest
``keep_media_mib`` MiB), else a note saying they are not.
"""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from airflow_provider.emulator.context import EmulatorContext
from airflow_provider.emulator.state import Post

PAGE_PATH = "/i/web/status/{post_id}"
MEDIA_PATH = "/i/web/media/{media_key}"


def routes(context: EmulatorContext) -> list[Route]:
    state = context.state

    async def page(request: Request) -> Response:
        post_id = request.path_params["post_id"]
        post = state.post(post_id)
        if post is not None:
            return HTMLResponse(_page(f"Post {post_id}", _post_html(context, post)))
        if state.deleted_post(post_id) is not None:
            return HTMLResponse(_page("Post deleted", "<p>This post was deleted.</p>"), status_code=404)
        return HTMLResponse(_page("No such post", "<p>The emulator has no post with this id.</p>"), status_code=404)

    async def media(request: Request) -> Response:
        kept = state.kept_media(request.path_params["media_key"])
        if kept is None:
            body = "<p>The emulator has no bytes of a media with this key (unknown, or not kept).</p>"
            return HTMLResponse(_page("No such media", body), status_code=404)
        media_type, data = kept
        # The type is the one the upload declared; nosniff keeps a browser from reading the bytes as anything else.
        return Response(data, media_type=media_type, headers={"X-Content-Type-Options": "nosniff"})

    return [Route(PAGE_PATH, page, methods=["GET"]), Route(MEDIA_PATH, media, methods=["GET"])]


def _post_html(context: EmulatorContext, post: Post) -> str:
    config = context.config
    when = datetime.fromtimestamp(post.created_at, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    parts = [
        f"<p class='author'>{escape(config.name)} @{escape(config.username)} · {when}</p>",
        f"<p class='text'>{escape(post.text)}</p>",
    ]
    if parent := post.options.get("reply", {}).get("in_reply_to_tweet_id"):
        parts.append(f"<p>Replying to <a href='/i/web/status/{escape(parent)}'>post {escape(parent)}</a></p>")
    rows = []
    for media_id in post.media_ids:
        media = context.state.media_snapshot(media_id) or {"media_key": media_id}
        parts.append(_media_html(context, media))
        cells = (media.get(k) for k in ("media_key", "media_type", "total_bytes", "state", "alt_text"))
        rows.append("<tr>" + "".join(f"<td>{escape(str(c if c is not None else ''))}</td>" for c in cells) + "</tr>")
    if rows:
        head = "<tr><th>media</th><th>type</th><th>bytes</th><th>state</th><th>alt text</th></tr>"
        parts.append(f"<table class='media'>{head}{''.join(rows)}</table>")
    return "\n".join(parts)


def _media_html(context: EmulatorContext, media: dict[str, Any]) -> str:
    """An ``<img>`` or ``<video controls>`` of one media while its bytes are kept, else why there is no picture."""
    key = str(media["media_key"])
    kept = context.state.kept_media(key)
    if kept is None:
        cap = context.config.keep_media_mib
        why = (
            "the emulator keeps none (keep_media_mib 0)"
            if cap == 0
            else f"dropped, or never kept: the emulator keeps only the latest {cap} MiB of media"
        )
        return f"<p class='no-media'>No picture of media {escape(key)}: {why}.</p>"
    src = escape(MEDIA_PATH.format(media_key=key))
    alt = escape(str(media.get("alt_text") or ""))
    if kept[0].startswith("video/"):
        # <video> has no alt attribute: the alt text is its accessible name and tooltip.
        return f"<video class='media' controls src='{src}' aria-label='{alt}' title='{alt}'></video>"
    return f"<img class='media' src='{src}' alt='{alt}'>"


def _page(title: str, body: str) -> str:
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{escape(title)} · X API emulator</title></head>"
        f"<body><h1>{escape(title)}</h1>\n{body}\n<p><small>X API emulator (not x.com)</small></p></body></html>"
    )
