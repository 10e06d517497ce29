"""Upload an image or video to X from a local path or object storage, streamed in chunks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from airflow.providers.common.compat.sdk import BaseOperator

from airflow_provider import DEFAULT_CONN_ID
from airflow_provider.client.uploads import DEFAULT_CHUNK_SIZE, DEFAULT_PARALLEL_SEGMENTS
from airflow_provider.files.media_file import inspect_media_file
from airflow_provider.hooks.mixin import TwitterHookMixin
from airflow_provider.hooks.params import check_conn_id, check_hook_params
from airflow_provider.operators.post_checks import check_downstream_posts
from airflow_provider.operators.sources import TemplateSourcesMixin, naming_sources
from airflow_provider.operators.task_memory import upload_journal
from airflow_provider.rules.media import (
    MAX_VIDEO_SECONDS,
    MIN_VIDEO_SECONDS,
    MiB,
    check_video_duration,
    chunk_size_in_range,
    segment_count,
)
from airflow_provider.rules.metadata import MediaMetadata
from airflow_provider.rules.numbers import check_number
from airflow_provider.rules.receipt import MediaReceipt

if TYPE_CHECKING:
    import os

    from airflow.providers.common.compat.sdk import Context, ObjectStoragePath


class MediaUploadOperator(TemplateSourcesMixin, TwitterHookMixin, BaseOperator):
    """
    Upload a file with X's chunked media upload (initialize, append, finalize) and return its receipt.

    The file is read one chunk at a time, so memory stays near ``chunk_size`` whatever the file's size.
    Everything that can be checked locally (the file, its type, size and category, the chunk count, the alt
    text) is checked before the first request. Videos and GIFs are then processed by X: follow this task
    with :class:`~airflow_provider.sensors.media.MediaProcessingSensor` before posting.

    :param file_path: The file to upload: a local path, an object storage URL (``s3://bucket/key``,
        ``s3://aws_conn@bucket/key`` with a connection, ``gs://...``, ``file://...``) or an ``ObjectStoragePath``,
        read through Airflow's object storage in ranged reads, never downloaded whole. (templated)
    :param media_type: MIME type; read from the file's content when omitted. When given, the content must agree
        (between ``video/mp4`` and ``video/quicktime``, one container, it chooses). (templated)
    :param media_category: X's category (``tweet_image``, ``tweet_gif``, ``tweet_video``, ...); inferred
        from the media type when omitted. (templated)
    :param alt_text: Description for screen readers, at most 1,000 characters, set after upload. (templated)
    :param sensitive_media_warning: X's content warnings for the media, any of ``adult_content``,
        ``graphic_violence`` and ``other``, for example ``["graphic_violence"]``.
    :param allow_download: Whether viewers may download the media (X's ``allow_download_status``); None leaves
        X's default.
    :param found_media_origin: Where found media (a GIF from a library) comes from: ``{"provider": "giphy",
        "id": "..."}``, at most 8 and 24 characters. (templated)
    :param chunk_size: Bytes per APPEND segment, at most 5 MiB; files needing over 1,000 segments are refused.
    :param parallel_segments: APPENDs in flight at once (X reassembles by segment index), 4 by default; if X
        refuses a segment sent out of order, the upload goes on one segment at a time by itself, and if X fails the
        processing of a video or GIF sent in parallel as unreadable, the sensor uploads it once more one segment at
        a time (docs/operators.md, "Parallel uploads"). 1 is strictly sequential. Memory stays within
        ``(parallel_segments + 1) * chunk_size``.
    :param max_video_duration: Longest video in seconds, checked from the file's header before any upload. None (the
        default) follows the account: 140 s without X Premium (X's limit); for a subscriber, whose limit X does not
        document for the API, X judges. Over 140 s the account is asked of X once (``GET /2/users/me``) unless the
        connection's extra ``subscription_type`` says it.
    :param twitter_conn_id: Connection of type ``twitter``.
    :param hook_params: Extra keyword arguments for :class:`~airflow_provider.hooks.twitter.TwitterHook`
        (timeouts, retries).
    :return: The media's receipt, as a dict (the ``return_value`` XCom): ``media_id`` (a string), ``media_key``,
        ``state`` (X's processing state: ``succeeded`` for images, which X does not process; ``pending`` or
        ``in_progress`` for videos and GIFs), ``next_status_at`` (epoch time X advised for the first STATUS check),
        ``uploaded_at``, ``expires_at``, ``subtitles`` (empty) and ``resend`` (for a video or GIF sent in parallel,
        this task's arguments for a sequential upload of the same file; else null). Pass it as is to
        ``MediaProcessingSensor(media_id=...)``, or, for an image, to ``CreateTweetOperator(media_ids=[...])``.
    """

    template_fields: Sequence[str] = ("file_path", "media_type", "media_category", "alt_text", "found_media_origin")
    ui_color = "#e8f5fd"

    def __init__(
        self,
        *,
        file_path: str | os.PathLike[str] | ObjectStoragePath,
        media_type: str | None = None,
        media_category: str | None = None,
        alt_text: str | None = None,
        sensitive_media_warning: Sequence[str] | None = None,
        allow_download: bool | None = None,
        found_media_origin: dict[str, str] | None = None,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
        parallel_segments: int = DEFAULT_PARALLEL_SEGMENTS,
        max_video_duration: float | None = None,
        twitter_conn_id: str = DEFAULT_CONN_ID,
        hook_params: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.file_path = file_path
        self.media_type = media_type
        self.media_category = media_category
        self.alt_text = alt_text
        # Not templated, so checked now: a bad one fails the DAG at parse time. All go to X in one metadata call.
        MediaMetadata.checked(sensitive_media_warning=sensitive_media_warning, allow_download=allow_download)
        self.sensitive_media_warning = sensitive_media_warning
        self.allow_download = allow_download
        self.found_media_origin = found_media_origin
        self.chunk_size = chunk_size_in_range(chunk_size)
        self.parallel_segments = check_number("parallel_segments", parallel_segments, integer=True, minimum=1)
        self.max_video_duration = (
            None
            if max_video_duration is None
            else check_number("max_video_duration", max_video_duration, minimum=MIN_VIDEO_SECONDS, unit="seconds")
        )
        self.twitter_conn_id = check_conn_id(twitter_conn_id)
        self.hook_params = check_hook_params(hook_params)

    def execute(self, context: Context) -> dict[str, Any]:
        with naming_sources(self):  # an error names the DAG param a templated argument came from
            metadata = MediaMetadata.checked(
                alt_text=self.alt_text,
                sensitive_media_warning=self.sensitive_media_warning,
                allow_download=self.allow_download,
                found_media_origin=self.found_media_origin or None,
            )
            media = inspect_media_file(
                self.file_path, self.media_type, self.media_category, max_video_duration=self.max_video_duration
            )
            if self.max_video_duration is None and (media.duration or 0) > MAX_VIDEO_SECONDS:  # the account decides
                check_video_duration(media.path, media.duration, self.hook.max_video_seconds())
        check_downstream_posts(self, context)
        self.log.info(
            "Uploading %s: %s, %s, %.2f MiB in %d segment(s) of up to %.2f MiB",
            media.path,
            media.media_type,
            media.media_category,
            media.size / MiB,
            segment_count(media.size, self.chunk_size),
            self.chunk_size / MiB,
        )
        final = self.hook.upload_media(
            media,
            chunk_size=self.chunk_size,
            parallel_segments=self.parallel_segments,
            metadata=metadata,
            journal=upload_journal(context, media, self.chunk_size, self.log),  # a retry continues the same media id
        )
        receipt = MediaReceipt.from_finalize(final)
        if not receipt.ready and self.parallel_segments > 1 and segment_count(media.size, self.chunk_size) > 1:
            receipt = replace(receipt, resend=self._resend(media.media_type, media.media_category))
        if receipt.ready:
            self.log.info("Media %s is ready to post.", receipt.media_id)
        else:
            self.log.info("Media %s uploaded; X is processing it.", receipt.media_id)
        return receipt.to_xcom()

    def _resend(self, media_type: str, media_category: str) -> dict[str, Any]:
        """What the sensor needs to upload this file again one segment at a time: this task's rendered arguments,
        plain values for XCom. An ``ObjectStoragePath`` becomes its URL, which names its connection (``s3://conn@bucket/key``)."""
        return {
            "file_path": str(self.file_path),
            "media_type": media_type,
            "media_category": media_category,
            "chunk_size": self.chunk_size,
            "max_video_duration": self.max_video_duration,
            "metadata": {
                "alt_text": self.alt_text,
                "sensitive_media_warning": list(self.sensitive_media_warning or ()) or None,
                "allow_download": self.allow_download,
                "found_media_origin": self.found_media_origin or None,
            },
        }
