"""The uploads a client sends in one request, and v1.1 alt text: the requests tweepy 4.16's ``API.media_upload``
and ``API.create_media_metadata`` make (tweepy/tweepy ``tweepy/api.py`` at c05ba988), reproduced with the same
library tweepy sends them with (``requests`` with ``requests_oauthlib.OAuth1``), and v2 ``POST /2/media/upload``."""

from __future__ import annotations

import base64
import io

import pytest

from tests.emulator.helpers import GIF_HEAD, MP4_HEAD, PNG_HEAD, XClient, error_messages, last_reason, media_bytes

V1_UPLOAD = "/1.1/media/upload.json"
V1_METADATA = "/1.1/media/metadata/create.json"
RATE_LIMIT_HEADERS = ("x-rate-limit-limit", "x-rate-limit-remaining", "x-rate-limit-reset")


def test_tweepy_image_upload_alt_text_and_post(x: XClient) -> None:
    png = media_bytes(PNG_HEAD, 2000)
    # simple_upload: multipart, the file under "media" with its file name, no command, no media_type.
    upload = x.post(V1_UPLOAD, data={}, files={"media": ("cat.png", io.BytesIO(png))})
    assert upload.status_code == 200, upload.text
    media = upload.json()
    media_id = media["media_id_string"]
    assert media == {
        "media_id": int(media_id),
        "media_id_string": media_id,
        "size": 2000,
        "expires_after_secs": 86400,
        "image": {"image_type": "image/png", "w": 640, "h": 480},
    }  # no media_key: no media_category was named (v1 reference post-media-upload)
    # create_media_metadata: JSON with the id as tweepy is given it, here Media.media_id, an integer.
    metadata = x.post(V1_METADATA, json={"media_id": media["media_id"], "alt_text": {"text": "A cat"}})
    assert (metadata.status_code, metadata.content) == (200, b"")
    assert x.admin(f"media/{media_id}")["alt_text"] == "A cat"
    # tweepy's Client.create_tweet(media_ids=[...]) on v2.
    assert x.tweet("from tweepy", [media_id]).status_code == 201
    assert [entry["endpoint"] for entry in x.admin("requests")] == ["upload", "metadata", "tweets"]


def test_v1_simple_upload_options_and_refusals(x: XClient) -> None:
    png = media_bytes(PNG_HEAD, 500)
    fields = {"media_category": "tweet_image", "additional_owners": "42,43"}
    named = x.post(V1_UPLOAD, data=fields, files={"media": png})
    assert named.json()["media_key"] == f"3_{named.json()['media_id_string']}"
    assert x.admin(f"media/{named.json()['media_id_string']}")["additional_owners"] == ["42", "43"]
    encoded = x.post(V1_UPLOAD, data={"media_data": base64.b64encode(png).decode()})
    assert encoded.status_code == 200 and encoded.json()["image"]["image_type"] == "image/png"
    # A still or animated GIF goes as an image (tweepy never chunks a GIF unless told to).
    gif = x.post(V1_UPLOAD, files={"media": ("a.gif", media_bytes(GIF_HEAD, 300))})
    assert gif.status_code == 200 and gif.json()["image"]["image_type"] == "image/gif"

    video = x.post(V1_UPLOAD, data={"media_category": "tweet_video"}, files={"media": media_bytes(MP4_HEAD, 300)})
    assert video.status_code == 400 and video.json()["request"] == V1_UPLOAD
    assert "chunked upload" in video.json()["error"]
    not_an_image = x.post(V1_UPLOAD, files={"media": b"plain text, not an image"})
    assert not_an_image.status_code == 400 and "Unsupported image format" in not_an_image.json()["error"]
    assert x.post(V1_UPLOAD, data={"media_category": "tweet_image"}).status_code == 400  # no file


def test_v1_metadata_refusals(x: XClient) -> None:
    png = x.post(V1_UPLOAD, files={"media": media_bytes(PNG_HEAD, 500)}).json()["media_id_string"]
    assert x.post(V1_METADATA, json={"media_id": png, "alt_text": {"text": "a" * 1001}}).status_code == 400
    assert x.post(V1_METADATA, json={"media_id": png, "alt_text": "bare"}).status_code == 400
    extra = {"media_id": png, "alt_text": {"text": "a"}, "sensitive_media_warning": ["other"]}
    assert x.post(V1_METADATA, json=extra).status_code == 400
    unknown = x.post(V1_METADATA, json={"media_id": "1", "alt_text": {"text": "a"}})
    assert unknown.status_code == 400 and unknown.json() == {"request": V1_METADATA, "error": last_reason(x)}
    # The reference allows text/plain for the same JSON.
    text = f'{{"media_id": "{png}", "alt_text": {{"text": "b"}}}}'
    plain = x.post(V1_METADATA, data=text, headers={"Content-Type": "text/plain"})
    assert plain.status_code == 200 and x.admin(f"media/{png}")["alt_text"] == "b"


def test_v1_without_a_command_carries_rate_limit_headers(x: XClient) -> None:
    """docs/emulator.md: every authenticated answer has the headers; a 400 for a missing command had none."""
    for response in (x.post(V1_UPLOAD, data={"media_id": "1"}), x.get(V1_UPLOAD, params={"media_id": "1"})):
        assert response.status_code == 400
        assert all(name in response.headers for name in RATE_LIMIT_HEADERS), response.headers
    assert x.post(V1_UPLOAD, data={"command": "DANCE"}).headers["x-rate-limit-limit"] == "500"


def test_v2_one_shot_upload_multipart_and_json(x: XClient) -> None:
    png = media_bytes(PNG_HEAD, 700)
    multipart = x.post("/2/media/upload", data={"media_category": "tweet_image"}, files={"media": png})
    assert multipart.status_code == 200, multipart.text
    data = multipart.json()["data"]
    assert data == {
        "id": data["id"],
        "media_key": f"3_{data['id']}",
        "size": 700,
        "expires_after_secs": 86400,
        "image": {"image_type": "image/png", "w": 640, "h": 480},
    }
    body = {"media": base64.b64encode(png).decode(), "media_category": "dm_image", "additional_owners": "7"}
    as_json = x.post("/2/media/upload", json=body)
    assert as_json.status_code == 200 and x.admin(f"media/{as_json.json()['data']['id']}")["additional_owners"] == ["7"]
    srt = b"1\n00:00:00,000 --> 00:00:01,000\nHello\n"
    subtitles = x.post("/2/media/upload", data={"media_category": "subtitles"}, files={"media": srt})
    assert subtitles.status_code == 200
    assert x.admin(f"media/{subtitles.json()['data']['id']}")["media_type"] == "text/srt"
    assert x.tweet("one-shot", [data["id"]]).status_code == 201


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"media_category": "tweet_video", "media": MP4_HEAD}, "chunked upload"),
        ({"media_category": "tweet_gif", "media": GIF_HEAD}, "chunked upload"),
        ({"media": PNG_HEAD}, "$.media_category: is missing but it is required"),
        ({"media_category": "tweet_image"}, "$.media: is missing but it is required"),
        ({"media_category": "amplify_video", "media": MP4_HEAD}, "$.media_category: does not have a value"),
        ({"media_category": "tweet_image", "media": PNG_HEAD, "media_type": "image/png"}, "$.media_type: is not"),
    ],
)
def test_v2_one_shot_refusals(x: XClient, fields: dict[str, object], message: str) -> None:
    """OAS 2.167 MediaUploadRequest (required media and media_category, closed); images and subtitles only."""
    body = {**fields}
    if "media" in body:
        body["media"] = base64.b64encode(media_bytes(body["media"], 200)).decode()  # type: ignore[arg-type]
    response = x.post("/2/media/upload", json=body)
    assert response.status_code == 400
    assert message in error_messages(response)[0]
    assert "x-rate-limit-limit" in response.headers
