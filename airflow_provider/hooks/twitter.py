"""``TwitterHook``: a ``twitter`` connection turned into X's client, the connection form, and the connection test.

The client (:mod:`airflow_provider.client`) owns the requests, the signing, the retries and the endpoints; the hook
reads the connection (sync in workers, async in the triggerer), hands the client Airflow's masker and Variables, and
keeps the methods tasks and users call. The module does not import ``requests``: the triggerer imports it.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import Any

from airflow.providers.common.compat.sdk import BaseHook

from airflow_provider import DEFAULT_CONN_ID
from airflow_provider.client.answers import data_of
from airflow_provider.client.api import XClient
from airflow_provider.client.credentials import OAuth2Credentials
from airflow_provider.client.retry import RetryPolicy
from airflow_provider.client.uploads import DEFAULT_CHUNK_SIZE, DEFAULT_PARALLEL_SEGMENTS, UploadSource
from airflow_provider.get_provider_info import get_provider_info
from airflow_provider.hooks.connection import ClientSettings, aread_settings
from airflow_provider.hooks.params import check_conn_id, check_hook_params
from airflow_provider.rules.metadata import MediaMetadata
from airflow_provider.rules.post_options import PostOptions
from airflow_provider.rules.posts import post_ids
from airflow_provider.rules.receipt import MediaReceipt

# The connection test answers in the UI: one attempt, within about this many seconds.
TEST_CONNECTION_TIMEOUT = 10.0


class TwitterHook(BaseHook):
    """
    Talk to the X API v2 with the user credentials of a ``twitter`` connection (OAuth 1.0a, or OAuth 2.0).

    Every attempt is signed anew (fresh nonce and timestamp): X rejects a replayed nonce. Transient failures (5xx,
    dropped connections, timeouts) are retried with exponential backoff and jitter; a 429 waits for the rate-limit
    reset when that is at most ``max_rate_limit_wait`` away.

    :param twitter_conn_id: Airflow connection of type ``twitter``.
    :param timeout: Seconds to wait for X to answer one request; when not given, the connection's extra
        ``timeout``, else 60.
    :param max_attempts: Attempts per request, the first included, for transient failures.
    :param backoff_initial: First backoff wait in seconds; it doubles each retry, with jitter.
    :param backoff_max: Longest single backoff wait in seconds.
    :param max_rate_limit_wait: Longest wait, in seconds, for a rate limit to reset before failing.
    """

    conn_name_attr = "twitter_conn_id"
    default_conn_name = DEFAULT_CONN_ID
    conn_type = "twitter"
    hook_name = "Twitter / X"

    def __init__(
        self,
        twitter_conn_id: str = default_conn_name,
        *,
        timeout: float | None = None,
        max_attempts: int = 5,
        backoff_initial: float = 1.0,
        backoff_max: float = 30.0,
        max_rate_limit_wait: float = 900.0,
    ) -> None:
        super().__init__()
        check_hook_params(
            {
                "timeout": timeout,
                "max_attempts": max_attempts,
                "backoff_initial": backoff_initial,
                "backoff_max": backoff_max,
                "max_rate_limit_wait": max_rate_limit_wait,
            },
            label="",
        )
        self.twitter_conn_id = check_conn_id(twitter_conn_id)
        self._timeout = timeout
        self.retry = RetryPolicy(max_attempts, backoff_initial, backoff_max, max_rate_limit_wait, log=self.log)

    # -- the connection form ----------------------------------------------------------------------------------------

    @classmethod
    def get_connection_form_widgets(cls) -> dict[str, Any]:
        """Form fields for UIs that predate ``conn-fields`` (Airflow < 3.2), from the same metadata."""
        from flask_appbuilder.fieldwidgets import BS3PasswordFieldWidget, BS3TextFieldWidget
        from flask_babel import lazy_gettext
        from wtforms import PasswordField, StringField

        widgets: dict[str, Any] = {}
        for name, field in _connection_metadata()["conn-fields"].items():
            if field["schema"].get("format") == "password":
                widgets[name] = PasswordField(lazy_gettext(field["label"]), widget=BS3PasswordFieldWidget())
            else:
                widgets[name] = StringField(lazy_gettext(field["label"]), widget=BS3TextFieldWidget())
        return widgets

    @classmethod
    def get_ui_field_behaviour(cls) -> dict[str, Any]:
        behaviour = _connection_metadata()["ui-field-behaviour"]
        return {key.replace("-", "_"): value for key, value in behaviour.items()}

    # -- the client -------------------------------------------------------------------------------------------------

    @cached_property
    def settings(self) -> ClientSettings:
        conn = self.get_connection(self.twitter_conn_id)
        return ClientSettings.read(conn, conn.extra_dejson)  # read once: each read masks the extra again

    @cached_property
    def client(self) -> XClient:
        return self.settings.client(timeout=self._timeout, retry=self.retry, log=self.log)

    def get_conn(self) -> XClient:
        return self.client

    @property
    def timeout(self) -> float:
        return self.client.session.timeout

    @property
    def max_attempts(self) -> int:
        return self.retry.max_attempts

    async def aget_client(self) -> XClient:
        """A client for the triggerer's event loop, from the connection read without blocking (and shared by the
        process's triggers for a minute)."""
        settings = await aread_settings(self.twitter_conn_id)
        return settings.client(timeout=self._timeout, retry=self.retry, log=self.log)

    def test_connection(self) -> tuple[bool, str]:
        """One ``GET /2/users/me``, answered within about 10 s: the UI, REST API and CLI wait for it.

        Airflow tests a form's values under a temporary connection id, so messages name fields, not the id. An
        OAuth 2.0 connection is only checked, not tried: a token would cost a refresh, spending the single-use
        refresh token outside the store the tasks share (and under that temporary id).
        """
        try:
            conn = self.get_connection(self.twitter_conn_id)
            settings = ClientSettings.read(conn, conn.extra_dejson, conn_label="The connection")
            uploads = settings.upload_api
            if isinstance(settings.credentials, OAuth2Credentials):
                return True, (
                    f"OAuth 2.0 settings complete (client {settings.credentials.client_id}, API {settings.base_url}). "
                    "Not tried against X: that would spend the single-use refresh token; the first task refreshes it."
                )
            client = settings.client(timeout=self._timeout, retry=self.retry, log=self.log)
            answer = client.session.send("GET", "/2/users/me", timeout=TEST_CONNECTION_TIMEOUT / 2)
            me = data_of(answer, "GET /2/users/me")
        except Exception as e:
            return False, str(e)
        return True, (
            f"Connected to {settings.base_url} as @{me.get('username')} (user id {me.get('id')}); uploads through "
            f"{uploads.name} at {uploads.base_url}."
        )

    # -- what tasks call (each is the client's, see docs/operators.md) ----------------------------------------------

    def upload_media(
        self,
        media: UploadSource,
        *,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
        parallel_segments: int = DEFAULT_PARALLEL_SEGMENTS,
        alt_text: str | None = None,
        metadata: MediaMetadata | None = None,
    ) -> dict[str, Any]:
        return self.client.upload(
            media, chunk_size=chunk_size, parallel_segments=parallel_segments, alt_text=alt_text, metadata=metadata
        )

    def initialize_upload(self, *, total_bytes: int, media_type: str, media_category: str) -> dict[str, Any]:
        return self.client.media.initialize(
            total_bytes=total_bytes, media_type=media_type, media_category=media_category
        )

    def append_upload(self, media_id: str, segment_index: int, chunk: bytes) -> None:
        self.client.media.append(media_id, segment_index, chunk)

    def finalize_upload(self, media_id: str) -> dict[str, Any]:
        return self.client.media.finalize(media_id)

    def get_upload_status(self, media_id: str, *, uploaded_at: float | None = None) -> dict[str, Any]:
        return self.client.media.status(media_id, uploaded_at=uploaded_at)

    async def aget_upload_status(self, media_id: str) -> dict[str, Any]:
        return await (await self.aget_client()).media.astatus(media_id)

    def create_media_metadata(self, media_id: str, metadata: MediaMetadata | str) -> None:
        self.client.media.set_metadata(media_id, metadata)

    def create_media_subtitles(
        self,
        media_id: str,
        subtitles_id: str,
        *,
        language_code: str,
        display_name: str,
        media_category: str = "tweet_video",
        replace: bool = False,
    ) -> dict[str, Any]:
        return self.client.media.attach_subtitles(
            media_id,
            subtitles_id,
            language_code=language_code,
            display_name=display_name,
            media_category=media_category,
            replace=replace,
        )

    def delete_media_subtitles(self, media_id: str, language_code: str, *, media_category: str = "tweet_video") -> bool:
        return self.client.media.delete_subtitles(media_id, language_code, media_category=media_category)

    def check_media_processed(self, media: MediaReceipt, *, purpose: str) -> MediaReceipt:
        return self.client.media.check_processed(media, purpose=purpose)

    def check_media_postable(self, media: Sequence[MediaReceipt]) -> None:
        self.client.media.check_postable(media)

    def get_me(self) -> dict[str, Any]:
        return self.client.posts.me()

    def create_tweet(
        self,
        text: str,
        media_ids: Sequence[Any] | None = None,
        *,
        check_media: bool = True,
        options: PostOptions | None = None,
        earlier_attempt_since: float | None = None,
    ) -> dict[str, Any]:
        return self.client.posts.create(
            text, media_ids, check_media=check_media, options=options, earlier_attempt_since=earlier_attempt_since
        )

    def own_posts_since(self, since: float) -> list[dict[str, Any]]:
        return self.client.posts.own_posts_since(since)

    def post_url(self, post_id: str) -> str:
        return self.client.posts.url(post_id)

    def delete_tweet(self, posts: Any) -> dict[str, list[str]]:
        """Delete ``posts`` (an id, a post's output, or a thread's list), the last first so that a thread's replies go
        before what they reply to: ``{"deleted": [...], "already_gone": [...]}``. A post already gone is no error."""
        outcome: dict[str, list[str]] = {"deleted": [], "already_gone": []}
        for post_id in reversed(post_ids(posts)):
            outcome["deleted" if self.client.posts.delete(post_id) else "already_gone"].append(post_id)
        return outcome


def _connection_metadata() -> dict[str, Any]:
    (connection_type,) = get_provider_info()["connection-types"]
    return connection_type
