"""One retry policy for every request to X, sync (workers) and async (triggerer).

Transient failures (5xx, dropped connections, timeouts) back off exponentially with jitter; a rate limit (429) waits
for its reset when that is at most ``max_rate_limit_wait`` away; every other failure is final. Each attempt is a new
call of the caller's function, so it is signed anew (X refuses a replayed nonce) and a streamed body is sent from its
start: no transport-level retry ever resends the same signed bytes.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import tenacity

from airflow_provider.client.answers import rate_limit_wait
from airflow_provider.client.log import Log
from airflow_provider.exceptions import TwitterApiError

T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    """``max_attempts`` in all, the first included; waits of ``backoff_initial`` doubling to ``backoff_max``."""

    max_attempts: int = 5
    backoff_initial: float = 1.0
    backoff_max: float = 30.0
    max_rate_limit_wait: float = 900.0
    log: Log = field(default=logging.getLogger(__name__), repr=False, compare=False)

    def call(self, attempt: Callable[[int], T]) -> T:
        """``attempt(n)`` for n = 1, 2, ... until it returns or fails for good; a ``TwitterApiError`` raised carries
        how many attempts were made."""
        retrying = tenacity.Retrying(**self._tenacity())
        try:
            for state in retrying:
                with state:
                    return attempt(state.retry_state.attempt_number)
        except TwitterApiError as e:
            e.attempts = retrying.statistics.get("attempt_number", 1)
            raise
        raise AssertionError("unreachable: tenacity either returns or raises")

    async def acall(self, attempt: Callable[[int], Awaitable[T]]) -> T:
        """:meth:`call` for an event loop: the waits are ``asyncio.sleep``."""
        retrying = tenacity.AsyncRetrying(**self._tenacity())
        try:
            async for state in retrying:
                with state:
                    return await attempt(state.retry_state.attempt_number)
        except TwitterApiError as e:
            e.attempts = retrying.statistics.get("attempt_number", 1)
            raise
        raise AssertionError("unreachable: tenacity either returns or raises")

    def _tenacity(self) -> dict[str, Any]:
        return {
            "stop": tenacity.stop_after_attempt(self.max_attempts),
            "wait": self._wait,
            "retry": tenacity.retry_if_exception(self._should_retry),
            "before_sleep": self._before_sleep,
            "reraise": True,
        }

    def _should_retry(self, error: BaseException) -> bool:
        if not isinstance(error, TwitterApiError):
            return False
        if error.is_rate_limit:
            return rate_limit_wait(error) <= self.max_rate_limit_wait
        return error.is_transient

    def _wait(self, state: tenacity.RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        if isinstance(error, TwitterApiError) and error.is_rate_limit:
            return rate_limit_wait(error)
        backoff = tenacity.wait_exponential_jitter(initial=self.backoff_initial, max=self.backoff_max)
        return backoff(state)

    def _before_sleep(self, state: tenacity.RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        wait = state.next_action.sleep if state.next_action else 0
        self.log.warning(
            "%s (attempt %d of %d; retrying in %.1f s)", error, state.attempt_number, self.max_attempts, wait
        )
