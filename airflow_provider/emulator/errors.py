"""Failures the emulated API reports, independent of how v2 or v1.1 render them.

Each carries X's wording where a source shows it, and a ``reason``: the emulator's own explanation, which X does not
send. The reason goes to the admin request log (``GET /_emulator/requests``) so tests can see why a call failed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# X's message when a post's media cannot be used (abraham/twitteroauth#1222, tweepy/tweepy#2016, plhery#501).
INVALID_MEDIA_IDS = "Your media IDs are invalid."
# STATUS of media that never entered processing (images; xdevplatform/xurl#18).
MEDIA_NOT_FOUND = "BadRequest: Not found"
# Over-long post text (tweepy output in gundogan8/FotBot#22; node-twitter-api-v2 users match errors[0].message).
TEXT_TOO_LONG = (
    "Your Tweet text is too long. For more information on how Twitter determines text length see "
    "https://github.com/twitter/twitter-text."
)
# Non-JSON body on a JSON endpoint (abraham/twitteroauth#1082, #1194; atymic/twitter#419).
NOT_JSON = "Requests with bodies must have content-type of application/json."
DUPLICATE_CONTENT = "You are not allowed to create a Tweet with duplicate content."
REPLY_TARGET_UNKNOWN = "You attempted to reply to a Tweet that is deleted or not visible to you."
# A reply X's 2026-02-23 rule refuses, in the wording seen from then to July 2026 (gptme/gptme-contrib#1295); the
# wording seen since, "You can only reply to or quote posts where you are mentioned or are the author." (#1302),
# exempts authors, which the emulator models with its self_replies switch.
REPLY_NOT_SUMMONED = (
    "Reply to this conversation is not allowed because you have not been mentioned or otherwise engaged by the "
    "author of the post you are replying to."
)


class ApiError(Exception):
    """A request X would refuse; ``str(exc)`` is the reason logged by the emulator."""


class InvalidRequest(ApiError):
    """400 invalid-request with one ``errors[]`` entry shaped as X sends it.

    ``parameters`` is left out when X's answer has none (xurl#18); ``reason`` defaults to the message.
    """

    def __init__(self, message: str, parameters: Mapping[str, Any] | None = None, reason: str | None = None) -> None:
        super().__init__(reason or message)
        entry: dict[str, Any] = {"message": message}
        if parameters is not None:
            entry = {"parameters": dict(parameters), "message": message}
        self.errors: list[dict[str, Any]] = [entry]


class InvalidMediaIds(InvalidRequest):
    """400 on POST /2/tweets: one entry, X's message and the ids (twitteroauth#1222); the cause is the reason."""

    def __init__(self, media_ids: list[Any], reason: str) -> None:
        super().__init__(INVALID_MEDIA_IDS, {"media.media_ids": media_ids}, reason)


class MediaNotFound(InvalidRequest):
    """STATUS of media with no processing job: v2 answers 400 (xurl#18), v1.1 answered 404 (plhery#336)."""

    def __init__(self, reason: str) -> None:
        super().__init__(MEDIA_NOT_FOUND, None, reason)


class Forbidden(ApiError):
    """403 ``about:blank`` problem whose ``detail`` is X's sentence (duplicate content: akrherz/iembot#163)."""

    def __init__(self, detail: str, reason: str | None = None) -> None:
        super().__init__(reason or detail)
        self.detail = detail


class PostNotFound(ApiError):
    """404 for a post the user does not have (never made, or deleted): X's ``resource-not-found`` entry in
    ``errors``, the one its GET answers for an unknown id."""

    def __init__(self, entry: dict[str, Any]) -> None:
        super().__init__(entry["detail"])
        self.errors = [entry]


class Unauthorized(ApiError):
    """401: the OAuth 1.0a signature, credentials, timestamp or nonce did not pass."""


class RateLimited(ApiError):
    """429 from an exhausted rate-limit window or 24-hour cap, with the headers that say when it resets."""

    def __init__(self, headers: Mapping[str, str], reason: str) -> None:
        super().__init__(reason)
        self.headers = dict(headers)


class CreditsDepleted(ApiError):
    """402: the pay-per-use account has no credits left."""


class UsageCapped(ApiError):
    """429 ``usage-capped``: the account reached its product usage cap."""


def int_in_range(value: Any, name: str, low: int, high: int) -> int:
    """``value`` if it is an integer within ``[low, high]``, else the 400 X gives for that parameter."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidRequest(
            f"The `{name}` value [{value}] is not an integer between {low} and {high}.", {name: [value]}
        )
    return value
