"""MediaEndpoints: the chunked upload's commands, metadata, subtitles, and the checks that media may be posted,
asking X only when the receipt cannot tell; against a fake X, with a client built from credentials alone."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest
import requests

from airflow_provider.client.api import XClient
from airflow_provider.exceptions import TwitterBillingError, TwitterInputError, TwitterRejectedError
from airflow_provider.rules.metadata import MediaMetadata
from airflow_provider.rules.receipt import MediaReceipt
from tests.unit.fake_x import FakeX, answer_async, json_body, query, segment_of, x_client

ID = "1880028106020515840"
NOT_FOUND = (400, {"errors": [{"message": "BadRequest: Not found"}]})
SUBTITLES = "/2/media/subtitles"


def snowflake(hours_ago: float) -> str:
    """A media id X would have minted ``hours_ago``."""
    return str(int((time.time() - hours_ago * 3600) * 1000 - 1288834974657) << 22)


class Lines:
    """A log that keeps its lines."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def info(self, event: Any, *args: Any, **kw: Any) -> None:
        self.lines.append(event % args)

    def warning(self, event: Any, *args: Any, **kw: Any) -> None:
        self.lines.append(event % args)


@pytest.fixture
def x(fake_x: FakeX) -> XClient:
    return x_client()


class TestUploadCommands:
    def test_initialize_sends_the_file_and_returns_xs_data(self, x: XClient, fake_x: FakeX) -> None:
        data = {"id": ID, "media_key": f"7_{ID}", "expires_after_secs": 86400}
        fake_x.on("POST", "/2/media/upload/initialize", (200, {"data": data}))
        assert x.media.initialize(total_bytes=10, media_type="video/mp4", media_category="tweet_video") == data
        assert json_body(fake_x.requests[0]) == {
            "total_bytes": 10,
            "media_type": "video/mp4",
            "media_category": "tweet_video",
        }

    def test_append_sends_the_segment_with_its_index(self, x: XClient, fake_x: FakeX) -> None:
        fake_x.on("POST", f"/2/media/upload/{ID}/append", (200, {}))
        x.media.append(ID, 3, b"chunk")
        assert segment_of(fake_x.requests[0]) == (3, b"chunk")

    def test_finalize_returns_xs_data(self, x: XClient, fake_x: FakeX) -> None:
        data = {"id": ID, "processing_info": {"state": "pending", "check_after_secs": 1}}
        fake_x.on("POST", f"/2/media/upload/{ID}/finalize", (200, {"data": data}))
        assert x.media.finalize(ID) == data

    @pytest.mark.parametrize("bad", ["12a", "../tweets", "", "١٢٣"])
    def test_an_id_that_is_no_media_id_is_refused_before_it_enters_a_url(
        self, x: XClient, fake_x: FakeX, bad: str
    ) -> None:
        for command in (
            lambda: x.media.append(bad, 0, b"c"),
            lambda: x.media.finalize(bad),
            lambda: x.media.status(bad),
        ):
            with pytest.raises(TwitterInputError, match="is not an X media id"):
                command()
        assert fake_x.requests == []


class TestStatus:
    def test_status_asks_with_the_command_and_id(self, x: XClient, fake_x: FakeX) -> None:
        fake_x.on("GET", "/2/media/upload", (200, {"data": {"id": "7", "processing_info": {"state": "pending"}}}))
        assert x.media.status("7")["processing_info"]["state"] == "pending"
        assert query(fake_x.requests[0]) == {"command": ["STATUS"], "media_id": ["7"]}

    def test_not_found_is_media_x_does_not_know_with_its_age(self, x: XClient, fake_x: FakeX) -> None:
        fake_x.on("GET", "/2/media/upload", NOT_FOUND)
        with pytest.raises(TwitterRejectedError) as err:
            x.media.status("7", uploaded_at=time.time() - 25 * 3600)
        assert "Media 7 has expired or is unknown to X" in str(err.value)
        assert "uploaded 25.0 h ago" in str(err.value) and "BadRequest: Not found" in str(err.value)
        assert len(fake_x.requests) == 1  # a refusal is not retried

    def test_other_refusals_stand(self, x: XClient, fake_x: FakeX) -> None:
        fake_x.on("GET", "/2/media/upload", (403, {"title": "Forbidden"}))
        with pytest.raises(TwitterRejectedError) as err:
            x.media.status("7")
        assert err.value.title == "Forbidden" and "expired" not in str(err.value)

    async def test_astatus_reads_and_refuses_as_status_does(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """The triggerer's path: the same request, and the same 400 means the same thing, not retried."""
        pending = {"data": {"id": "7", "processing_info": {"state": "pending", "check_after_secs": 2}}}
        seen = answer_async(
            monkeypatch, httpx.Response(200, json=pending), httpx.Response(NOT_FOUND[0], json=NOT_FOUND[1])
        )
        x = x_client()
        assert await x.media.astatus("7") == pending["data"]
        with pytest.raises(TwitterRejectedError, match="Media 7 has expired or is unknown to X"):
            await x.media.astatus("7")
        assert len(seen) == 2
        assert [(r.url.path, dict(r.url.params)) for r in seen] == [
            ("/2/media/upload", {"command": "STATUS", "media_id": "7"})
        ] * 2

    async def test_astatus_checks_the_id_before_any_request(self, monkeypatch: pytest.MonkeyPatch) -> None:
        seen = answer_async(monkeypatch, httpx.Response(200, json={"data": {"id": "7"}}))
        with pytest.raises(TwitterInputError, match="is not an X media id"):
            await x_client().media.astatus("7 OR 1=1")
        assert seen == []


class TestMetadata:
    def test_a_string_is_alt_text_alone(self, x: XClient, fake_x: FakeX) -> None:
        fake_x.on("POST", "/2/media/metadata", (200, {"data": {"associated_metadata": True}}))
        x.media.set_metadata(ID, "A chart")
        assert json_body(fake_x.requests[0]) == {"id": ID, "metadata": {"alt_text": {"text": "A chart"}}}

    def test_everything_goes_in_one_call(self, x: XClient, fake_x: FakeX) -> None:
        fake_x.on("POST", "/2/media/metadata", (200, {"data": {"associated_metadata": True}}))
        metadata = MediaMetadata.checked(alt_text="A chart", sensitive_media_warning=["other"], allow_download=False)
        x.media.set_metadata(ID, metadata)
        (request,) = fake_x.requests
        assert json_body(request) == {"id": ID, "metadata": metadata.body()}

    def test_alt_text_x_would_refuse_sends_nothing(self, x: XClient, fake_x: FakeX) -> None:
        with pytest.raises(TwitterInputError, match="alt_text is 1001 characters"):
            x.media.set_metadata(ID, "a" * 1001)
        assert fake_x.requests == []


class TestSubtitles:
    ATTACHED = (200, {"data": {"associated_subtitles": True, "id": ID}})

    def test_attach_sends_xs_names(self, x: XClient, fake_x: FakeX) -> None:
        fake_x.on("POST", SUBTITLES, self.ATTACHED)
        answer = x.media.attach_subtitles(ID, "1880028106020515841", language_code="en", display_name=" English ")
        assert answer == self.ATTACHED[1]["data"]
        assert json_body(fake_x.requests[0]) == {
            "id": ID,
            "media_category": "TweetVideo",
            "subtitles": {"id": "1880028106020515841", "language_code": "EN", "display_name": "English"},
        }
        assert fake_x.sent("DELETE") == []  # a first attempt of a first try deletes nothing

    def test_replace_deletes_the_track_an_earlier_try_may_have_attached(self, x: XClient, fake_x: FakeX) -> None:
        fake_x.on("DELETE", SUBTITLES, (200, {"data": {"deleted": True}}))
        fake_x.on("POST", SUBTITLES, self.ATTACHED)
        x.media.attach_subtitles(
            ID,
            "1880028106020515841",
            language_code="EN",
            display_name="English",
            media_category="amplify_video",
            replace=True,
        )
        assert [r.method for r in fake_x.requests] == ["DELETE", "POST"]
        assert json_body(fake_x.requests[0]) == {"id": ID, "media_category": "AmplifyVideo", "language_code": "EN"}

    def test_an_attempt_after_a_lost_answer_deletes_first(self, x: XClient, fake_x: FakeX) -> None:
        fake_x.on("POST", SUBTITLES, requests.ReadTimeout("lost"), self.ATTACHED)
        fake_x.on("DELETE", SUBTITLES, (200, {"data": {"deleted": True}}))
        x.media.attach_subtitles(ID, "1880028106020515841", language_code="EN", display_name="English")
        assert [r.method for r in fake_x.requests] == ["POST", "DELETE", "POST"]

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"language_code": "english"}, "language_code must be a two-letter language code"),
            ({"display_name": ""}, "display_name must be the language's name"),
            ({"media_category": "tweet_image"}, "media_category must be the video's upload category"),
        ],
    )
    def test_bad_arguments_send_nothing(self, x: XClient, fake_x: FakeX, kwargs: dict[str, str], message: str) -> None:
        arguments = {"language_code": "EN", "display_name": "English", **kwargs}
        with pytest.raises(TwitterInputError, match=message):
            x.media.attach_subtitles(ID, "1880028106020515841", **arguments)  # type: ignore[arg-type]
        assert fake_x.requests == []

    def test_delete_says_whether_there_was_a_track(self, x: XClient, fake_x: FakeX) -> None:
        fake_x.on("DELETE", SUBTITLES, (200, {"data": {"deleted": True}}), (200, {"data": {"deleted": False}}))
        assert x.media.delete_subtitles(ID, "es") is True
        assert x.media.delete_subtitles(ID, "es") is False
        assert json_body(fake_x.requests[0]) == {"id": ID, "media_category": "TweetVideo", "language_code": "ES"}

    @pytest.mark.parametrize("status", [400, 404])
    def test_delete_of_a_track_x_does_not_have_is_none(self, fake_x: FakeX, status: int) -> None:
        log = Lines()
        fake_x.on("DELETE", SUBTITLES, (status, {"title": "Not Found"}))
        assert x_client(log=log).media.delete_subtitles(ID, "ES") is False
        (line,) = log.lines
        assert line.startswith(
            f"No ES subtitles to delete on media {ID} (X: X API DELETE {SUBTITLES} failed (HTTP {status})"
        )

    @pytest.mark.parametrize(
        ("reply", "error"),
        [
            ((403, {"title": "Forbidden"}), TwitterRejectedError),
            ((402, {"title": "Payment Required"}), TwitterBillingError),
        ],
    )
    def test_delete_raises_other_refusals(
        self, x: XClient, fake_x: FakeX, reply: tuple[int, Any], error: type[Exception]
    ) -> None:
        fake_x.on("DELETE", SUBTITLES, reply)
        with pytest.raises(error):
            x.media.delete_subtitles(ID, "ES")


def receipt(media_id: str = "11", kind: str = "7", **fields: Any) -> MediaReceipt:
    return MediaReceipt(media_id=media_id, media_key=f"{kind}_{media_id}", **fields)


class TestCheckProcessed:
    def test_a_ready_receipt_needs_no_request(self, x: XClient, fake_x: FakeX) -> None:
        ready = receipt(state="succeeded", expires_at=time.time() + 3600)
        assert x.media.check_processed(ready, purpose="attach subtitles") is ready
        assert fake_x.requests == []

    def test_an_expired_receipt_is_refused_without_a_request(self, x: XClient, fake_x: FakeX) -> None:
        with pytest.raises(TwitterInputError, match=r"^Media 11 expired at .* \(its receipt's expires_at\)"):
            x.media.check_processed(receipt(state="succeeded", expires_at=time.time() - 1), purpose="post it")
        assert fake_x.requests == []

    def test_a_pending_receipt_becomes_ready_once_x_says_so(self, x: XClient, fake_x: FakeX) -> None:
        done = {"id": "11", "media_key": "7_11", "processing_info": {"state": "succeeded"}, "expires_after_secs": 60}
        fake_x.on("GET", "/2/media/upload", (200, {"data": done}))
        pending = MediaReceipt(media_id="11", state="pending", next_status_at=1.0)
        checked = x.media.check_processed(pending, purpose="attach subtitles")
        assert (checked.state, checked.media_key, checked.next_status_at) == ("succeeded", "7_11", None)

    @pytest.mark.parametrize(
        ("info", "message"),
        [
            ({"state": "in_progress"}, r"Media 11 is still in_progress; wait for X to process it before you attach"),
            ({"state": "failed", "error": {"name": "InvalidMedia", "message": "bad"}}, "InvalidMedia: bad"),
        ],
    )
    def test_media_not_processed_is_refused_naming_the_purpose(
        self, x: XClient, fake_x: FakeX, info: dict[str, Any], message: str
    ) -> None:
        fake_x.on("GET", "/2/media/upload", (200, {"data": {"id": "11", "processing_info": info}}))
        with pytest.raises(TwitterInputError, match=message):
            x.media.check_processed(receipt(state="pending"), purpose="attach subtitles")


class TestCheckPostable:
    def test_images_ready_are_judged_from_their_receipts(self, x: XClient, fake_x: FakeX) -> None:
        """X has no STATUS for media it does not process: it answers 400 "Not found" (xdevplatform/xurl#18)."""
        x.media.check_postable([receipt("11", "3", state="succeeded"), receipt("12", "3", state="succeeded")])
        assert fake_x.requests == []

    def test_an_expired_image_is_refused_without_a_request(self, x: XClient, fake_x: FakeX) -> None:
        with pytest.raises(TwitterInputError, match=r"^Media 11 expired at .* \(its receipt's expires_at\)"):
            x.media.check_postable([receipt("11", "3", state="succeeded", expires_at=time.time() - 1)])
        assert fake_x.requests == []

    def test_a_mix_is_refused_from_the_keys_before_any_request(self, x: XClient, fake_x: FakeX) -> None:
        with pytest.raises(TwitterInputError, match="media 12 is a video or GIF among 2 media"):
            x.media.check_postable([receipt("11", "3", state="succeeded"), receipt("12", "7", state="pending")])
        assert fake_x.requests == []

    def test_a_mix_of_bare_ids_is_refused_from_what_x_says(self, x: XClient, fake_x: FakeX) -> None:
        photo = {"data": {"id": "11", "media_key": "3_11"}}
        fake_x.on("GET", "/2/media/upload", (200, photo), (200, {"data": {"id": "12", "media_key": "7_12"}}))
        with pytest.raises(TwitterInputError, match="media 12 is a video or GIF among 2 media"):
            x.media.check_postable([MediaReceipt("11"), MediaReceipt("12")])
        assert len(fake_x.sent("GET", "/2/media/upload")) == 2

    @pytest.mark.parametrize(
        ("status", "message"),
        [
            ({"processing_info": {"state": "in_progress", "check_after_secs": 2}}, "still in_progress.*Sensor"),
            ({"processing_info": {"state": "failed", "error": {"name": "InvalidMedia"}}}, "could not process"),
        ],
    )
    def test_media_not_processed_is_refused(
        self, x: XClient, fake_x: FakeX, status: dict[str, object], message: str
    ) -> None:
        fake_x.on("GET", "/2/media/upload", (200, {"data": {"id": "11", "media_key": "7_11", **status}}))
        with pytest.raises(TwitterInputError, match=message):
            x.media.check_postable([MediaReceipt("11")])

    def test_a_bare_id_x_gives_no_status_for_is_left_to_x(self, x: XClient, fake_x: FakeX) -> None:
        fake_x.on("GET", "/2/media/upload", NOT_FOUND)
        x.media.check_postable([MediaReceipt("11")])
        assert len(fake_x.requests) == 1

    def test_a_receipt_x_no_longer_knows_names_its_id_and_age(self, x: XClient, fake_x: FakeX) -> None:
        media_id = snowflake(hours_ago=25)
        fake_x.on("GET", "/2/media/upload", NOT_FOUND)
        with pytest.raises(TwitterRejectedError) as err:
            x.media.check_postable([receipt(media_id, state="pending")])
        assert f"Media {media_id} has expired or is unknown to X" in str(err.value)
        assert "uploaded 25.0 h ago" in str(err.value)
