"""``XClient``: one account's X API, usable without an Airflow task: built from credentials and settings, it needs
no connection, context or metadata database."""

from __future__ import annotations

import logging
from typing import Any

from airflow_provider.client.account import Account, AccountMemory
from airflow_provider.client.config import DEFAULT_TIMEOUT
from airflow_provider.client.credentials import Credentials
from airflow_provider.client.log import Log
from airflow_provider.client.media import MediaEndpoints
from airflow_provider.client.posts import PostEndpoints
from airflow_provider.client.resume import UploadJournal
from airflow_provider.client.retry import RetryPolicy
from airflow_provider.client.session import XSession
from airflow_provider.client.upload_api import UploadApi
from airflow_provider.client.uploads import (
    DEFAULT_CHUNK_SIZE,
    DEFAULT_PARALLEL_SEGMENTS,
    UploadSource,
    upload_media,
)
from airflow_provider.rules.metadata import MediaMetadata


class XClient:
    """X's endpoints as X groups them (``media``, ``posts``), over one signed, retried ``session``.

    :param credentials: OAuth 1.0a or OAuth 2.0 user credentials.
    :param base_url: The API host, ``https://api.x.com`` (or a proxy, or the emulator).
    :param upload_api: The chunked upload to use (v2, or v1.1) and where it is.
    :param timeout: Seconds to wait for one answer.
    :param retry: The retry policy; its ``log`` receives the retries' warnings.
    :param log: Where the endpoints log (progress, adopted posts); the hook passes its task log.
    :param account: What is known of the account's subscription (the connection's setting, or X's earlier answer).
    :param connection: The Airflow connection's id, named in X's 401 and 403 errors.
    """

    def __init__(
        self,
        credentials: Credentials,
        *,
        base_url: str,
        upload_api: UploadApi,
        timeout: float = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        log: Log | None = None,
        account: AccountMemory | None = None,
        connection: str | None = None,
    ) -> None:
        self.log = log or logging.getLogger(__name__)
        self.session = XSession(
            credentials, base_url=base_url, upload_api=upload_api, timeout=timeout, retry=retry, connection=connection
        )
        self.media = MediaEndpoints(self.session, self.log)
        self.account = Account(self.session, self.log, account)
        self.posts = PostEndpoints(self.session, self.media, self.log, self.account)

    def upload(
        self,
        media: UploadSource,
        *,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
        parallel_segments: int = DEFAULT_PARALLEL_SEGMENTS,
        alt_text: str | None = None,
        metadata: MediaMetadata | None = None,
        journal: UploadJournal | None = None,
    ) -> dict[str, Any]:
        """The whole upload of ``media`` (:func:`~airflow_provider.client.uploads.upload_media`): FINALIZE's answer.
        ``journal`` keeps its progress for a later try to continue."""
        return upload_media(
            self.media,
            media,
            chunk_size=chunk_size,
            parallel_segments=parallel_segments,
            alt_text=alt_text,
            metadata=metadata,
            log=self.log,
            journal=journal,
        )
