"""RetryPolicy, the one retry of every request to X: what is retried, how long it waits, and what the error says
after, the same for the workers' sync calls and the triggerer's async ones."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from airflow_provider.client.retry import RetryPolicy
from airflow_provider.exceptions import TwitterApiError, TwitterBillingError, TwitterRejectedError
from tests.unit.this_thread import only_in_this_thread

ENDPOINT = "GET /2/users/me"


def unavailable() -> TwitterApiError:
    return TwitterApiError(endpoint=ENDPOINT, http_status=503, title="Service Unavailable")


def no_answer() -> TwitterApiError:
    return TwitterApiError(endpoint=ENDPOINT, http_status=None, title="ConnectionError")


def rate_limited(reset_in: float | None) -> TwitterApiError:
    reset = None if reset_in is None else time.time() + reset_in
    return TwitterApiError(endpoint=ENDPOINT, http_status=429, title="Too Many Requests", rate_limit_reset=reset)


class Script:
    """The function a policy calls: each call answers the next outcome (an error is raised), and is recorded."""

    def __init__(self, *outcomes: Exception | str) -> None:
        self.outcomes = list(outcomes)
        self.calls: list[int] = []

    def __call__(self, attempt: int) -> str:
        self.calls.append(attempt)
        outcome = self.outcomes.pop(0) if len(self.outcomes) > 1 else self.outcomes[0]
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    async def acall(self, attempt: int) -> str:
        return self(attempt)


class Warnings:
    """A log that keeps what the policy warns."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def info(self, event: Any, *args: Any, **kw: Any) -> None:
        raise AssertionError("the policy only warns")

    def warning(self, event: Any, *args: Any, **kw: Any) -> None:
        self.lines.append(event % args)


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The policy's waits between attempts, recorded instead of slept: tenacity sleeps through ``time.sleep``
    (sync) and ``asyncio.sleep`` (async)."""
    recorded: list[float] = []

    async def asleep(seconds: float) -> None:
        recorded.append(seconds)

    monkeypatch.setattr(time, "sleep", only_in_this_thread(time.sleep, recorded.append))
    monkeypatch.setattr(asyncio, "sleep", only_in_this_thread(asyncio.sleep, asleep))
    return recorded


Run = Callable[[RetryPolicy, Script], Awaitable[str]]


async def run_sync(policy: RetryPolicy, script: Script) -> str:
    return policy.call(script)


async def run_async(policy: RetryPolicy, script: Script) -> str:
    return await policy.acall(script.acall)


both = pytest.mark.parametrize("run", [run_sync, run_async], ids=["call", "acall"])


@both
async def test_each_attempt_calls_the_function_anew_with_its_number(run: Run, waits: list[float]) -> None:
    script = Script(no_answer(), unavailable(), "answer")
    assert await run(RetryPolicy(), script) == "answer"
    assert script.calls == [1, 2, 3]


@both
async def test_transient_failures_back_off_exponentially_then_give_up(run: Run, waits: list[float]) -> None:
    script = Script(unavailable())
    with pytest.raises(TwitterApiError) as err:
        await run(RetryPolicy(max_attempts=4), script)
    assert script.calls == [1, 2, 3, 4] and err.value.attempts == 4
    # 1 s doubling, each wait with up to 1 s of jitter on top
    assert len(waits) == 3 and all(2**i <= wait <= 2**i + 1 for i, wait in enumerate(waits)), waits


@both
async def test_backoff_is_capped(run: Run, waits: list[float]) -> None:
    with pytest.raises(TwitterApiError):
        await run(RetryPolicy(max_attempts=6, backoff_initial=2, backoff_max=5), Script(unavailable()))
    assert waits[0] >= 2 and max(waits) == 5


@both
async def test_a_rate_limit_waits_for_its_reset(run: Run, waits: list[float]) -> None:
    script = Script(rate_limited(reset_in=30), "answer")
    assert await run(RetryPolicy(), script) == "answer"
    assert len(waits) == 1 and 29 <= waits[0] <= 31  # until the reset, plus 1 s for clock skew: not the backoff


@both
async def test_a_rate_limit_without_reset_waits_a_minute(run: Run, waits: list[float]) -> None:
    assert await run(RetryPolicy(), Script(rate_limited(reset_in=None), "answer")) == "answer"
    assert waits == [60.0]


@both
async def test_a_rate_limit_beyond_max_rate_limit_wait_is_raised_at_once(run: Run, waits: list[float]) -> None:
    script = Script(rate_limited(reset_in=7200))
    with pytest.raises(TwitterApiError) as err:
        await run(RetryPolicy(max_rate_limit_wait=900), script)
    assert err.value.is_rate_limit and err.value.attempts == 1
    assert script.calls == [1] and waits == []


@both
@pytest.mark.parametrize(
    "error",
    [
        TwitterRejectedError(endpoint=ENDPOINT, http_status=400, title="Invalid Request"),
        TwitterRejectedError(endpoint=ENDPOINT, http_status=403, title="Forbidden"),
        TwitterBillingError(endpoint=ENDPOINT, http_status=429, title="UsageCapExceeded"),
        TwitterBillingError(endpoint=ENDPOINT, http_status=402, title="Payment Required"),
    ],
    ids=["400", "403", "usage capped", "402"],
)
async def test_refusals_are_not_retried(run: Run, waits: list[float], error: TwitterApiError) -> None:
    script = Script(error)
    with pytest.raises(type(error)) as err:
        await run(RetryPolicy(), script)
    assert err.value is error and error.attempts == 1
    assert script.calls == [1] and waits == []


@both
async def test_other_exceptions_are_not_retried(run: Run, waits: list[float]) -> None:
    script = Script(KeyError("a bug, not X"))
    with pytest.raises(KeyError):
        await run(RetryPolicy(), script)
    assert script.calls == [1]


@both
async def test_each_retry_is_logged_with_the_error_and_the_wait(run: Run, waits: list[float]) -> None:
    log = Warnings()
    assert await run(RetryPolicy(max_attempts=3, log=log), Script(unavailable(), "answer")) == "answer"
    (line,) = log.lines
    assert line.startswith("X API GET /2/users/me failed (HTTP 503): Service Unavailable.")
    assert line.endswith(f"Service Unavailable. (attempt 1 of 3; retrying in {waits[0]:.1f} s)")
