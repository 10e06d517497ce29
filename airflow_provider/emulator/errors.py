"""Failures the emulated API reports, independent of how v2 or v1.1 render them."""

from __future__ import annotations

from typing import Any

INVALID_MEDIA_IDS = "Your media IDs are invalid."


class ApiError(Exception):
    """A request X would refuse."""


class InvalidRequest(ApiError):
    """400: one or more parameters are invalid; ``errors`` follows X's ``errors[]`` entries."""

    def __init__(self, message: str, parameters: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.errors: list[dict[str, Any]] = [{"message": message, "parameters": parameters or {}}]


class InvalidMediaIds(InvalidRequest):
    """400 on POST /2/tweets. X's own message comes first; a second entry says which id failed and why."""

    def __init__(self, media_ids: list[Any], reason: str, culprits: list[Any] | None = None) -> None:
        super().__init__(INVALID_MEDIA_IDS, {"media.media_ids": media_ids})
        self.errors.append({"message": reason, "parameters": {"media.media_ids": culprits or media_ids}})


class DuplicateContent(ApiError):
    """403: the user already posted the same text with the same media."""


class Unauthorized(ApiError):
    """401: the OAuth 1.0a signature, credentials, timestamp or nonce did not pass."""


def int_in_range(value: Any, name: str, low: int, high: int) -> int:
    """``value`` if it is an integer within ``[low, high]``, else the 400 X gives for that parameter."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidRequest(
            f"The `{name}` value [{value}] is not an integer between {low} and {high}.", {name: [value]}
        )
    return value
