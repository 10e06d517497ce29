"""``POST`` and ``DELETE /2/media/subtitles`` and the fuller ``POST /2/media/metadata``, each rule as the fidelity
table in docs/emulator.md states it."""

from __future__ import annotations

from typing import Any

import requests

from tests.emulator.helpers import (
    MP4_HEAD,
    PNG_HEAD,
    FakeClock,
    MakeEmulator,
    XClient,
    error_messages,
    last_reason,
    media_bytes,
)

SRT = b"1\n00:00:00,500 --> 00:00:02,000\nHello\n\n2\n00:00:02,000 --> 00:00:03,000\nWorld\n"
VTT = b"WEBVTT\n\n00:00.500 --> 00:02.000\nHello\n"
USER_ID = "1000000000000000001"


def processed_video(x: XClient, clock: FakeClock, category: str = "tweet_video") -> str:
    media_id = x.upload(media_bytes(MP4_HEAD, 2000), "video/mp4", category)
    clock.advance(3600)  # past processing, within the id's lifetime
    return media_id


def track(x: XClient, data: bytes = SRT, media_type: str = "text/srt") -> str:
    return x.upload(data, media_type, "subtitles")


def attach(x: XClient, video: str, subtitles: str, language: str = "EN", **changes: Any) -> requests.Response:
    body = {
        "id": video,
        "media_category": "TweetVideo",
        "subtitles": {"id": subtitles, "language_code": language, "display_name": "English"},
        **changes,
    }
    return x.post("/2/media/subtitles", json=body)


def delete(x: XClient, video: str, language: str = "EN") -> requests.Response:
    body = {"id": video, "media_category": "TweetVideo", "language_code": language}
    return x.session.delete(f"{x.base_url}/2/media/subtitles", json=body, timeout=10)


def test_attach_then_delete(x: XClient, clock: FakeClock) -> None:
    video, subtitles = processed_video(x, clock), track(x)

    response = attach(x, video, subtitles)

    assert response.status_code == 200, response.text
    assert response.json()["data"] == {
        "id": video,
        "media_category": "TweetVideo",
        "associated_subtitles": {"id": subtitles, "language_code": "EN", "display_name": "English"},
    }
    assert response.headers["x-rate-limit-limit"] == "100"  # DOCS rate-limits.mdx: 100 per 15 min per user
    assert response.headers["x-app-limit-24hour-limit"] == "10000"
    assert x.admin(f"media/{video}")["subtitles"] == [
        {"id": subtitles, "language_code": "EN", "display_name": "English"}
    ]
    deleted = delete(x, video)
    assert deleted.status_code == 200 and deleted.json() == {"data": {"deleted": True}}
    assert deleted.headers["x-rate-limit-limit"] == "100"
    assert x.admin(f"media/{video}")["subtitles"] == []


def test_webvtt_is_a_subtitle_file_too(x: XClient, clock: FakeClock) -> None:
    video = processed_video(x, clock)
    assert attach(x, video, track(x, VTT, "text/vtt"), "ES").status_code == 200


def test_schema_rules_from_the_spec(x: XClient, clock: FakeClock) -> None:
    video, subtitles = processed_video(x, clock), track(x)
    cases = [
        (attach(x, video, subtitles, "en"), "$.subtitles.language_code: does not match the regex pattern ^[A-Z]{2}$"),
        (attach(x, video, subtitles, "ENG"), "does not match the regex pattern"),
        (attach(x, video, subtitles, media_category="tweet_video"), "$.media_category: does not have a value"),
        (attach(x, video, subtitles, id="12a"), "$.id: does not match the regex pattern"),
        (x.post("/2/media/subtitles", json={"id": video}), "$.media_category: is missing but it is required"),
        (x.post("/2/media/subtitles", data={"id": video}), "Requests with bodies must have content-type"),
    ]
    for response, message in cases:
        assert response.status_code == 400
        assert message in error_messages(response)[0]
    assert x.admin(f"media/{video}")["subtitles"] == []


def test_unknown_fields_are_accepted_as_the_schema_is_open(x: XClient, clock: FakeClock) -> None:
    video = processed_video(x, clock)
    assert attach(x, video, track(x), note="not in the spec").status_code == 200


def test_what_the_subtitles_name_must_be(x: XClient, clock: FakeClock) -> None:
    video, subtitles = processed_video(x, clock), track(x)
    image = x.upload(media_bytes(PNG_HEAD, 100), "image/png", "tweet_image")
    amplify = processed_video(x, clock, "amplify_video")
    bad_srt = track(x, b"just some notes\n" * 10)
    bad_vtt = track(x, b"1\n00:00:00,500 --> 00:00:02,000\nHi\n", "text/vtt")
    cases = [
        (attach(x, "1", subtitles), "Media 1 was not found."),
        (attach(x, image, subtitles), "is not a video; subtitles attach to videos"),
        (attach(x, amplify, subtitles), "was uploaded as amplify_video, not as TweetVideo"),
        (attach(x, video, video), "was uploaded as tweet_video, not as subtitles"),
        (attach(x, video, bad_srt), "The subtitle file is invalid: the file does not start with an SRT cue"),
        (attach(x, video, bad_vtt), "The subtitle file is invalid: the file does not start with WEBVTT"),
    ]
    for response, message in cases:
        assert response.status_code == 400, response.text
        assert message in error_messages(response)[0]
    assert attach(x, amplify, subtitles, media_category="AmplifyVideo").status_code == 200


def test_video_still_processing_is_refused(x: XClient) -> None:
    """Whether X takes subtitles for a video in processing is not documented: refused, the stricter answer."""
    video = x.upload(media_bytes(MP4_HEAD, 2000), "video/mp4", "tweet_video")
    response = attach(x, video, track(x))
    assert response.status_code == 400 and "has not finished processing" in error_messages(response)[0]


def test_same_language_twice_is_refused_and_deleting_a_missing_one_too(x: XClient, clock: FakeClock) -> None:
    video = processed_video(x, clock)
    assert attach(x, video, track(x)).status_code == 200

    again = attach(x, video, track(x))
    assert again.status_code == 400 and "already has EN subtitles; delete them first" in error_messages(again)[0]
    assert attach(x, video, track(x), "FR").status_code == 200  # another language is another track
    missing = delete(x, video, "DE")
    assert missing.status_code == 400 and "has no DE subtitles" in error_messages(missing)[0]
    assert [t["language_code"] for t in x.admin(f"media/{video}")["subtitles"]] == ["EN", "FR"]


def test_another_users_media_is_refused(x: XClient) -> None:
    body = {"owner_id": "42", "media_type": "video/mp4"}
    theirs = requests.post(f"{x.base_url}/_emulator/media", json=body, timeout=10).json()["id"]
    response = attach(x, theirs, track(x))
    assert response.status_code == 400 and "belongs to user 42" in last_reason(x)
    shared = {"owner_id": "42", "media_type": "video/mp4", "additional_owners": [USER_ID]}
    ours_too = requests.post(f"{x.base_url}/_emulator/media", json=shared, timeout=10).json()["id"]
    assert attach(x, ours_too, track(x)).status_code == 200


def test_oauth2_needs_media_write(make_emulator: MakeEmulator) -> None:
    server, _, _ = make_emulator()
    grant = requests.post(f"{server.url}/_emulator/oauth2/grants", json={"scopes": ["tweet.read"]}, timeout=10)
    token = grant.json()["access_token"]
    body = {"id": "1", "media_category": "TweetVideo", "subtitles": {"id": "2", "language_code": "EN"}}
    headers = {"Authorization": f"Bearer {token}"}
    response = requests.post(f"{server.url}/2/media/subtitles", json=body, headers=headers, timeout=10)
    assert response.status_code == 403


def test_metadata_takes_every_part_x_documents(x: XClient) -> None:
    media_id = x.upload(media_bytes(PNG_HEAD, 100), "image/png", "tweet_image")
    metadata = {
        "alt_text": {"text": "A red square"},
        "sensitive_media_warning": {"graphic_violence": True},
        "allow_download_status": {"allow_download": False},
        "found_media_origin": {"provider": "giphy", "id": "u5BzatR15TZ04"},
    }
    response = x.post("/2/media/metadata", json={"id": media_id, "metadata": metadata})

    assert response.status_code == 200, response.text
    snapshot = x.admin(f"media/{media_id}")
    assert snapshot["metadata"] == metadata and snapshot["alt_text"] == "A red square"


def test_metadata_parts_are_checked(x: XClient) -> None:
    media_id = x.upload(media_bytes(PNG_HEAD, 100), "image/png", "tweet_image")
    cases = [
        ({"sensitive_media_warning": {"adult_content": "yes"}}, "adult_content: string found, boolean expected"),
        ({"allow_download_status": {"allow_download": 1}}, "allow_download: integer found, boolean expected"),
        ({"found_media_origin": {"provider": "giphy"}}, "found_media_origin.id: is missing but it is required"),
        ({"found_media_origin": {"provider": "giphy-giphy", "id": "1"}}, "provider: may only be 8 characters long"),
        ({}, "`metadata` must set at least one field."),
    ]
    for metadata, message in cases:
        response = x.post("/2/media/metadata", json={"id": media_id, "metadata": metadata})
        assert response.status_code == 400 and message in error_messages(response)[0], metadata
    assert x.admin(f"media/{media_id}")["metadata"] == {}


def test_metadata_of_another_users_media_is_refused(x: XClient) -> None:
    body = {"owner_id": "42", "media_type": "image/png"}
    theirs = requests.post(f"{x.base_url}/_emulator/media", json=body, timeout=10).json()["id"]
    response = x.post("/2/media/metadata", json={"id": theirs, "metadata": {"alt_text": {"text": "mine?"}}})
    assert response.status_code == 400 and "belongs to user 42" in last_reason(x)
