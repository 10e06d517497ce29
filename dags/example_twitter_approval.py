# mypy: disable-error-code="arg-type"
# (XComArgs fill templated arguments typed as their rendered value.)
"""
Upload a video, wait for X to process it, ask a person to approve the post, then post it (Airflow 3.1+).

The approval is the standard provider's ``ApprovalOperator``: "Approve" lets the post run, "Reject" skips it.
Answer it in the UI (Browse > Required Actions, or the task's "Required Action" tab) or through the REST API
(``PATCH /api/v2/dags/{dag_id}/dagRuns/{run_id}/taskInstances/approve/-1/hitlDetails``).

X keeps an uploaded media id only until ``expires_after_secs`` after the upload (about 24 h): a post approved
later would carry media X no longer knows. So the wait for an answer ends before then: after ``APPROVAL_TIMEOUT``,
or ``POSTING_MARGIN`` before the media expire (the receipt's ``expires_at``), whichever comes first. Without an
answer by then the approval fails with a message that says so, and the post does not run.

Airflow 3.0 has no human-in-the-loop operators: there, this file defines no DAG.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from airflow.providers.common.compat.sdk import (
    DAG,
    AirflowFailException,
    AirflowOptionalProviderFeatureException,
    Param,
)

from airflow_provider.operators.media import MediaUploadOperator
from airflow_provider.operators.tweet import CreateTweetOperator
from airflow_provider.rules.receipt import MediaReceipt
from airflow_provider.sensors.media import MediaProcessingSensor

if TYPE_CHECKING:
    from airflow.providers.common.compat.sdk import Context

SAMPLE_VIDEO = Path(__file__).parent / "media" / "sample.mp4"
# The longest wait for an answer; shortened to end POSTING_MARGIN before the media expire.
APPROVAL_TIMEOUT = timedelta(hours=12)
# Left between the end of the wait and the media's expiry, for the post to be scheduled and sent.
POSTING_MARGIN = timedelta(minutes=10)

try:
    from airflow.providers.standard.operators.hitl import ApprovalOperator
except (ImportError, AirflowOptionalProviderFeatureException):  # Airflow 3.0
    ApprovalOperator = None  # type: ignore[assignment,misc]


def _utc(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


if ApprovalOperator is not None:

    class ApproveBeforeExpiry(ApprovalOperator):
        """``ApprovalOperator`` whose wait ends before the uploaded media expire, for an approval after that would
        post nothing. ``media`` is the video's receipt (templated); ``max_wait`` the longest wait."""

        template_fields = (*ApprovalOperator.template_fields, "media")

        def __init__(self, *, media: Any, max_wait: timedelta, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.media = media
            self.max_wait = max_wait

        def execute(self, context: Context) -> Any:
            expires_at = MediaReceipt.parse(self.media).expires_at
            wait = self.max_wait
            if expires_at is not None:
                left = timedelta(seconds=expires_at - time.time()) - POSTING_MARGIN
                if left <= timedelta(0):
                    raise AirflowFailException(
                        f"The media expire at {_utc(expires_at)}, too soon to ask for approval and still post them; "
                        "nothing is posted. Run the DAG again to upload them again."
                    )
                wait = min(wait, left)
                self.log.info("The media expire at %s: waiting at most %s for an answer.", _utc(expires_at), wait)
            if hasattr(self, "response_timeout"):  # standard provider 1.13+
                self.response_timeout = wait
            else:  # before 1.13, execution_timeout bounded the wait for an answer
                self.execution_timeout = wait
            return super().execute(context)

        def execute_complete(self, context: Context, event: dict[str, Any]) -> Any:
            if event.get("error_type") == "timeout":
                raise AirflowFailException(
                    "No one approved or rejected the post in time, before its media would expire; nothing is "
                    "posted. Run the DAG again to upload the media again and ask again."
                )
            return super().execute_complete(context, event)

    with DAG(
        dag_id="example_twitter_approval",
        description="Upload a video to X, wait for processing, ask for approval, post it",
        schedule=None,
        start_date=datetime(2026, 1, 1),
        catchup=False,
        tags=["example", "twitter"],
        params={
            "media_path": Param(str(SAMPLE_VIDEO), type="string", description="Local file to post"),
            "text": Param("Published from Airflow after approval", type="string"),
        },
    ):
        upload = MediaUploadOperator(task_id="upload_media", file_path="{{ params.media_path }}")
        wait = MediaProcessingSensor(task_id="wait_for_processing", media_id=upload.output, timeout=30 * 60)
        approve = ApproveBeforeExpiry(
            task_id="approve",
            subject="Post this video to X?",
            body="**Text:** {{ params.text }}\n\n**File:** `{{ params.media_path }}`",
            media=wait.output,
            max_wait=APPROVAL_TIMEOUT,
        )
        post = CreateTweetOperator(task_id="post", text="{{ params.text }}", media_ids=[wait.output])
        approve >> post  # the approval passes no data: it only gates the post
