"""Wait for X's media processing in the triggerer: one event loop can watch thousands of uploads.

The trigger is a thin loop over :meth:`TwitterHook.aget_upload_status`, whose client owns the HTTP connections, the
signing, the error mapping and the retry policy. Nothing here (nor in the hook module) imports ``requests``:
the triggerer imports trigger modules on its event loop.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

from airflow.providers.common.compat.sdk import AirflowFailException
from airflow.triggers.base import BaseTrigger, TriggerEvent

from airflow_provider import DEFAULT_CONN_ID
from airflow_provider.client.answers import rate_limit_wait
from airflow_provider.exceptions import TwitterApiError
from airflow_provider.hooks.params import check_conn_id, check_hook_params
from airflow_provider.rules.media import check_media_ids
from airflow_provider.rules.numbers import check_number
from airflow_provider.rules.processing import ProcessingStatus


class MediaProcessingTrigger(BaseTrigger):
    """
    Poll STATUS asynchronously at the times X advises, until X is done.

    Every poll is planned as an absolute time (``poll_at`` first, then X's ``check_after_secs`` after each
    answer), so a trigger restarted on another triggerer polls when X said, not a full wait later.

    Yields one JSON event, each naming the ``media_id``: ``{"status": "succeeded", "media": <STATUS data>}``;
    ``{"status": "failed", "message": ...}`` when X could not process the media, refused the poll (4xx: a retry
    cannot help) or the connection is unusable; ``{"status": "timeout"}`` once ``end_time`` passes;
    ``{"status": "error", "message": ...}`` when X stayed unreachable through the hook's retries.

    :param media_id: Media to watch.
    :param twitter_conn_id: Connection of type ``twitter``.
    :param poll_at: Epoch seconds of the first poll (X's advice from the sensor's poke or from FINALIZE).
    :param end_time: Epoch seconds after which the trigger gives up (a last poll is made then).
    :param poll_interval: Wait when X gives no ``check_after_secs``.
    :param hook_params: The task's ``hook_params`` for :class:`~airflow_provider.hooks.twitter.TwitterHook`
        (``timeout``, ``max_attempts``, backoff); rate limits are waited out between polls.
    """

    def __init__(
        self,
        *,
        media_id: str,
        twitter_conn_id: str = DEFAULT_CONN_ID,
        poll_at: float,
        end_time: float,
        poll_interval: float = 10.0,
        hook_params: dict[str, Any] | None = None,
    ) -> None:
        super().__init__()
        (self.media_id,) = check_media_ids([media_id])
        self.twitter_conn_id = check_conn_id(twitter_conn_id)
        self.poll_at = check_number("poll_at", poll_at, unit="epoch seconds")
        self.end_time = check_number("end_time", end_time, unit="epoch seconds")
        self.poll_interval = check_number("poll_interval", poll_interval, positive=True, unit="seconds")
        self.hook_params = check_hook_params(hook_params)

    def serialize(self) -> tuple[str, dict[str, Any]]:
        return (
            f"{type(self).__module__}.{type(self).__qualname__}",
            {
                "media_id": self.media_id,
                "twitter_conn_id": self.twitter_conn_id,
                "poll_at": self.poll_at,
                "end_time": self.end_time,
                "poll_interval": self.poll_interval,
                "hook_params": self.hook_params,
            },
        )

    async def run(self) -> AsyncIterator[TriggerEvent]:
        yield TriggerEvent({"media_id": self.media_id, **await self._wait_for_processing()})

    async def _wait_for_processing(self) -> dict[str, Any]:
        from airflow_provider.hooks.twitter import TwitterHook

        try:
            # A rate limit is waited out here, between polls, rather than inside one call.
            hook = TwitterHook(self.twitter_conn_id, **{**self.hook_params, "max_rate_limit_wait": 0})
        except Exception as e:
            return {"status": "failed", "message": str(e)}
        poll_at = self.poll_at
        while True:
            await sleep_until(min(poll_at, self.end_time))  # a last poll at the end
            try:
                status = ProcessingStatus.from_media(await hook.aget_upload_status(self.media_id))
            except TwitterApiError as e:
                if not e.is_rate_limit:
                    return {"status": "failed" if isinstance(e, AirflowFailException) else "error", "message": str(e)}
                wait = rate_limit_wait(e, now())
                self.log.warning("Rate limited by X; polling again after the reset, in %.0f s.", wait)
            except AirflowFailException as e:  # the connection is unusable: no retry can help
                return {"status": "failed", "message": str(e)}
            except Exception as e:  # e.g. the connection does not exist (yet): a new try may find it
                return {"status": "error", "message": f"{type(e).__name__}: {e}"}
            else:
                if status.failed:  # X's error too, for the sensor's sequential re-upload (docs/operators.md)
                    return {"status": "failed", "message": status.failure, "error": status.error}
                if status.succeeded:
                    return {"status": "succeeded", "media": status.data}
                wait = float(status.check_after_secs or self.poll_interval)
                self.log.info("%s; polling again in %.1f s.", status.describe().capitalize(), wait)
            if now() >= self.end_time:
                return {"status": "timeout", "message": f"media {self.media_id} still processing at the timeout"}
            poll_at = now() + wait


def now() -> float:
    """Epoch seconds: the one clock the trigger plans by (and that its tests replace)."""
    return time.time()


async def sleep_until(epoch: float) -> None:
    """Sleep until ``epoch`` (at once if it has passed): polls are planned as absolute times."""
    await asyncio.sleep(max(0.0, epoch - now()))
