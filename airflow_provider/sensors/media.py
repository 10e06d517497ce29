"""Wait for X to finish processing uploaded media, without holding a worker slot."""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any, ClassVar

from airflow.exceptions import AirflowRescheduleException  # same path on Airflow 2 and 3; not in common.compat
from airflow.providers.common.compat.sdk import (
    AirflowFailException,
    AirflowSensorTimeout,
    AirflowSkipException,
    BaseSensorOperator,
    PokeReturnValue,
    conf,
    timezone,
)

from airflow_provider import DEFAULT_CONN_ID
from airflow_provider.arguments import check_conn_id, check_hook_params, check_number
from airflow_provider.exceptions import TwitterApiError, TwitterRejectedError, TwitterTriggerError
from airflow_provider.hooks.mixin import TwitterHookMixin
from airflow_provider.processing import ProcessingStatus, minted_at
from airflow_provider.responses import rate_limit_wait
from airflow_provider.uploaded_media import UploadedMedia

if TYPE_CHECKING:
    from airflow.providers.common.compat.sdk import Context

# Below this, releasing the slot costs more than it saves (a task start and a scheduler round trip), and a
# reschedule due within seconds runs into apache/airflow#71172 (docs/deployment.md).
DEFAULT_MIN_RESCHEDULE_INTERVAL = 15.0


class MediaProcessingSensor(TwitterHookMixin, BaseSensorOperator):
    """
    Poke X's media STATUS until processing has succeeded; each next poke comes when X advises.

    ``media_id`` takes the upload's output (``upload.output``): from it the sensor knows whether X processes the
    media at all (images: done at once, without a request, since X answers STATUS only for media it processes),
    when X said to ask first, and when the upload ended. ``timeout`` counts from the end of the upload, across
    reschedules and task retries, so a retried try does not start a fresh window.

    In the default ``reschedule`` mode the slot is released between pokes, and the next poke comes
    ``check_after_secs`` after X's answer but never sooner than ``min_reschedule_interval``: releasing a slot
    for a shorter wait costs more than it saves and, under a real scheduler, runs into the Airflow race
    apache/airflow#71172. A try lost to that race is retried (``retries`` defaults to 3); polling again is
    harmless. In ``poke`` mode and when deferred, X's advice is followed to the second.

    Failed processing (``failed``, or an ``error`` while ``in_progress``) fails the task at once, without
    retries, with X's error.

    :param media_id: The upload's output, or a media id string. (templated)
    :param twitter_conn_id: Connection of type ``twitter``.
    :param hook_params: Extra keyword arguments for :class:`~airflow_provider.hooks.twitter.TwitterHook`.
    :param min_reschedule_interval: Shortest reschedule in seconds, in reschedule mode.
    :param deferrable: After one inline poke, hand the wait to the triggerer
        (:class:`~airflow_provider.triggers.media.MediaProcessingTrigger`); default ``[operators] default_deferrable``.
    :return: The final STATUS ``data`` of the media, or the upload's output for media X does not process.
    """

    template_fields: Sequence[str] = ("media_id",)
    ui_color = "#e8f5fd"
    # A rate limit is waited out by rescheduling, not by sleeping in the slot.
    hook_defaults: ClassVar[dict[str, Any]] = {"max_rate_limit_wait": 0}

    def __init__(
        self,
        *,
        media_id: Any,
        twitter_conn_id: str = DEFAULT_CONN_ID,
        hook_params: dict[str, Any] | None = None,
        mode: str = "reschedule",
        poke_interval: float = 10,
        timeout: float = 60 * 60,
        min_reschedule_interval: float = DEFAULT_MIN_RESCHEDULE_INTERVAL,
        deferrable: bool = conf.getboolean("operators", "default_deferrable", fallback=False),
        **kwargs: Any,
    ) -> None:
        check_number("min_reschedule_interval", min_reschedule_interval, unit="seconds")
        kwargs.setdefault("retries", 3)
        kwargs.setdefault("retry_delay", timedelta(seconds=min_reschedule_interval))
        super().__init__(mode=mode, poke_interval=poke_interval, timeout=timeout, **kwargs)
        self.media_id = media_id
        self.twitter_conn_id = check_conn_id(twitter_conn_id)
        self.hook_params = check_hook_params(hook_params)
        self.min_reschedule_interval = min_reschedule_interval
        self.deferrable = deferrable
        # Set by execute() for the pokes of this one call; never carried to the next: in reschedule mode that
        # runs in another process, perhaps on another machine.
        self._media: UploadedMedia | None = None
        self._deadline = 0.0
        self._advised_wait: float | None = None

    def execute(self, context: Context) -> Any:
        media = self._media = UploadedMedia.parse(self.media_id)
        if media.processing is False:
            self.log.info("X reported no processing for media %s at FINALIZE: nothing to wait for.", media.media_id)
            return media.to_xcom()
        self._deadline = self._window_start(media, context) + self.timeout
        wait = min(max(0.0, (media.next_status_at or 0) - time.time()), self._remaining())  # X's FINALIZE advice
        if self.deferrable:
            if not wait and (done := self.poke(context)):
                return done.xcom_value if isinstance(done, PokeReturnValue) else None
            return self._defer(poll_at=time.time() + (wait or self._next_wait()))
        if wait and self.reschedule and wait >= self.min_reschedule_interval:
            raise AirflowRescheduleException(timezone.utcnow() + timedelta(seconds=wait))
        if wait:
            time.sleep(wait)
        return super().execute(context)

    def poke(self, context: Context) -> bool | PokeReturnValue:
        media = self._media or UploadedMedia.parse(self.media_id)
        self._advised_wait = None
        try:
            data = self.hook.get_upload_status(media.media_id, uploaded_at=media.uploaded_at)
        except TwitterRejectedError as e:
            if media.processing is None and e.http_status in (400, 404):
                # A bare id: X answers STATUS only for media it processes (an image), or the id is gone. Either
                # way there is nothing to wait for; the post will say if X no longer knows the media.
                self.log.warning("X has no processing for media %s (%s); nothing to wait for.", media.media_id, e)
                return PokeReturnValue(is_done=True, xcom_value=media.to_xcom())
            raise
        except TwitterApiError as e:
            if not e.is_rate_limit:
                raise
            self._advised_wait = rate_limit_wait(e)
            self.log.warning("Rate limited by X; next poke after the reset, in %.0f s.", self._advised_wait)
            return self._not_yet(media)
        status = ProcessingStatus.from_media(data)
        if status.failed:
            self.log.error(status.failure)
            raise AirflowFailException(status.failure)
        if status.succeeded:
            self.log.info("Media %s is processed and ready to post.", media.media_id)
            return PokeReturnValue(is_done=True, xcom_value=data)
        self._advised_wait = status.check_after_secs
        advice = f"X advises checking again in {status.check_after_secs} s" if status.check_after_secs else "no advice"
        self.log.info("%s (%s).", status.describe().capitalize(), advice)
        return self._not_yet(media)

    def execute_complete(self, context: Context, event: dict[str, Any] | None = None) -> Any:
        """Resume after the trigger: the final STATUS as XCom, or X's error."""
        if not event:
            raise TwitterTriggerError("MediaProcessingTrigger ended without an event.")
        media_id, outcome = event.get("media_id"), event.get("status")
        if outcome == "succeeded":
            self.log.info("Media %s is processed and ready to post.", media_id)
            return event["media"]
        if outcome == "failed":
            self.log.error(event["message"])
            raise AirflowFailException(event["message"])
        if outcome == "timeout":
            self._timed_out(str(media_id))
        raise TwitterTriggerError(f"Could not watch media {media_id}: {event.get('message')}")

    def _not_yet(self, media: UploadedMedia) -> bool:
        if self._remaining() <= 0:
            self._timed_out(media.media_id)
        return False

    def _timed_out(self, media_id: str) -> None:
        message = f"Media {media_id} was still processing {self.timeout:.0f} s after its upload (the sensor's timeout)."
        if self.soft_fail:
            raise AirflowSkipException(message)
        raise AirflowSensorTimeout(message)

    def _remaining(self) -> float:
        return max(0.0, self._deadline - time.time())

    def _next_wait(self) -> float:
        return float(self.poke_interval if self._advised_wait is None else self._advised_wait)

    def _window_start(self, media: UploadedMedia, context: Context) -> float:
        """The end of the upload (from its output), else the id's mint time, else this try's first poke."""
        if media.uploaded_at:
            return float(media.uploaded_at)
        if minted := minted_at(media.media_id):
            return minted
        first = context["ti"].get_first_reschedule_date(context) if self.reschedule else None
        return first.timestamp() if first else time.time()

    def _defer(self, *, poll_at: float) -> None:
        from airflow_provider.triggers.media import MediaProcessingTrigger

        assert self._media is not None
        trigger = MediaProcessingTrigger(
            media_id=self._media.media_id,
            twitter_conn_id=self.twitter_conn_id,
            poll_at=min(poll_at, self._deadline),
            end_time=self._deadline,
            poll_interval=self.poke_interval,
            hook_params=self.hook_params,
        )
        # The trigger ends itself at the deadline with a clear event; Airflow's deferral timeout is a backstop.
        self.defer(trigger=trigger, method_name="execute_complete", timeout=timedelta(seconds=self._remaining() + 60))

    def _get_next_poke_interval(
        self,
        started_at: datetime.datetime | float,
        run_duration: Callable[[], float],
        poke_count: int,
    ) -> float:
        """X's ``check_after_secs`` (``poke_interval`` without advice), at least ``min_reschedule_interval`` when
        rescheduling, and never past the deadline."""
        wait = self._next_wait()
        if self.reschedule:
            wait = max(wait, self.min_reschedule_interval)
        if self.max_wait:
            wait = min(wait, self.max_wait.total_seconds())
        return min(wait, self._remaining())
