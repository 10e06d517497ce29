"""Wait for X to finish processing uploaded media, without holding a worker slot."""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any, ClassVar

from airflow.exceptions import AirflowRescheduleException  # same path on Airflow 2 and 3; not in common.compat
from airflow.providers.common.compat.sdk import (
    AirflowException,
    AirflowFailException,
    AirflowSensorTimeout,
    BaseSensorOperator,
    PokeReturnValue,
    XComArg,
    conf,
    timezone,
)

from airflow_provider import DEFAULT_CONN_ID
from airflow_provider.exceptions import TwitterApiError
from airflow_provider.hooks.mixin import TwitterHookMixin
from airflow_provider.media import check_media_ids
from airflow_provider.operators.media import NEXT_STATUS_AT_KEY, MediaUploadOperator
from airflow_provider.processing import ProcessingStatus

if TYPE_CHECKING:
    from airflow.providers.common.compat.sdk import Context


class MediaProcessingSensor(TwitterHookMixin, BaseSensorOperator):
    """
    Poke X's media STATUS until processing has succeeded; each next poke comes when X advises.

    In the default ``reschedule`` mode the worker slot is released between pokes. The next poke is set
    ``check_after_secs`` after X's answer (``poke_interval`` when X gives none; the rate-limit reset after a
    429), never later than ``timeout``, which counts from the first poke across all reschedules.
    Failed processing (``failed``, or an ``error`` while ``in_progress``) fails the task at once, without
    retries, with X's error. Media with no processing to do (images) succeed on the first poke.

    :param media_id: Media id to watch, for example ``upload.output``. (templated)
    :param twitter_conn_id: Connection of type ``twitter``.
    :param hook_params: Extra keyword arguments for :class:`~airflow_provider.hooks.twitter.TwitterHook`.
    :param not_before: Epoch time before which the first poke is not sent. Filled in from the upload's
        ``next_status_at`` XCom when ``media_id`` is a ``MediaUploadOperator``'s output, so that even the first
        STATUS call waits for the ``check_after_secs`` X gave at FINALIZE. (templated)
    :param deferrable: After one inline poke, hand the wait to the triggerer
        (:class:`~airflow_provider.triggers.media.MediaProcessingTrigger`); default ``[operators] default_deferrable``.
    :return: The final STATUS ``data`` of the media (the ``return_value`` XCom).
    """

    template_fields: Sequence[str] = ("media_id", "not_before")
    ui_color = "#e8f5fd"
    # A rate limit is waited out by rescheduling, not by sleeping in the slot.
    hook_defaults: ClassVar[dict[str, Any]] = {"max_rate_limit_wait": 0}

    def __init__(
        self,
        *,
        media_id: str,
        twitter_conn_id: str = DEFAULT_CONN_ID,
        hook_params: dict[str, Any] | None = None,
        mode: str = "reschedule",
        poke_interval: float = 10,
        timeout: float = 60 * 60,
        not_before: float | None = None,
        deferrable: bool = conf.getboolean("operators", "default_deferrable", fallback=False),
        **kwargs: Any,
    ) -> None:
        super().__init__(mode=mode, poke_interval=poke_interval, timeout=timeout, **kwargs)
        self.deferrable = deferrable
        self.media_id = media_id
        self.not_before: Any = not_before
        if not_before is None and _is_upload_output(media_id):
            self.not_before = XComArg(media_id.operator, key=NEXT_STATUS_AT_KEY)  # type: ignore[attr-defined]
        self.twitter_conn_id = twitter_conn_id
        self.hook_params = hook_params or {}
        # X's advice from the current poke, read by _get_next_poke_interval within the same execute() call.
        # Never carried to the next poke: in reschedule mode that runs in a new process.
        self._advised_wait: float | None = None

    def execute(self, context: Context) -> Any:
        early = min(max(0.0, float(self.not_before or 0) - time.time()), self.timeout)  # X's advice at FINALIZE
        if early and not self.deferrable:
            if self.reschedule:
                raise AirflowRescheduleException(timezone.utcnow() + timedelta(seconds=early))
            time.sleep(early)
        if not self.deferrable:
            return super().execute(context)
        from airflow_provider.triggers.media import MediaProcessingTrigger

        done = False if early else self.poke(context)  # images and fast videos need no trigger at all
        if isinstance(done, PokeReturnValue):
            return done.xcom_value
        if early:
            self._advised_wait = early
        trigger = MediaProcessingTrigger(
            media_id=str(self.media_id),
            twitter_conn_id=self.twitter_conn_id,
            end_time=time.time() + self.timeout,
            poll_interval=self.poke_interval,
            first_wait=self._advised_wait if self._advised_wait is not None else self.poke_interval,
            timeout=self.hook.timeout,
        )
        # The trigger ends itself at `timeout` with a clear event; Airflow's own deferral timeout is a backstop.
        self.defer(trigger=trigger, method_name="execute_complete", timeout=timedelta(seconds=self.timeout + 60))

    def execute_complete(self, context: Context, event: dict[str, Any] | None = None) -> Any:
        """Resume after the trigger: the final STATUS as XCom, or X's error."""
        if not event:
            raise AirflowException("MediaProcessingTrigger ended without an event.")
        media_id, outcome = event.get("media_id"), event.get("status")
        if outcome == "succeeded":
            self.log.info("Media %s is processed and ready to post.", media_id)
            return event["media"]
        if outcome == "failed":
            self.log.error(event["message"])
            raise AirflowFailException(event["message"])
        if outcome == "timeout":
            raise AirflowSensorTimeout(f"Media {media_id} was still processing after the timeout of {self.timeout} s.")
        raise AirflowException(f"Could not watch media {media_id}: {event.get('message')}")

    def poke(self, context: Context) -> bool | PokeReturnValue:
        self._advised_wait = None
        (media_id,) = check_media_ids([self.media_id])
        try:
            data = self.hook.get_upload_status(media_id)
        except TwitterApiError as e:
            if e.http_status != 429 or e.rate_limit_reset is None:
                raise
            self._advised_wait = max(0.0, e.rate_limit_reset - time.time()) + 1
            self.log.warning("Rate limited by X; next poke after the reset, in %.0f s.", self._advised_wait)
            return False
        status = ProcessingStatus.from_media(data)
        if status.failed:
            self.log.error(status.failure)
            raise AirflowFailException(status.failure)
        if status.succeeded:
            self.log.info("Media %s is processed and ready to post.", media_id)
            return PokeReturnValue(is_done=True, xcom_value=data)
        self._advised_wait = status.check_after_secs
        advice = f"X advises checking again in {status.check_after_secs} s" if status.check_after_secs else "no advice"
        self.log.info("%s (%s).", status.describe().capitalize(), advice)
        return False

    def _get_next_poke_interval(
        self,
        started_at: datetime.datetime | float,
        run_duration: Callable[[], float],
        poke_count: int,
    ) -> float:
        """X's ``check_after_secs`` when given, capped so that no poke is planned past ``timeout``."""
        if self._advised_wait is None:
            return super()._get_next_poke_interval(started_at, run_duration, poke_count)
        wait = min(float(self._advised_wait), self.timeout - run_duration())
        if self.max_wait:
            wait = min(wait, self.max_wait.total_seconds())
        return max(wait, 0.0)


def _is_upload_output(value: Any) -> bool:
    """``upload.output`` of a MediaUploadOperator: its XCom holds the media id, and a sibling key X's advice."""
    return isinstance(value, XComArg) and isinstance(getattr(value, "operator", None), MediaUploadOperator)
