"""Turning X's answers into data or a ``TwitterApiError``, the same way for the sync hook and the async trigger."""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from typing import Any

from airflow_provider.exceptions import TwitterApiError, TwitterRejectedError


def read_answer(endpoint: str, status: int, reason: str, headers: Mapping[str, str], content: bytes) -> dict[str, Any]:
    """X's JSON body when ``status`` is 2xx; otherwise raise the error X described (4xx but 429: rejected)."""
    try:
        body = json.loads(content) if content else {}
    except ValueError:
        body = {"detail": content[:200].decode(errors="replace")}
    if not isinstance(body, dict):
        body = {"detail": str(body)[:200]}
    if 200 <= status < 300:
        return body
    permanent = 400 <= status < 500 and status != 429
    raise (TwitterRejectedError if permanent else TwitterApiError)(
        endpoint=endpoint,
        http_status=status,
        title=body.get("title") or reason,
        detail=body.get("detail"),
        errors=body.get("errors"),
        rate_limit_reset=rate_limit_reset(headers) if status == 429 else None,
    )


def data_of(body: dict[str, Any], endpoint: str) -> dict[str, Any]:
    """The ``data`` object of a v2 answer; an answer without one is an error, not a ``KeyError`` later."""
    data = body.get("data")
    if not isinstance(data, dict):
        raise TwitterApiError(
            endpoint=endpoint,
            http_status=200,
            title="Unexpected answer",
            detail=f"no 'data' object in X's answer (keys: {sorted(body)})",
        )
    return data


def rate_limit_reset(headers: Mapping[str, str]) -> float | None:
    """When the exhausted limit resets: the 24-hour caps when those are spent, else the 15-minute window."""
    lower = {k.lower(): v for k, v in headers.items()}
    resets = [
        float(lower[f"x-{scope}-limit-24hour-reset"])
        for scope in ("user", "app")
        if lower.get(f"x-{scope}-limit-24hour-remaining") == "0" and lower.get(f"x-{scope}-limit-24hour-reset")
    ]
    if not resets and lower.get("x-rate-limit-reset"):
        resets.append(float(lower["x-rate-limit-reset"]))
    if not resets and (retry_after := lower.get("retry-after", "")).isdigit():
        resets.append(time.time() + int(retry_after))
    return max(resets) if resets else None


def seconds_until(epoch: float | None) -> float:
    return max(0.0, (epoch or time.time()) - time.time())
