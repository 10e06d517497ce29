"""Wait for X's media processing in the triggerer: one event loop can watch thousands of uploads."""

from __future__ import annotations

import asyncio
import ssl
import time
from collections.abc import AsyncIterator
from functools import cache
from typing import Any

import httpx
from airflow.providers.common.compat.connection import get_async_connection, get_async_extra_dejson
from airflow.triggers.base import BaseTrigger, TriggerEvent

from airflow_provider import DEFAULT_CONN_ID
from airflow_provider.auth import OAuth1Credentials
from airflow_provider.exceptions import TwitterApiError
from airflow_provider.hooks.twitter import USER_AGENT, api_base_url
from airflow_provider.processing import ProcessingStatus
from airflow_provider.responses import data_of, read_answer, seconds_until

STATUS_PATH = "/2/media/upload"


@cache
def _ssl_context() -> ssl.SSLContext:
    """One TLS configuration for every trigger in the triggerer: building one per client loads the CA bundle
    each time, which with thousands of triggers costs hundreds of MiB for identical, read-only settings."""
    return httpx.create_ssl_context()


class MediaProcessingTrigger(BaseTrigger):
    """
    Poll STATUS asynchronously, sleeping exactly ``check_after_secs`` between polls, until X is done.

    Yields one JSON event, each naming the ``media_id``: ``{"status": "succeeded", "media": <STATUS data>}``;
    ``{"status": "failed", "message": "X could not process media ...: InvalidMedia: ..."}``;
    ``{"status": "timeout"}`` once ``end_time`` passes; ``{"status": "error", "message": ...}`` when X
    cannot be asked.

    :param media_id: Media to watch.
    :param twitter_conn_id: Connection of type ``twitter``.
    :param end_time: Epoch seconds after which the trigger gives up.
    :param poll_interval: Wait when X gives no ``check_after_secs``.
    :param first_wait: Wait before the first poll (X's advice from the sensor's own first poke).
    :param timeout: Seconds to wait for one answer from X.
    :param max_attempts: Polls in a row that may fail transiently (5xx, network) before an error event.
    """

    def __init__(
        self,
        *,
        media_id: str,
        twitter_conn_id: str = DEFAULT_CONN_ID,
        end_time: float,
        poll_interval: float = 10.0,
        first_wait: float = 0.0,
        timeout: float = 60.0,
        max_attempts: int = 5,
    ) -> None:
        super().__init__()
        self.media_id = media_id
        self.twitter_conn_id = twitter_conn_id
        self.end_time = end_time
        self.poll_interval = poll_interval
        self.first_wait = first_wait
        self.timeout = timeout
        self.max_attempts = max_attempts

    def serialize(self) -> tuple[str, dict[str, Any]]:
        return (
            f"{type(self).__module__}.{type(self).__qualname__}",
            {
                "media_id": self.media_id,
                "twitter_conn_id": self.twitter_conn_id,
                "end_time": self.end_time,
                "poll_interval": self.poll_interval,
                "first_wait": self.first_wait,
                "timeout": self.timeout,
                "max_attempts": self.max_attempts,
            },
        )

    async def run(self) -> AsyncIterator[TriggerEvent]:
        yield TriggerEvent({"media_id": self.media_id, **await self._wait_for_processing()})

    async def _wait_for_processing(self) -> dict[str, Any]:
        try:
            conn = await get_async_connection(self.twitter_conn_id)
            credentials = OAuth1Credentials.from_connection(conn, await get_async_extra_dejson(conn))
            url = f"{api_base_url(conn.host)}{STATUS_PATH}"
        except Exception as e:
            return {"status": "error", "message": str(e)}
        failures = 0
        wait = self.first_wait
        headers = {"User-Agent": USER_AGENT}
        async with httpx.AsyncClient(timeout=self.timeout, headers=headers, verify=_ssl_context()) as client:
            while True:
                await asyncio.sleep(min(wait, seconds_until(self.end_time)))  # a last poll at the deadline
                try:
                    status = ProcessingStatus.from_media(await self._status(client, credentials, url))
                    failures = 0
                except TwitterApiError as e:
                    failures += e.http_status != 429
                    if e.http_status == 429 and e.rate_limit_reset:
                        wait = seconds_until(e.rate_limit_reset) + 1
                        self.log.warning("Rate limited by X; polling again after the reset, in %.0f s.", wait)
                    elif e.is_transient and failures < self.max_attempts:
                        wait = min(2.0**failures, 30.0)
                        self.log.warning("%s; polling again in %.0f s.", e, wait)
                    else:
                        return {"status": "error", "message": str(e)}
                else:
                    if status.failed:
                        return {"status": "failed", "message": status.failure}
                    if status.succeeded:
                        return {"status": "succeeded", "media": status.data}
                    wait = float(status.check_after_secs or self.poll_interval)
                    self.log.info("%s; polling again in %.1f s.", status.describe().capitalize(), wait)
                if time.time() >= self.end_time:
                    return {"status": "timeout", "message": f"media {self.media_id} still processing at the timeout"}

    async def _status(self, client: httpx.AsyncClient, credentials: OAuth1Credentials, url: str) -> dict[str, Any]:
        endpoint = f"GET {STATUS_PATH}"
        request = client.build_request("GET", url, params={"command": "STATUS", "media_id": self.media_id})
        request.headers["Authorization"] = credentials.authorization_header("GET", str(request.url))
        try:
            response = await client.send(request)
        except httpx.HTTPError as e:
            raise TwitterApiError(endpoint=endpoint, http_status=None, title=type(e).__name__) from None
        return data_of(
            read_answer(endpoint, response.status_code, response.reason_phrase, response.headers, response.content),
            endpoint,
        )
