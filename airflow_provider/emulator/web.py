"""The emulator's read-only web page of a post, at X's own path ``/i/web/status/{id}``.

Not part of X's API (no auth, no rate limit, no faults): it is where a "View on X" link made against the emulator
leads, so that a post made in ``make up`` can be looked at. It shows what the emulator keeps: the text, the reply
it continues, and each media's type, size, state and alt text (media bytes are not kept, so there is no picture).
"""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from airflow_provider.emulator.context import EmulatorContext
from airflow_provider.emulator.state import Post

PAGE_PATH = "/i/web/status/{post_id}"


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

    return [Route(PAGE_PATH, page, methods=["GET"])]


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
        cells = (media.get(k) for k in ("media_key", "media_type", "total_bytes", "state", "alt_text"))
        rows.append("<tr>" + "".join(f"<td>{escape(str(c if c is not None else ''))}</td>" for c in cells) + "</tr>")
    if rows:
        head = "<tr><th>media</th><th>type</th><th>bytes</th><th>state</th><th>alt text</th></tr>"
        parts.append(f"<table class='media'>{head}{''.join(rows)}</table>")
    return "\n".join(parts)


def _page(title: str, body: str) -> str:
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{escape(title)} · X API emulator</title></head>"
        f"<body><h1>{escape(title)}</h1>\n{body}\n<p><small>X API emulator (not x.com)</small></p></body></html>"
    )
