"""v1.1 chunked upload (``/1.1/media/upload.json``), a thin adapter over the same state as v2.

Kept for accounts still on it (the provider's ``upload_api: v1.1``) and clients such as tweepy 4.x
``API.chunked_upload``: same rules, v1.1 shapes, each from X's v1 reference pages (post-media-upload-init, -append,
-finalize, get-media-upload-status) or an observed answer:

- INIT 202 (drswork/go-twitter#16) with an integer ``media_id`` beside ``media_id_string``; INIT and FINALIZE carry
  ``media_key`` only when INIT named a ``media_category`` (sferik/twitter-ruby#1025; twitter/twurl#73 shows an
  answer without);
- APPEND 204 with an empty body ("HTTP 2XX will be returned with an empty response body"; twython PR #396);
- STATUS a GET with URL parameters ("It should be a HTTP GET request with url params"), by ``media_id`` or
  ``media_key``, whose answer carries ``media_key`` only when asked by it;
- STATUS of media without processing (images, as plhery/node-twitter-api-v2#336 saw; unknown, expired or not
  finalized ids, the stricter reading, as drswork/go-twitter#16 saw before FINALIZE): 404
  ``{"errors": [{"code": 34, "message": "Sorry, that page does not exist"}]}``;
- other refusals 400 ``{"request": "/1.1/media/upload.json", "error": ...}`` (toofusan/Twity#14,
  python-twitter-tools/twitter#403, abraham/twitteroauth#467);
- a failed signature 401 ``{"errors": [{"code": 32, "message": "Could not authenticate you."}]}`` (pipacs/o2#118,
  FeedHive/twitter-api-client#55); a rate limit 429 ``{"errors": [{"code": 88, "message": "Rate limit exceeded"}]}``
  (DOCS fundamentals/rate-limits.mdx).
"""

from __future__ import annotations

import json
import re
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from airflow_provider.emulator.context import EmulatorContext
from airflow_provider.emulator.errors import ApiError, InvalidRequest, MediaNotFound, RateLimited, Unauthorized
from airflow_provider.emulator.oneshot import V1_KINDS, owners, upload_whole
from airflow_provider.emulator.payload import Payload, form_int, read_payload
from airflow_provider.emulator.pipeline import answer
from airflow_provider.emulator.problems import v2_error
from airflow_provider.emulator.state import MediaView

UPLOAD_PATH = "/1.1/media/upload.json"
METADATA_PATH = "/1.1/media/metadata/create.json"
COMMAND_ENDPOINTS = {"INIT": "initialize", "APPEND": "append", "FINALIZE": "finalize", "STATUS": "status"}


def _v1_error(exc: ApiError, account_id: str, path: str = UPLOAD_PATH) -> Response:
    """v1.1's shapes (module docstring); refusals whose v1.1 shape no source shows (OAuth 2.0's 403, billing) keep
    v2's."""
    if isinstance(exc, MediaNotFound):
        return _errors(404, 34, "Sorry, that page does not exist")
    if isinstance(exc, InvalidRequest):
        return JSONResponse({"request": path, "error": str(exc)}, status_code=400)
    if isinstance(exc, Unauthorized):
        return _errors(401, 32, "Could not authenticate you.")
    if isinstance(exc, RateLimited):
        return _errors(429, 88, "Rate limit exceeded", exc.headers)
    return v2_error(exc, account_id)


def _errors(status: int, code: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"errors": [{"code": code, "message": message}]}, status_code=status, headers=headers)


def _media(view: MediaView, *, with_key: bool = True, initialized: bool = False) -> dict[str, Any]:
    ids: dict[str, Any] = {"media_id": int(view.id), "media_id_string": view.id}
    if with_key:
        ids["media_key"] = view.media_key
    if initialized:
        return {**ids, "expires_after_secs": view.expires_after_secs}
    return {**ids, **view.details()}


def _category(value: Any) -> Any:
    """v1.1 clients still send CamelCase categories (``TweetVideo``); X treats them as ``tweet_video``."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", "_", value).lower() if isinstance(value, str) else value


def _media_id(fields: dict[str, Any]) -> str:
    media_id = fields.get("media_id")
    if not isinstance(media_id, str) or not media_id.isdigit():
        raise InvalidRequest("`media_id` is missing or not numeric.", {"media_id": [media_id]})
    return media_id


def _status_media_id(fields: dict[str, Any]) -> str:
    """STATUS names its media by ``media_id`` or by ``media_key`` ("Either this or media_key needs to be
    provided"); a key is ``<type>_<id>``."""
    key = fields.get("media_key")
    if "media_id" in fields or not isinstance(key, str):
        return _media_id(fields)
    prefix, _, media_id = key.partition("_")
    if not (prefix.isdigit() and media_id.isdigit()):
        raise InvalidRequest("`media_key` is not a media key.", {"media_key": [key]})
    return media_id


def _endpoint(method: str, command: Any) -> str:
    """The fault and rate-limit name: the command's; without a known one, a POST is a simple upload, a GET a STATUS."""
    if isinstance(command, str) and command in COMMAND_ENDPOINTS:
        return COMMAND_ENDPOINTS[command]
    return "status" if method == "GET" else "upload"


def _simple_upload(context: EmulatorContext, payload: Payload) -> Response:
    fields = payload.object()
    category = _category(fields.get("media_category"))
    view = upload_whole(
        context.state, payload.segment(), category, owners(fields.get("additional_owners")), kinds=V1_KINDS
    )
    return JSONResponse(_media(view, with_key=category is not None))


def _metadata(context: EmulatorContext, body: bytes) -> Response:
    try:
        fields = json.loads(body)
    except ValueError:
        fields = None
    shaped = isinstance(fields, dict) and set(fields) == {"media_id", "alt_text"}
    if not (shaped and isinstance(fields["alt_text"], dict)):
        raise InvalidRequest('The body must be JSON {"media_id", "alt_text": {"text"}}.', {"body": []})
    media_id = fields["media_id"]
    # The reference's example sends a string; tweepy passes whatever it is given, often Media.media_id, an integer.
    if isinstance(media_id, int) and not isinstance(media_id, bool):
        media_id = str(media_id)
    context.state.set_alt_text(_media_id({"media_id": media_id}), fields["alt_text"].get("text"))
    return Response(status_code=200)


def _run(context: EmulatorContext, request: Request, payload: Payload, command: Any) -> Response:
    if command is None and request.method == "POST":
        return _simple_upload(context, payload)
    if command not in COMMAND_ENDPOINTS:
        raise InvalidRequest("`command` must be INIT, APPEND, FINALIZE or STATUS.", {"command": [command]})
    if (command == "STATUS") != (request.method == "GET"):
        raise InvalidRequest(
            f"{command} is sent with {'GET' if command == 'STATUS' else 'POST'}.", {"command": [command]}
        )
    fields = {**request.query_params, **payload.object()}
    state = context.state
    if command == "INIT":
        owners = fields.get("additional_owners") or ""
        view = state.initialize(
            fields.get("media_type"),
            form_int(fields.get("total_bytes")),
            _category(fields.get("media_category")),
            [owner.strip() for owner in owners.split(",") if owner.strip()],
        )
        return JSONResponse(_media(view, with_key=view.category_named, initialized=True), status_code=202)
    if command == "APPEND":
        state.append(_media_id(fields), form_int(fields.get("segment_index")), payload.segment())
        return Response(status_code=204)
    if command == "FINALIZE":
        view = state.finalize(_media_id(fields))
        return JSONResponse(_media(view, with_key=view.category_named))
    view = state.status(_status_media_id(fields))
    if "media_key" in fields and fields["media_key"] != view.media_key:
        raise MediaNotFound(f"Media key {fields['media_key']} is not {view.media_key}.")
    return JSONResponse(_media(view, with_key="media_key" in fields))


def routes(context: EmulatorContext) -> list[Route]:
    async def upload(request: Request) -> Response:
        payload = await read_payload(request, keep_media=context.config.keep_media_mib > 0)
        command = payload.fields.get("command", request.query_params.get("command"))
        return await answer(
            context,
            request,
            _endpoint(request.method, command),
            payload,
            lambda: _run(context, request, payload, command),
            _v1_error,
        )

    async def metadata(request: Request) -> Response:
        payload = await read_payload(request)  # JSON or text/plain; either way the JSON is in the body
        body = await request.body()
        return await answer(
            context,
            request,
            "metadata",
            payload,
            lambda: _metadata(context, body),
            lambda exc, account_id: _v1_error(exc, account_id, METADATA_PATH),
        )

    return [Route(UPLOAD_PATH, upload, methods=["GET", "POST"]), Route(METADATA_PATH, metadata, methods=["POST"])]
