"""The emulator's own admin API under ``/_emulator/`` (not part of X, no auth): inspect, reset, plan faults."""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from airflow_provider.emulator.context import EmulatorContext
from airflow_provider.emulator.faults import parse_plan

PREFIX = "/_emulator/"


def routes(context: EmulatorContext) -> list[Route]:
    state = context.state

    async def requests_seen(request: Request) -> Response:
        return JSONResponse(state.requests())

    async def posts(request: Request) -> Response:
        return JSONResponse([post.to_json() for post in state.posts()])

    async def media(request: Request) -> Response:
        snapshot = state.media_snapshot(request.path_params["media_id"])
        if snapshot is None:
            return JSONResponse({"error": "no such media"}, status_code=404)
        return JSONResponse(snapshot)

    async def reset(request: Request) -> Response:
        context.reset()
        return JSONResponse({"reset": True})

    async def faults(request: Request) -> Response:
        if request.method == "POST":
            try:
                context.faults.replace(parse_plan(json.loads(await request.body())))
            except ValueError as exc:  # includes JSONDecodeError
                return JSONResponse({"error": str(exc)}, status_code=400)
        return JSONResponse(context.faults.describe())

    return [
        Route(f"{PREFIX}requests", requests_seen, methods=["GET"]),
        Route(f"{PREFIX}posts", posts, methods=["GET"]),
        Route(PREFIX + "media/{media_id}", media, methods=["GET"]),
        Route(f"{PREFIX}reset", reset, methods=["POST"]),
        Route(f"{PREFIX}faults", faults, methods=["GET", "POST"]),
    ]
