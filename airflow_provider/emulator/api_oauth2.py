"""The OAuth 2.0 routes: X's authorize page (approved at once by the emulated user) and the token endpoint.

The token endpoint takes latency and planned faults like the X API endpoints (fault name ``oauth2_token``), so a
test can drop a refresh's answer after X rotated the token: the new token then exists only in that lost answer.
"""

from __future__ import annotations

import asyncio
from urllib.parse import parse_qsl, urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from airflow_provider.emulator.context import EmulatorContext
from airflow_provider.emulator.faults import OAUTH2_TOKEN
from airflow_provider.emulator.oauth2 import OAuth2Error
from airflow_provider.emulator.pipeline import note
from airflow_provider.emulator.problems import problem
from airflow_provider.emulator.transport import DroppedConnection

TOKEN_PATH = "/2/oauth2/token"  # DOCS fundamentals/authentication/oauth-2-0/user-access-token.mdx
AUTHORIZE_PATH = "/i/oauth2/authorize"  # on x.com at X (DOCS authorization-code.mdx); here on the emulator's host
FORM = "application/x-www-form-urlencoded"


def routes(context: EmulatorContext) -> list[Route]:
    async def authorize(request: Request) -> Response:
        params = dict(request.query_params)
        try:
            code = context.oauth2.authorize(params)
        except ValueError as exc:
            note(request, reason=str(exc))
            return JSONResponse({"error": "invalid_request", "error_description": str(exc)}, status_code=400)
        query = urlencode({"state": params.get("state", ""), "code": code})
        return RedirectResponse(f"{params['redirect_uri']}?{query}", status_code=302)

    async def token(request: Request) -> Response:
        note(request, endpoint=OAUTH2_TOKEN)
        body = await request.body()
        if context.config.latency_ms:
            await asyncio.sleep(context.config.latency_ms / 1000)
        fault = context.faults.take(OAUTH2_TOKEN)
        if fault is not None:
            note(request, fault=fault.kind)
            if fault.kind in ("status", "rate_limit"):
                return problem(fault.status if fault.kind == "status" else 429)
            if fault.kind == "drop":
                return DroppedConnection()
            if fault.kind == "slow":
                await asyncio.sleep(fault.delay_secs)
        if request.headers.get("content-type", "").split(";")[0].strip() != FORM:
            error = OAuth2Error(400, "invalid_request", f"Content-Type must be {FORM}.")
        else:
            form = dict(parse_qsl(body.decode("latin-1"), keep_blank_values=True))
            try:
                response: Response = JSONResponse(context.oauth2.token(form, request.headers.get("authorization")))
            except OAuth2Error as exc:
                error = exc
            else:
                error = None
        if error is not None:
            note(request, reason=str(error))
            response = JSONResponse(error.body(), status_code=error.status)
        if fault is not None and fault.kind == "lost_answer":
            return DroppedConnection() if fault.then_status is None else problem(fault.then_status)
        return response

    return [Route(AUTHORIZE_PATH, authorize, methods=["GET"]), Route(TOKEN_PATH, token, methods=["POST"])]
