"""The X API v2 endpoints: chunked media upload, alt text, posts and the lookups a client needs.

JSON bodies are checked against X's OpenAPI schemas first (see :mod:`schemas`), as X's gateway does.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from airflow_provider.emulator.context import EmulatorContext
from airflow_provider.emulator.errors import InvalidRequest, PostNotFound, int_in_range
from airflow_provider.emulator.oneshot import V2_KINDS, owners, upload_whole
from airflow_provider.emulator.payload import Payload, form_int, read_payload
from airflow_provider.emulator.pipeline import answer
from airflow_provider.emulator.problems import PROBLEMS, v2_error
from airflow_provider.emulator.schemas import (
    APPEND,
    CREATE_POST,
    INITIALIZE,
    METADATA,
    SUBTITLES_CREATE,
    SUBTITLES_DELETE,
    UPLOAD,
    validate,
)
from airflow_provider.emulator.state import MediaView, Post, iso_timestamp
from airflow_provider.emulator.subtitles import SubtitleTrack

Action = Callable[[EmulatorContext, Request, Payload], Response]


def media_data(view: MediaView) -> dict[str, Any]:
    """``data`` of FINALIZE and STATUS."""
    return {"id": view.id, "media_key": view.media_key, **view.details()}


def _fields(payload: Payload, schema: dict[str, Any]) -> dict[str, Any]:
    """A media body checked against ``schema``: multipart (``media`` a file part, numbers as text) or JSON (``media``
    base64), as OAS AppendMediaUploadRequest and MediaUploadRequest allow."""
    if payload.mime != "multipart/form-data":
        return validate(schema, payload.json_object())
    fields = payload.object()
    body = {**fields, "segment_index": form_int(fields.get("segment_index"))}
    if payload.media is not None:
        body["media"] = "<file>"
    return validate(schema, {name: value for name, value in body.items() if value is not None})


def _upload(context: EmulatorContext, request: Request, payload: Payload) -> Response:
    """One-shot ``POST /2/media/upload`` (OAS 2.167 ``mediaUpload``), images and subtitles: see :mod:`oneshot`."""
    body = _fields(payload, UPLOAD)
    view = upload_whole(
        context.state, payload.segment(), body["media_category"], owners(body.get("additional_owners")), kinds=V2_KINDS
    )
    return JSONResponse({"data": media_data(view)})


def _initialize(context: EmulatorContext, request: Request, payload: Payload) -> Response:
    body = validate(INITIALIZE, payload.json_object())
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
    """Multipart (``media`` file part) or JSON (base64 ``media``), per OAS AppendMediaUploadRequest."""
    body = _fields(payload, APPEND)
    expires_at = context.state.append(request.path_params["media_id"], body["segment_index"], payload.segment())
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
    """``associated_metadata`` is an object, "the metadata now associated with the media" (OAS 2.167
    ``CreateMediaMetadataResponseData``; an object with alt_text, sensitive_media_warning, ... parts in every spec since
    2025-02-06): the emulator answers every part the media now has."""
    body = validate(METADATA, payload.json_object())
    associated = context.state.set_metadata(body["id"], body.get("metadata", {}))
    return JSONResponse({"data": {"associated_metadata": associated, "id": body["id"]}})


def _create_subtitles(context: EmulatorContext, request: Request, payload: Payload) -> Response:
    """``associated_subtitles`` is an object whose fields the OAS leaves out: the emulator echoes the track."""
    body = validate(SUBTITLES_CREATE, payload.json_object())
    subtitles = body["subtitles"]
    track = SubtitleTrack(subtitles["id"], subtitles["language_code"], subtitles["display_name"])
    context.state.attach_subtitles(body["id"], body["media_category"], track)
    data = {"id": body["id"], "media_category": body["media_category"], "associated_subtitles": track.to_json()}
    return JSONResponse({"data": data})


def _delete_subtitles(context: EmulatorContext, request: Request, payload: Payload) -> Response:
    body = validate(SUBTITLES_DELETE, payload.json_object())
    context.state.delete_subtitles(body["id"], body["media_category"], body["language_code"])
    return JSONResponse({"data": {"deleted": True}})


def _create_tweet(context: EmulatorContext, request: Request, payload: Payload) -> Response:
    """The answer repeats the text as sent; whether X's adds the media's t.co link here is not documented."""
    body = validate(CREATE_POST, payload.json_object())
    options = {key: value for key, value in body.items() if key not in ("text", "media")}
    post = context.state.create_post(body.get("text", ""), body.get("media", {}).get("media_ids", []), options)
    return JSONResponse(
        {"data": {"id": post.id, "text": post.text, "edit_history_tweet_ids": [post.id]}}, status_code=201
    )


def _users_me(context: EmulatorContext, request: Request, payload: Payload) -> Response:
    """The user; ``subscription_type`` only when ``user.fields`` asks for it, as X adds any field (OAS 2.167)."""
    config = context.config
    data = {"id": config.user_id, "name": config.name, "username": config.username}
    fields = request.query_params.get("user.fields", "").split(",")
    if "subscription_type" in fields:
        data["subscription_type"] = config.subscription_type
    return JSONResponse({"data": data})


def _post_json(post: Post) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": post.id,
        "text": post.shown_text,
        "created_at": iso_timestamp(post.created_at),
        "edit_history_tweet_ids": [post.id],
    }
    if post.media_keys:
        data["attachments"] = {"media_keys": list(post.media_keys)}
    if replied_to := post.options.get("reply", {}).get("in_reply_to_tweet_id"):
        # DOCS x-api/fundamentals/data-dictionary.mdx: a reply names its parent in referenced_tweets.
        data["referenced_tweets"] = [{"type": "replied_to", "id": replied_to}]
    return data


def _user_tweets(context: EmulatorContext, request: Request, payload: Payload) -> Response:
    """The user's own posts, newest first: how a client finds a post whose answer was lost."""
    user_id = request.path_params["user_id"]
    if not user_id.isdigit():
        raise InvalidRequest(f"The `id` path parameter value [{user_id}] is not a user id.", {"id": [user_id]})
    max_results = int_in_range(form_int(request.query_params.get("max_results", "10")), "max_results", 5, 100)
    token = request.query_params.get("pagination_token")
    posts: list[Post] = []
    more = False
    if user_id == context.config.user_id:
        # Pages as X's OAS describes them: `pagination_token` from the previous page's `meta.next_token`, which
        # is present only while older posts remain (GET /2/users/{id}/tweets). X's tokens are opaque; ours name
        # the last post of the previous page.
        try:
            posts, more = context.state.user_posts(max_results, older_than=token.removeprefix("emu") if token else None)
        except KeyError:
            raise InvalidRequest(
                f"The `pagination_token` query parameter value [{token}] is not valid", {"pagination_token": [token]}
            ) from None
    if not posts:
        return JSONResponse({"meta": {"result_count": 0}})
    meta: dict[str, Any] = {"result_count": len(posts), "newest_id": posts[0].id, "oldest_id": posts[-1].id}
    if more:
        meta["next_token"] = f"emu{posts[-1].id}"
    return JSONResponse({"data": [_post_json(post) for post in posts], "meta": meta})


def _post_id(request: Request) -> str:
    post_id = request.path_params["post_id"]
    if not post_id.isdigit() or len(post_id) > 19:
        raise InvalidRequest(f"The `id` query parameter value [{post_id}] is not valid", {"id": [post_id]})
    return post_id


def _post_not_found(post_id: str) -> dict[str, Any]:
    return {
        "value": post_id,
        "detail": f"Could not find tweet with id: [{post_id}].",
        "title": "Not Found Error",
        "resource_type": "tweet",
        "parameter": "id",
        "resource_id": post_id,
        "type": f"{PROBLEMS}resource-not-found",
    }


def _tweet(context: EmulatorContext, request: Request, payload: Payload) -> Response:
    """One of the user's posts; any other id is X's partial error, a 200 with ``errors`` (DOCS
    x-api/fundamentals/response-codes-and-errors.mdx, "Partial errors")."""
    post_id = _post_id(request)
    post = context.state.post(post_id)
    if post is not None:
        return JSONResponse({"data": _post_json(post)})
    return JSONResponse({"errors": [_post_not_found(post_id)]})


def _delete_tweet(context: EmulatorContext, request: Request, payload: Payload) -> Response:
    """200 ``{"data": {"deleted": true}}`` (OAS 2.167 ``DeletePostsResponse``) for one of the user's posts. Any other
    id, one deleted before included, is 404 (DOCS x-api/fundamentals/response-codes-and-errors.mdx: "Resource
    doesn't exist or has been deleted"); the body is not documented, so it is the GET's ``resource-not-found``."""
    post_id = _post_id(request)
    if not context.state.delete_post(post_id):
        raise PostNotFound(_post_not_found(post_id))
    return JSONResponse({"data": {"deleted": True}})


def _endpoint(context: EmulatorContext, endpoint: str, action: Action) -> Callable[[Request], Awaitable[Response]]:
    async def handle(request: Request) -> Response:
        payload = await read_payload(request, keep_media=context.config.keep_media_mib > 0)
        return await answer(context, request, endpoint, payload, lambda: action(context, request, payload), v2_error)

    return handle


def routes(context: EmulatorContext) -> list[Route]:
    table: list[tuple[str, str, str, Action]] = [
        ("POST", "/2/media/upload", "upload", _upload),
        ("POST", "/2/media/upload/initialize", "initialize", _initialize),
        ("POST", "/2/media/upload/{media_id}/append", "append", _append),
        ("POST", "/2/media/upload/{media_id}/finalize", "finalize", _finalize),
        ("GET", "/2/media/upload", "status", _status),
        ("POST", "/2/media/metadata", "metadata", _metadata),
        ("POST", "/2/media/subtitles", "subtitles", _create_subtitles),
        ("DELETE", "/2/media/subtitles", "subtitles_delete", _delete_subtitles),
        ("POST", "/2/tweets", "tweets", _create_tweet),
        ("GET", "/2/tweets/{post_id}", "tweet", _tweet),
        ("DELETE", "/2/tweets/{post_id}", "tweets_delete", _delete_tweet),
        ("GET", "/2/users/me", "users_me", _users_me),
        ("GET", "/2/users/{user_id}/tweets", "user_tweets", _user_tweets),
    ]
    return [Route(path, _endpoint(context, name, action), methods=[method]) for method, path, name, action in table]
