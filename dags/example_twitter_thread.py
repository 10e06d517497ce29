# mypy: disable-error-code="arg-type"
# (XComArgs fill templated arguments typed as their rendered value.)
"""
A thread: three posts, each a reply to the one before, the first with an image.

One task posts them all. If it is retried (its worker died, or X did not answer), the new try finds on X the
items an earlier try posted and goes on after the last of them: no item twice, none lost. If X refuses a reply
part-way, the task fails naming the items posted (with links) and those not; then ``clean_up`` deletes the items
it posted (the thread keeps their ids in its XCom ``posted`` as it goes), so no half thread stays on X, and
``thread_failed`` fails the run, which would otherwise end as its last task did. A thread that succeeds skips both.
The task page of ``post_thread`` has a "View on X" button to item 1.

Since 2026-02-23 X lets self-serve apps reply only where the replied-to post's author summoned the replying
account, and does not document whether one's own posts count: see docs/operators.md, "X's rules on replies
(2026)", before relying on threads with a pay-per-use app.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from airflow.providers.common.compat.sdk import DAG, AirflowFailException, Param, TriggerRule, XComArg, task

from airflow_provider.operators.delete import DeleteTweetOperator
from airflow_provider.operators.media import MediaUploadOperator
from airflow_provider.operators.thread import CreateThreadOperator

SAMPLE_IMAGE = str(Path(__file__).parent / "media" / "sample.png")

with DAG(
    dag_id="example_twitter_thread",
    schedule=None,
    start_date=datetime(2026, 1, 1),
    catchup=False,
    tags=["example", "twitter"],
    params={
        "texts": Param(
            [
                "What changed in this release, a thread (1/3)",
                "Uploads run 4 segments at a time by default (2/3)",
                "And a thread resumes where it stopped if its task is retried (3/3)",
            ],
            type="array",
            description="The posts' texts, in order; the first carries the image",
        ),
    },
):
    upload = MediaUploadOperator(task_id="upload_image", file_path=SAMPLE_IMAGE, alt_text="Colour bars test pattern")
    thread = CreateThreadOperator(
        task_id="post_thread",
        items=[
            {"text": "{{ params.texts[0] }}", "media_ids": [upload.output]},
            "{{ params.texts[1] }}",
            "{{ params.texts[2] }}",
        ],
        retries=2,
    )
    # Runs only if the thread failed for good (after its retries): deletes what it posted, the last item first.
    DeleteTweetOperator(task_id="clean_up", posts=XComArg(thread, key="posted"), trigger_rule=TriggerRule.ONE_FAILED)

    @task(trigger_rule=TriggerRule.ONE_FAILED, retries=0)
    def thread_failed() -> None:
        raise AirflowFailException("The thread failed; clean_up deleted the items it had posted (see its log).")

    thread >> thread_failed()
