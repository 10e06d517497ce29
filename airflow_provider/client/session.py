"""Signed requests to one account's X API: one attempt at a time, each signed anew, retried under one policy.

Workers send through ``requests`` (the upload's streamed segments among them); the triggerer sends its body-less
STATUS polls through the event loop's shared connections (:mod:`airflow_provider.client.transport`). Any failure,
sync or async, becomes the same ``TwitterApiError``. The module does not import ``requests``: the triggerer imports
it on its event loop and never sends through it.
"""

from __future__ import annotations

import io
from functools import cached_property
from typing import TYPE_CHECKING, Any

import httpx

from airflow_provider.client.answers import read_answer
from airflow_provider.client.config import DEFAULT_TIMEOUT, USER_AGENT
from airflow_provider.client.retry import RetryPolicy
from airflow_provider.client.transport import async_pool, build_request, requests_session
from airflow_provider.exceptions import TwitterApiError

if TYPE_CHECKING:
    import requests

    from airflow_provider.client.credentials import Credentials
    from airflow_provider.client.upload_api import UploadApi, UploadRequest


class XSession:
    """Requests to ``base_url`` (and uploads to ``upload_api``'s host) with ``credentials``.

    :param timeout: Seconds to wait for connecting and for each read of one answer.
    :param retry: The retry policy of every request but the connection test's single attempt.
    :param connection: The Airflow connection's id, which X's 401 and 403 errors name (what to edit).
    """

    def __init__(
        self,
        credentials: Credentials,
        *,
        base_url: str,
        upload_api: UploadApi,
        timeout: float = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        connection: str | None = None,
    ) -> None:
        self.connection = connection
        self.credentials = credentials
        self.base_url = base_url
        self.upload_api = upload_api
        self.timeout = timeout
        self.retry = retry or RetryPolicy()

    @cached_property
    def http(self) -> requests.Session:
        """Made on first use, so that the triggerer, which only sends async, never loads ``requests``."""
        return requests_session(self.credentials.requests_auth())

    def send(
        self,
        method: str,
        path: str,
        *,
        timeout: float | None = None,
        upload: UploadRequest | None = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """One signed attempt; any failure becomes a ``TwitterApiError``. ``timeout`` applies to connecting and to
        each wait for data, so a silent host costs at most twice it. An ``upload`` command goes to the upload API's
        host and its answer is read as that API writes it."""
        endpoint = upload.endpoint if upload else f"{method} {path}"
        base_url = self.upload_api.base_url if upload else self.base_url
        if isinstance(body := kwargs.get("data"), io.IOBase):
            body.seek(0)  # a retry resends the whole body
        import requests

        try:
            response = self.http.request(method, base_url + path, timeout=timeout or self.timeout, **kwargs)
        except requests.RequestException as e:
            # The exception's class only: its text may hold the URL and adds nothing to act on.
            raise TwitterApiError(endpoint=endpoint, http_status=None, title=type(e).__name__) from None
        answer = (response.status_code, response.reason, response.headers, response.content)
        if upload:
            return self.upload_api.read(upload, *answer)
        return read_answer(endpoint, *answer)

    def request(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        """:meth:`send`, retried under the policy; a ``TwitterApiError`` raised says how many attempts were made."""
        try:
            return self.retry.call(lambda _attempt: self.send(method, path, **kwargs))
        except TwitterApiError as e:
            raise e.naming_connection(self.connection) from None

    def upload(self, command: UploadRequest) -> dict[str, Any]:
        """One command of the upload API, retried as any request: X's answer as it came."""
        return self.request(command.method, command.path, upload=command, **command.kwargs)

    async def aupload(self, command: UploadRequest) -> dict[str, Any]:
        """:meth:`upload` of a body-less command (STATUS) on the running event loop."""
        try:
            return await self.retry.acall(lambda _attempt: self._asend(command))
        except TwitterApiError as e:
            raise e.naming_connection(self.connection) from None

    async def _asend(self, command: UploadRequest) -> dict[str, Any]:
        """One signed attempt, sent once more after a 401 if the credentials have a newer token (another process
        rotated it)."""
        url = self.upload_api.base_url + command.path
        headers = {"User-Agent": USER_AGENT}
        request = build_request(command.method, url, params=command.params, headers=headers, timeout=self.timeout)
        request.headers["Authorization"] = await self.credentials.aauthorization_header(
            command.method, str(request.url)
        )
        try:
            pool = await async_pool(request.url)
            response = await pool.send(request)
            used = request.headers["Authorization"]
            if response.status_code == 401 and (retry := await self.credentials.aretry_header(used)):
                request.headers["Authorization"] = retry
                response = await pool.send(request)
        except httpx.HTTPError as e:
            raise TwitterApiError(endpoint=command.endpoint, http_status=None, title=type(e).__name__) from None
        return self.upload_api.read(
            command, response.status_code, response.reason_phrase, response.headers, response.content
        )
