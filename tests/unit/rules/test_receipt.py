"""The receipt of one media, handed from task to task: read from FINALIZE, parsed back from an XCom (or a bare id)
with every field checked, brought up to date by STATUS, and judged ready or expired without asking X."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest

from airflow_provider.exceptions import TwitterInputError
from airflow_provider.rules.processing import ProcessingStatus
from airflow_provider.rules.receipt import MediaReceipt, parse_media_list

ID = "1880028106020515840"
TRACK = {"language_code": "EN", "display_name": "English", "media_id": "1880028106020515841"}


class TestFromFinalize:
    def test_an_image_is_ready_at_once(self) -> None:
        receipt = MediaReceipt.from_finalize(
            {"id": ID, "media_key": f"3_{ID}", "expires_after_secs": 86400}, now=1000.0
        )
        assert receipt == MediaReceipt(
            media_id=ID, media_key=f"3_{ID}", state="succeeded", uploaded_at=1000.0, expires_at=1000.0 + 86400
        )
        assert receipt.ready and receipt.kind == "image"

    def test_a_video_waits_for_when_x_said_to_ask(self) -> None:
        data = {"id": int(ID), "processing_info": {"state": "in_progress", "check_after_secs": 5}}
        receipt = MediaReceipt.from_finalize(data, now=1000.0)
        assert (receipt.media_id, receipt.state, receipt.next_status_at, receipt.expires_at) == (
            ID,
            "in_progress",
            1005.0,
            None,
        )
        assert not receipt.ready

    def test_processing_without_a_state_is_pending(self) -> None:
        receipt = MediaReceipt.from_finalize({"id": ID, "processing_info": {"check_after_secs": None}}, now=1000.0)
        assert (receipt.state, receipt.next_status_at) == ("pending", 1000.0)


class TestParse:
    def test_the_xcom_round_trips_with_its_tracks(self) -> None:
        receipt = MediaReceipt(
            media_id=ID,
            media_key=f"7_{ID}",
            state="succeeded",
            next_status_at=None,
            uploaded_at=1000.0,
            expires_at=87400,
            subtitles=(TRACK,),
        )
        xcom = receipt.to_xcom()
        assert xcom == {
            "media_id": ID,
            "media_key": f"7_{ID}",
            "state": "succeeded",
            "next_status_at": None,
            "uploaded_at": 1000.0,
            "expires_at": 87400,
            "subtitles": [TRACK],
            "resend": None,
        }
        assert MediaReceipt.parse(xcom) == receipt

    def test_a_bare_id_is_a_receipt_that_knows_nothing_else(self) -> None:
        assert MediaReceipt.parse(f" {ID} ") == MediaReceipt(ID)
        assert MediaReceipt.parse(int(ID)) == MediaReceipt(ID)
        assert MediaReceipt(ID).kind is None and not MediaReceipt(ID).ready

    def test_a_receipt_is_taken_as_it_is(self) -> None:
        receipt = MediaReceipt(ID, state="pending")
        assert MediaReceipt.parse(receipt) is receipt

    def test_a_dict_with_only_the_id_is_a_bare_id(self) -> None:
        assert MediaReceipt.parse({"media_id": ID, "note": "kept by the user"}) == MediaReceipt(ID)

    @pytest.mark.parametrize(
        ("field", "value", "holds"),
        [
            ("media_key", 7, "a string"),
            ("state", ["succeeded"], "X's processing state (a string)"),
            ("next_status_at", "soon", "epoch seconds"),
            ("uploaded_at", True, "epoch seconds"),
            ("expires_at", float("nan"), "epoch seconds"),
            ("resend", "/data/clip.mp4", "the upload's arguments (a dict)"),
        ],
    )
    def test_a_hand_edited_field_is_refused_naming_it(self, field: str, value: Any, holds: str) -> None:
        message = f"wait.output[{field!r}] is {type(value).__name__} {value!r}; a receipt has {holds} or null there"
        with pytest.raises(TwitterInputError, match=re.escape(message)):
            MediaReceipt.parse({"media_id": ID, field: value}, argument="wait.output")

    @pytest.mark.parametrize("subtitles", ["EN", TRACK, ["EN"]])
    def test_tracks_that_are_no_list_of_dicts_are_refused(self, subtitles: Any) -> None:
        with pytest.raises(
            TwitterInputError, match=r"media_id\['subtitles'\] is .*; a receipt lists its subtitle tracks"
        ):
            MediaReceipt.parse({"media_id": ID, "subtitles": subtitles})

    @pytest.mark.parametrize(
        ("value", "message"),
        [
            ({"id": ID}, "media is a dict without 'media_id' (keys: ['id'])"),
            (None, "media must be a media id string or the output of MediaUploadOperator or MediaProcessingSensor"),
            (True, "got bool True"),
            (1.5, "got float 1.5"),
            ([ID], "got list"),
            ("12a", "Media id '12a' is not an X media id"),
            ({"media_id": "12a"}, "Media id '12a' is not an X media id"),
        ],
    )
    def test_anything_else_is_refused_naming_the_argument(self, value: Any, message: str) -> None:
        with pytest.raises(TwitterInputError, match=re.escape(message)):
            MediaReceipt.parse(value, argument="media")


class TestState:
    def test_expired_at_its_expiry_not_before(self) -> None:
        receipt = MediaReceipt(ID, expires_at=2000.0)
        assert [receipt.expired(now) for now in (1999.9, 2000.0)] == [False, True]
        assert not MediaReceipt(ID).expired(10**12)  # no expiry known: X judges

    def test_an_expired_receipt_is_refused_naming_when_in_utc(self) -> None:
        """X would refuse the id in any request: bad input, not a refusal of X's."""
        MediaReceipt(ID, expires_at=time.time() + 60).check_not_expired()
        MediaReceipt(ID).check_not_expired()  # no expiry known: X judges
        expired = MediaReceipt(ID, uploaded_at=time.time() - 25 * 3600, expires_at=1_780_000_000)
        with pytest.raises(TwitterInputError) as err:
            expired.check_not_expired()
        assert str(err.value).startswith(
            f"Media {ID} expired at 2026-05-28T20:26:40Z (its receipt's expires_at); it was uploaded 25.0 h ago."
        )
        assert str(err.value).endswith("upload it again.")

    def test_processed_is_ready_with_what_status_adds(self) -> None:
        pending = MediaReceipt(ID, state="in_progress", next_status_at=1005.0, uploaded_at=1000.0, expires_at=9000.0)
        status = ProcessingStatus.from_media(
            {"id": ID, "media_key": f"7_{ID}", "expires_after_secs": 3000, "processing_info": {"state": "succeeded"}}
        )
        processed = pending.processed(status, now=2000.0)
        assert processed == MediaReceipt(
            ID, media_key=f"7_{ID}", state="succeeded", next_status_at=None, uploaded_at=1000.0, expires_at=5000.0
        )
        assert processed.ready and processed.kind == "video"

    def test_resend_travels_in_the_xcom_until_processed(self) -> None:
        resend = {"file_path": "/data/clip.mp4", "chunk_size": 4, "metadata": {"alt_text": "A clip"}}
        pending = MediaReceipt.parse({"media_id": ID, "state": "pending", "resend": resend})
        assert pending.to_xcom()["resend"] == resend
        processed = pending.processed(ProcessingStatus.from_media({"id": ID}), now=2000.0)
        assert processed.resend is None  # nothing to send again once X has processed it

    def test_processed_keeps_what_status_does_not_say(self) -> None:
        pending = MediaReceipt(ID, media_key=f"13_{ID}", state="pending", expires_at=9000.0, subtitles=(TRACK,))
        processed = pending.processed(ProcessingStatus.from_media({"id": ID, "media_key": f"7_{ID}"}), now=2000.0)
        assert (processed.media_key, processed.expires_at, processed.subtitles) == (f"13_{ID}", 9000.0, (TRACK,))


class TestParseMediaList:
    def test_receipts_and_ids_in_a_list(self) -> None:
        assert parse_media_list(None) == []
        assert parse_media_list(["11", {"media_id": "12", "state": "succeeded"}, 13]) == [
            MediaReceipt("11"),
            MediaReceipt("12", state="succeeded"),
            MediaReceipt("13"),
        ]

    @pytest.mark.parametrize(
        ("values", "message"),
        [
            ("11", "media_ids must be a list, got str '11': wrap it, e.g. [wait.output]."),
            (11, "media_ids must be a list, got int 11"),
            ({"media_id": "11"}, "media_ids must be a list, got dict"),
            ({"11"}, "media_ids must be a list of media ids or receipts, got set."),
            (
                [["11", "12"]],
                "media_ids[0] is a list: the output of a mapped upload is already the list of its receipts. Pass it "
                "unwrapped, media_ids=upload.output, not [upload.output].",
            ),
            (["1", "2", "3", "4", "5"], "5 media ids given; a post carries at most 4"),
        ],
    )
    def test_what_is_no_list_of_media_is_refused(self, values: Any, message: str) -> None:
        with pytest.raises(TwitterInputError, match=re.escape(message)):
            parse_media_list(values)

    def test_errors_name_the_argument(self) -> None:
        with pytest.raises(TwitterInputError, match=re.escape("thread item 2's media_ids must be a list")):
            parse_media_list("11", argument="thread item 2's media_ids")
