"""X's two chunked uploads as data: the v1.1 upload as X's v1 reference describes it, checked at the transport level
(host, method, encoding, fields, signature), and read into the same output as v2's."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import requests

from airflow_provider.client.api import XClient
from airflow_provider.client.upload_api import UploadApi, V1UploadApi, upload_api_for
from airflow_provider.exceptions import TwitterApiError, TwitterInputError, TwitterRejectedError
from airflow_provider.files.media_file import MediaFile
from airflow_provider.rules.receipt import MediaReceipt
from tests.unit.fake_x import FakeX, answer_async, header, oauth_params, query, x_client

V1 = "/1.1/media/upload.json"
UPLOAD_HOST = "https://upload.twitter.com"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 2000
ID = "1880028106020515840"
# v1.1 answers as X's v1 reference pages and observed answers show them (bare objects, integer media_id).
INIT = {"media_id": int(ID), "media_id_string": ID, "media_key": f"3_{ID}", "expires_after_secs": 86400}
FINALIZE_IMAGE = {
    **INIT,
    "size": len(PNG),
    "image": {"image_type": "image/png", "w": 640, "h": 480},
}
V2_FINALIZE_IMAGE = {
    "data": {
        "id": ID,
        "media_key": f"3_{ID}",
        "size": len(PNG),
        "expires_after_secs": 86400,
        "image": {"image_type": "image/png", "w": 640, "h": 480},
    }
}


@pytest.fixture
def v1(fake_x: FakeX) -> XClient:
    return x_client(V1UploadApi(UPLOAD_HOST))


def png(tmp_path: Path) -> MediaFile:
    path = tmp_path / "photo.png"
    path.write_bytes(PNG)
    return MediaFile(path=str(path), size=len(PNG), media_type="image/png", media_category="tweet_image")


def form(request: requests.PreparedRequest) -> dict[str, list[str]]:
    body = request.body.decode() if isinstance(request.body, bytes) else str(request.body)
    return parse_qs(body, strict_parsing=True)


def multipart_fields(request: requests.PreparedRequest) -> dict[str, bytes]:
    """The parts of a multipart body by name, as a server would read them."""
    content_type = header(request, "Content-Type")
    assert content_type.startswith("multipart/form-data; boundary=")
    boundary = content_type.split("boundary=", 1)[1].encode()
    body = request.body if isinstance(request.body, bytes) else b""
    fields = {}
    for part in body.split(b"--" + boundary)[1:-1]:
        head, _, value = part.strip(b"\r\n").partition(b"\r\n\r\n")
        name = head.split(b'name="', 1)[1].split(b'"', 1)[0].decode()
        fields[name] = value
    return fields


def test_v1_upload_sends_what_x_v1_reference_describes(v1: XClient, fake_x: FakeX, tmp_path: Path) -> None:
    fake_x.on("POST", V1, (202, INIT), (204, None), (200, FINALIZE_IMAGE))
    fake_x.on("POST", "/2/media/metadata", (200, {"data": {"associated_metadata": True, "id": ID}}))

    final = v1.upload(png(tmp_path), chunk_size=1000, parallel_segments=1, alt_text="A photo")

    init, *appends, finalize = fake_x.sent("POST", V1)
    for request in (init, *appends, finalize):
        assert urlsplit(request.url or "").netloc == "upload.twitter.com"  # v1.1's own host, not api.x.com
        assert urlsplit(request.url or "").scheme == "https"
        assert oauth_params(request)["oauth_signature"]
    # INIT and FINALIZE: form-urlencoded (so their fields are signed), command first, as tweepy sends them.
    assert header(init, "Content-Type") == "application/x-www-form-urlencoded"
    assert form(init) == {
        "command": ["INIT"],
        "total_bytes": [str(len(PNG))],
        "media_type": ["image/png"],
        "media_category": ["tweet_image"],
    }
    assert form(finalize) == {"command": ["FINALIZE"], "media_id": [ID]}
    # APPEND: multipart only (v1 APPEND reference), the segment as a raw `media` part.
    assert [multipart_fields(r)["segment_index"] for r in appends] == [b"0", b"1", b"2"]
    assert {name: value for name, value in multipart_fields(appends[0]).items() if name != "media"} == {
        "command": b"APPEND",
        "media_id": ID.encode(),
        "segment_index": b"0",
    }
    assert b"".join(multipart_fields(r)["media"] for r in appends) == PNG
    # Alt text stays on v2, on the API host: X's v1 metadata/create docs are gone, /2/media/metadata takes OAuth 1.0a.
    (metadata,) = fake_x.sent("POST", "/2/media/metadata")
    assert urlsplit(metadata.url or "").netloc == "api.x.com"
    # FINALIZE read into v2's `data`: the same thing the v2 upload returns.
    assert final == V2_FINALIZE_IMAGE["data"]


def test_v1_and_v2_give_the_same_upload_output(fake_x: FakeX, tmp_path: Path) -> None:
    fake_x.on("POST", "/2/media/upload/initialize", (200, {"data": {"id": ID, "media_key": f"3_{ID}"}}))
    fake_x.on("POST", f"/2/media/upload/{ID}/append", (200, {"data": {"expires_at": 1}}))
    fake_x.on("POST", f"/2/media/upload/{ID}/finalize", (200, V2_FINALIZE_IMAGE))
    fake_x.on("POST", V1, (202, INIT), (204, None), (200, FINALIZE_IMAGE))
    outputs = []
    for api in (UploadApi("https://api.x.com"), V1UploadApi(UPLOAD_HOST)):
        final = x_client(api).upload(png(tmp_path))
        outputs.append(MediaReceipt.from_finalize(final, now=1000.0).to_xcom())
    assert outputs[0] == outputs[1]
    assert outputs[0] == {
        "media_id": ID,
        "media_key": f"3_{ID}",
        "state": "succeeded",
        "next_status_at": None,
        "uploaded_at": 1000.0,
        "expires_at": 1000.0 + 86400,
        "subtitles": [],
        "resend": None,
    }


def test_v1_video_finalize_with_processing(v1: XClient, fake_x: FakeX) -> None:
    answer = {"media_id": int(ID), "media_id_string": ID, "size": 10240, "expires_after_secs": 86400}
    fake_x.on("POST", V1, (200, {**answer, "processing_info": {"state": "pending", "check_after_secs": 5}}))
    uploaded = MediaReceipt.from_finalize(v1.media.finalize(ID), now=0.0)
    assert (uploaded.media_id, uploaded.state, uploaded.next_status_at) == (ID, "pending", 5.0)


def test_v1_status_is_a_get_with_url_parameters(v1: XClient, fake_x: FakeX) -> None:
    """v1 get-media-upload-status: "It should be a HTTP GET request with url params", on upload.twitter.com."""
    in_progress = {
        "media_id": int(ID),
        "media_id_string": ID,
        "expires_after_secs": 3595,
        "processing_info": {"state": "in_progress", "check_after_secs": 10, "progress_percent": 8},
    }
    fake_x.on("GET", V1, (200, in_progress))
    data = v1.media.status(ID)
    (request,) = fake_x.requests
    assert request.url and request.url.startswith(f"{UPLOAD_HOST}{V1}?")
    assert query(request) == {"command": ["STATUS"], "media_id": [ID]}
    assert request.body is None
    assert data == {"id": ID, **{k: v for k, v in in_progress.items() if k.startswith(("exp", "proc"))}}


def test_v1_status_404_is_unknown_media(v1: XClient, fake_x: FakeX) -> None:
    """STATUS of media X does not process (an image) answered 404 code 34 (plhery/node-twitter-api-v2#336)."""
    fake_x.on("GET", V1, (404, {"errors": [{"code": 34, "message": "Sorry, that page does not exist"}]}))
    with pytest.raises(TwitterRejectedError, match=f"Media {ID} has expired or is unknown to X") as err:
        v1.media.status(ID)
    assert "Sorry, that page does not exist" in str(err.value)
    assert len(fake_x.requests) == 1  # a 4xx is not retried


def test_v1_error_text_is_in_the_message(v1: XClient, fake_x: FakeX) -> None:
    """v1.1 refusals shaped {"request", "error"} (toofusan/Twity#14) keep X's words in the error."""
    fake_x.on("POST", V1, (400, {"request": V1, "error": "media type unrecognized."}))
    with pytest.raises(TwitterRejectedError) as err:
        v1.media.initialize(total_bytes=10, media_type="image/png", media_category="tweet_image")
    assert err.value.endpoint == f"POST {V1} (INIT)"
    assert err.value.detail == "media type unrecognized."
    assert "media type unrecognized" in str(err.value)


def test_v1_refusal_with_xs_own_detail_is_kept_as_it_is(v1: XClient, fake_x: FakeX) -> None:
    fake_x.on("POST", V1, (400, {"detail": "X's own detail", "error": "the other text"}))
    with pytest.raises(TwitterRejectedError) as err:
        v1.media.finalize(ID)
    assert err.value.detail == "X's own detail"


def test_v1_transient_failure_retried_and_signed_anew(v1: XClient, fake_x: FakeX) -> None:
    fake_x.on("POST", V1, (503, {"errors": [{"code": 131, "message": "Internal error"}]}), (200, FINALIZE_IMAGE))
    assert v1.media.finalize(ID)["id"] == ID
    nonces = {oauth_params(r)["oauth_nonce"] for r in fake_x.requests}
    assert len(fake_x.requests) == 2 and len(nonces) == 2


def test_unexpected_v1_answer_is_an_error(v1: XClient, fake_x: FakeX) -> None:
    fake_x.on("POST", V1, (200, {"what": "ever"}), (200, {"media_id": True}))
    for _ in range(2):
        with pytest.raises(TwitterApiError, match="no 'media_id_string' in X's answer"):
            v1.media.finalize(ID)


def test_v1_integer_id_alone_is_read_as_a_string(v1: XClient, fake_x: FakeX) -> None:
    fake_x.on("POST", V1, (200, {"media_id": int(ID)}))
    assert v1.media.finalize(ID) == {"id": ID}


async def test_async_status_over_v1(monkeypatch: pytest.MonkeyPatch) -> None:
    """The triggerer's path: the same GET, host and reading as the worker's."""
    answer = {"media_id": int(ID), "media_id_string": ID, "processing_info": {"state": "succeeded"}, "video": {}}
    seen = answer_async(monkeypatch, httpx.Response(200, json=answer))
    data = await x_client(V1UploadApi(UPLOAD_HOST)).media.astatus(ID)
    (request,) = seen
    assert (request.method, request.url.host, request.url.path) == ("GET", "upload.twitter.com", V1)
    assert dict(request.url.params) == {"command": "STATUS", "media_id": ID}
    assert request.headers["Authorization"].startswith("OAuth ")
    assert data == {"id": ID, "processing_info": {"state": "succeeded"}, "video": {}}


@pytest.mark.parametrize(
    ("host", "extra", "api", "base_url"),
    [
        (None, {}, UploadApi, "https://api.x.com"),
        (None, {"upload_api": "v1.1"}, V1UploadApi, UPLOAD_HOST),
        ("http://127.0.0.1:8123", {"upload_api": "v1.1"}, V1UploadApi, "http://127.0.0.1:8123"),
        (None, ["not", "an", "object"], UploadApi, "https://api.x.com"),  # refused by the credentials' check
    ],
)
def test_upload_api_for_a_connection(host: str | None, extra: Any, api: type[UploadApi], base_url: str) -> None:
    chosen = upload_api_for(host, None, extra)
    assert (type(chosen), chosen.base_url) == (api, base_url)


def test_upload_api_for_refuses_what_x_could_not_serve() -> None:
    with pytest.raises(TwitterInputError, match=r"takes no OAuth 2\.0 user token"):
        upload_api_for(None, None, {"upload_api": "v1.1", "auth_type": "oauth2"})


def test_a_command_names_itself_in_errors() -> None:
    v2, v1 = UploadApi("https://api.x.com"), V1UploadApi(UPLOAD_HOST)
    assert [c.endpoint for c in (v2.initialize(1, "image/png", "tweet_image"), v2.finalize("7"), v2.status("7"))] == [
        "POST /2/media/upload/initialize",
        "POST /2/media/upload/7/finalize",
        "GET /2/media/upload",
    ]
    assert [c.endpoint for c in (v1.append("7", 0, b"c"), v1.status("7"))] == [
        f"POST {V1} (APPEND)",
        f"GET {V1} (STATUS)",
    ]
    assert v1.status("7").params == {"command": "STATUS", "media_id": "7"} and v1.finalize("7").params == {}
    assert v2.initialize(1, "image/png", "tweet_image").kwargs == {
        "json": {"total_bytes": 1, "media_type": "image/png", "media_category": "tweet_image"}
    }
