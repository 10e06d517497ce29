"""v2 chunked media upload over HTTP: INITIALIZE, APPEND, FINALIZE, STATUS and alt text."""

from __future__ import annotations

import base64
import random
from concurrent.futures import ThreadPoolExecutor

import pytest

from airflow_provider.emulator import EmulatorServer
from tests.emulator.helpers import (
    GIF_HEAD,
    MIB,
    MP4_HEAD,
    PNG_HEAD,
    FakeClock,
    MakeEmulator,
    XClient,
    error_messages,
    last_reason,
    media_bytes,
)

INVALID_REQUEST = "https://api.twitter.com/2/problems/invalid-request"
# X's answer to STATUS of media that never entered processing (xdevplatform/xurl#18).
STATUS_NOT_FOUND = {
    "errors": [{"message": "BadRequest: Not found"}],
    "title": "Invalid Request",
    "detail": "One or more parameters to your request was invalid.",
    "type": INVALID_REQUEST,
}


def test_video_goes_pending_in_progress_succeeded(x: XClient, clock: FakeClock) -> None:
    data = media_bytes(MP4_HEAD, 3 * MIB + 123)
    init = x.post(
        "/2/media/upload/initialize",
        json={"media_type": "video/mp4", "total_bytes": len(data), "media_category": "tweet_video"},
    )
    assert init.status_code == 200
    created = init.json()["data"]
    media_id = created["id"]
    assert len(media_id) == 19 and media_id.isdigit()
    assert created == {"id": media_id, "media_key": f"7_{media_id}", "expires_after_secs": 86400}

    for index, start in enumerate(range(0, len(data), MIB)):
        append = x.append(media_id, index, data[start : start + MIB])
        assert append.status_code == 200
        assert isinstance(append.json()["data"]["expires_at"], int)

    finalized = x.finalize(media_id).json()["data"]
    assert finalized["size"] == len(data)
    assert finalized["processing_info"] == {"state": "pending", "check_after_secs": 1}
    assert finalized["video"] == {"video_type": "video/mp4"}

    clock.advance(2)
    info = x.status(media_id).json()["data"]["processing_info"]
    assert info["state"] == "in_progress" and info["check_after_secs"] == 1 and 0 < info["progress_percent"] < 100

    clock.advance(4)
    status = x.get("/2/media/upload", params={"media_id": media_id})  # `command` is optional
    assert status.json()["data"]["processing_info"] == {"state": "succeeded", "progress_percent": 100}
    assert x.finalize(media_id).json()["data"]["processing_info"]["state"] == "succeeded"  # finalize again: state
    assert x.admin(f"media/{media_id}")["state"] == "succeeded"


def test_parallel_out_of_order_appends_are_reassembled_by_index(x: XClient, emulator: EmulatorServer) -> None:
    data = media_bytes(MP4_HEAD, 8 * 256 * 1024 + 17)
    chunk = 256 * 1024
    media_id = x.initialize(data, "video/mp4", "tweet_video")
    pieces = [(i, data[start : start + chunk]) for i, start in enumerate(range(0, len(data), chunk))]
    random.Random(7).shuffle(pieces)
    assert pieces[0][0] != 0
    with ThreadPoolExecutor(max_workers=4) as pool:
        clients = [XClient(emulator.url) for _ in pieces]
        codes = list(pool.map(lambda p: clients[p[0]].append(media_id, *p[1]).status_code, enumerate(pieces)))
    assert codes == [200] * len(pieces)
    assert x.finalize(media_id).status_code == 200
    snapshot = x.admin(f"media/{media_id}")
    assert snapshot["segment_indexes"] == list(range(len(pieces)))
    assert snapshot["received_bytes"] == len(data)


def test_same_segment_retry_is_idempotent_but_different_bytes_are_refused(x: XClient) -> None:
    data = media_bytes(PNG_HEAD, 2000)
    media_id = x.initialize(data, "image/png", "tweet_image")
    assert x.append(media_id, 0, data[:1000]).status_code == 200
    assert x.append(media_id, 0, data[:1000]).status_code == 200
    conflict = x.append(media_id, 0, data[1000:])
    assert conflict.status_code == 400
    assert "already appended with different data" in error_messages(conflict)[0]


def test_finalize_names_the_missing_segment(x: XClient) -> None:
    data = media_bytes(MP4_HEAD, 3000)
    media_id = x.initialize(data, "video/mp4", "tweet_video")
    x.append(media_id, 0, data[:1000])
    x.append(media_id, 2, data[2000:])
    response = x.finalize(media_id)
    assert response.status_code == 400
    assert response.json()["type"] == INVALID_REQUEST
    assert error_messages(response) == [
        f"Segment 1 of media {media_id} is missing; segments must be contiguous from 0."
    ]


def test_finalize_refuses_a_byte_mismatch(x: XClient) -> None:
    data = media_bytes(MP4_HEAD, 3000)
    media_id = x.initialize(data, "video/mp4", "tweet_video")
    x.append(media_id, 0, data[:1000])
    response = x.finalize(media_id)
    assert response.status_code == 400
    assert "add up to 1000 bytes, but `total_bytes` is 3000" in error_messages(response)[0]


def test_segment_over_5_mib_is_refused(x: XClient) -> None:
    data = media_bytes(MP4_HEAD, 5 * MIB + 1)
    media_id = x.initialize(data, "video/mp4", "tweet_video")
    response = x.append(media_id, 0, data)
    assert response.status_code == 400
    assert "at most 5242880 bytes" in error_messages(response)[0]
    assert x.append(media_id, 0, data[: 5 * MIB]).status_code == 200


@pytest.mark.parametrize("index", ["1000", "-1", "one", None])
def test_segment_index_out_of_range_is_refused(x: XClient, index: str | None) -> None:
    media_id = x.initialize(b"x" * 10, "video/mp4", "tweet_video")
    fields = {} if index is None else {"segment_index": index}
    response = x.post(f"/2/media/upload/{media_id}/append", data=fields, files={"media": b"x" * 10})
    assert response.status_code == 400
    assert "segment_index" in error_messages(response)[0]


def test_json_append_with_base64_media(x: XClient) -> None:
    data = media_bytes(PNG_HEAD, 300)
    media_id = x.initialize(data, "image/png", "tweet_image")
    body = {"segment_index": 0, "media": base64.b64encode(data).decode()}
    assert x.post(f"/2/media/upload/{media_id}/append", json=body).status_code == 200
    assert x.finalize(media_id).status_code == 200


def test_append_without_media_part_is_refused(x: XClient) -> None:
    media_id = x.initialize(b"x" * 10, "video/mp4", "tweet_video")
    response = x.post(f"/2/media/upload/{media_id}/append", data={"segment_index": "0"}, files={"other": b"x"})
    assert response.status_code == 400


def test_fake_video_fails_processing_with_invalid_media(x: XClient, clock: FakeClock) -> None:
    media_id = x.upload(media_bytes(b"this is not a video", 5000), "video/mp4", "tweet_video")
    assert x.status(media_id).json()["data"]["processing_info"]["state"] == "pending"
    clock.advance(3)
    assert x.status(media_id).json()["data"]["processing_info"]["state"] == "in_progress"
    clock.advance(3)
    info = x.status(media_id).json()["data"]["processing_info"]
    assert info == {
        "state": "failed",
        "error": {"code": 1, "name": "InvalidMedia", "message": "Unsupported video format"},
    }


def test_fake_gif_fails_with_unsupported_gif_format(x: XClient, clock: FakeClock) -> None:
    media_id = x.upload(media_bytes(PNG_HEAD, 500), "image/gif", "tweet_gif")
    clock.advance(6)
    info = x.status(media_id).json()["data"]["processing_info"]
    assert info["state"] == "failed" and info["error"]["message"] == "Unsupported gif format"
    assert x.upload(media_bytes(GIF_HEAD, 500), "image/gif", "tweet_gif").isdigit()


def test_stuck_error_reports_in_progress_with_error(make_emulator: MakeEmulator) -> None:
    _, clock, client = make_emulator(stuck_error=True, processing_secs=2)
    media_id = client.upload(media_bytes(b"garbage", 100), "video/mp4", "tweet_video")
    clock.advance(2)
    info = client.status(media_id).json()["data"]["processing_info"]
    assert info == {
        "state": "in_progress",
        "error": {"code": 1, "name": "InvalidMedia", "message": "Unsupported video format"},
    }


def test_image_needs_no_processing(x: XClient) -> None:
    data = media_bytes(PNG_HEAD, 4000)
    media_id = x.upload(data, "image/png", "tweet_image")
    assert x.finalize(media_id).json()["data"] == {
        "id": media_id,
        "media_key": f"3_{media_id}",
        "size": 4000,
        "expires_after_secs": 86400,
        "image": {"image_type": "image/png", "w": 640, "h": 480},
    }
    status = x.status(media_id)
    assert (status.status_code, status.json()) == (400, STATUS_NOT_FOUND)
    assert x.tweet("an image", [media_id]).status_code == 201


def test_image_that_is_not_an_image_fails_finalize(x: XClient) -> None:
    media_id = x.initialize(b"%PDF-1.7 not an image", "image/png", "tweet_image")
    x.append(media_id, 0, b"%PDF-1.7 not an image")
    response = x.finalize(media_id)
    assert response.status_code == 400
    assert error_messages(response) == ["InvalidMedia: Unsupported image format."]


def test_expired_media_is_refused_everywhere(x: XClient, clock: FakeClock) -> None:
    data = media_bytes(PNG_HEAD, 100)
    done = x.upload(data, "image/png", "tweet_image")
    open_session = x.initialize(data, "image/png", "tweet_image")
    clock.advance(86400 - 10)
    assert x.finalize(done).json()["data"]["expires_after_secs"] == 10
    clock.advance(10)
    for response in (
        x.append(open_session, 0, data),
        x.finalize(open_session),
        x.post("/2/media/metadata", json={"id": done, "metadata": {"alt_text": {"text": "late"}}}),
    ):
        assert response.status_code == 400
        assert "has expired" in error_messages(response)[0]
    assert x.status(done).json() == STATUS_NOT_FOUND
    post = x.tweet("too late", [done])
    assert error_messages(post) == ["Your media IDs are invalid."]
    assert last_reason(x) == f"Media {done} has expired."
    assert x.admin(f"media/{done}")["state"] == "expired"


def test_status_before_finalize_and_unknown_ids(x: XClient) -> None:
    media_id = x.initialize(b"x" * 10, "video/mp4", "tweet_video")
    early = x.status(media_id)
    assert (early.status_code, early.json()) == (400, STATUS_NOT_FOUND)
    assert "has not been finalized" in last_reason(x)
    unknown = x.status("1234567890123456789")
    assert (unknown.status_code, unknown.json()) == (400, STATUS_NOT_FOUND)
    assert x.get("/2/media/upload", params={"media_id": media_id, "command": "INIT"}).status_code == 400
    assert x.finalize("1234567890123456789").status_code == 400


@pytest.mark.parametrize(
    ("body", "parameter"),
    [
        ({"media_type": "video/avi", "total_bytes": 10, "media_category": "tweet_video"}, "media_type"),
        ({"media_type": "video/mp4", "total_bytes": 10, "media_category": "tweet_movie"}, "media_category"),
        ({"media_type": "video/mp4", "total_bytes": 0, "media_category": "tweet_video"}, "total_bytes"),
        ({"media_type": "video/mp4", "total_bytes": "10", "media_category": "tweet_video"}, "total_bytes"),
        ({"media_type": "image/png", "total_bytes": 5 * MIB + 1, "media_category": "tweet_image"}, "total_bytes"),
        ({"media_type": "image/gif", "total_bytes": 15 * MIB + 1, "media_category": "tweet_gif"}, "total_bytes"),
        ({"media_type": "video/mp4", "total_bytes": 512 * MIB + 1, "media_category": "amplify_video"}, "total_bytes"),
        ({"media_type": "image/png", "total_bytes": 10, "media_category": "tweet_video"}, "media_category"),
        ({"media_type": "video/mp4", "total_bytes": 10, "additional_owners": "123"}, "additional_owners"),
    ],
)
def test_initialize_validation(x: XClient, body: dict[str, object], parameter: str) -> None:
    response = x.post("/2/media/upload/initialize", json=body)
    assert response.status_code == 400
    document = response.json()
    assert document["title"] == "Invalid Request"
    assert document["detail"] == "One or more parameters to your request was invalid."
    assert document["type"] == INVALID_REQUEST
    assert parameter in str(document["errors"][0])


def test_initialize_limits_and_defaults(x: XClient) -> None:
    ok = {"media_type": "video/mp4", "total_bytes": 512 * MIB, "media_category": "tweet_video", "shared": True}
    assert x.post("/2/media/upload/initialize", json=ok).status_code == 200
    gif = x.post("/2/media/upload/initialize", json={"media_type": "image/gif", "total_bytes": 10})
    assert gif.json()["data"]["media_key"].startswith("16_")  # no category: a GIF is a tweet_gif
    assert x.post("/2/media/upload/initialize", data={"media_type": "video/mp4"}).status_code == 400


def test_alt_text_is_stored(x: XClient) -> None:
    media_id = x.upload(media_bytes(PNG_HEAD, 100), "image/png", "tweet_image")
    body = {"id": media_id, "metadata": {"alt_text": {"text": "A red square"}}}
    response = x.post("/2/media/metadata", json=body)
    assert response.status_code == 200
    # An object, the metadata now on the media (OAS since 2025-02-06), not the boolean the emulator once sent.
    assert response.json() == {"data": {"associated_metadata": {"alt_text": {"text": "A red square"}}, "id": media_id}}
    assert x.admin(f"media/{media_id}")["alt_text"] == "A red square"
    warning = {"sensitive_media_warning": {"other": True}}
    again = x.post("/2/media/metadata", json={"id": media_id, "metadata": warning})
    assert again.json()["data"]["associated_metadata"] == {"alt_text": {"text": "A red square"}, **warning}

    too_long = x.post("/2/media/metadata", json={"id": media_id, "metadata": {"alt_text": {"text": "a" * 1001}}})
    assert too_long.status_code == 400
    unknown = x.post("/2/media/metadata", json={"id": "1", "metadata": {"alt_text": {"text": "a"}}})
    assert unknown.status_code == 400 and "not found" in error_messages(unknown)[0]


def test_media_ids_are_snowflakes_that_tell_their_age(x: XClient) -> None:
    import time

    body = {"media_type": "image/png", "total_bytes": 100, "media_category": "tweet_image"}
    first, second = (x.post("/2/media/upload/initialize", json=body).json()["data"]["id"] for _ in range(2))
    minted = ((int(first) >> 22) + 1288834974657) / 1000
    assert abs(minted - time.time()) < 5
    assert int(second) > int(first)


def test_error_parameters_are_strings(x: XClient) -> None:
    """OAS InvalidRequestProblem: ``parameters`` maps to arrays of strings; segment indexes were integers."""
    data = media_bytes(MP4_HEAD, 3000)
    media_id = x.initialize(data, "video/mp4", "tweet_video")
    assert x.append(media_id, 0, data[:1000]).status_code == 200
    assert x.append(media_id, 2, data[2000:]).status_code == 200
    conflict = x.append(media_id, 0, data[1000:2000])
    assert conflict.json()["errors"][0]["parameters"] == {"segment_index": ["0"]}
    missing = x.finalize(media_id)
    assert missing.json()["errors"][0]["parameters"] == {"segment_index": ["1"]}
    too_big = x.post("/2/media/upload/initialize", json={"media_type": "image/png", "total_bytes": 6 * MIB})
    assert too_big.json()["errors"][0]["parameters"] == {"total_bytes": [str(6 * MIB)]}
