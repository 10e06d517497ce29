"""Wait for X to finish processing uploaded media, without holding a worker slot."""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any, ClassVar, NoReturn

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
from airflow_provider.client.answers import rate_limit_wait
from airflow_provider.exceptions import TwitterApiError, TwitterInputError, TwitterRejectedError, TwitterTriggerError
from airflow_provider.files.media_file import inspect_media_file
from airflow_provider.hooks.mixin import TwitterHookMixin
from airflow_provider.hooks.params import check_conn_id, check_hook_params
from airflow_provider.operators.task_memory import RESEND_KEY, TaskMemory
from airflow_provider.rules.metadata import MediaMetadata
from airflow_provider.rules.numbers import check_number
from airflow_provider.rules.processing import ProcessingStatus, minted_at
from airflow_provider.rules.receipt import MediaReceipt

if TYPE_CHECKING:
    from airflow.providers.common.compat.sdk import Context

# Below this, releasing the slot costs more than it saves (a task start and a scheduler round trip), and a
# reschedule due within seconds runs into apache/airflow#71172 (docs/deployment.md).
DEFAULT_MIN_RESCHEDULE_INTERVAL = 15.0


class MediaProcessingSensor(TwitterHookMixin, BaseSensorOperator):
    """
    Poke X's media STATUS until processing has succeeded; each next poke comes when X advises.

    ``media_id`` takes the upload's receipt (``upload.output``): from it the sensor knows whether X processes the
    media at all (images: done at once, without a request, since X answers STATUS only for media it processes),
    when X said to ask first, and when the upload ended. ``timeout`` counts from the end of the upload, across
    reschedules and task retries, so a retried try does not start a fresh window.

    In the default ``reschedule`` mode the slot is released between pokes, and the next poke comes
    ``check_after_secs`` after X's answer but never sooner than ``min_reschedule_interval``: releasing a slot
    for a shorter wait costs more than it saves and, under a real scheduler, runs into the Airflow race
    apache/airflow#71172; the log says when it polls later than X advises, and why. A try lost to that race is
    retried (``retries`` defaults to 3); polling again is harmless. In ``poke`` mode and when deferred, X's advice is
    followed to the second.

    Failed processing (``failed``, or an ``error`` while ``in_progress``) fails the task at once, without
    retries, with X's error; except once for a video or GIF whose segments were sent in parallel (its receipt has
    ``resend``) when X found it unreadable (``InvalidMedia``), as it might if it put the segments together in arrival
    order: the sensor then uploads the file again, one segment at a time, as a new media, says why in the log, and
    waits for that one. On Airflow 3.3+ it keeps the new media's receipt in the task state store, so later pokes and
    retries wait for it (never a third upload) and reschedule mode releases the slot as for the upload's media;
    before 3.3 the new id is known only to this run, which waits for it in the slot (docs/operators.md, "Parallel
    uploads").

    ``soft_fail`` is Airflow's: the task is skipped instead of failed, at the timeout, for failed processing or for
    X's refusal. ``silent_fail`` and ``never_fail`` are refused, since the sensor reschedules itself from its poke
    (at X's advice), which they would turn into an error or a skip. A ``max_wait`` below ``min_reschedule_interval``
    brings back the short reschedules that run into apache/airflow#71172.

    :param media_id: The upload's receipt (``upload.output``), or a media id string. (templated)
    :param twitter_conn_id: Connection of type ``twitter``.
    :param hook_params: Extra keyword arguments for :class:`~airflow_provider.hooks.twitter.TwitterHook`.
    :param min_reschedule_interval: Shortest reschedule in seconds, in reschedule mode.
    :param deferrable: Hand each wait to the triggerer
        (:class:`~airflow_provider.triggers.media.MediaProcessingTrigger`); default ``[operators] default_deferrable``.
    :return: The media's receipt, as the upload returned it, with ``state`` ``succeeded`` once X has processed it
        (and ``expires_at`` as X last said): pass it to ``CreateTweetOperator(media_ids=[wait.output])``, which then
        asks X nothing more about the media. A bare id whose STATUS X refuses (an image, or an id X no longer knows)
        comes back as it came, ``state`` null: the post asks X.
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
        if unsupported := [name for name in ("silent_fail", "never_fail") if kwargs.get(name)]:
            raise TwitterInputError(
                f"MediaProcessingSensor does not take {' or '.join(unsupported)}: it reschedules itself from its poke, "
                "at X's advice, which they would turn into an error or a skip. Use soft_fail=True to skip the task "
                "at the timeout."
            )
        kwargs.setdefault("retries", 3)
        kwargs.setdefault("retry_delay", timedelta(seconds=min_reschedule_interval))
        super().__init__(mode=mode, poke_interval=poke_interval, timeout=timeout, **kwargs)
        self.media_id = media_id
        self.twitter_conn_id = check_conn_id(twitter_conn_id)
        self.hook_params = check_hook_params(hook_params)
        self.min_reschedule_interval = min_reschedule_interval
        self.deferrable = deferrable

    def execute(self, context: Context) -> Any:
        media = MediaReceipt.parse(self.media_id)
        if media.ready:
            self.log.info("X reported media %s ready at FINALIZE: nothing to wait for.", media.media_id)
            return media.to_xcom()
        return super().execute(context)

    def poke(self, context: Context) -> PokeReturnValue:
        """Ask X until it has finished. Each wait is X's advice, never past the deadline: handed to the triggerer when
        deferrable, released to the scheduler in reschedule mode (the task comes back to this poke), else slept."""
        uploaded = MediaReceipt.parse(self.media_id)
        memory = TaskMemory.of(context, self.log)
        media = self._sent_again(memory, uploaded) or uploaded
        deadline = self._deadline(uploaded, context)
        if wait := _until(media.next_status_at):  # X's advice at FINALIZE; a short one is waited in the slot
            self._pause(media, wait, deadline, release=wait >= self.min_reschedule_interval)
        while True:
            outcome = self._check(media, memory)
            if isinstance(outcome, MediaReceipt) and outcome.media_id == media.media_id:
                return PokeReturnValue(is_done=True, xcom_value=outcome.to_xcom())
            # Without a task state store (before 3.3) a reschedule would come back to the upload's receipt and upload
            # again: the media sent again is waited for in the slot.
            release = media is uploaded or memory is not None
            if isinstance(outcome, MediaReceipt):  # uploaded again: wait for the new media, from its FINALIZE advice
                media, outcome = outcome, _until(outcome.next_status_at)
                release = memory is not None and outcome >= self.min_reschedule_interval
            self._pause(media, outcome, deadline, release=release)

    def execute_complete(self, context: Context, event: dict[str, Any] | None = None) -> Any:
        """Resume after the trigger: the receipt once processed, or X's error."""
        if not event:
            raise TwitterTriggerError("MediaProcessingTrigger ended without an event.")
        media_id, outcome = event.get("media_id"), event.get("status")
        uploaded = MediaReceipt.parse(self.media_id)
        if outcome == "succeeded":
            self.log.info("Media %s is processed and ready to post.", media_id)
            # The media the trigger watched: the upload's, or the one this sensor sent again.
            media = uploaded if media_id == uploaded.media_id else MediaReceipt(str(media_id))
            return media.processed(ProcessingStatus.from_media(event["media"])).to_xcom()
        if outcome == "failed" and media_id == uploaded.media_id and event.get("error"):
            status = ProcessingStatus(media_id=uploaded.media_id, state="failed", error=event["error"])
            again = self._upload_again(uploaded, status, TaskMemory.of(context, self.log))
            self._defer(again, poll_at=again.next_status_at or time.time(), deadline=self._deadline(uploaded, context))
        if outcome == "failed":
            self.log.error(event["message"])
            raise AirflowFailException(event["message"])
        if outcome == "timeout":
            self._timed_out(str(media_id))
        raise TwitterTriggerError(f"Could not watch media {media_id}: {event.get('message')}")

    def _sent_again(self, memory: TaskMemory | None, uploaded: MediaReceipt) -> MediaReceipt | None:
        """The media an earlier poke or try uploaded again in place of ``uploaded``, as the task state store recorded
        it; None without a record, or with one for another upload's media (the upload task ran again since)."""
        record = memory.recall(RESEND_KEY) if memory is not None else None
        if record is None or record.get("instead_of") != uploaded.media_id:
            return None
        again = MediaReceipt.parse(record.get("media"), argument=f"The task state store's {RESEND_KEY!r} record")
        self.log.info(
            "Media %s was uploaded again in place of %s by an earlier poke or try (task state store): waiting for it.",
            again.media_id,
            uploaded.media_id,
        )
        return again

    def _check(self, media: MediaReceipt, memory: TaskMemory | None) -> MediaReceipt | float:
        """One STATUS: the receipt once X is done with the media, else the seconds to wait before asking again."""
        try:
            data = self.hook.get_upload_status(media.media_id, uploaded_at=media.uploaded_at)
        except TwitterRejectedError as e:
            if media.state is None and e.http_status in (400, 404):
                # A bare id: X answers STATUS only for media it processes (an image), or the id is gone. Either
                # way there is nothing to wait for; the post will say if X no longer knows the media.
                self.log.warning("X has no processing for media %s (%s); nothing to wait for.", media.media_id, e)
                return media
            raise
        except TwitterApiError as e:
            if not e.is_rate_limit:
                raise
            wait = rate_limit_wait(e)
            self.log.warning("Rate limited by X; next poke after the reset, in %.0f s.", wait)
            return wait
        status = ProcessingStatus.from_media(data)
        if status.failed:
            return self._upload_again(media, status, memory)
        if status.succeeded:
            self.log.info("Media %s is processed and ready to post.", media.media_id)
            return media.processed(status)
        advice = f"X advises checking again in {status.check_after_secs} s" if status.check_after_secs else "no advice"
        self.log.info("%s (%s).", status.describe().capitalize(), advice)
        return float(status.check_after_secs or self.poke_interval)

    def _upload_again(self, media: MediaReceipt, status: ProcessingStatus, memory: TaskMemory | None) -> MediaReceipt:
        """X failed processing: fail the task with X's error, unless the failure may come from segments sent in
        parallel being put together out of order. Then upload the same file once more one segment at a time, from
        the receipt's ``resend``, and return the new media's receipt (which has no ``resend``: never a third time).
        The receipt is kept in ``memory`` (Airflow 3.3+) for later pokes and tries: only this run knows the new id."""
        if not (media.resend and status.may_come_from_segment_order):
            self.log.error(status.failure)
            raise AirflowFailException(status.failure)
        resend = media.resend
        self.log.warning(
            "%s. Its segments were sent in parallel, and X does not document that it puts them together by index "
            "rather than in arrival order: uploading %s again, one segment at a time, as a new media (once).",
            status.failure,
            resend["file_path"],
        )
        try:
            media_file = inspect_media_file(
                resend["file_path"],
                resend["media_type"],
                resend["media_category"],
                max_video_duration=resend["max_video_duration"],
            )
            metadata = MediaMetadata.checked(**resend["metadata"])
        except (KeyError, TypeError) as e:
            raise TwitterInputError(f"{status.failure}; its receipt's resend is not the upload's ({e!r}).") from None
        final = self.hook.upload_media(
            media_file, chunk_size=resend["chunk_size"], parallel_segments=1, metadata=metadata
        )
        again = MediaReceipt.from_finalize(final)
        if memory is not None:
            memory.note(RESEND_KEY, {"instead_of": media.media_id, "media": again.to_xcom()})
        self.log.warning(
            "Uploaded %s again, sequentially, as media %s (instead of %s); waiting for X to process it.",
            resend["file_path"],
            again.media_id,
            media.media_id,
        )
        return again

    def _pause(self, media: MediaReceipt, wait: float, deadline: float, *, release: bool) -> None:
        """Wait ``wait`` seconds (X's advice), at most until the deadline: in the triggerer when deferrable, released
        to the scheduler in reschedule mode (at least ``min_reschedule_interval``; a short first wait, ``release``
        false, is slept instead), else asleep in the slot. Past the deadline, the sensor times out."""
        left = _until(deadline)
        if left <= 0:
            self._timed_out(media.media_id)
        if self.deferrable:
            self._defer(media, poll_at=time.time() + min(wait, left), deadline=deadline)
        if self.reschedule and release:
            delay = max(wait, self.min_reschedule_interval)
            if self.max_wait:  # Airflow's cap on any wait between pokes
                delay = min(delay, self.max_wait.total_seconds())
            if delay > wait:
                self.log.info(
                    "Next poke in %.0f s, not the %.0f s X advises: min_reschedule_interval, since releasing the slot "
                    "for less costs more than it saves (docs/deployment.md).",
                    min(delay, left),
                    wait,
                )
            raise AirflowRescheduleException(timezone.utcnow() + timedelta(seconds=min(delay, left)))
        if self.max_wait:
            wait = min(wait, self.max_wait.total_seconds())
        time.sleep(min(wait, left))

    def _timed_out(self, media_id: str) -> NoReturn:
        message = f"Media {media_id} was still processing {self.timeout:.0f} s after its upload (the sensor's timeout)."
        if self.soft_fail:
            raise AirflowSkipException(message)
        raise AirflowSensorTimeout(message)

    def _deadline(self, media: MediaReceipt, context: Context) -> float:
        """The end of the ``timeout`` window, which starts at the end of the upload (from its receipt), else at the
        id's mint time, else at this try's first poke."""
        if media.uploaded_at:
            start = float(media.uploaded_at)
        elif minted := minted_at(media.media_id):
            start = minted
        else:
            first = context["ti"].get_first_reschedule_date(context) if self.reschedule else None
            start = first.timestamp() if first else time.time()
        return start + float(self.timeout)

    def _defer(self, media: MediaReceipt, *, poll_at: float, deadline: float) -> NoReturn:
        from airflow_provider.triggers.media import MediaProcessingTrigger

        trigger = MediaProcessingTrigger(
            media_id=media.media_id,
            twitter_conn_id=self.twitter_conn_id,
            poll_at=min(poll_at, deadline),
            end_time=deadline,
            poll_interval=self.poke_interval,
            hook_params=self.hook_params,
        )
        # The trigger ends itself at the deadline with a clear event; Airflow's deferral timeout is a backstop.
        self.defer(trigger=trigger, method_name="execute_complete", timeout=timedelta(seconds=_until(deadline) + 60))


def _until(epoch: float | None) -> float:
    """Seconds from now until ``epoch`` (0 when it has passed or is not known)."""
    return max(0.0, (epoch or 0.0) - time.time())
