"""Upload an SRT or WebVTT file and attach it to a processed video on X as one language's subtitles."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from airflow.providers.common.compat.sdk import BaseOperator

from airflow_provider import DEFAULT_CONN_ID
from airflow_provider.exceptions import TwitterInputError
from airflow_provider.files.media_file import inspect_subtitles_file
from airflow_provider.hooks.mixin import TwitterHookMixin
from airflow_provider.hooks.params import check_conn_id, check_hook_params
from airflow_provider.operators.post_checks import check_downstream_posts
from airflow_provider.operators.task_memory import SUBTITLES_KEY, TaskRecord
from airflow_provider.rules.media import VIDEO
from airflow_provider.rules.receipt import MediaReceipt
from airflow_provider.rules.subtitles import check_display_name, check_language_code, check_video_category

if TYPE_CHECKING:
    from airflow.providers.common.compat.sdk import Context


class MediaSubtitlesOperator(TwitterHookMixin, BaseOperator):
    """
    Give a video subtitles in one language: upload the SRT or WebVTT file (``media_category=subtitles``), then
    attach it with ``POST /2/media/subtitles``.

    Place it after :class:`~airflow_provider.sensors.media.MediaProcessingSensor` and before the post: whether X
    takes subtitles for a video it is still processing is not documented, so the video must be processed first: the
    sensor's output says so (an upload's output or a bare id costs one STATUS call, which also catches a video that
    failed); an expired video is refused. The file, the language
    code and the display name are checked before any request. Safe to retry: a retried try replaces the track
    of this language an earlier try may have attached, so the video ends with exactly one.

    :param media: The video's receipt (``wait.output`` of ``MediaProcessingSensor``) or its media id. (templated)
    :param file_path: Local path of the SRT or WebVTT file; its type is read from its content. (templated)
    :param language_code: Two-letter language code, such as ``"EN"`` (X wants upper case; ``"en"`` is taken as
        ``"EN"``). (templated)
    :param display_name: The language's name shown to viewers, such as ``"English"``. (templated)
    :param media_category: The category the video was uploaded with: ``tweet_video`` (the default) or
        ``amplify_video``; X attaches subtitles to no other media.
    :param twitter_conn_id: Connection of type ``twitter``.
    :param hook_params: Extra keyword arguments for :class:`~airflow_provider.hooks.twitter.TwitterHook`.
    :return: The video's receipt, processed, with this track in its ``subtitles`` (``{"language_code",
        "display_name", "media_id"}``, the last the uploaded track's media id): pass it on to the post,
        ``CreateTweetOperator(media_ids=[subtitles.output])``.
    """

    template_fields: Sequence[str] = ("media", "file_path", "language_code", "display_name")
    ui_color = "#e8f5fd"

    def __init__(
        self,
        *,
        media: Any,
        file_path: str,
        language_code: str,
        display_name: str,
        media_category: str = "tweet_video",
        twitter_conn_id: str = DEFAULT_CONN_ID,
        hook_params: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.media = media
        self.file_path = file_path
        self.language_code = language_code
        self.display_name = display_name
        check_video_category(media_category)  # not templated: a bad one fails the DAG at parse time
        self.media_category = media_category
        self.twitter_conn_id = check_conn_id(twitter_conn_id)
        self.hook_params = check_hook_params(hook_params)

    def execute(self, context: Context) -> dict[str, Any]:
        record = TaskRecord.of(context, SUBTITLES_KEY, self.log)
        if record.output is not None:
            self.log.info("An earlier try attached these subtitles (task state store); returning its receipt.")
            return dict(record.output)
        video = MediaReceipt.parse(self.media, argument="media")
        if video.kind not in (None, VIDEO):
            raise TwitterInputError(
                f"media {video.media_id} is not a video (its media_key is {video.media_key}); X attaches subtitles "
                "to videos only. Pass the output of the video's MediaProcessingSensor."
            )
        language_code = check_language_code(self.language_code)
        display_name = check_display_name(self.display_name)
        subtitles_file = inspect_subtitles_file(self.file_path)
        check_downstream_posts(self, context)
        video = self.hook.check_media_processed(video, purpose="attach subtitles to it")
        self.log.info(
            "Uploading %s (%s) as %s subtitles", subtitles_file.path, subtitles_file.media_type, language_code
        )
        subtitles_id = str(self.hook.upload_media(subtitles_file, parallel_segments=1)["id"])
        record.intend()
        self.hook.create_media_subtitles(
            video.media_id,
            subtitles_id,
            language_code=language_code,
            display_name=display_name,
            media_category=self.media_category,
            replace=context["ti"].try_number > 1,  # an earlier try may have attached this language already
        )
        self.log.info(
            "Media %s has %s subtitles %r (media %s).", video.media_id, language_code, display_name, subtitles_id
        )
        track = {"language_code": language_code, "display_name": display_name, "media_id": subtitles_id}
        others = tuple(t for t in video.subtitles if t.get("language_code") != language_code)
        return record.keep(replace(video, subtitles=(*others, track)).to_xcom())
