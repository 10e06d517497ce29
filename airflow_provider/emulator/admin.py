"""The emulator's own admin API under ``/_emulator/`` (not part of X, no auth): inspect, reset, plan faults, change
rate limits and billing state, add media uploaded by another user, and grant or inspect OAuth 2.0 tokens."""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from airflow_provider.emulator.context import EmulatorContext
from airflow_provider.emulator.faults import parse_plan
from airflow_provider.emulator.oauth2 import ALL_SCOPES
from airflow_provider.emulator.ratelimits import RateLimit

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

    async def rate_limits(request: Request) -> Response:
        if request.method == "POST":
            try:
                raw = json.loads(await request.body())
                if not isinstance(raw, dict):
                    raise ValueError('expected {"<endpoint>": {"window": ..., "user_day": ..., "app_day": ...}}')
                context.limiter.set_limits([RateLimit.from_json(endpoint, limit) for endpoint, limit in raw.items()])
            except ValueError as exc:
                return JSONResponse({"error": str(exc)}, status_code=400)
        return JSONResponse(context.limiter.describe())

    async def billing(request: Request) -> Response:
        if request.method == "POST":
            try:
                context.billing.update(json.loads(await request.body()))
            except ValueError as exc:
                return JSONResponse({"error": str(exc)}, status_code=400)
        return JSONResponse(context.billing.describe())

    async def foreign_media(request: Request) -> Response:
        """``{"owner_id": "42", "media_type": "image/png", "additional_owners": ["..."]}`` -> a finished upload."""
        try:
            raw = json.loads(await request.body())
            owners = raw.get("additional_owners", []) if isinstance(raw, dict) else None
            if not isinstance(owners, list) or not all(isinstance(owner, str) for owner in owners):
                raise ValueError("additional_owners must be a list of user id strings")
            media_id = state.add_foreign_media(str(raw.get("owner_id", "")), str(raw.get("media_type")), tuple(owners))
        except ValueError as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        return JSONResponse(state.media_snapshot(media_id), status_code=201)

    async def oauth2(request: Request) -> Response:
        return JSONResponse(context.oauth2.describe())

    async def oauth2_grant(request: Request) -> Response:
        """``{"scopes": ["media.write", ...]}`` (default: all the provider needs) -> a token answer, as if the user
        had just authorized the app: its ``refresh_token`` is a connection's seed."""
        try:
            raw = json.loads(await request.body() or b"{}")
            scopes = raw.get("scopes", sorted(ALL_SCOPES)) if isinstance(raw, dict) else None
            if not isinstance(scopes, list) or not all(isinstance(scope, str) for scope in scopes):
                raise ValueError("scopes must be a list of scope names")
        except ValueError as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        return JSONResponse(context.oauth2.grant(frozenset(scopes)), status_code=201)

    async def oauth2_issued(request: Request) -> Response:
        """Every token issued, for tests that search logs for them (the emulator's tokens guard nothing real)."""
        return JSONResponse(context.oauth2.issued())

    return [
        Route(f"{PREFIX}oauth2", oauth2, methods=["GET"]),
        Route(f"{PREFIX}oauth2/issued", oauth2_issued, methods=["GET"]),
        Route(f"{PREFIX}oauth2/grants", oauth2_grant, methods=["POST"]),
        Route(f"{PREFIX}requests", requests_seen, methods=["GET"]),
        Route(f"{PREFIX}rate-limits", rate_limits, methods=["GET", "POST"]),
        Route(f"{PREFIX}billing", billing, methods=["GET", "POST"]),
        Route(f"{PREFIX}media", foreign_media, methods=["POST"]),
        Route(f"{PREFIX}posts", posts, methods=["GET"]),
        Route(PREFIX + "media/{media_id}", media, methods=["GET"]),
        Route(f"{PREFIX}reset", reset, methods=["POST"]),
        Route(f"{PREFIX}faults", faults, methods=["GET", "POST"]),
    ]
