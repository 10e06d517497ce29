"""The connection's ``upload_api`` setting: the v1.1 chunked upload as X's v1 reference describes it, checked at the
transport level (host, method, encoding, fields, signature), read into the same upload output as v2's."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import requests

import airflow_provider.client.session as session_module
import airflow_provider.hooks.connection as hook_module
from airflow_provider.client.config import upload_api_name, upload_base_url
from airflow_provider.exceptions import TwitterApiError, TwitterInputError, TwitterRejectedError
from airflow_provider.files.media_file import MediaFile
from airflow_provider.hooks.twitter import TwitterHook
from airflow_provider.rules.receipt import MediaReceipt as MediaReceipt
from tests.unit.fake_x import FakeX, oauth_params, query

V1 = "/1.1/media/upload.json"
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
def v1_conn(twitter_conn: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    conn = {**twitter_conn, "extra": {**twitter_conn["extra"], "upload_api": "v1.1"}}
    monkeypatch.setenv("AIRFLOW_CONN_TWITTER_DEFAULT", json.dumps(conn))
    return conn


def png(tmp_path: Path) -> MediaFile:
    path = tmp_path / "photo.png"
    path.write_bytes(PNG)
    return MediaFile(path=str(path), size=len(PNG), media_type="image/png", media_category="tweet_image")


def header(request: requests.PreparedRequest, name: str) -> str:
    value = request.headers[name]
    return value.decode() if isinstance(value, bytes) else value


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


def test_v1_upload_sends_what_x_v1_reference_describes(v1_conn: dict[str, Any], fake_x: FakeX, tmp_path: Path) -> None:
    fake_x.on("POST", V1, (202, INIT), (204, None), (200, FINALIZE_IMAGE))
    fake_x.on("POST", "/2/media/metadata", (200, {"data": {"associated_metadata": True, "id": ID}}))

    final = TwitterHook().upload_media(png(tmp_path), chunk_size=1000, parallel_segments=1, alt_text="A photo")

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


def test_v1_and_v2_give_the_same_upload_output(
    twitter_conn: dict[str, Any], monkeypatch: pytest.MonkeyPatch, fake_x: FakeX, tmp_path: Path
) -> None:
    fake_x.on("POST", "/2/media/upload/initialize", (200, {"data": {"id": ID, "media_key": f"3_{ID}"}}))
    fake_x.on("POST", f"/2/media/upload/{ID}/append", (200, {"data": {"expires_at": 1}}))
    fake_x.on("POST", f"/2/media/upload/{ID}/finalize", (200, V2_FINALIZE_IMAGE))
    fake_x.on("POST", V1, (202, INIT), (204, None), (200, FINALIZE_IMAGE))
    outputs = []
    for api in ("v2", "v1.1"):
        extra = {**twitter_conn["extra"], "upload_api": api}
        monkeypatch.setenv("AIRFLOW_CONN_TWITTER_DEFAULT", json.dumps({**twitter_conn, "extra": extra}))
        final = TwitterHook().upload_media(png(tmp_path))
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
    }


def test_v1_video_finalize_with_processing(v1_conn: dict[str, Any], fake_x: FakeX) -> None:
    answer = {"media_id": int(ID), "media_id_string": ID, "size": 10240, "expires_after_secs": 86400}
    fake_x.on("POST", V1, (200, {**answer, "processing_info": {"state": "pending", "check_after_secs": 5}}))
    final = TwitterHook().finalize_upload(ID)
    uploaded = MediaReceipt.from_finalize(final, now=0.0)
    assert (uploaded.media_id, uploaded.state, uploaded.next_status_at) == (ID, "pending", 5.0)


def test_v1_status_is_a_get_with_url_parameters(v1_conn: dict[str, Any], fake_x: FakeX) -> None:
    """v1 get-media-upload-status: "It should be a HTTP GET request with url params", on upload.twitter.com."""
    in_progress = {
        "media_id": int(ID),
        "media_id_string": ID,
        "expires_after_secs": 3595,
        "processing_info": {"state": "in_progress", "check_after_secs": 10, "progress_percent": 8},
    }
    fake_x.on("GET", V1, (200, in_progress))
    data = TwitterHook().get_upload_status(ID)
    (request,) = fake_x.requests
    assert request.url and request.url.startswith(f"https://upload.twitter.com{V1}?")
    assert query(request) == {"command": ["STATUS"], "media_id": [ID]}
    assert request.body is None
    assert data == {"id": ID, **{k: v for k, v in in_progress.items() if k.startswith(("exp", "proc"))}}


def test_v1_status_404_is_unknown_media(v1_conn: dict[str, Any], fake_x: FakeX) -> None:
    """STATUS of media X does not process (an image) answered 404 code 34 (plhery/node-twitter-api-v2#336)."""
    fake_x.on("GET", V1, (404, {"errors": [{"code": 34, "message": "Sorry, that page does not exist"}]}))
    with pytest.raises(TwitterRejectedError, match=f"Media {ID} has expired or is unknown to X") as err:
        TwitterHook().get_upload_status(ID)
    assert "Sorry, that page does not exist" in str(err.value)
    assert len(fake_x.requests) == 1  # a 4xx is not retried


def test_v1_error_text_is_in_the_message(v1_conn: dict[str, Any], fake_x: FakeX) -> None:
    """v1.1 refusals shaped {"request", "error"} (toofusan/Twity#14) keep X's words in the error."""
    fake_x.on("POST", V1, (400, {"request": V1, "error": "media type unrecognized."}))
    with pytest.raises(TwitterRejectedError) as err:
        TwitterHook().initialize_upload(total_bytes=10, media_type="image/png", media_category="tweet_image")
    assert err.value.endpoint == f"POST {V1} (INIT)"
    assert err.value.detail == "media type unrecognized."
    assert "media type unrecognized" in str(err.value)


def test_v1_transient_failure_retried_and_signed_anew(
    v1_conn: dict[str, Any], fake_x: FakeX, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("time.sleep", lambda _: None)
    fake_x.on("POST", V1, (503, {"errors": [{"code": 131, "message": "Internal error"}]}), (200, FINALIZE_IMAGE))
    assert TwitterHook().finalize_upload(ID)["id"] == ID
    nonces = {oauth_params(r)["oauth_nonce"] for r in fake_x.requests}
    assert len(fake_x.requests) == 2 and len(nonces) == 2


def test_host_set_serves_v1_too(v1_conn: dict[str, Any], monkeypatch: pytest.MonkeyPatch, fake_x: FakeX) -> None:
    """The emulator (or a proxy) answers every path on one host: v1.1 then goes there, not to upload.twitter.com."""
    monkeypatch.setenv("AIRFLOW_CONN_TWITTER_DEFAULT", json.dumps({**v1_conn, "host": "http://127.0.0.1:8123"}))
    fake_x.on("POST", V1, (200, FINALIZE_IMAGE))
    TwitterHook().finalize_upload(ID)
    assert fake_x.requests[0].url == f"http://127.0.0.1:8123{V1}"


@pytest.mark.parametrize(
    ("name", "host", "expected"),
    [
        ("v2", None, "https://api.x.com"),
        ("v1.1", None, "https://upload.twitter.com"),
        ("v1.1", "  ", "https://upload.twitter.com"),
        ("v1.1", "http://127.0.0.1:8080", "http://127.0.0.1:8080"),
        ("v2", "proxy.example", "https://proxy.example"),
    ],
)
def test_upload_host(name: str, host: str | None, expected: str) -> None:
    assert upload_base_url(name, host) == expected


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        ({"upload_api": "v1"}, "The connection's extra 'upload_api' is 'v1'; use 'v2'"),
        ({"upload_api": 1.1}, "The connection's extra 'upload_api' is 1.1; use 'v2'"),
        ({"upload_api": "v1.1", "auth_type": "oauth2"}, "X's v1.1 upload takes no OAuth 2.0 user token"),
    ],
)
def test_setting_refused(extra: dict[str, Any], fragment: str) -> None:
    with pytest.raises(TwitterInputError, match=re.escape(fragment)):
        upload_api_name(extra)


def test_default_is_v2() -> None:
    assert upload_api_name({}) == upload_api_name({"upload_api": None}) == "v2"
    assert upload_api_name({"upload_api": "v1.1", "auth_type": "oauth1"}) == "v1.1"


async def test_async_status_over_v1(v1_conn: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """The triggerer's path: the same GET, host and reading as the worker's."""
    hook_module._ASYNC_SETTINGS.clear()
    seen: list[httpx.Request] = []
    answer = {"media_id": int(ID), "media_id_string": ID, "processing_info": {"state": "succeeded"}, "video": {}}

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=answer)

    client = httpx.AsyncClient(transport=httpx.MockTransport(handler))

    async def shared(url: httpx.URL) -> httpx.AsyncClient:
        return client

    monkeypatch.setattr(session_module, "async_pool", shared)
    try:
        data = await TwitterHook().aget_upload_status(ID)
    finally:
        hook_module._ASYNC_SETTINGS.clear()
    (request,) = seen
    assert (request.method, request.url.host, request.url.path) == ("GET", "upload.twitter.com", V1)
    assert dict(request.url.params) == {"command": "STATUS", "media_id": ID}
    assert request.headers["Authorization"].startswith("OAuth ")
    assert data == {"id": ID, "processing_info": {"state": "succeeded"}, "video": {}}


async def test_async_refuses_oauth2_with_v1_before_any_request(
    v1_conn: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    hook_module._ASYNC_SETTINGS.clear()
    extra = {"auth_type": "oauth2", "client_id": "cid", "refresh_token": "seed-token", "upload_api": "v1.1"}
    monkeypatch.setenv("AIRFLOW_CONN_TWITTER_DEFAULT", json.dumps({"conn_type": "twitter", "extra": extra}))

    async def no_client(url: httpx.URL) -> httpx.AsyncClient:
        raise AssertionError("no request may be sent")

    monkeypatch.setattr(session_module, "async_pool", no_client)
    try:
        with pytest.raises(TwitterInputError, match=r"takes no OAuth 2\.0 user token"):
            await TwitterHook().aget_upload_status(ID)
    finally:
        hook_module._ASYNC_SETTINGS.clear()


def test_unexpected_v1_answer_is_an_error(v1_conn: dict[str, Any], fake_x: FakeX) -> None:
    fake_x.on("POST", V1, (200, {"what": "ever"}))
    with pytest.raises(TwitterApiError, match="no 'media_id_string' in X's answer"):
        TwitterHook().finalize_upload(ID)
