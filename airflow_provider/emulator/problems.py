"""X-shaped error bodies for the v2 endpoints: RFC 7807 problems and ``invalid-request`` documents."""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from starlette.responses import JSONResponse

from airflow_provider.emulator.errors import (
    ApiError,
    CreditsDepleted,
    Forbidden,
    InvalidRequest,
    PostNotFound,
    RateLimited,
    Unauthorized,
    UsageCapped,
)

PROBLEM_JSON = "application/problem+json"
# X's answers name problem types under api.twitter.com (xurl#18, twitteroauth#1082, plhery#375, xdk#25), although
# DOCS x-api/fundamentals/response-codes-and-errors.mdx writes them under api.x.com.
PROBLEMS = "https://api.twitter.com/2/problems/"
INVALID_REQUEST_TYPE = f"{PROBLEMS}invalid-request"
INVALID_REQUEST_DETAIL = "One or more parameters to your request was invalid."


def problem(status: int, detail: str | None = None, headers: Mapping[str, str] | None = None) -> JSONResponse:
    """A generic ``about:blank`` problem, as X sends for 401, 403, 429 and 5xx (geduldig/TwitterAPI#180, iembot#163)."""
    title = HTTPStatus(status).phrase
    body = {"title": title, "type": "about:blank", "status": status, "detail": detail or title}
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_JSON)


def invalid_request(errors: list[dict[str, Any]]) -> JSONResponse:
    """X's 400 document (xurl#18, twitteroauth#1082)."""
    body = {
        "errors": errors,
        "title": "Invalid Request",
        "detail": INVALID_REQUEST_DETAIL,
        "type": INVALID_REQUEST_TYPE,
    }
    return JSONResponse(body, status_code=400)


def credits_depleted(account_id: str) -> JSONResponse:
    """402 of a pay-per-use account without credits (tryethernal/ethernal#1314: 402, ``application/json``, 185 bytes;
    title, detail and type as client fixtures record them, see docs/emulator.md)."""
    body = {
        "title": "CreditsDepleted",
        "detail": f"Your enrolled account [{account_id}] does not have any credits to fulfill this request.",
        "type": f"{PROBLEMS}credits",
    }
    return JSONResponse(body, status_code=402)


def usage_capped(account_id: str) -> JSONResponse:
    """429 of an account over its usage cap, as observed in xdevplatform/xdk#25 (2026-02)."""
    body = {
        "account_id": int(account_id),
        "product_name": "standard-basic",
        "title": "UsageCapExceeded",
        "period": "Monthly",
        "scope": "Product",
        "detail": "Usage cap exceeded: Monthly product cap",
        "type": f"{PROBLEMS}usage-capped",
    }
    return JSONResponse(body, status_code=429)


def v2_error(exc: ApiError, account_id: str) -> JSONResponse:
    """How the v2 endpoints render a refusal."""
    if isinstance(exc, InvalidRequest):
        return invalid_request(exc.errors)
    if isinstance(exc, Forbidden):
        return problem(403, exc.detail)
    if isinstance(exc, PostNotFound):
        return JSONResponse({"errors": exc.errors}, status_code=404)
    if isinstance(exc, Unauthorized):
        return problem(401, str(exc) or None)
    if isinstance(exc, RateLimited):
        return problem(429, headers=exc.headers)
    if isinstance(exc, CreditsDepleted):
        return credits_depleted(account_id)
    if isinstance(exc, UsageCapped):
        return usage_capped(account_id)
    raise TypeError(f"no v2 rendering for {type(exc).__name__}")
