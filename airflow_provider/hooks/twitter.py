"""Hook for the X (Twitter) API v2: signed requests, retries, and the media and post endpoints, sync for the
workers and async (STATUS) for the triggerer, over one connection reading, one error mapping and one retry policy.

The module does not import ``requests``: the triggerer imports it on its event loop and never sends through it.
"""

from __future__ import annotations

import asyncio
import io
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ALL_COMPLETED, FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any

import httpx
import tenacity
from airflow.providers.common.compat.connection import get_async_connection, get_async_extra_dejson
from airflow.providers.common.compat.sdk import BaseHook

from airflow_provider import DEFAULT_CONN_ID
from airflow_provider.arguments import check_conn_id, check_hook_params, check_number
from airflow_provider.auth import Credentials, OAuth2Credentials, credentials_from_connection
from airflow_provider.connection_settings import USER_AGENT, api_base_url, request_timeout
from airflow_provider.exceptions import (
    TwitterApiError,
    TwitterBillingError,
    TwitterInputError,
    TwitterRejectedError,
)
from airflow_provider.get_provider_info import get_provider_info
from airflow_provider.media import (
    DEFAULT_CHUNK_SIZE,
    DEFAULT_PARALLEL_SEGMENTS,
    MAX_MEDIA_PER_POST,
    MediaFile,
    check_media_ids,
    iter_chunks,
)
from airflow_provider.media_metadata import MediaMetadata
from airflow_provider.post_options import PostOptions
from airflow_provider.processing import ProcessingStatus, minted_at, unknown_media
from airflow_provider.progress import UploadProgress
from airflow_provider.responses import data_of, rate_limit_wait, read_answer
from airflow_provider.subtitles import check_display_name, check_language_code, check_video_category
from airflow_provider.text import check_post_text
from airflow_provider.transport import async_client, requests_session
from airflow_provider.upload_api import UploadApi, UploadRequest, upload_api_for
from airflow_provider.uploaded_media import UploadedMedia, parse_media_list

if TYPE_CHECKING:
    import requests

# The connection test answers in the UI: one attempt, within about this many seconds.
TEST_CONNECTION_TIMEOUT = 10.0
# How far back the adoption of a post made by an earlier attempt looks: 10 pages of 100 posts.
_ADOPTION_PAGES = 10
# How long a triggerer keeps a connection's settings: thousands of triggers on one connection read it once a
# minute, not once each, and a changed connection is seen within that time.
ASYNC_SETTINGS_TTL = 60.0
SUBTITLES_PATH = "/2/media/subtitles"


@dataclass(frozen=True)
class _AsyncSettings:
    """What the async path reads from the connection, without blocking the event loop."""

    credentials: Credentials
    base_url: str
    upload_api: UploadApi
    extra: dict[str, Any]
    read_at: float


# conn_id -> its settings, shared by the hooks of one triggerer process.
_ASYNC_SETTINGS: dict[str, _AsyncSettings] = {}


class TwitterHook(BaseHook):
    """
    Talk to the X API v2 with the OAuth 1.0a user credentials of a ``twitter`` connection.

    Every attempt is signed anew (fresh nonce and timestamp): X rejects a replayed nonce, so retries go
    through ``requests`` again rather than through a transport-level retry that would resend the same bytes.
    Transient failures (5xx, dropped connections, timeouts) are retried with exponential backoff and
    jitter; a 429 waits for the rate-limit reset when that is at most ``max_rate_limit_wait`` away.

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
        self.max_attempts = max_attempts
        self.backoff_initial = backoff_initial
        self.backoff_max = backoff_max
        self.max_rate_limit_wait = max_rate_limit_wait

    # -- connection -------------------------------------------------------------------------------------

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

    @cached_property
    def _connection(self) -> Any:
        return self.get_connection(self.twitter_conn_id)

    @cached_property
    def _extra(self) -> Any:
        """Read once: each read makes Airflow register the extra with its masker again, printing it at DEBUG."""
        return self._connection.extra_dejson

    @cached_property
    def credentials(self) -> Credentials:
        return credentials_from_connection(self._connection, self._extra)

    @cached_property
    def base_url(self) -> str:
        return api_base_url(self._connection.host, self._connection.port)

    @cached_property
    def upload_api(self) -> UploadApi:
        """The chunked upload the connection's extra ``upload_api`` names (v2 by default, or v1.1) and where it is;
        an unknown name, or v1.1 with OAuth 2.0, is refused here, before any request."""
        return upload_api_for(self._connection.host, self._connection.port, self._extra)

    @cached_property
    def timeout(self) -> float:
        """The code's ``timeout`` wins over the connection's, as in Airflow's ``http`` provider."""
        return request_timeout(self._timeout, self._extra)

    @cached_property
    def session(self) -> requests.Session:
        return requests_session(self.credentials.requests_auth())

    def get_conn(self) -> requests.Session:
        return self.session

    def test_connection(self) -> tuple[bool, str]:
        """One ``GET /2/users/me``, answered within about 10 s: the UI, REST API and CLI wait for it.

        Airflow tests a form's values under a temporary connection id, so messages name fields, not the id. An
        OAuth 2.0 connection is only checked, not tried: a token would cost a refresh, spending the single-use
        refresh token outside the store the tasks share (and under that temporary id).
        """
        try:
            credentials = credentials_from_connection(self._connection, self._extra, conn_label="The connection")
            uploads = self.upload_api  # an unknown upload_api, or v1.1 with OAuth 2.0, fails here as in the tasks
            if isinstance(credentials, OAuth2Credentials):
                return True, (
                    f"OAuth 2.0 settings complete (client {credentials.client_id}, API {credentials.base_url}). Not "
                    "tried against X: that would spend the single-use refresh token; the first task refreshes it."
                )
            answer = self._send("GET", "/2/users/me", timeout=TEST_CONNECTION_TIMEOUT / 2)
            me = data_of(answer, "GET /2/users/me")
        except Exception as e:
            return False, str(e)
        return True, (
            f"Connected to {self.base_url} as @{me.get('username')} (user id {me.get('id')}); uploads through "
            f"{uploads.name} at {uploads.base_url}."
        )

    # -- requests ---------------------------------------------------------------------------------------

    def _send(
        self,
        method: str,
        path: str,
        *,
        timeout: float | None = None,
        upload: UploadRequest | None = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """One signed attempt; any failure becomes a ``TwitterApiError``. ``timeout`` applies to connecting and
        to each wait for data, so a silent host costs at most twice it. An ``upload`` command goes to the upload
        API's host and its answer is read as that API writes it."""
        endpoint = upload.endpoint if upload else f"{method} {path}"
        base_url = self.upload_api.base_url if upload else self.base_url
        if isinstance(body := kwargs.get("data"), io.IOBase):
            body.seek(0)  # a retry resends the whole body
        import requests

        try:
            response = self.session.request(method, base_url + path, timeout=timeout or self.timeout, **kwargs)
        except requests.RequestException as e:
            # The exception's class only: its text may hold the URL and adds nothing to act on.
            raise TwitterApiError(endpoint=endpoint, http_status=None, title=type(e).__name__) from None
        if upload:
            answer = (response.status_code, response.reason, response.headers, response.content)
            return self.upload_api.read(upload, *answer)
        return read_answer(endpoint, response.status_code, response.reason, response.headers, response.content)

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
            "%s; attempt %d of %d, retrying in %.1f s", error, state.attempt_number, self.max_attempts, wait
        )

    def _retry_policy(self) -> dict[str, Any]:
        """One policy for ``tenacity.Retrying`` (workers) and ``AsyncRetrying`` (triggerer): transient failures
        back off with jitter, a rate limit waits for its reset within ``max_rate_limit_wait``, the rest fail."""
        return {
            "stop": tenacity.stop_after_attempt(self.max_attempts),
            "wait": self._wait,
            "retry": tenacity.retry_if_exception(self._should_retry),
            "before_sleep": self._before_sleep,
            "reraise": True,
        }

    def request(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        """Send a request, retrying transient failures; raise ``TwitterApiError`` with the attempt count."""
        retrying = tenacity.Retrying(**self._retry_policy())
        try:
            for attempt in retrying:
                with attempt:
                    return self._send(method, path, **kwargs)
        except TwitterApiError as e:
            e.attempts = retrying.statistics.get("attempt_number", 1)
            raise
        raise AssertionError("unreachable: tenacity either returns or raises")

    # -- endpoints --------------------------------------------------------------------------------------

    def _upload(self, command: UploadRequest) -> dict[str, Any]:
        """One command of the connection's upload API, retried as any request; X's answer as it came."""
        return self.request(command.method, command.path, upload=command, **command.kwargs)

    def initialize_upload(self, *, total_bytes: int, media_type: str, media_category: str) -> dict[str, Any]:
        """INIT: ``{"id", "media_key", "expires_after_secs"}`` whichever upload API the connection names."""
        command = self.upload_api.initialize(total_bytes, media_type, media_category)
        return self.upload_api.media(command, self._upload(command))

    def append_upload(self, media_id: str, segment_index: int, chunk: bytes) -> None:
        (media_id,) = check_media_ids([media_id])  # it goes into the URL's path or the form
        self._upload(self.upload_api.append(media_id, segment_index, chunk))

    def finalize_upload(self, media_id: str) -> dict[str, Any]:
        """FINALIZE, read as v2's ``data`` whichever upload API the connection names."""
        (media_id,) = check_media_ids([media_id])
        command = self.upload_api.finalize(media_id)
        return self.upload_api.media(command, self._upload(command))

    def get_upload_status(self, media_id: str, *, uploaded_at: float | None = None) -> dict[str, Any]:
        """STATUS of media X is processing. X answers it only for such media: for an image, as for an expired id,
        it answers 400 "Not found" (xdevplatform/xurl#18; v1.1: 404, plhery/node-twitter-api-v2#336), raised here as
        :func:`unknown_media`."""
        (media_id,) = check_media_ids([media_id])
        command = self.upload_api.status(media_id)
        try:
            return self.upload_api.media(command, self._upload(command))
        except TwitterRejectedError as e:
            raise _status_error(media_id, e, uploaded_at) from None

    async def aget_upload_status(self, media_id: str) -> dict[str, Any]:
        """:meth:`get_upload_status` for the triggerer's event loop: the same retries, errors and mapping, sent
        through the event loop's shared client with the connection's settings read without blocking."""
        (media_id,) = check_media_ids([media_id])
        settings = await self._async_settings()
        command = settings.upload_api.status(media_id)
        retrying = tenacity.AsyncRetrying(**self._retry_policy())
        try:
            async for attempt in retrying:
                with attempt:
                    answer = await self._asend(settings, command)
                    return settings.upload_api.media(command, answer)
        except TwitterRejectedError as e:
            raise _status_error(media_id, e, None) from None
        except TwitterApiError as e:
            e.attempts = retrying.statistics.get("attempt_number", 1)
            raise
        raise AssertionError("unreachable: tenacity either returns or raises")

    async def _async_settings(self) -> _AsyncSettings:
        """The connection's credentials, base URL and extra, read with Airflow's async-safe helpers and kept for
        ``ASYNC_SETTINGS_TTL`` per connection in this process."""
        cached = _ASYNC_SETTINGS.get(self.twitter_conn_id)
        if cached is not None and time.time() - cached.read_at < ASYNC_SETTINGS_TTL:
            return cached
        conn = await get_async_connection(self.twitter_conn_id)
        extra = await get_async_extra_dejson(conn)
        # In a thread: registering the secrets with Airflow's masker is a blocking call to its supervisor.
        credentials = await asyncio.to_thread(credentials_from_connection, conn, extra)
        api = upload_api_for(conn.host, conn.port, extra)
        settings = _AsyncSettings(credentials, api_base_url(conn.host, conn.port), api, extra, time.time())
        _ASYNC_SETTINGS[self.twitter_conn_id] = settings
        return settings

    async def _asend(self, settings: _AsyncSettings, command: UploadRequest) -> dict[str, Any]:
        """One signed attempt of a body-less upload command (STATUS), sent once more after a 401 if the credentials
        have a newer token (another process rotated it); any failure becomes a ``TwitterApiError``."""
        method, endpoint = command.method, command.endpoint
        client = await async_client()
        timeout = request_timeout(self._timeout, settings.extra)
        url = settings.upload_api.base_url + command.path
        request = client.build_request(
            method, url, params=command.params, headers={"User-Agent": USER_AGENT}, timeout=timeout
        )
        request.headers["Authorization"] = await settings.credentials.aauthorization_header(method, str(request.url))
        try:
            response = await client.send(request)
            used = request.headers["Authorization"]
            if response.status_code == 401 and (retry := await settings.credentials.aretry_header(used)):
                request.headers["Authorization"] = retry
                response = await client.send(request)
        except httpx.HTTPError as e:
            raise TwitterApiError(endpoint=endpoint, http_status=None, title=type(e).__name__) from None
        return settings.upload_api.read(
            command, response.status_code, response.reason_phrase, response.headers, response.content
        )

    def create_media_metadata(self, media_id: str, metadata: MediaMetadata | str) -> None:
        """Set everything in one call: alt text (a string is taken as alt text alone), the sensitive-media warning,
        the download permission and the found media's origin. Setting it again with the same values is harmless."""
        (media_id,) = check_media_ids([media_id])
        if isinstance(metadata, str):
            metadata = MediaMetadata.checked(alt_text=metadata)
        body = {"id": media_id, "metadata": metadata.body()}
        self.request("POST", "/2/media/metadata", json=body)

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
        """Attach uploaded subtitles (``subtitles_id``) to the video ``media_id`` as its ``language_code`` track.

        Idempotent: the end state is one track of that language, this one. X's answer to attaching a language a
        video already has is not documented, so a track an earlier attempt may have attached is deleted first:
        with ``replace`` (the task's retry passes it), and before each attempt after the first (an answer lost
        in transit). ``media_category`` is the video's upload category, ``tweet_video`` or ``amplify_video``.
        """
        media_id, subtitles_id = check_media_ids([media_id, subtitles_id])
        body = {
            "id": media_id,
            "media_category": check_video_category(media_category),
            "subtitles": {
                "id": subtitles_id,
                "language_code": check_language_code(language_code),
                "display_name": check_display_name(display_name),
            },
        }
        retrying = tenacity.Retrying(**self._retry_policy())
        try:
            for attempt in retrying:
                with attempt:
                    if replace or attempt.retry_state.attempt_number > 1:
                        self.delete_media_subtitles(media_id, language_code, media_category=media_category)
                    return data_of(self._send("POST", SUBTITLES_PATH, json=body), f"POST {SUBTITLES_PATH}")
        except TwitterApiError as e:
            e.attempts = retrying.statistics.get("attempt_number", 1)
            raise
        raise AssertionError("unreachable: tenacity either returns or raises")

    def delete_media_subtitles(self, media_id: str, language_code: str, *, media_category: str = "tweet_video") -> bool:
        """Delete the video's ``language_code`` track: whether there was one. X's answer for a language the video
        does not have is not documented (its schema has ``deleted: false``); a 400 or 404 is taken as none."""
        (media_id,) = check_media_ids([media_id])
        body = {
            "id": media_id,
            "media_category": check_video_category(media_category),
            "language_code": check_language_code(language_code),
        }
        try:
            answer = self.request("DELETE", SUBTITLES_PATH, json=body)
        except TwitterRejectedError as e:
            if e.http_status in (400, 404) and not isinstance(e, TwitterBillingError):
                self.log.info("No %s subtitles to delete on media %s (X: %s).", body["language_code"], media_id, e)
                return False
            raise
        return bool(data_of(answer, f"DELETE {SUBTITLES_PATH}").get("deleted"))

    def check_media_processed(self, media: UploadedMedia, *, purpose: str) -> None:
        """Refuse media whose processing X has not finished, failed, or that expired, naming ``purpose``: one STATUS
        call, none for media the upload reported X does not process (images)."""
        if media.processing is False:
            if media.expired():
                raise unknown_media(media.media_id, _expired_locally(media), media.uploaded_at)
            return
        status = ProcessingStatus.from_media(self.get_upload_status(media.media_id, uploaded_at=media.uploaded_at))
        _require_processed(
            status, f"wait for X to process it before you {purpose}: put MediaProcessingSensor before this task."
        )

    def get_me(self) -> dict[str, Any]:
        return data_of(self.request("GET", "/2/users/me"), "GET /2/users/me")

    def create_tweet(
        self,
        text: str,
        media_ids: Sequence[Any] | None = None,
        *,
        check_media: bool = True,
        options: PostOptions | None = None,
        earlier_attempt_since: float | None = None,
    ) -> dict[str, Any]:
        """Post once: ``{"id", "text"}`` of the post.

        ``media_ids`` takes media ids or uploads' outputs. With ``check_media``, media are checked first (see
        :meth:`check_media_postable`), so that a media still processing, failed, expired or in a forbidden mix
        gets a clear error and no post is tried.

        Exactly one post: ``earlier_attempt_since`` (epoch seconds; the task passes it on a retry) says an
        earlier try may already have posted; a post with media is then looked for first, by its media ids,
        which X minted for this run alone. A post whose answer was lost within this call is retried; if X calls
        the retry a duplicate, the earlier attempt's post is looked for and returned.
        """
        media = parse_media_list(media_ids)
        if not isinstance(text, str):
            raise TwitterInputError(f"text must be a string, got {type(text).__name__}: pass the post's text.")
        ids = [m.media_id for m in media]
        if not text.strip() and not ids:
            raise TwitterInputError("A post needs text or media: text is empty and there are no media_ids.")
        check_post_text(text)
        if media and check_media:
            self.check_media_postable(media)
        if ids and earlier_attempt_since is not None and (post := self.find_own_post(text, ids)):
            self.log.warning("An earlier try of this task made post %s; using it instead of posting again.", post["id"])
            return {"id": post["id"], "text": post["text"]}
        body: dict[str, Any] = {"text": text, **(options or PostOptions()).body()}
        if ids:
            body["media"] = {"media_ids": ids}
        started = time.time() if earlier_attempt_since is None else earlier_attempt_since
        try:
            return data_of(self.request("POST", "/2/tweets", json=body), "POST /2/tweets")
        except TwitterApiError as e:
            if not _is_duplicate(e):
                raise
            earlier = e.attempts > 1 or earlier_attempt_since is not None
            if earlier and (post := self.find_own_post(text, ids, since=started)):
                self.log.warning("An earlier attempt posted %s although its answer was lost; using it.", post["id"])
                return {"id": post["id"], "text": post["text"]}
            raise TwitterRejectedError(
                endpoint=e.endpoint,
                http_status=e.http_status,
                title="Duplicate post",
                detail="X already has a post with this text and media from this account, made before this task",
                hint="Change the text (for example add the date) or skip the task.",
            ) from None

    def check_media_postable(self, media: Sequence[UploadedMedia]) -> None:
        """Refuse media X would refuse in a post, with the reason: not processed, failed, expired, or a mix.

        Media the upload reported without processing (images) are judged from the upload's output alone: X has
        no STATUS for them. For a bare id whose STATUS X refuses, X itself judges the post.
        """
        moving: list[str] = []
        for item in media:
            if item.processing is False:
                if item.expired():
                    raise unknown_media(item.media_id, _expired_locally(item), item.uploaded_at)
                moving += [item.media_id] if item.is_moving else []
                continue
            try:
                status = ProcessingStatus.from_media(
                    self.get_upload_status(item.media_id, uploaded_at=item.uploaded_at)
                )
            except TwitterRejectedError:
                if item.processing:
                    raise
                continue  # a bare id of an image, or one X no longer knows: the post will tell
            _require_processed(
                status,
                "X refuses it in a post until processing has succeeded. Wait for it with MediaProcessingSensor "
                "before posting.",
            )
            moving += [item.media_id] if status.is_moving or item.is_moving else []
        if moving and len(media) > 1:
            raise TwitterInputError(
                f"A post carries one video or GIF, or up to {MAX_MEDIA_PER_POST} images, not both: media "
                f"{', '.join(moving)} {'is a video or GIF' if len(moving) == 1 else 'are videos or GIFs'} among "
                f"{len(media)} media. Post them separately."
            )

    def find_own_post(self, text: str, media_ids: Sequence[str], since: float | None = None) -> dict[str, Any] | None:
        """The account's post carrying exactly ``media_ids``, or, without media, ``text`` posted since ``since``.

        Media ids are unique to one upload, so a post carrying them is this run's; its text is not compared (X
        reads a post with media back with a ``https://t.co/...`` link appended). The timeline is read page by
        page back to when the media were minted (or ``since``), at most 1,000 posts.
        """
        wanted = sorted(media_ids)
        oldest = min((minted_at(m) or 0.0 for m in media_ids), default=since or 0.0) - _CLOCK_SLACK_SECS
        for post in self._own_timeline(oldest, "created_at,attachments"):
            keys = (post.get("attachments") or {}).get("media_keys") or []
            if sorted(k.rsplit("_", 1)[-1] for k in keys) != wanted:
                continue
            if wanted or (post.get("text") == text and _parse_time(post.get("created_at")) >= oldest):
                return post
        return None

    # -- composite --------------------------------------------------------------------------------------

    def upload_media(
        self,
        media: MediaFile,
        *,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
        parallel_segments: int = DEFAULT_PARALLEL_SEGMENTS,
        alt_text: str | None = None,
        metadata: MediaMetadata | None = None,
    ) -> dict[str, Any]:
        """INIT, APPEND each chunk streamed from the file or stored object, FINALIZE, then the metadata
        (``alt_text`` alone, or ``metadata``) in one call: X's answer to FINALIZE.

        ``parallel_segments`` APPENDs are in flight at once: X reassembles segments by index, which clients rely
        on (node-twitter-api-v2 sends 3 at a time, x-ruby one thread per segment) but X does not document. So
        if X refuses a segment sent out of order, the upload does not guess: it lets the segments in flight
        finish, sends the refused ones again one at a time, in order, and goes on sequentially; a segment
        refused when sent alone is a real refusal. At most ``parallel_segments`` chunks, plus the one being
        read, are in memory.
        """
        media.check_chunk_size(chunk_size)
        check_number("parallel_segments", parallel_segments, integer=True, minimum=1)
        if metadata is not None and alt_text is not None:
            raise TwitterInputError("Pass alt_text or metadata, not both: put the alt text in MediaMetadata.")
        metadata = metadata or MediaMetadata.checked(alt_text=alt_text)
        init = self.initialize_upload(
            total_bytes=media.size, media_type=media.media_type, media_category=media.media_category
        )
        media_id = str(init["id"])
        progress = UploadProgress(self.log, media_id=media_id, total_bytes=media.size)
        width = parallel_segments
        with media.open(chunk_size) as f, ThreadPoolExecutor(parallel_segments, "x-append") as pool:
            in_flight: dict[Future[None], tuple[int, bytes]] = {}
            for index, chunk in iter_chunks(f, chunk_size):
                while len(in_flight) >= width:
                    width = self._settle(media_id, in_flight, progress, width, FIRST_COMPLETED)
                in_flight[pool.submit(self.append_upload, media_id, index, chunk)] = (index, chunk)
            while in_flight:
                width = self._settle(media_id, in_flight, progress, width, ALL_COMPLETED)
        progress.done()
        final = self.finalize_upload(media_id)
        if metadata.body():
            self.create_media_metadata(media_id, metadata)
        return final

    def _settle(
        self,
        media_id: str,
        in_flight: dict[Future[None], tuple[int, bytes]],
        progress: UploadProgress,
        width: int,
        return_when: str,
    ) -> int:
        """Wait for APPENDs to finish and count their bytes; return the width to go on with: 1 once X refused a
        segment sent in parallel, after the rest in flight finished and the refused ones went again, in order."""
        done, _ = wait(in_flight, return_when=return_when)
        refused = self._collect(done, in_flight, progress, width)
        if not refused:
            return width
        rest, _ = wait(in_flight)
        refused += self._collect(rest, in_flight, progress, width)
        for index, chunk in sorted(refused):
            self.append_upload(media_id, index, chunk)
            progress.add(len(chunk))
        return 1

    def _collect(
        self,
        done: set[Future[None]],
        in_flight: dict[Future[None], tuple[int, bytes]],
        progress: UploadProgress,
        width: int,
    ) -> list[tuple[int, bytes]]:
        """The segments X refused while several were in flight; any other failure is raised."""
        refused = []
        for future in done:
            index, chunk = in_flight.pop(future)
            try:
                future.result()
            except TwitterRejectedError as e:
                if width == 1 or isinstance(e, TwitterBillingError):
                    raise
                self.log.warning("X refused segment %d sent in parallel (%s); going on one at a time.", index, e)
                refused.append((index, chunk))
                continue
            progress.add(len(chunk))
        return refused

    # -- threads ----------------------------------------------------------------------------------------

    def own_posts_since(self, since: float) -> list[dict[str, Any]]:
        """The account's posts made since ``since`` (epoch seconds), newest first, with their media and the post each
        replies to (``referenced_tweets``): what a retried thread needs to find the items an earlier try posted."""
        oldest = since - _CLOCK_SLACK_SECS
        fields = "created_at,attachments,referenced_tweets"
        return [post for post in self._own_timeline(oldest, fields) if _parse_time(post.get("created_at")) >= oldest]

    def _own_timeline(self, oldest: float, fields: str) -> Iterator[dict[str, Any]]:
        """The account's posts, newest first, read page by page (``GET /2/users/{id}/tweets``) until a page reaches
        back past ``oldest`` (epoch seconds), at most 1,000 posts."""
        user_id = self.get_me()["id"]
        params: dict[str, Any] = {"max_results": 100, "tweet.fields": fields}
        for _ in range(_ADOPTION_PAGES):
            page = self.request("GET", f"/2/users/{user_id}/tweets", params=params)
            posts = page.get("data") or []
            yield from posts
            next_token = (page.get("meta") or {}).get("next_token")
            if not next_token or not posts or _parse_time(posts[-1].get("created_at")) < oldest:
                return
            params["pagination_token"] = next_token


_CLOCK_SLACK_SECS = 10.0


def _status_error(media_id: str, error: TwitterRejectedError, uploaded_at: float | None) -> TwitterRejectedError:
    """X's refusal to tell a media's STATUS: a 400 or 404 means the id is unknown to X (expired, another account's,
    or media X never processed); other refusals stand as they are."""
    return unknown_media(media_id, error, uploaded_at) if error.http_status in (400, 404) else error


def _require_processed(status: ProcessingStatus, advice: str) -> None:
    """Refuse media whose processing failed or has not yet succeeded; ``advice`` says what the user should do."""
    if status.failed:
        raise TwitterInputError(status.failure)
    if not status.succeeded:
        raise TwitterInputError(f"Media {status.media_id} is still {status.state}; {advice}")


def _connection_metadata() -> dict[str, Any]:
    (connection_type,) = get_provider_info()["connection-types"]
    return connection_type


def _expired_locally(media: UploadedMedia) -> TwitterRejectedError:
    return TwitterRejectedError(
        endpoint="(checked before posting)", http_status=None, detail=f"it expired at {media.expires_at:.0f} (epoch)"
    )


def _is_duplicate(error: TwitterApiError) -> bool:
    return error.http_status == 403 and "duplicate" in f"{error.detail} {error.title}".lower()


def _parse_time(value: str | None) -> float:
    if not value:
        return 0.0
    return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
