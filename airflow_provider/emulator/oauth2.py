"""OAuth 2.0 user context: the authorize and token endpoints, Bearer checks with scopes, and rotating single-use
refresh tokens, with a record of every spent refresh token presented again.

Sources (DOCS = xdevplatform/docs):
- DOCS fundamentals/authentication/oauth-2-0/authorization-code.mdx: authorization code with PKCE and refresh
  token are the only grants; a refresh token only with ``offline.access``; access tokens last two hours; the code
  must be exchanged within 30 s; exact match of the redirect URI; confidential clients send HTTP Basic, public
  clients ``client_id`` in the body.
- DOCS fundamentals/authentication/oauth-2-0/user-access-token.mdx: ``POST /2/oauth2/token`` form-encoded, the
  fields of each grant, ``Authorization: Bearer`` on the API.
- DOCS fundamentals/authentication/guides/v2-authentication-mapping.mdx: scopes per endpoint; OAS ``UserToken``
  security ``media.write`` on the media endpoints.
- Rotation, single use, and the answer to a spent token, 400 ``invalid_request`` "Value passed for the token was
  invalid.": elizaOS/eliza#29954, gptme/gptme-contrib#600.
- A confidential client without Basic auth: 401 ``unauthorized_client`` "Missing valid authorization header"
  (tweepy/tweepy#2035, unasuke/omniauth-twitter2#4, xdevplatform/oauth2.0-bot#2).

Unknown, and the stricter choice taken: whether X revokes the previous access token when its refresh token is
used (yes here, ``oauth2_revoke_on_refresh``); whether reusing a spent refresh token revokes the grant (an option,
``oauth2_reuse_revokes_grant``, as some providers do); the exact answer to a missing scope (403 ``about:blank``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

from airflow_provider.emulator.config import EmulatorConfig
from airflow_provider.emulator.errors import Forbidden, Unauthorized

# Every scope the provider's endpoints need, and the helper asks for (DOCS authorization-code.mdx, scope table).
ALL_SCOPES = frozenset({"tweet.read", "tweet.write", "users.read", "media.write", "offline.access"})
_MEDIA = frozenset({"media.write"})
_READ = frozenset({"tweet.read", "users.read"})
# DOCS v2-authentication-mapping.mdx (posts, timelines, users/me); OAS UserToken security (media endpoints).
ENDPOINT_SCOPES: Mapping[str, frozenset[str]] = {
    "initialize": _MEDIA,
    "append": _MEDIA,
    "finalize": _MEDIA,
    "status": _MEDIA,
    "metadata": _MEDIA,
    "subtitles": _MEDIA,
    "subtitles_delete": _MEDIA,
    "tweets": _READ | {"tweet.write"},
    "tweets_delete": _READ | {"tweet.write"},
    "tweet": _READ,
    "users_me": _READ,
    "user_tweets": _READ,
}
CODE_LIFETIME_SECS = 30.0  # DOCS authorization-code.mdx, glossary "Authorization code"
SPENT_TOKEN = "Value passed for the token was invalid."


class OAuth2Error(Exception):
    """An RFC 6749 §5.2 error answer of the token endpoint: ``{"error", "error_description"}``."""

    def __init__(self, status: int, error: str, description: str, reason: str | None = None) -> None:
        super().__init__(reason or description)
        self.status, self.error, self.description = status, error, description

    def body(self) -> dict[str, str]:
        return {"error": self.error, "error_description": self.description}


@dataclass
class _Grant:
    """One user authorization: its scopes, and every token issued from it."""

    id: int
    scopes: frozenset[str]
    revoked: bool = False
    generation: int = 0
    tokens: list[str] = field(default_factory=list)


@dataclass
class _Token:
    kind: str  # "access", "refresh" or "code"
    grant: _Grant
    generation: int
    expires_at: float | None = None
    spent_at: float | None = None
    revoked: bool = False
    # codes only: what the token request must match
    redirect_uri: str = ""
    challenge: str = ""
    challenge_method: str = ""


class OAuth2Authority:
    """The emulated app's authorization server: grants, codes, rotating refresh tokens and access tokens.

    Every spent refresh token that is presented again is recorded in ``spent_presented`` (what tests assert is
    empty); with ``oauth2_reuse_revokes_grant`` such a presentation also revokes every token of its grant.
    """

    def __init__(self, config: EmulatorConfig, clock: Callable[[], float]) -> None:
        self._config = config
        self._clock = clock
        self._lock = threading.Lock()
        self._tokens: dict[str, _Token] = {}
        self._grants: list[_Grant] = []
        self._refreshes = 0
        self._spent_presented: list[dict[str, Any]] = []
        self._seed()

    def reset(self) -> None:
        with self._lock:
            self._tokens.clear()
            self._grants.clear()
            self._refreshes = 0
            self._spent_presented.clear()
        self._seed()

    def _seed(self) -> None:
        """The configured seed as the refresh token of a grant of every scope (the emulator's ready-made connection)."""
        if self._config.oauth2_seed:
            with self._lock:
                grant = _Grant(len(self._grants) + 1, ALL_SCOPES, generation=1, tokens=[self._config.oauth2_seed])
                self._grants.append(grant)
                self._tokens[self._config.oauth2_seed] = _Token("refresh", grant, 1)

    # -- grants -----------------------------------------------------------------------------------------------

    def grant(self, scopes: frozenset[str] = ALL_SCOPES) -> dict[str, Any]:
        """A new authorization as if the user had approved it: its token answer (the seed for a connection)."""
        with self._lock:
            grant = _Grant(len(self._grants) + 1, scopes)
            self._grants.append(grant)
            return self._issue(grant)

    def authorize(self, params: Mapping[str, str]) -> str:
        """``GET /i/oauth2/authorize``: the emulated user approves at once; the code to send to ``redirect_uri``.

        ``ValueError`` names what is wrong (X shows an error page; the emulator answers 400).
        """
        if params.get("response_type") != "code":
            raise ValueError("response_type must be 'code'")
        if params.get("client_id") != self._config.oauth2_client_id:
            raise ValueError("client_id is not the emulated app's")
        redirect_uri = params.get("redirect_uri", "")
        if urlsplit(redirect_uri).hostname not in ("127.0.0.1", "localhost", "::1"):
            # X matches the redirect URI exactly against the app's callback URLs; the emulator's app has loopback ones.
            raise ValueError("redirect_uri must be a loopback URL (http://127.0.0.1:<port>/...)")
        method = params.get("code_challenge_method", "")
        if method not in ("S256", "plain") or not params.get("code_challenge"):
            raise ValueError("code_challenge and code_challenge_method (S256 or plain) are required (PKCE)")
        scopes = frozenset(unquote(params.get("scope", "")).split())
        if not scopes or not scopes <= ALL_SCOPES | {"follows.read", "like.read"}:
            raise ValueError(f"scope must be some of {' '.join(sorted(ALL_SCOPES))}")
        with self._lock:
            grant = _Grant(len(self._grants) + 1, scopes)
            self._grants.append(grant)
            code = _new_token("code")
            self._tokens[code] = _Token(
                "code",
                grant,
                0,
                expires_at=self._clock() + CODE_LIFETIME_SECS,
                redirect_uri=redirect_uri,
                challenge=params["code_challenge"],
                challenge_method=method,
            )
            return code

    # -- token endpoint ---------------------------------------------------------------------------------------

    def token(self, form: Mapping[str, str], authorization: str | None) -> dict[str, Any]:
        """``POST /2/oauth2/token``: the token answer, or :class:`OAuth2Error`."""
        self._authenticate_client(form, authorization)
        grant_type = form.get("grant_type")
        with self._lock:
            if grant_type == "refresh_token":
                return self._refresh(form.get("refresh_token", ""))
            if grant_type == "authorization_code":
                return self._exchange(form)
        raise OAuth2Error(400, "unsupported_grant_type", "Only authorization_code and refresh_token are supported.")

    def _authenticate_client(self, form: Mapping[str, str], authorization: str | None) -> None:
        config = self._config
        if config.oauth2_client_secret:
            expected = base64.b64encode(f"{config.oauth2_client_id}:{config.oauth2_client_secret}".encode()).decode()
            if not authorization or not hmac.compare_digest(authorization.strip(), f"Basic {expected}"):
                raise OAuth2Error(401, "unauthorized_client", "Missing valid authorization header")
        elif form.get("client_id") != config.oauth2_client_id:
            raise OAuth2Error(400, "invalid_request", "Missing required parameter [client_id].")

    def _refresh(self, refresh_token: str) -> dict[str, Any]:
        record = self._tokens.get(refresh_token)
        if record is None or record.kind != "refresh":
            raise OAuth2Error(400, "invalid_request", SPENT_TOKEN, "unknown refresh token")
        grant = record.grant
        if record.spent_at is not None:
            self._spent_presented.append(
                {"at": self._clock(), "grant": grant.id, "generation": record.generation, "spent_at": record.spent_at}
            )
            if self._config.oauth2_reuse_revokes_grant:
                self._revoke(grant)
            raise OAuth2Error(400, "invalid_request", SPENT_TOKEN, "spent refresh token presented again")
        if record.revoked or grant.revoked:
            raise OAuth2Error(400, "invalid_request", SPENT_TOKEN, "revoked refresh token")
        record.spent_at = self._clock()
        if self._config.oauth2_revoke_on_refresh:
            self._revoke(grant, kinds=("access",))
        self._refreshes += 1
        return self._issue(grant)

    def _exchange(self, form: Mapping[str, str]) -> dict[str, Any]:
        code = form.get("code", "")
        record = self._tokens.pop(code, None)  # single use, whatever the outcome
        invalid = OAuth2Error(400, "invalid_request", "Value passed for the authorization code was invalid.")
        if record is None or record.kind != "code" or (record.expires_at or 0) < self._clock():
            raise invalid
        verifier = form.get("code_verifier", "")
        challenge = (
            base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            if record.challenge_method == "S256"
            else verifier
        )
        if form.get("redirect_uri") != record.redirect_uri or not hmac.compare_digest(challenge, record.challenge):
            raise invalid
        return self._issue(record.grant)

    def _issue(self, grant: _Grant) -> dict[str, Any]:
        """A new access token, and a refresh token when the grant has ``offline.access``; the token answer."""
        grant.generation += 1
        lifetime = self._config.oauth2_access_token_secs
        access = _new_token("at")
        self._tokens[access] = _Token("access", grant, grant.generation, expires_at=self._clock() + lifetime)
        grant.tokens.append(access)
        answer: dict[str, Any] = {
            "token_type": "bearer",
            "expires_in": lifetime,
            "access_token": access,
            "scope": " ".join(sorted(grant.scopes)),
        }
        if "offline.access" in grant.scopes:
            refresh = _new_token("rt")
            self._tokens[refresh] = _Token("refresh", grant, grant.generation)
            grant.tokens.append(refresh)
            answer["refresh_token"] = refresh
        return answer

    def _revoke(self, grant: _Grant, kinds: tuple[str, ...] = ("access", "refresh")) -> None:
        grant.revoked = grant.revoked or "refresh" in kinds
        for token in grant.tokens:
            if (record := self._tokens.get(token)) and record.kind in kinds:
                record.revoked = True

    # -- API requests -----------------------------------------------------------------------------------------

    def check_bearer(self, token: str, endpoint: str | None, *, v1: bool) -> None:
        """Raise :class:`Unauthorized` unless ``token`` is a live access token, :class:`Forbidden` unless its grant
        has the endpoint's scopes. v1.1 takes no OAuth 2.0 user token (plhery/node-twitter-api-v2#167)."""
        with self._lock:
            record = self._tokens.get(token)
            if record is None or record.kind != "access":
                raise Unauthorized("Unauthorized: unknown bearer token")
            if record.revoked or record.grant.revoked:
                raise Unauthorized("Unauthorized: revoked bearer token")
            if (record.expires_at or 0) <= self._clock():
                raise Unauthorized("Unauthorized: expired bearer token")
            scopes = record.grant.scopes
        if v1:
            raise Forbidden("OAuth 2.0 user context is not supported by v1.1", "v1.1 with an OAuth 2.0 user token")
        missing = ENDPOINT_SCOPES.get(endpoint or "", frozenset()) - scopes
        if missing:
            raise Forbidden("Forbidden", f"the token lacks scope {', '.join(sorted(missing))}")

    def issued(self) -> list[str]:
        """Every token and code issued (and the seed), for tests that search logs for them."""
        with self._lock:
            return [*self._tokens, *(self._config.oauth2_seed,) * bool(self._config.oauth2_seed)]

    def describe(self) -> dict[str, Any]:
        """``GET /_emulator/oauth2``: counts, and every spent refresh token presented again (none is the goal)."""
        with self._lock:
            return {
                "grants": len(self._grants),
                "refreshes": self._refreshes,
                "revoked_grants": sum(grant.revoked for grant in self._grants),
                "spent_presented": list(self._spent_presented),
            }


def _new_token(kind: str) -> str:
    """Opaque like X's (base64url, with a kind marker as in the docs' examples, e.g. ``...:1:0:rt:1``)."""
    return base64.urlsafe_b64encode(f"{secrets.token_urlsafe(30)}:1:0:{kind}:1".encode()).rstrip(b"=").decode()
