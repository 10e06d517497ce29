"""Refresh-token rotation that never presents a spent refresh token, across every process that shares the store.

X's refresh tokens are single-use: whoever presents one spends it, and the new one exists only in X's answer. So
exactly one process may present the current refresh token, and only once. The store offers get and set, last
writer wins, no compare-and-set, so the exclusion is Fischer's timed mutual exclusion on a lease register:

1. read the lease; if another process holds it, wait (or keep using a still-valid access token);
2. write a claim with a fresh nonce, and give up unless the read-to-write round trip took at most ``CLAIM_MAX``;
3. wait ``CONFIRM_DELAY`` (> ``CLAIM_MAX``), read the lease again: the claim must still be ours.

Any rival that read the lease as free before our claim landed wrote its own claim within ``CLAIM_MAX`` of that
read (or gave up), so before our confirming read: we see it and back off. A rival reading after our claim landed
sees it held. So at most one process is past step 3; the delay and bound are measured by each process on its own
monotonic clock, never compared across machines.

Inside the lease, the holder re-reads the token state, returns a token another process already refreshed, and
otherwise marks the refresh token *in flight* in the store before presenting it. The mark outlives the holder: if
it dies or X's answer is lost (the new refresh token then exists only in that answer), the next holder finds the
mark and stops with a clear error instead of presenting a token that is probably spent. A lease whose holder died
is taken over only after its observer has watched it unchanged for ``LEASE`` seconds, and a holder presents only
while at most ``LEASE - REQUEST_BUDGET`` seconds have passed since it started claiming, so a live holder's lease is
never taken over.
"""

from __future__ import annotations

import hashlib
import json
import random
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from typing import Any

from airflow_provider.client.oauth2 import REQUIRED_SCOPES, TOKEN_PATH
from airflow_provider.client.oauth2.store import DESCRIPTION, LEASE_KEY, TOKEN_KEY, Store
from airflow_provider.client.oauth2.token_endpoint import (
    Client,
    TokenAnswerLost,
    TokenNotSent,
    TokenRefused,
    post_token,
)
from airflow_provider.exceptions import TwitterApiError, TwitterInputError

CLAIM_MAX = 1.0  # the longest read-then-write of a claim that may go on
CONFIRM_DELAY = 2.0  # > CLAIM_MAX: Fischer's wait before the confirming read
LEASE = 90.0  # an unchanged lease this old (by the observer's clock) is abandoned
REQUEST_BUDGET = 45.0  # in flight mark, token request (TIMEOUT), result write: what must fit after a check
POLL = 0.5  # how often a process waiting for another's refresh looks again
MAX_EARLY = 300.0  # refresh at most this long before expiry (X's tokens last 7200 s) ...
EARLY_FRACTION = 0.5  # ... and at most this fraction of the token's life before it
ENDPOINT = f"POST {TOKEN_PATH}"


@dataclass(frozen=True)
class TokenState:
    """What the token Variable holds. ``seed`` identifies the connection's refresh token it descends from (a hash
    prefix, never the token); ``in_flight`` is when the refresh token was sent without the outcome being stored;
    ``dead`` why no process may present it."""

    seed: str
    refresh_token: str
    access_token: str = ""
    expires_at: float = 0.0
    lifetime: float = 0.0
    scope: str = ""
    generation: int = 0
    in_flight: float | None = None
    dead: str | None = None

    @classmethod
    def parse(cls, raw: str | None) -> TokenState | None:
        if not raw:
            return None
        try:
            return cls(**json.loads(raw))
        except (TypeError, ValueError):
            return None

    def dump(self) -> str:
        return json.dumps(asdict(self))

    def valid_for(self, now: float) -> float:
        return self.expires_at - now if self.access_token else 0.0

    def fresh(self, now: float) -> bool:
        """Valid beyond the refresh margin: no process needs to refresh yet."""
        return self.valid_for(now) > min(MAX_EARLY, self.lifetime * EARLY_FRACTION)


class TokenManager:
    """One connection's access token in one process, shared by its hooks and threads; refreshed under the lease.

    ``on_secret`` is told every token as it is read or minted, before anything could log it (the caller's masker).
    """

    def __init__(
        self,
        conn_id: str,
        base_url: str,
        client: Client,
        seed: str,
        store: Store,
        *,
        on_secret: Callable[[str], None],
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.conn_id, self.base_url, self.client, self._seed = conn_id, base_url, client, seed
        self.seed_id = hashlib.sha256(seed.encode()).hexdigest()[:16]
        self.store, self.on_secret = store, on_secret
        self.clock, self.monotonic, self.sleep = clock, monotonic, sleep
        self.token_key = TOKEN_KEY.format(conn_id=conn_id)
        self.lease_key = LEASE_KEY.format(conn_id=conn_id)
        self.me = uuid.uuid4().hex
        self._lock = threading.Lock()
        self._state: TokenState | None = None
        self._watched: tuple[str, float] = ("", 0.0)  # the lease nonce seen held, and since when (monotonic)

    # -- public -------------------------------------------------------------------------------------------------

    def access_token(self) -> str:
        """A valid access token with the scopes the provider needs; refreshed first when it is near expiry."""
        state = self._state
        if state is not None and state.fresh(self.clock()):
            return state.access_token
        with self._lock:
            return self._current(reject=None)

    def after_unauthorized(self, used: str) -> str | None:
        """X refused ``used`` (rotated by another process, or revoked): a newer token, or None when there is none."""
        with self._lock:
            token = self._current(reject=used)
        return None if token == used else token

    # -- state ----------------------------------------------------------------------------------------------------

    def _read_state(self) -> TokenState:
        """The stored state of this connection's seed; the seed itself until a rotated token exists."""
        stored = TokenState.parse(self.store.get(self.token_key))
        state = stored if stored is not None and stored.seed == self.seed_id else TokenState(self.seed_id, self._seed)
        for secret in (state.refresh_token, state.access_token):
            if secret:
                self.on_secret(secret)
        return state

    def _usable(self, state: TokenState, reject: str | None, *, fresh: bool) -> bool:
        now = self.clock()
        if not state.access_token or state.access_token == reject:
            return False
        return state.fresh(now) if fresh else state.valid_for(now) > 0

    def _adopt(self, state: TokenState) -> str:
        self._state = state
        missing = [scope for scope in REQUIRED_SCOPES if scope not in state.scope.split()]
        if missing:
            raise TwitterInputError(
                f"The OAuth 2.0 token of connection {self.conn_id!r} lacks the scope {', '.join(missing)} "
                f"(it has: {state.scope or 'none'}). Authorize again with `python -m airflow_provider.oauth2 "
                "authorize`, which asks for every scope the provider needs, and put the refresh token it prints in "
                "the connection's extra 'refresh_token' (see docs/connection.md)."
            )
        return state.access_token

    def _current(self, reject: str | None) -> str:
        """A usable token: the stored one if another process refreshed it, else one refreshed here under the lease.

        A token still valid but near expiry is used as is while another process holds the lease.
        """
        state = self._read_state()
        self._raise_if_dead(state)
        if self._usable(state, reject, fresh=True):
            return self._adopt(state)
        give_up = self.monotonic() + 3 * LEASE
        while True:
            claim = self._claim()
            if claim is not None:
                return self._refresh_holding(claim, reject)
            state = self._read_state()
            self._raise_if_dead(state)
            if self._usable(state, reject, fresh=False):
                return self._adopt(state)
            if self.monotonic() > give_up:
                raise TwitterApiError(
                    endpoint=ENDPOINT, http_status=None, title="No token: the refresh lease stayed busy"
                )
            self.sleep(POLL * (0.5 + random.random()))  # jitter: rivals do not claim in lockstep

    # -- the lease ------------------------------------------------------------------------------------------------

    def _claim(self) -> float | None:
        """Fischer's claim: the monotonic time the claim started, or None while another process holds the lease."""
        started = self.monotonic()
        lease = _parse_lease(self.store.get(self.lease_key))
        holder, nonce = lease.get("holder"), str(lease.get("nonce", ""))
        if holder and holder != self.me and not self._abandoned(nonce, started):
            return None
        mine = uuid.uuid4().hex
        self.store.set(self.lease_key, json.dumps({"holder": self.me, "nonce": mine}))
        if self.monotonic() - started > CLAIM_MAX:
            return None  # our write may have landed late: never go on with it
        self.sleep(CONFIRM_DELAY)
        if _parse_lease(self.store.get(self.lease_key)).get("nonce") != mine:
            return None
        return started

    def _abandoned(self, nonce: str, now: float) -> bool:
        if self._watched[0] != nonce:
            self._watched = (nonce, now)
        return now - self._watched[1] > LEASE

    def _release(self, claim_started: float) -> None:
        """Free the lease, unless it may already count as abandoned: a rival may then hold it, and freeing it would
        let a third process in beside that rival."""
        if self.monotonic() - claim_started < LEASE:
            self.store.set(self.lease_key, json.dumps({"holder": None, "nonce": uuid.uuid4().hex}))

    def _in_time(self, claim_started: float) -> bool:
        return self.monotonic() - claim_started < LEASE - REQUEST_BUDGET

    # -- the refresh, holding the lease ---------------------------------------------------------------------------

    def _refresh_holding(self, claim_started: float, reject: str | None) -> str:
        try:
            state = self._read_state()
            self._raise_if_dead(state)
            if self._usable(state, reject, fresh=reject is None):
                return self._adopt(state)  # another process refreshed while we claimed
            if state.in_flight is not None:
                dead = replace(state, dead=_LOST)
                self._write(dead)
                self._raise_if_dead(dead)
            if not self._in_time(claim_started):
                raise TwitterApiError(endpoint=ENDPOINT, http_status=None, title="Refresh lease ran out before use")
            self._write(replace(state, in_flight=self.clock()))
            if not self._in_time(claim_started):
                self._write(state)
                raise TwitterApiError(endpoint=ENDPOINT, http_status=None, title="Refresh lease ran out before use")
            return self._adopt(self._present(state))
        finally:
            self._release(claim_started)

    def _present(self, state: TokenState) -> TokenState:
        """Send the refresh token, once; store the outcome; the new state."""
        sent_at = self.clock()
        form = {"grant_type": "refresh_token", "refresh_token": state.refresh_token}
        try:
            answer = post_token(self.base_url, self.client, form)
        except TokenNotSent as e:
            self._write(state)  # the token is intact: clear the mark
            raise TwitterApiError(endpoint=ENDPOINT, http_status=None, title=f"Refresh not sent ({e})") from None
        except TokenAnswerLost as e:
            self._write(replace(state, dead=f"{_LOST} ({e})"))
            raise self._dead_error(f"{_LOST} ({e})") from None
        except TokenRefused as e:
            if e.error == "unauthorized_client" or e.status == 401:
                self._write(state)  # the client was refused before the token was looked at
                raise TwitterInputError(
                    f"X refused the OAuth 2.0 client of connection {self.conn_id!r} ({e}). Check client_id, and "
                    "client_secret for a confidential client (empty for a public one)."
                ) from None
            reason = f"X answered {e} when it was presented"
            self._write(replace(state, dead=reason))
            raise self._dead_error(reason) from None
        if not answer.get("refresh_token"):
            reason = "X's token answer had no refresh token (the account was authorized without offline.access)"
            self._write(replace(state, dead=reason))
            raise self._dead_error(reason)
        new = _state_from_answer(state, answer, sent_at)
        for secret in (new.refresh_token, new.access_token):
            self.on_secret(secret)
        self._write(new)
        return new

    def _write(self, state: TokenState) -> None:
        """Store the state; retried, since a rotated refresh token that is not stored is lost."""
        for attempt in range(3):
            try:
                self.store.set(self.token_key, state.dump(), DESCRIPTION.format(conn_id=self.conn_id))
                return
            except Exception:
                if attempt == 2:
                    raise
                self.sleep(1.0)

    def _raise_if_dead(self, state: TokenState) -> None:
        if state.dead:
            raise self._dead_error(state.dead)

    def _dead_error(self, reason: str) -> TwitterInputError:
        return TwitterInputError(
            f"The OAuth 2.0 refresh token of connection {self.conn_id!r} can no longer be used: {reason}. Posting "
            "stops until the account is authorized again: run `python -m airflow_provider.oauth2 authorize` and put "
            "the refresh token it prints in the connection's extra 'refresh_token' (see docs/connection.md)."
        )


_LOST = (
    "it was sent to X but the outcome was never stored (X's answer was lost, or the process sending it died), so "
    "it is probably spent and the token that replaced it is lost"
)


def _parse_lease(raw: str | None) -> dict[str, Any]:
    try:
        lease = json.loads(raw or "{}")
    except ValueError:
        return {}
    return lease if isinstance(lease, dict) else {}


def _state_from_answer(state: TokenState, answer: dict[str, Any], sent_at: float) -> TokenState:
    refresh_token = str(answer["refresh_token"])
    lifetime = float(answer.get("expires_in") or 7200)
    return TokenState(
        seed=state.seed,
        refresh_token=refresh_token,
        access_token=str(answer["access_token"]),
        expires_at=sent_at + lifetime,
        lifetime=lifetime,
        scope=str(answer.get("scope", "")),
        generation=state.generation + 1,
    )
