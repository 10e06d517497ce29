"""X's media endpoints: the chunked upload's commands (initialize, append, finalize, status), metadata, subtitles, and
the checks that media may be posted or given subtitles, asking X only when the receipt cannot tell."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from airflow_provider.client.answers import data_of
from airflow_provider.client.log import Log
from airflow_provider.client.session import XSession
from airflow_provider.exceptions import TwitterBillingError, TwitterRejectedError
from airflow_provider.rules.media import check_media_ids, check_post_mix
from airflow_provider.rules.metadata import MediaMetadata
from airflow_provider.rules.processing import ProcessingStatus, unknown_media
from airflow_provider.rules.receipt import MediaReceipt
from airflow_provider.rules.subtitles import check_display_name, check_language_code, check_video_category

SUBTITLES_PATH = "/2/media/subtitles"


class MediaEndpoints:
    """The media endpoints of one account, through ``session``."""

    def __init__(self, session: XSession, log: Log) -> None:
        self.session = session
        self.log = log

    def initialize(self, *, total_bytes: int, media_type: str, media_category: str) -> dict[str, Any]:
        """INIT: ``{"id", "media_key", "expires_after_secs"}`` whichever upload API the connection names."""
        api = self.session.upload_api
        command = api.initialize(total_bytes, media_type, media_category)
        return api.media(command, self.session.upload(command))

    def append(self, media_id: str, segment_index: int, chunk: bytes) -> None:
        (media_id,) = check_media_ids([media_id])  # it goes into the URL's path or the form
        self.session.upload(self.session.upload_api.append(media_id, segment_index, chunk))

    def finalize(self, media_id: str) -> dict[str, Any]:
        """FINALIZE, read as v2's ``data`` whichever upload API the connection names."""
        (media_id,) = check_media_ids([media_id])
        api = self.session.upload_api
        command = api.finalize(media_id)
        return api.media(command, self.session.upload(command))

    def status(self, media_id: str, *, uploaded_at: float | None = None) -> dict[str, Any]:
        """STATUS of media X is processing. X answers it only for such media: for an image, as for an expired id,
        it answers 400 "Not found" (xdevplatform/xurl#18; v1.1: 404, plhery/node-twitter-api-v2#336), raised here as
        :func:`~airflow_provider.rules.processing.unknown_media`."""
        (media_id,) = check_media_ids([media_id])
        api = self.session.upload_api
        command = api.status(media_id)
        try:
            return api.media(command, self.session.upload(command))
        except TwitterRejectedError as e:
            raise _status_error(media_id, e, uploaded_at) from None

    async def astatus(self, media_id: str) -> dict[str, Any]:
        """:meth:`status` on the running event loop (the triggerer): the same retries, errors and reading."""
        (media_id,) = check_media_ids([media_id])
        api = self.session.upload_api
        command = api.status(media_id)
        try:
            return api.media(command, await self.session.aupload(command))
        except TwitterRejectedError as e:
            raise _status_error(media_id, e, None) from None

    def set_metadata(self, media_id: str, metadata: MediaMetadata | str) -> None:
        """Set everything in one call: alt text (a string is taken as alt text alone), the sensitive-media warning,
        the download permission and the found media's origin. Setting it again with the same values is harmless."""
        (media_id,) = check_media_ids([media_id])
        if isinstance(metadata, str):
            metadata = MediaMetadata.checked(alt_text=metadata)
        self.session.request("POST", "/2/media/metadata", json={"id": media_id, "metadata": metadata.body()})

    def attach_subtitles(
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
        with ``replace`` (a retried task passes it), and before each attempt after the first (an answer lost in
        transit). ``media_category`` is the video's upload category, ``tweet_video`` or ``amplify_video``.
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

        def attempt(number: int) -> dict[str, Any]:
            if replace or number > 1:
                self.delete_subtitles(media_id, language_code, media_category=media_category)
            return data_of(self.session.send("POST", SUBTITLES_PATH, json=body), f"POST {SUBTITLES_PATH}")

        return self.session.retry.call(attempt)

    def delete_subtitles(self, media_id: str, language_code: str, *, media_category: str = "tweet_video") -> bool:
        """Delete the video's ``language_code`` track: whether there was one. X's answer for a language the video
        does not have is not documented (its schema has ``deleted: false``); a 400 or 404 is taken as none."""
        (media_id,) = check_media_ids([media_id])
        body = {
            "id": media_id,
            "media_category": check_video_category(media_category),
            "language_code": check_language_code(language_code),
        }
        try:
            answer = self.session.request("DELETE", SUBTITLES_PATH, json=body)
        except TwitterRejectedError as e:
            if e.http_status in (400, 404) and not isinstance(e, TwitterBillingError):
                self.log.info("No %s subtitles to delete on media %s (X: %s).", body["language_code"], media_id, e)
                return False
            raise
        return bool(data_of(answer, f"DELETE {SUBTITLES_PATH}").get("deleted"))

    def check_processed(self, media: MediaReceipt, *, purpose: str) -> MediaReceipt:
        """The receipt of media X has processed, refusing media still processing, failed, or expired, naming
        ``purpose``. No request when the receipt already says X is done."""
        if media.ready:
            media.check_not_expired()
            return media
        status = ProcessingStatus.from_media(self.status(media.media_id, uploaded_at=media.uploaded_at))
        status.require_succeeded(
            f"wait for X to process it before you {purpose}: put MediaProcessingSensor before this task."
        )
        return media.processed(status)

    def check_postable(self, media: Sequence[MediaReceipt]) -> None:
        """Refuse media X would refuse in a post, with the reason: not processed, failed, expired, or a mix.

        The mix is judged from the receipts' media keys first, before any request. Media whose receipt says X is done
        (images, and videos after the sensor) are judged from the receipt alone, without a request. For a bare id whose
        STATUS X refuses, X itself judges the post.
        """
        kinds = {item.media_id: item.kind for item in media}
        check_post_mix(kinds)
        for item in media:
            if item.ready:
                item.check_not_expired()
                continue
            try:
                status = ProcessingStatus.from_media(self.status(item.media_id, uploaded_at=item.uploaded_at))
            except TwitterRejectedError:
                if item.state is not None:
                    raise
                continue  # a bare id of an image, or one X no longer knows: the post will tell
            status.require_succeeded(
                "X refuses it in a post until processing has succeeded. Wait for it with MediaProcessingSensor "
                "before posting."
            )
            kinds[item.media_id] = item.kind or status.kind
        check_post_mix(kinds)  # with what X said of the bare ids


def _status_error(media_id: str, error: TwitterRejectedError, uploaded_at: float | None) -> TwitterRejectedError:
    """X's refusal to tell a media's STATUS: a 400 or 404 means the id is unknown to X (expired, another account's,
    or media X never processed); other refusals stand as they are."""
    return unknown_media(media_id, error, uploaded_at) if error.http_status in (400, 404) else error
