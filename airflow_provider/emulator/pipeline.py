"""The path every X API request takes: latency, fault plan, OAuth 1.0a or 2.0, rate limit, billing, the action,
maybe a lost answer.

Faults that refuse or drop act like an edge proxy failing in front of X: they answer before authentication and
change nothing. A ``rate_limit`` fault spends the endpoint's window, so it lasts until the reset it advertises.
``slow`` and ``lost_answer`` wrap the normal path, so the action really happens. Every authenticated answer carries
the rate-limit headers (DOCS x-api/fundamentals/rate-limits.mdx), refusals included (xdk#25 shows them on a 429).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from airflow_provider.emulator.context import EmulatorContext
from airflow_provider.emulator.errors import ApiError
from airflow_provider.emulator.payload import Payload
from airflow_provider.emulator.problems import problem
from airflow_provider.emulator.transport import DroppedConnection

RECORD_KEY = "airflow_provider.emulator.record"


def note(request: Request, **fields: Any) -> None:
    """Add to this request's entry in the request log (absent when the app is driven without the recorder)."""
    record = request.scope.get(RECORD_KEY)
    if record is not None:
        record.update(fields)


def _authenticate(context: EmulatorContext, request: Request, endpoint: str, payload: Payload) -> None:
    """An OAuth 2.0 user token (``Authorization: Bearer``, with the endpoint's scopes) or an OAuth 1.0a signature."""
    authorization = request.headers.get("authorization")
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() == "bearer":
        context.oauth2.check_bearer(token.strip(), endpoint, v1=request.url.path.startswith("/1.1/"))
        return
    context.verifier.verify(
        request.method,
        str(request.url),
        authorization,
        request.scope["query_string"].decode("latin-1"),
        payload.form_params,
    )


async def answer(
    context: EmulatorContext,
    request: Request,
    endpoint: str,
    payload: Payload,
    action: Callable[[], Response],
    render_error: Callable[[ApiError, str], Response],
) -> Response:
    """Answer one X API call of ``endpoint`` whose body is already read into ``payload``."""
    note(request, endpoint=endpoint)
    if context.config.latency_ms:
        await asyncio.sleep(context.config.latency_ms / 1000)
    fault = context.faults.take(endpoint)
    if fault is not None:
        note(request, fault=fault.kind)
        if fault.kind == "status":
            return problem(fault.status)
        if fault.kind == "rate_limit":
            refused = context.limiter.exhaust(endpoint, fault.reset_after_secs, fault.daily)
            note(request, reason=str(refused))
            return render_error(refused, context.config.user_id)
        if fault.kind == "drop":
            return DroppedConnection()
        if fault.kind == "slow":
            await asyncio.sleep(fault.delay_secs)
    headers: dict[str, str] = {}
    try:
        _authenticate(context, request, endpoint, payload)
        headers = context.limiter.take(endpoint)
        context.billing.check()
        response = action()
    except ApiError as exc:
        note(request, reason=str(exc))
        response = render_error(exc, context.config.user_id)
    response.headers.update(headers)
    if fault is not None and fault.kind == "lost_answer":
        return DroppedConnection() if fault.then_status is None else problem(fault.then_status)
    return response
