"""The part of an answer the contract compares: status, keys, problem type and title, error messages, the JSON types
of the first error's parameter values, and which rate-limit headers are present. Values that differ per call (ids,
counts, times) are left out."""

from __future__ import annotations

from typing import Any

import requests

RATE_LIMIT_HEADERS = (
    "x-rate-limit-limit",
    "x-rate-limit-remaining",
    "x-rate-limit-reset",
    "x-app-limit-24hour-limit",
    "x-app-limit-24hour-remaining",
    "x-app-limit-24hour-reset",
    "x-user-limit-24hour-limit",
    "x-user-limit-24hour-remaining",
    "x-user-limit-24hour-reset",
)


def _keys(value: Any) -> list[str]:
    """Keys of an object, one level of nested objects as ``parent.child``."""
    if not isinstance(value, dict):
        return []
    keys = []
    for key, item in value.items():
        keys.append(key)
        if isinstance(item, dict):
            keys.extend(f"{key}.{child}" for child in item)
    return sorted(keys)


def shape(response: requests.Response) -> dict[str, Any]:
    body = response.json() if response.content else None
    result: dict[str, Any] = {"status": response.status_code, "keys": _keys(body)}
    if isinstance(body, dict):
        result["data_keys"] = _keys(body.get("data"))
        errors = body.get("errors")
        if isinstance(errors, list) and errors:
            result["error_keys"] = _keys(errors[0])
            result["error_messages"] = [error.get("message") for error in errors if "message" in error]
            parameters = errors[0].get("parameters") if isinstance(errors[0], dict) else None
            if isinstance(parameters, dict) and parameters:
                values = [value for listed in parameters.values() for value in listed]
                result["parameter_value_types"] = sorted({type(value).__name__ for value in values})
        for field in ("type", "title"):
            if field in body:
                result[field] = body[field]
    result["headers"] = [name for name in RATE_LIMIT_HEADERS if name in response.headers]
    return result
