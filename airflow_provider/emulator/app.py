"""The Starlette application: X API v2, v1.1 and OAuth 2.0 routes, the admin API, and the request recorder."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Message, Receive, Scope, Send

from airflow_provider.emulator import admin, api_oauth2, api_v1, api_v2, web
from airflow_provider.emulator.config import EmulatorConfig
from airflow_provider.emulator.context import EmulatorContext
from airflow_provider.emulator.pipeline import RECORD_KEY
from airflow_provider.emulator.problems import problem
from airflow_provider.emulator.state import Clock
from airflow_provider.emulator.transport import remember_transport


async def _http_error(request: Request, exc: Exception) -> Response:
    """Unknown paths and methods answer like X: a JSON problem rather than plain text."""
    assert isinstance(exc, HTTPException)
    return problem(exc.status_code, headers=exc.headers)


class EmulatorApp(Starlette):
    """Starlette plus a request log: every non-admin request is recorded with its final status.

    A refused request's entry has the emulator's ``reason``, since X's answer often does not say why. Recording
    happens here, outside Starlette's own middleware, because only the server's raw ``send`` leads to the
    connection that ``drop`` faults close. Query parameters named ``oauth_*`` are never recorded.
    """

    def __init__(self, context: EmulatorContext) -> None:
        self.context = context
        super().__init__(
            routes=[
                *api_v2.routes(context),
                *api_v1.routes(context),
                *api_oauth2.routes(context),
                *admin.routes(context),
                *web.routes(context),
            ],
            exception_handlers={404: _http_error, 405: _http_error},
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(admin.PREFIX):
            await super().__call__(scope, receive, send)
            return
        remember_transport(scope, send)
        query = parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
        record: dict[str, Any] = {
            "method": scope["method"],
            "path": scope["path"],
            "query": {name: value for name, value in query if not name.startswith("oauth_")},
            "status": None,
            "at": self.context.state.clock(),
            "endpoint": None,
            "fault": None,
            "reason": None,
        }
        scope[RECORD_KEY] = record

        async def recording_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                record["status"] = message["status"]
            await send(message)

        try:
            await super().__call__(scope, receive, recording_send)
        finally:
            self.context.state.record_request(record)


def create_app(config: EmulatorConfig | None = None, *, clock: Clock | None = None) -> EmulatorApp:
    """A fresh emulator; ``clock`` (epoch seconds) drives processing and expiry, e.g. a fake clock in tests."""
    return EmulatorApp(EmulatorContext.create(config or EmulatorConfig(), clock))
