"""The X API v2 endpoints: chunked media upload, alt text, posts and the user lookups a client needs."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from airflow_provider.emulator.context import EmulatorContext
from airflow_provider.emulator.errors import InvalidRequest, int_in_range
from airflow_provider.emulator.payload import Payload, form_int, read_payload
from airflow_provider.emulator.pipeline import answer
from airflow_provider.emulator.problems import v2_error
from airflow_provider.emulator.state import MediaView, Post, iso_timestamp

Action = Callable[[EmulatorContext, Request, Payload], Response]


def media_data(view: MediaView) -> dict[str, Any]:
    """``data`` of FINALIZE and STATUS."""
    return {"id": view.id, "media_key": view.media_key, **view.details()}


def _initialize(context: EmulatorContext, request: Request, payload: Payload) -> Response:
    body = payload.object()
    view = context.state.initialize(
        body.get("media_type"),
        body.get("total_bytes"),
        body.get("media_category"),
        body.get("additional_owners", []),
        body.get("shared", False),
    )
    return JSONResponse(
        {"data": {"id": view.id, "media_key": view.media_key, "expires_after_secs": view.expires_after_secs}}
    )


def _append(context: EmulatorContext, request: Request, payload: Payload) -> Response:
    index = form_int(payload.object().get("segment_index"))
    expires_at = context.state.append(request.path_params["media_id"], index, payload.segment())
    return JSONResponse({"data": {"expires_at": int(expires_at)}})


def _finalize(context: EmulatorContext, request: Request, payload: Payload) -> Response:
    return JSONResponse({"data": media_data(context.state.finalize(request.path_params["media_id"]))})


def _status(context: EmulatorContext, request: Request, payload: Payload) -> Response:
    command = request.query_params.get("command")
    if command not in (None, "STATUS"):
        raise InvalidRequest(f"The `command` query parameter value [{command}] is not STATUS.", {"command": [command]})
    media_id = request.query_params.get("media_id")
    if not media_id:
        raise InvalidRequest("The `media_id` query parameter is missing.", {"media_id": []})
    return JSONResponse({"data": media_data(context.state.status(media_id))})


def _metadata(context: EmulatorContext, request: Request, payload: Payload) -> Response:
    body = payload.object()
    media_id, metadata = body.get("id"), body.get("metadata")
    if not isinstance(media_id, str) or not isinstance(metadata, dict):
        raise InvalidRequest(
            'The body must be {"id": "<media id>", "metadata": {"alt_text": {"text": "..."}}}.', {"id": [media_id]}
        )
    alt_text = metadata.get("alt_text")
    context.state.set_alt_text(media_id, alt_text.get("text") if isinstance(alt_text, dict) else None)
    return JSONResponse({"data": {"associated_metadata": True, "id": media_id}})


def _create_tweet(context: EmulatorContext, request: Request, payload: Payload) -> Response:
    body = payload.object()
    media = body.get("media")
    media_ids = media.get("media_ids", []) if isinstance(media, dict) else media
    post = context.state.create_post(body.get("text"), media_ids)
    return JSONResponse(
        {"data": {"id": post.id, "text": post.text, "edit_history_tweet_ids": [post.id]}}, status_code=201
    )


def _users_me(context: EmulatorContext, request: Request, payload: Payload) -> Response:
    config = context.config
    return JSONResponse({"data": {"id": config.user_id, "name": config.name, "username": config.username}})


def _post_json(post: Post) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": post.id,
        "text": post.text,
        "created_at": iso_timestamp(post.created_at),
        "edit_history_tweet_ids": [post.id],
    }
    if post.media_keys:
        data["attachments"] = {"media_keys": list(post.media_keys)}
    return data


def _user_tweets(context: EmulatorContext, request: Request, payload: Payload) -> Response:
    """The user's own posts, newest first: how a client finds a post whose answer was lost."""
    user_id = request.path_params["user_id"]
    if not user_id.isdigit():
        raise InvalidRequest(f"The `id` path parameter value [{user_id}] is not a user id.", {"id": [user_id]})
    max_results = int_in_range(form_int(request.query_params.get("max_results", "10")), "max_results", 5, 100)
    posts = context.state.user_posts(max_results) if user_id == context.config.user_id else []
    if not posts:
        return JSONResponse({"meta": {"result_count": 0}})
    meta = {"result_count": len(posts), "newest_id": posts[0].id, "oldest_id": posts[-1].id}
    return JSONResponse({"data": [_post_json(post) for post in posts], "meta": meta})


def _endpoint(context: EmulatorContext, endpoint: str, action: Action) -> Callable[[Request], Awaitable[Response]]:
    async def handle(request: Request) -> Response:
        payload = await read_payload(request)
        return await answer(context, request, endpoint, payload, lambda: action(context, request, payload), v2_error)

    return handle


def routes(context: EmulatorContext) -> list[Route]:
    table: list[tuple[str, str, str, Action]] = [
        ("POST", "/2/media/upload/initialize", "initialize", _initialize),
        ("POST", "/2/media/upload/{media_id}/append", "append", _append),
        ("POST", "/2/media/upload/{media_id}/finalize", "finalize", _finalize),
        ("GET", "/2/media/upload", "status", _status),
        ("POST", "/2/media/metadata", "metadata", _metadata),
        ("POST", "/2/tweets", "tweets", _create_tweet),
        ("GET", "/2/users/me", "users_me", _users_me),
        ("GET", "/2/users/{user_id}/tweets", "user_tweets", _user_tweets),
    ]
    return [Route(path, _endpoint(context, name, action), methods=[method]) for method, path, name, action in table]
