"""v1.1 chunked upload (``/1.1/media/upload.json``), a thin adapter over the same state as v2.

Kept for clients such as tweepy 4.x ``API.chunked_upload``: same rules, v1.1 shapes (INIT 202, APPEND 204 with
an empty body, integer ``media_id`` plus ``media_id_string``, errors as ``{"request", "error"}``, STATUS of media
without processing 404 as plhery/node-twitter-api-v2#336 saw, and a rate-limited 429 as
``{"errors": [{"code": 88, "message": "Rate limit exceeded"}]}``, DOCS fundamentals/rate-limits.mdx).
"""

from __future__ import annotations

import re
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from airflow_provider.emulator.context import EmulatorContext
from airflow_provider.emulator.errors import ApiError, InvalidRequest, MediaNotFound, RateLimited
from airflow_provider.emulator.payload import Payload, form_int, read_payload
from airflow_provider.emulator.pipeline import answer
from airflow_provider.emulator.problems import v2_error
from airflow_provider.emulator.state import MediaView

UPLOAD_PATH = "/1.1/media/upload.json"
COMMAND_ENDPOINTS = {"INIT": "initialize", "APPEND": "append", "FINALIZE": "finalize", "STATUS": "status"}


def _v1_error(exc: ApiError, account_id: str) -> Response:
    if isinstance(exc, InvalidRequest):
        return JSONResponse(
            {"request": UPLOAD_PATH, "error": str(exc)}, status_code=404 if isinstance(exc, MediaNotFound) else 400
        )
    if isinstance(exc, RateLimited):
        return JSONResponse(
            {"errors": [{"code": 88, "message": "Rate limit exceeded"}]}, status_code=429, headers=exc.headers
        )
    return v2_error(exc, account_id)


def _media(view: MediaView, *, initialized: bool = False) -> dict[str, Any]:
    ids = {"media_id": int(view.id), "media_id_string": view.id, "media_key": view.media_key}
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


def _run(context: EmulatorContext, request: Request, payload: Payload, command: Any) -> Response:
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
        return JSONResponse(_media(view, initialized=True), status_code=202)
    if command == "APPEND":
        state.append(_media_id(fields), form_int(fields.get("segment_index")), payload.segment())
        return Response(status_code=204)
    view = state.finalize(_media_id(fields)) if command == "FINALIZE" else state.status(_media_id(fields))
    return JSONResponse(_media(view))


def routes(context: EmulatorContext) -> list[Route]:
    async def upload(request: Request) -> Response:
        payload = await read_payload(request)
        command = payload.fields.get("command", request.query_params.get("command"))
        endpoint = COMMAND_ENDPOINTS.get(command, "v1_media_upload") if isinstance(command, str) else "v1_media_upload"
        return await answer(
            context, request, endpoint, payload, lambda: _run(context, request, payload, command), _v1_error
        )

    return [Route(UPLOAD_PATH, upload, methods=["GET", "POST"])]
