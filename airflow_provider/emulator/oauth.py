"""OAuth 1.0a (HMAC-SHA1) verification of every X API request, with oauthlib's signature primitives.

The signature covers the URL as the client addressed it, the query, and form-urlencoded body parameters only
(JSON and multipart bodies are not signed), which is exactly what requests-oauthlib produces.
"""

from __future__ import annotations

import heapq
import hmac
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from oauthlib.oauth1.rfc5849 import signature, utils

from airflow_provider.emulator.config import EmulatorConfig
from airflow_provider.emulator.errors import Unauthorized

_REQUIRED = (
    "oauth_consumer_key",
    "oauth_token",
    "oauth_signature_method",
    "oauth_signature",
    "oauth_timestamp",
    "oauth_nonce",
)


@dataclass(frozen=True)
class _SignedRequest:
    """The four attributes oauthlib's ``verify_hmac_sha1`` reads from a request."""

    uri: str
    http_method: str
    params: list[tuple[str, str]]
    signature: str


class OAuthVerifier:
    """Checks credentials, signature, timestamp skew and nonce reuse for the emulator's single user.

    Seen nonces are remembered with their ``oauth_timestamp`` and forgotten once that timestamp leaves the
    accepted window: a replay that old is refused by the timestamp check anyway, so the set stays bounded.
    """

    def __init__(self, config: EmulatorConfig, wall_clock: Callable[[], float] = time.time) -> None:
        self._config = config
        self._wall_clock = wall_clock
        self._lock = threading.Lock()
        self._nonces: set[str] = set()
        self._expiry: list[tuple[int, str]] = []

    def reset(self) -> None:
        with self._lock:
            self._nonces.clear()
            self._expiry.clear()

    def verify(
        self, method: str, uri: str, authorization: str | None, query: str, form_params: Sequence[tuple[str, str]]
    ) -> None:
        """Raise :class:`Unauthorized` unless the request is signed by the configured app and user."""
        if not authorization or not authorization.lower().startswith("oauth "):
            raise Unauthorized()
        config = self._config
        try:
            oauth = {name: utils.unescape(value) for name, value in utils.parse_authorization_header(authorization)}
            timestamp = int(oauth.get("oauth_timestamp", ""))
            params = signature.collect_parameters(
                uri_query=query, body=list(form_params), headers={"Authorization": authorization}
            )
            signed = _SignedRequest(uri, method.upper(), params, oauth.get("oauth_signature", ""))
            valid = signature.verify_hmac_sha1(signed, config.api_key_secret, config.access_token_secret)
        except ValueError:
            raise Unauthorized() from None
        if (
            not valid
            or any(not oauth.get(name) for name in _REQUIRED)
            or oauth["oauth_signature_method"] != "HMAC-SHA1"
            or not hmac.compare_digest(oauth["oauth_consumer_key"], config.api_key)
            or not hmac.compare_digest(oauth["oauth_token"], config.access_token)
        ):
            raise Unauthorized()
        now = self._wall_clock()
        if abs(now - timestamp) > config.oauth_window_secs:
            raise Unauthorized()
        self._remember_nonce(oauth["oauth_nonce"], timestamp, now)

    def _remember_nonce(self, nonce: str, timestamp: int, now: float) -> None:
        with self._lock:
            while self._expiry and self._expiry[0][0] < now - self._config.oauth_window_secs:
                self._nonces.discard(heapq.heappop(self._expiry)[1])
            if nonce in self._nonces:
                raise Unauthorized(f"Unauthorized: oauth_nonce {nonce!r} was already used")
            self._nonces.add(nonce)
            heapq.heappush(self._expiry, (timestamp, nonce))
