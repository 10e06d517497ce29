"""X's OpenAPI schemas: unknown fields and non-JSON bodies are 400s (OAS 2.167 ``additionalProperties: false``)."""

from __future__ import annotations

import pytest

from tests.emulator.helpers import PNG_HEAD, XClient, last_reason, media_bytes

NOT_IN_SCHEMA = "is not defined in the schema and the schema does not allow additional properties"


def test_top_level_media_ids_is_refused_not_posted_without_media(x: XClient) -> None:
    image = x.upload(media_bytes(PNG_HEAD, 300), "image/png", "tweet_image")
    response = x.post("/2/tweets", json={"text": "hello", "media_ids": [image]})
    assert response.status_code == 400
    assert response.json() == {
        "errors": [{"parameters": {}, "message": f"$.media_ids: {NOT_IN_SCHEMA}"}],
        "title": "Invalid Request",
        "detail": "One or more parameters to your request was invalid.",
        "type": "https://api.twitter.com/2/problems/invalid-request",
    }
    assert x.admin("posts") == []


def test_form_encoded_post_is_refused(x: XClient) -> None:
    response = x.post("/2/tweets", data={"text": "hello"})
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"parameters": {}, "message": "Requests with bodies must have content-type of application/json."}
    ]
    assert x.admin("posts") == []


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        ("/2/tweets", {"text": "x", "media": {"media_ids": ["1"], "alt": "?"}}, f"$.media.alt: {NOT_IN_SCHEMA}"),
        ("/2/tweets", {"text": "x", "reply": {}}, "$.reply.in_reply_to_tweet_id: is missing but it is required"),
        ("/2/tweets", {"text": 42}, "$.text: integer found, string expected"),
        ("/2/tweets", {"text": "x", "reply_settings": "everyone"}, "$.reply_settings: does not have a value in the"),
        ("/2/media/upload/initialize", {"media_type": "image/png", "total_bytes": 1, "command": "INIT"}, "$.command"),
        ("/2/media/upload/initialize", {"media_type": "image/png", "total_bytes": "1"}, "$.total_bytes: string found"),
        ("/2/media/metadata", {"metadata": {}}, "$.id: is missing but it is required"),
        (
            "/2/media/metadata",
            {"id": "1", "metadata": {"alt_text": {"text": "a" * 1001}}},
            "$.metadata.alt_text.text: may only be 1000",
        ),
    ],
)
def test_schema_violations_are_named(x: XClient, path: str, body: dict[str, object], message: str) -> None:
    response = x.post(path, json=body)
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"].startswith(message)


def test_metadata_schema_is_open_as_in_the_spec(x: XClient) -> None:
    image = x.upload(media_bytes(PNG_HEAD, 300), "image/png", "tweet_image")
    body = {"id": image, "metadata": {"alt_text": {"text": "a square"}, "sensitive_media_warning": {}}}
    assert x.post("/2/media/metadata", json=body).status_code == 200


def test_append_refuses_unknown_parts_and_non_form_bodies(x: XClient) -> None:
    media_id = x.initialize(b"x" * 10, "video/mp4", "tweet_video")
    extra = x.post(
        f"/2/media/upload/{media_id}/append", data={"segment_index": "0", "command": "APPEND"}, files={"media": b"x"}
    )
    assert extra.status_code == 400 and extra.json()["errors"][0]["message"] == f"$.command: {NOT_IN_SCHEMA}"
    urlencoded = x.post(f"/2/media/upload/{media_id}/append", data={"segment_index": "0", "media": "eA=="})
    assert urlencoded.status_code == 400 and "content type application/x-www-form-urlencoded" in last_reason(x)
