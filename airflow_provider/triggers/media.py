"""Wait for X's media processing in the triggerer: one event loop can watch thousands of uploads.

The module imports nothing heavy (no requests, tenacity or the hook): the triggerer imports it on its event loop.
"""

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
from airflow_provider.arguments import check_conn_id, check_hook_params, check_number
from airflow_provider.auth import OAuth1Credentials
from airflow_provider.connection_settings import USER_AGENT, api_base_url, request_timeout
from airflow_provider.exceptions import TwitterApiError
from airflow_provider.media import check_media_ids
from airflow_provider.processing import ProcessingStatus
from airflow_provider.responses import data_of, rate_limit_wait, read_answer

STATUS_PATH = "/2/media/upload"
DEFAULT_MAX_ATTEMPTS = 5


@cache
def _ssl_context() -> ssl.SSLContext:
    """One TLS configuration for every trigger in the triggerer: building one per client loads the CA bundle
    each time, which with thousands of triggers costs hundreds of MiB for identical, read-only settings."""
    return httpx.create_ssl_context()


class MediaProcessingTrigger(BaseTrigger):
    """
    Poll STATUS asynchronously at the times X advises, until X is done.

    Every poll is planned as an absolute time (``poll_at`` first, then X's ``check_after_secs`` after each
    answer), so a trigger restarted on another triggerer polls when X said, not a full wait later.

    Yields one JSON event, each naming the ``media_id``: ``{"status": "succeeded", "media": <STATUS data>}``;
    ``{"status": "failed", "message": "X could not process media ...: InvalidMedia: ..."}``;
    ``{"status": "timeout"}`` once ``end_time`` passes; ``{"status": "error", "message": ...}`` when X
    cannot be asked.

    :param media_id: Media to watch.
    :param twitter_conn_id: Connection of type ``twitter``.
    :param poll_at: Epoch seconds of the first poll (X's advice from the sensor's poke or from FINALIZE).
    :param end_time: Epoch seconds after which the trigger gives up (a last poll is made then).
    :param poll_interval: Wait when X gives no ``check_after_secs``.
    :param hook_params: The task's ``hook_params``; ``timeout`` (seconds per answer) and ``max_attempts``
        (polls in a row that may fail transiently before an error event) apply here.
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
        try:
            conn = await get_async_connection(self.twitter_conn_id)
            extra = await get_async_extra_dejson(conn)
            # In a thread: registering the secrets with Airflow's masker is a blocking call to its supervisor.
            credentials = await asyncio.to_thread(OAuth1Credentials.from_connection, conn, extra)
            url = f"{api_base_url(conn.host, conn.port)}{STATUS_PATH}"
            timeout = request_timeout(self.hook_params.get("timeout"), extra)
            verify = await asyncio.to_thread(_ssl_context)  # loading the CA bundle would block the event loop
        except Exception as e:
            return {"status": "error", "message": str(e)}
        max_attempts = int(self.hook_params.get("max_attempts", DEFAULT_MAX_ATTEMPTS))
        failures = 0
        poll_at = self.poll_at
        headers = {"User-Agent": USER_AGENT}
        async with httpx.AsyncClient(timeout=timeout, headers=headers, verify=verify) as client:
            while True:
                await asyncio.sleep(max(0.0, min(poll_at, self.end_time) - time.time()))  # a last poll at the end
                try:
                    status = ProcessingStatus.from_media(await self._status(client, credentials, url))
                    failures = 0
                except TwitterApiError as e:
                    failures += not e.is_rate_limit
                    if e.is_rate_limit:
                        wait = rate_limit_wait(e)
                        self.log.warning("Rate limited by X; polling again after the reset, in %.0f s.", wait)
                    elif e.is_transient and failures < max_attempts:
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
                poll_at = time.time() + wait

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
