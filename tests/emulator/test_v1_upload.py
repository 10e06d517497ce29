"""v1.1 chunked upload (as tweepy 4.x ``API.chunked_upload`` sends it), sharing state and rules with v2."""

from __future__ import annotations

import base64

import requests

from airflow_provider.emulator import EmulatorConfig, EmulatorServer
from tests.emulator.helpers import MIB, MP4_HEAD, PNG_HEAD, FakeClock, XClient, media_bytes

PATH = "/1.1/media/upload.json"


def test_v1_chunked_video_flow(x: XClient, clock: FakeClock) -> None:
    data = media_bytes(MP4_HEAD, 2 * MIB + 5)
    init = x.post(
        PATH,
        data={
            "command": "INIT",
            "total_bytes": str(len(data)),
            "media_type": "video/mp4",
            "media_category": "tweet_video",
        },
    )
    assert init.status_code == 202
    body = init.json()
    media_id = body["media_id_string"]
    assert body == {
        "media_id": int(media_id),
        "media_id_string": media_id,
        "media_key": f"7_{media_id}",
        "expires_after_secs": 86400,
    }

    for index, start in enumerate(range(0, len(data), MIB)):
        fields = {"command": "APPEND", "media_id": media_id, "segment_index": str(index)}
        append = x.post(PATH, data=fields, files={"media": data[start : start + MIB]})
        assert append.status_code == 204 and append.content == b""

    finalized = x.post(PATH, data={"command": "FINALIZE", "media_id": media_id})
    assert finalized.status_code == 200
    assert finalized.json()["processing_info"] == {"state": "pending", "check_after_secs": 1}
    assert finalized.json()["size"] == len(data)

    clock.advance(6)
    status = x.get(PATH, params={"command": "STATUS", "media_id": media_id})
    assert status.json()["processing_info"]["state"] == "succeeded"
    assert "media_key" not in status.json()  # only when asked by media_key (v1 STATUS reference)
    by_key = x.get(PATH, params={"command": "STATUS", "media_key": f"7_{media_id}"})
    assert by_key.status_code == 200 and by_key.json()["media_key"] == f"7_{media_id}"
    assert by_key.json()["media_id_string"] == media_id
    assert x.get(PATH, params={"command": "STATUS", "media_key": f"3_{media_id}"}).status_code == 404
    assert x.tweet("from v1.1 upload", [media_id]).status_code == 201  # same state as v2
    assert [entry["endpoint"] for entry in x.admin("requests")][:5] == [
        "initialize",
        "append",
        "append",
        "append",
        "finalize",
    ]


def test_v1_image_with_camel_case_category_and_media_data(x: XClient) -> None:
    data = media_bytes(PNG_HEAD, 500)
    init = x.post(
        PATH, data={"command": "INIT", "total_bytes": "500", "media_type": "image/png", "media_category": "TweetImage"}
    )
    media_id = init.json()["media_id_string"]
    fields = {
        "command": "APPEND",
        "media_id": media_id,
        "segment_index": "0",
        "media_data": base64.b64encode(data).decode(),
    }
    assert x.post(PATH, files={name: (None, value) for name, value in fields.items()}).status_code == 204
    finalized = x.post(PATH, data={"command": "FINALIZE", "media_id": media_id}).json()
    assert "processing_info" not in finalized and finalized["image"] == {"image_type": "image/png", "w": 640, "h": 480}
    status = x.get(PATH, params={"command": "STATUS", "media_id": media_id})
    # v1.1 had no STATUS for images either, answering 404 code 34 (plhery/node-twitter-api-v2#336).
    assert status.status_code == 404
    assert status.json() == {"errors": [{"code": 34, "message": "Sorry, that page does not exist"}]}


def test_v1_errors_use_the_v1_shape(x: XClient) -> None:
    init = x.post(PATH, data={"command": "INIT", "total_bytes": "3000", "media_type": "video/mp4"}).json()
    media_id = init["media_id_string"]
    assert "media_key" not in init  # no media_category: no media_key (sferik/twitter-ruby#1025)
    x.post(PATH, data={"command": "APPEND", "media_id": media_id, "segment_index": "0"}, files={"media": b"x" * 1000})
    finalize = x.post(PATH, data={"command": "FINALIZE", "media_id": media_id})
    assert finalize.status_code == 400
    assert finalize.json() == {
        "request": PATH,
        "error": f"Segments of media {media_id} add up to 1000 bytes, but `total_bytes` is 3000.",
    }
    assert x.post(PATH, data={"command": "INIT", "total_bytes": "many", "media_type": "video/mp4"}).status_code == 400
    assert x.post(PATH, data={"command": "DANCE"}).status_code == 400
    assert x.post(PATH, data={"command": "STATUS", "media_id": media_id}).status_code == 400
    assert x.get(PATH, params={"command": "FINALIZE", "media_id": media_id}).status_code == 400
    assert x.get(PATH, params={"command": "STATUS"}).status_code == 400


def test_v1_status_of_unknown_or_unfinalized_media_is_404(x: XClient) -> None:
    """Before FINALIZE STATUS answered 404 (drswork/go-twitter#16); unknown ids likewise (the stricter reading)."""
    init = x.post(PATH, data={"command": "INIT", "total_bytes": "3000", "media_type": "video/mp4"}).json()
    for media_id in (init["media_id_string"], "1234567890123456789"):
        status = x.get(PATH, params={"command": "STATUS", "media_id": media_id})
        assert status.status_code == 404
        assert status.json()["errors"][0]["code"] == 34


def test_v1_bad_signature_is_401_code_32(emulator: EmulatorServer) -> None:
    """v1.1's 401 is its own shape (pipacs/o2#118, FeedHive/twitter-api-client#55), not v2's problem document."""
    client = XClient(emulator.url, EmulatorConfig(access_token_secret="wrong"))
    answer = client.post(PATH, data={"command": "INIT", "total_bytes": "500", "media_type": "image/png"})
    assert answer.status_code == 401
    assert answer.json() == {"errors": [{"code": 32, "message": "Could not authenticate you."}]}


def test_v1_refuses_oauth2_bearer(emulator: EmulatorServer) -> None:
    """v1.1 takes no OAuth 2.0 user token (plhery/node-twitter-api-v2#167, #417): 403, nothing done."""
    grant = requests.post(f"{emulator.url}/_emulator/oauth2/grants", json={}, timeout=10).json()
    headers = {"Authorization": f"Bearer {grant['access_token']}"}
    fields = {"command": "INIT", "total_bytes": "500", "media_type": "image/png", "media_category": "tweet_image"}
    answer = requests.post(f"{emulator.url}{PATH}", data=fields, headers=headers, timeout=10)
    assert answer.status_code == 403
    assert [r for r in emulator.state.requests() if r["status"] == 202] == []


def test_v1_media_key_only_with_a_category(x: XClient) -> None:
    """sferik/twitter-ruby#1025: with a media_category the answer has media_key, without it not (twitter/twurl#73)."""
    data = media_bytes(PNG_HEAD, 500)
    keys = []
    for category in ({"media_category": "tweet_image"}, {}):
        fields = {"command": "INIT", "total_bytes": "500", "media_type": "image/png", **category}
        media_id = x.post(PATH, data=fields).json()["media_id_string"]
        append = {"command": "APPEND", "media_id": media_id, "segment_index": "0"}
        assert x.post(PATH, data=append, files={"media": data}).status_code == 204
        keys.append(x.post(PATH, data={"command": "FINALIZE", "media_id": media_id}).json().get("media_key"))
    assert keys[0] and keys[0].startswith("3_") and keys[1] is None
