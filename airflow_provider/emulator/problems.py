"""X-shaped error bodies: RFC 7807 problems and v2 ``invalid-request`` documents."""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from starlette.responses import JSONResponse

from airflow_provider.emulator.errors import ApiError, DuplicateContent, InvalidRequest, Unauthorized

PROBLEM_JSON = "application/problem+json"
INVALID_REQUEST_TYPE = "https://api.x.com/2/problems/invalid-request"
INVALID_REQUEST_DETAIL = "One or more parameters to your request was invalid."
DUPLICATE_CONTENT_DETAIL = "You are not allowed to create a Tweet with duplicate content."


def problem(status: int, detail: str | None = None, headers: Mapping[str, str] | None = None) -> JSONResponse:
    """A generic ``about:blank`` problem, as X sends for 401, 403, 429 and 5xx."""
    title = HTTPStatus(status).phrase
    body = {"title": title, "type": "about:blank", "status": status, "detail": detail or title}
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_JSON)


def invalid_request(errors: list[dict[str, Any]]) -> JSONResponse:
    body = {
        "errors": errors,
        "title": "Invalid Request",
        "detail": INVALID_REQUEST_DETAIL,
        "type": INVALID_REQUEST_TYPE,
    }
    return JSONResponse(body, status_code=400)


def v2_error(exc: ApiError) -> JSONResponse:
    """How the v2 endpoints render a refusal."""
    if isinstance(exc, InvalidRequest):
        return invalid_request(exc.errors)
    if isinstance(exc, DuplicateContent):
        return problem(403, DUPLICATE_CONTENT_DETAIL)
    if isinstance(exc, Unauthorized):
        return problem(401, str(exc) or None)
    raise TypeError(f"no v2 rendering for {type(exc).__name__}")
