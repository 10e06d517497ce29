"""Upload an SRT or WebVTT file and attach it to a processed video on X as one language's subtitles."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from airflow.providers.common.compat.sdk import BaseOperator

from airflow_provider import DEFAULT_CONN_ID
from airflow_provider.arguments import check_conn_id, check_hook_params
from airflow_provider.exceptions import TwitterInputError
from airflow_provider.hooks.mixin import TwitterHookMixin
from airflow_provider.subtitles import (
    check_display_name,
    check_language_code,
    check_video_category,
    inspect_subtitles_file,
)
from airflow_provider.uploaded_media import UploadedMedia

if TYPE_CHECKING:
    from airflow.providers.common.compat.sdk import Context

# media_key prefixes of a video (processing.py): 7_ video, 13_ amplify video.
_VIDEO_KEY_PREFIXES = ("7_", "13_")


class MediaSubtitlesOperator(TwitterHookMixin, BaseOperator):
    """
    Give a video subtitles in one language: upload the SRT or WebVTT file (``media_category=subtitles``), then
    attach it with ``POST /2/media/subtitles``.

    Place it after :class:`~airflow_provider.sensors.media.MediaProcessingSensor` and before the post: whether X
    takes subtitles for a video it is still processing is not documented, so the video must be processed first
    (checked with one STATUS call, which also catches a video that failed or expired). The file, the language
    code and the display name are checked before any request. Safe to retry: a retried try replaces the track
    of this language an earlier try may have attached, so the video ends with exactly one.

    :param media: The video's upload output (``upload.output``) or its media id. (templated)
    :param file_path: Local path of the SRT or WebVTT file; its type is read from its content. (templated)
    :param language_code: Two-letter language code, such as ``"EN"`` (X wants upper case; ``"en"`` is taken as
        ``"EN"``). (templated)
    :param display_name: The language's name shown to viewers, such as ``"English"``. (templated)
    :param media_category: The category the video was uploaded with: ``tweet_video`` (the default) or
        ``amplify_video``; X attaches subtitles to no other media.
    :param twitter_conn_id: Connection of type ``twitter``.
    :param hook_params: Extra keyword arguments for :class:`~airflow_provider.hooks.twitter.TwitterHook`.
    :return: ``{"media_id", "subtitles_media_id", "language_code", "display_name"}``: the video, the uploaded
        track and how it is shown.
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
        video = UploadedMedia.parse(self.media, argument="media")
        if video.media_key is not None and not video.media_key.startswith(_VIDEO_KEY_PREFIXES):
            raise TwitterInputError(
                f"media {video.media_id} is not a video (its media_key is {video.media_key}); X attaches subtitles "
                "to videos only. Pass the output of the video's MediaUploadOperator."
            )
        language_code = check_language_code(self.language_code)
        display_name = check_display_name(self.display_name)
        subtitles_file = inspect_subtitles_file(self.file_path)
        self.hook.check_media_processed(video, purpose="attach subtitles to it")
        self.log.info(
            "Uploading %s (%s) as %s subtitles", subtitles_file.path, subtitles_file.media_type, language_code
        )
        subtitles_id = str(self.hook.upload_media(subtitles_file, parallel_segments=1)["id"])
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
        return {
            "media_id": video.media_id,
            "subtitles_media_id": subtitles_id,
            "language_code": language_code,
            "display_name": display_name,
        }
