from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import pytest
import requests
from airflow.providers.common.compat.sdk import AirflowFailException

from airflow_provider.exceptions import TwitterApiError, TwitterInputError, TwitterRejectedError
from airflow_provider.files.media_file import MediaFile
from airflow_provider.hooks.twitter import TwitterHook
from airflow_provider.rules.media import check_media_ids
from tests.unit.fake_x import FakeX, oauth_params, query
from tests.unit.this_thread import only_in_this_thread

ME = (200, {"data": {"id": "42", "username": "newsroom", "name": "Newsroom"}})


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The hook's waits between attempts, recorded instead of slept (tenacity sleeps through time.sleep)."""
    recorded: list[float] = []
    monkeypatch.setattr(time, "sleep", only_in_this_thread(time.sleep, recorded.append))
    return recorded


@pytest.fixture
def hook(twitter_conn: dict[str, object], waits: list[float]) -> TwitterHook:
    return TwitterHook()


def test_discoverable_attributes() -> None:
    assert (TwitterHook.conn_type, TwitterHook.conn_name_attr, TwitterHook.default_conn_name) == (
        "twitter",
        "twitter_conn_id",
        "twitter_default",
    )
    behaviour = TwitterHook.get_ui_field_behaviour()
    assert behaviour["relabeling"] == {"login": "API Key", "password": "API Key Secret", "host": "API base URL"}
    assert behaviour["hidden_fields"] == ["schema", "port"]


def test_provider_info_names_the_hook() -> None:
    from airflow_provider.get_provider_info import get_provider_info

    (conn_type,) = get_provider_info()["connection-types"]
    assert conn_type["connection-type"] == TwitterHook.conn_type
    assert conn_type["hook-class-name"] == f"{TwitterHook.__module__}.{TwitterHook.__name__}"
    fields = conn_type["conn-fields"]
    assert {name: f["label"] for name, f in fields.items()} == {
        "auth_type": "Auth type",
        "access_token": "Access Token",
        "access_token_secret": "Access Token Secret",
        "client_id": "Client ID (OAuth 2.0)",
        "client_secret": "Client Secret (OAuth 2.0)",
        "refresh_token": "Refresh Token (OAuth 2.0)",
        "timeout": "Timeout (seconds)",
        "upload_api": "Upload API",
    }
    secrets = ("access_token", "access_token_secret", "client_secret", "refresh_token")
    assert {name for name, f in fields.items() if f["schema"].get("format") == "password"} == set(secrets)
    (triggers,) = get_provider_info()["triggers"]
    assert triggers["python-modules"] == ["airflow_provider.triggers.media"]


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        (None, "https://api.x.com"),
        ("http://127.0.0.1:8080/", "http://127.0.0.1:8080"),
        ("proxy.corp.example", "https://proxy.corp.example"),
    ],
)
def test_host_replaces_base_url(
    twitter_conn: dict[str, object], monkeypatch: pytest.MonkeyPatch, fake_x: FakeX, host: str | None, expected: str
) -> None:
    monkeypatch.setenv("AIRFLOW_CONN_TWITTER_DEFAULT", json.dumps({**twitter_conn, "host": host}))
    fake_x.on("GET", "/2/users/me", ME)
    TwitterHook().get_me()
    assert fake_x.requests[0].url == f"{expected}/2/users/me"


def test_connection_port_is_kept(twitter_conn: dict[str, object], monkeypatch: pytest.MonkeyPatch) -> None:
    """A URI-form connection stores the port apart from the host."""
    monkeypatch.setenv(
        "AIRFLOW_CONN_TWITTER_DEFAULT", json.dumps({**twitter_conn, "host": "http://127.0.0.1", "port": 8123})
    )
    assert TwitterHook().settings.base_url == "http://127.0.0.1:8123"


def test_uri_connection_keeps_its_port(monkeypatch: pytest.MonkeyPatch) -> None:
    """Airflow parses a URI's port into ``Connection.port``; it used to be dropped."""
    uri = "twitter://key:secret@127.0.0.1:8123/?access_token=1-token&access_token_secret=token-secret"
    monkeypatch.setenv("AIRFLOW_CONN_TWITTER_DEFAULT", uri)
    assert TwitterHook().settings.base_url == "https://127.0.0.1:8123"


@pytest.mark.parametrize(("code", "extra", "expected"), [(None, None, 60.0), (None, "12", 12.0), (5.0, "12", 5.0)])
def test_timeout_from_code_wins_over_connection(
    twitter_conn: dict[str, object],
    monkeypatch: pytest.MonkeyPatch,
    code: float | None,
    extra: str | None,
    expected: float,
) -> None:
    conn = {**twitter_conn, "extra": {**twitter_conn["extra"], "timeout": extra}}  # type: ignore[dict-item]
    monkeypatch.setenv("AIRFLOW_CONN_TWITTER_DEFAULT", json.dumps(conn))
    assert TwitterHook(timeout=code).timeout == expected


@pytest.mark.parametrize("bad", ["abc", 0, -1])
def test_bad_timeout_named(twitter_conn: dict[str, object], monkeypatch: pytest.MonkeyPatch, bad: object) -> None:
    conn = {**twitter_conn, "extra": {**twitter_conn["extra"], "timeout": bad}}  # type: ignore[dict-item]
    monkeypatch.setenv("AIRFLOW_CONN_TWITTER_DEFAULT", json.dumps(conn))
    with pytest.raises(TwitterInputError, match="connection's extra 'timeout' must be a positive number"):
        TwitterHook().timeout  # noqa: B018


def test_every_attempt_signed_anew(hook: TwitterHook, fake_x: FakeX) -> None:
    fake_x.on("GET", "/2/users/me", (503, {"title": "Service Unavailable"}), ME)
    assert hook.get_me()["username"] == "newsroom"
    first, second = (oauth_params(r) for r in fake_x.requests)
    assert first["oauth_signature_method"] == "HMAC-SHA1"
    assert first["oauth_consumer_key"] == "unit-api-key" and first["oauth_token"] == "unit-access-token"
    assert first["oauth_nonce"] != second["oauth_nonce"]
    assert first["oauth_signature"] != second["oauth_signature"]


@pytest.mark.parametrize("failure", [requests.ConnectionError("reset"), requests.ReadTimeout("slow")])
def test_network_failures_retried(hook: TwitterHook, fake_x: FakeX, failure: Exception) -> None:
    fake_x.on("GET", "/2/users/me", failure, ME)
    assert hook.get_me()["id"] == "42"
    assert len(fake_x.requests) == 2


def test_transient_failures_give_up_after_max_attempts(hook: TwitterHook, fake_x: FakeX, waits: list[float]) -> None:
    fake_x.on("GET", "/2/users/me", (502, "<html>Bad Gateway</html>", {"content-type": "text/html"}))
    with pytest.raises(TwitterApiError) as err:
        hook.get_me()
    # exponential backoff from 1 s, each wait with up to 1 s of jitter on top
    assert len(waits) == hook.max_attempts - 1
    assert all(2**i <= wait <= 2**i + 1 for i, wait in enumerate(waits)), waits
    assert not isinstance(err.value, AirflowFailException)  # the task's own retries may still help
    assert len(fake_x.requests) == hook.max_attempts == err.value.attempts
    assert err.value.http_status == 502 and err.value.endpoint == "GET /2/users/me"
    assert "Bad Gateway" in str(err.value)


@pytest.mark.parametrize("status", [400, 401, 403, 404])
def test_permanent_failures_not_retried(hook: TwitterHook, fake_x: FakeX, status: int) -> None:
    fake_x.on("GET", "/2/users/me", (status, {"title": "Nope", "detail": "Not for you"}))
    with pytest.raises(TwitterRejectedError) as err:
        hook.get_me()
    assert len(fake_x.requests) == 1
    assert isinstance(err.value, AirflowFailException)  # no Airflow retries either
    assert f"HTTP {status}" in str(err.value) and "Not for you" in str(err.value)


def test_error_names_problem_and_fix_without_secrets(
    hook: TwitterHook, fake_x: FakeX, twitter_conn: dict[str, Any]
) -> None:
    fake_x.on("GET", "/2/users/me", (401, {"title": "Unauthorized", "type": "about:blank", "status": 401}))
    with pytest.raises(TwitterApiError) as err:
        hook.get_me()
    message = str(err.value)
    assert "GET /2/users/me" in message and "HTTP 401" in message and "API Key Secret" in message
    for secret in (twitter_conn["password"], twitter_conn["extra"]["access_token_secret"]):
        assert secret not in message and secret not in repr(hook.settings.credentials)


def test_x_errors_array_reported(hook: TwitterHook, fake_x: FakeX) -> None:
    fake_x.on("GET", "/2/media/upload", PHOTO_READY)
    body = {
        "errors": [{"message": "Your media IDs are invalid.", "parameters": {"media.media_ids": ["1"]}}],
        "title": "Invalid Request",
        "detail": "One or more parameters to your request was invalid.",
    }
    fake_x.on("POST", "/2/tweets", (400, body))
    with pytest.raises(TwitterApiError, match="Your media IDs are invalid") as err:
        hook.create_tweet("hello", ["1"])
    assert err.value.errors == body["errors"]


def test_unexpected_success_body(hook: TwitterHook, fake_x: FakeX) -> None:
    fake_x.on("GET", "/2/users/me", (200, ["not", "an", "object"]))
    with pytest.raises(TwitterApiError, match="no 'data' object"):
        hook.get_me()


def test_rate_limit_waits_for_reset_then_retries(hook: TwitterHook, fake_x: FakeX, waits: list[float]) -> None:
    reset = int(time.time()) + 30
    fake_x.on("GET", "/2/users/me", (429, {"title": "Too Many Requests"}, {"x-rate-limit-reset": str(reset)}), ME)
    assert hook.get_me()["id"] == "42"
    assert len(waits) == 1 and 29 <= waits[0] <= 31  # until the reset (+1 s for clock skew), not the backoff


def test_rate_limit_beyond_max_wait_fails_with_reset(hook: TwitterHook, fake_x: FakeX) -> None:
    reset = int(time.time()) + 7200
    headers = {
        "x-rate-limit-reset": str(int(time.time()) + 60),
        "x-user-limit-24hour-remaining": "0",
        "x-user-limit-24hour-reset": str(reset),
    }
    fake_x.on("GET", "/2/users/me", (429, {"title": "Too Many Requests"}, headers))
    with pytest.raises(TwitterApiError, match="Rate limit") as err:
        hook.get_me()
    assert err.value.rate_limit_reset == reset
    assert len(fake_x.requests) == 1


def test_missing_credentials_named(monkeypatch: pytest.MonkeyPatch, fake_x: FakeX) -> None:
    conn = {"conn_type": "twitter", "login": "key", "extra": {"access_token": "t"}}
    monkeypatch.setenv("AIRFLOW_CONN_TWITTER_DEFAULT", json.dumps(conn))
    with pytest.raises(TwitterInputError) as err:
        TwitterHook().get_me()
    assert "API Key Secret (password)" in str(err.value) and "Access Token Secret" in str(err.value)
    assert "'Access Token (" not in str(err.value)
    assert fake_x.requests == []


def test_test_connection(hook: TwitterHook, fake_x: FakeX) -> None:
    fake_x.on("GET", "/2/users/me", ME)
    ok, message = hook.test_connection()
    assert ok and "@newsroom" in message


def test_test_connection_makes_one_short_attempt(hook: TwitterHook, fake_x: FakeX) -> None:
    """The UI waits for it: one attempt, no retries, at most 5 s to connect and 5 s per read."""
    fake_x.on("GET", "/2/users/me", requests.ConnectTimeout("silent host"))
    ok, message = hook.test_connection()
    assert not ok and "no answer" in message
    assert len(fake_x.requests) == 1


def test_test_connection_names_fields_not_the_temporary_id(monkeypatch: pytest.MonkeyPatch, fake_x: FakeX) -> None:
    """Airflow tests a form under a random connection id: the message must not send the user looking for it."""
    monkeypatch.setenv("AIRFLOW_CONN_TMPXYZ", json.dumps({"conn_type": "twitter", "login": "key"}))
    ok, message = TwitterHook("tmpxyz").test_connection()
    assert not ok and message.startswith("The connection is missing API Key Secret (password)")
    assert "tmpxyz" not in message.lower() and fake_x.requests == []


def test_test_connection_checks_the_upload_api(monkeypatch: pytest.MonkeyPatch, fake_x: FakeX) -> None:
    """The Test button refuses an upload_api the tasks would refuse, without a request."""
    extra = {"access_token": "t", "access_token_secret": "s", "upload_api": "v3"}
    conn = {"conn_type": "twitter", "login": "key", "password": "secret", "extra": extra}
    monkeypatch.setenv("AIRFLOW_CONN_TMPXYZ", json.dumps(conn))
    ok, message = TwitterHook("tmpxyz").test_connection()
    assert not ok and "upload_api" in message and "v3" in message
    assert fake_x.requests == []


def test_status_request(hook: TwitterHook, fake_x: FakeX) -> None:
    fake_x.on("GET", "/2/media/upload", (200, {"data": {"id": "7", "processing_info": {"state": "pending"}}}))
    assert hook.get_upload_status("7")["processing_info"]["state"] == "pending"
    assert query(fake_x.requests[0]) == {"command": ["STATUS"], "media_id": ["7"]}


def test_upload_streams_segments_in_order(hook: TwitterHook, fake_x: FakeX, tmp_path: Path) -> None:
    path = tmp_path / "clip.mp4"
    payload = bytes(range(256)) * 40  # 10,240 bytes -> 3 segments of 4,096
    path.write_bytes(payload)
    fake_x.on("POST", "/2/media/upload/initialize", (200, {"data": {"id": "99", "expires_after_secs": 86400}}))
    fake_x.on("POST", "/2/media/upload/99/append", (200, {"data": {"expires_at": 1}}))
    fake_x.on(
        "POST", "/2/media/upload/99/finalize", (200, {"data": {"id": "99", "processing_info": {"state": "pending"}}})
    )
    fake_x.on("POST", "/2/media/metadata", (200, {"data": {"associated_metadata": True}}))
    media = MediaFile(path=str(path), size=len(payload), media_type="video/mp4", media_category="tweet_video")

    final = hook.upload_media(media, chunk_size=4096, parallel_segments=1, alt_text="A clip")

    assert final["id"] == "99"
    init = json.loads(fake_x.sent("POST", "/2/media/upload/initialize")[0].body or b"")
    assert init == {"total_bytes": 10240, "media_type": "video/mp4", "media_category": "tweet_video"}
    appends = fake_x.sent("POST", "/2/media/upload/99/append")
    assert len(appends) == 3
    assert [segment_of(r)[0] for r in appends] == [0, 1, 2]
    assert b"".join(segment_of(r)[1] for r in appends) == payload
    meta = json.loads(fake_x.sent("POST", "/2/media/metadata")[0].body or b"")
    assert meta == {"id": "99", "metadata": {"alt_text": {"text": "A clip"}}}
    assert [f"{r.method} {r.path_url}" for r in fake_x.requests][-2:] == [
        "POST /2/media/upload/99/finalize",
        "POST /2/media/metadata",
    ]


def segment_of(request: requests.PreparedRequest) -> tuple[int, bytes]:
    body = request.body if isinstance(request.body, bytes) else b""
    index = int(body.split(b'name="segment_index"\r\n\r\n', 1)[1].split(b"\r\n", 1)[0])
    data = body.split(b"Content-Type: application/octet-stream\r\n\r\n", 1)[1].rsplit(b"\r\n--", 1)[0]
    return index, data


@pytest.mark.parametrize("parallel", [1, 3])
def test_append_retry_resends_whole_segment(hook: TwitterHook, fake_x: FakeX, tmp_path: Path, parallel: int) -> None:
    payload = os.urandom(20_000)
    path = tmp_path / "clip.mp4"
    path.write_bytes(payload)
    fake_x.on("POST", "/2/media/upload/initialize", (200, {"data": {"id": "5"}}))
    fake_x.on("POST", "/2/media/upload/5/append", (200, {}), (503, {"title": "Service Unavailable"}), (200, {}))
    fake_x.on("POST", "/2/media/upload/5/finalize", (200, {"data": {"id": "5"}}))
    media = MediaFile(path=str(path), size=len(payload), media_type="video/mp4", media_category="tweet_video")

    hook.upload_media(media, chunk_size=4096, parallel_segments=parallel)

    segments = dict(segment_of(r) for r in fake_x.sent("POST", "/2/media/upload/5/append"))
    assert len(fake_x.sent("POST", "/2/media/upload/5/append")) == 6  # 5 segments, one sent twice
    assert b"".join(segments[i] for i in sorted(segments)) == payload
    assert sorted(segments) == [0, 1, 2, 3, 4]


def test_parallel_upload_failure_is_raised(hook: TwitterHook, fake_x: FakeX, tmp_path: Path) -> None:
    path = tmp_path / "clip.mp4"
    path.write_bytes(b"v" * 50_000)
    fake_x.on("POST", "/2/media/upload/initialize", (200, {"data": {"id": "5"}}))
    fake_x.on("POST", "/2/media/upload/5/append", (400, {"title": "Invalid Request", "detail": "segment too big"}))
    media = MediaFile(path=str(path), size=50_000, media_type="video/mp4", media_category="tweet_video")
    with pytest.raises(TwitterRejectedError, match="segment too big"):
        hook.upload_media(media, chunk_size=4096, parallel_segments=4)
    assert fake_x.sent("POST", "/2/media/upload/5/finalize") == []


def test_segment_refused_in_parallel_goes_again_in_order(hook: TwitterHook, fake_x: FakeX, tmp_path: Path) -> None:
    """X does not document out-of-order APPEND: a segment it refuses while others are in flight is sent again
    alone, after them, and the upload goes on one segment at a time."""
    path = tmp_path / "clip.mp4"
    payload = bytes(range(256)) * 200  # 51,200 bytes -> 13 segments of 4,096
    path.write_bytes(payload)
    fake_x.on("POST", "/2/media/upload/initialize", (200, {"data": {"id": "5"}}))
    refused = (400, {"title": "Invalid Request", "detail": "Segment index out of order"})
    fake_x.on("POST", "/2/media/upload/5/append", refused, (200, {"data": {}}))
    fake_x.on("POST", "/2/media/upload/5/finalize", (200, {"data": {"id": "5"}}))
    media = MediaFile(path=str(path), size=len(payload), media_type="video/mp4", media_category="tweet_video")

    assert hook.upload_media(media, chunk_size=4096, parallel_segments=4)["id"] == "5"

    sent = [segment_of(r) for r in fake_x.sent("POST", "/2/media/upload/5/append")]
    assert len(sent) == 14  # 13 segments, one of them twice
    first_index = sent[0][0]
    assert [i for i, _ in sent].count(first_index) == 2
    assert dict(sent) == {i: payload[i * 4096 : (i + 1) * 4096] for i in range(13)}  # every segment whole
    indexes_after_fallback = [i for i, _ in sent[sent.index(sent[0], 1) + 1 :]]
    assert indexes_after_fallback == sorted(indexes_after_fallback)  # one at a time, in order


def test_segment_refused_when_sent_alone_is_raised(hook: TwitterHook, fake_x: FakeX, tmp_path: Path) -> None:
    path = tmp_path / "clip.mp4"
    path.write_bytes(b"v" * 20_000)
    fake_x.on("POST", "/2/media/upload/initialize", (200, {"data": {"id": "5"}}))
    fake_x.on("POST", "/2/media/upload/5/append", (400, {"title": "Invalid Request", "detail": "bad segment"}))
    media = MediaFile(path=str(path), size=20_000, media_type="video/mp4", media_category="tweet_video")
    with pytest.raises(TwitterRejectedError, match="bad segment"):
        hook.upload_media(media, chunk_size=4096, parallel_segments=1)
    assert len(fake_x.sent("POST", "/2/media/upload/5/append")) == 1


def test_upload_checks_before_init(hook: TwitterHook, fake_x: FakeX, tmp_path: object) -> None:
    media = MediaFile(path="unused", size=10_000_000, media_type="video/mp4", media_category="tweet_video")
    with pytest.raises(TwitterInputError, match="at most 1000"):
        hook.upload_media(media, chunk_size=1000)
    with pytest.raises(TwitterInputError, match="alt_text is 1001 characters"):
        hook.upload_media(media, alt_text="x" * 1001)
    assert fake_x.requests == []


PHOTO_READY = (200, {"data": {"id": "11", "media_key": "3_11"}})


def now_iso() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())


def snowflake(hours_ago: float) -> str:
    return str(int((time.time() - hours_ago * 3600) * 1000 - 1288834974657) << 22)


class TestCreateTweet:
    @pytest.fixture(autouse=True)
    def _media_ready(self, fake_x: FakeX) -> None:
        fake_x.on("GET", "/2/media/upload", PHOTO_READY)

    def test_posts_text_and_media(self, hook: TwitterHook, fake_x: FakeX) -> None:
        fake_x.on("POST", "/2/tweets", (201, {"data": {"id": "1800", "text": "hi"}}))
        assert hook.create_tweet("hi", ["11", 12]) == {"id": "1800", "text": "hi"}
        assert json.loads(fake_x.sent("POST")[0].body or b"") == {"text": "hi", "media": {"media_ids": ["11", "12"]}}
        assert len(fake_x.sent("GET", "/2/media/upload")) == 2  # each media checked before posting

    def test_lost_answer_adopts_the_post_made(self, hook: TwitterHook, fake_x: FakeX) -> None:
        duplicate = (403, {"detail": "You are not allowed to create a Tweet with duplicate content.", "status": 403})
        fake_x.on("POST", "/2/tweets", requests.ReadTimeout("lost"), duplicate)
        fake_x.on("GET", "/2/users/me", ME)
        now = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())
        timeline = {
            "data": [
                {"id": "1900", "text": "other", "created_at": now},
                {"id": "1801", "text": "hi", "created_at": now, "attachments": {"media_keys": ["7_11"]}},
            ]
        }
        fake_x.on("GET", "/2/users/42/tweets", (200, timeline))
        assert hook.create_tweet("hi", ["11"]) == {"id": "1801", "text": "hi"}
        assert len(fake_x.sent("POST", "/2/tweets")) == 2

    def test_retry_adopts_the_post_an_earlier_try_made_by_its_media(self, hook: TwitterHook, fake_x: FakeX) -> None:
        """A try killed after X accepted the post: the retry finds it by the media ids, beyond the first page (12
        newer posts here) and although X reads it back with a t.co link appended, and posts nothing."""
        media_id = snowflake(hours_ago=0.1)
        fake_x.on("GET", "/2/users/me", ME)
        newer = [{"id": str(2000 + n), "text": f"other {n}", "created_at": now_iso()} for n in range(12)]
        ours = {"id": "1999", "text": "hi https://t.co/abc", "attachments": {"media_keys": [f"7_{media_id}"]}}
        fake_x.on(
            "GET",
            "/2/users/42/tweets",
            (200, {"data": newer[:10], "meta": {"next_token": "p2"}}),
            (200, {"data": [*newer[10:], {**ours, "created_at": now_iso()}]}),
        )
        earlier = time.time() - 600
        assert hook.create_tweet("hi", [media_id], earlier_attempt_since=earlier) == {
            "id": "1999",
            "text": ours["text"],
        }
        assert fake_x.sent("POST", "/2/tweets") == []
        second_page = query(fake_x.sent("GET", "/2/users/42/tweets")[1])
        assert second_page["pagination_token"] == ["p2"] and second_page["max_results"] == ["100"]

    def test_retry_posts_when_no_earlier_post_exists(self, hook: TwitterHook, fake_x: FakeX) -> None:
        media_id = snowflake(hours_ago=0.1)
        fake_x.on("GET", "/2/users/me", ME)
        fake_x.on("GET", "/2/users/42/tweets", (200, {"data": [{"id": "7", "text": "x", "created_at": now_iso()}]}))
        fake_x.on("POST", "/2/tweets", (201, {"data": {"id": "1802", "text": "hi"}}))
        assert hook.create_tweet("hi", [media_id], earlier_attempt_since=time.time() - 60)["id"] == "1802"

    def test_text_x_would_refuse_sends_nothing(self, hook: TwitterHook, fake_x: FakeX) -> None:
        with pytest.raises(TwitterInputError, match="281 characters as X counts them"):
            hook.create_tweet("x" * 281, ["11"])
        with pytest.raises(TwitterInputError, match="cashtags"):
            hook.create_tweet("$TSLA and $AAPL", ["11"])
        assert fake_x.requests == []
        fake_x.on("POST", "/2/tweets", (201, {"data": {"id": "1803", "text": "t"}}))
        long_url = "https://example.com/" + "a" * 400  # counts 23, like every URL
        assert hook.create_tweet(f"Read {long_url}", ["11"])["id"] == "1803"

    def test_genuine_duplicate_fails_clearly(self, hook: TwitterHook, fake_x: FakeX) -> None:
        duplicate = (403, {"detail": "You are not allowed to create a Tweet with duplicate content.", "status": 403})
        fake_x.on("POST", "/2/tweets", duplicate)
        with pytest.raises(TwitterApiError, match="made before this task") as err:
            hook.create_tweet("hi", ["11"])
        assert err.value.http_status == 403
        assert fake_x.sent("GET", "/2/users/me") == []

    def test_duplicate_after_retry_without_own_post_fails(self, hook: TwitterHook, fake_x: FakeX) -> None:
        duplicate = (403, {"detail": "You are not allowed to create a Tweet with duplicate content.", "status": 403})
        fake_x.on("POST", "/2/tweets", (503, {"title": "Service Unavailable"}), duplicate)
        fake_x.on("GET", "/2/users/me", ME)
        old = {"data": [{"id": "5", "text": "hi", "created_at": "2020-01-01T00:00:00.000Z"}]}
        fake_x.on("GET", "/2/users/42/tweets", (200, old))
        with pytest.raises(TwitterApiError, match="Duplicate post"):
            hook.create_tweet("hi")

    @pytest.mark.parametrize(
        ("status", "message"),
        [
            ({"processing_info": {"state": "in_progress", "check_after_secs": 2}}, "still in_progress.*Sensor"),
            ({"processing_info": {"state": "failed", "error": {"name": "InvalidMedia"}}}, "could not process"),
        ],
    )
    def test_media_not_ready_is_not_posted(
        self, hook: TwitterHook, fake_x: FakeX, status: dict[str, object], message: str
    ) -> None:
        fake_x.routes.clear()
        fake_x.on("GET", "/2/media/upload", (200, {"data": {"id": "11", "media_key": "7_11", **status}}))
        with pytest.raises(TwitterInputError, match=message):
            hook.create_tweet("hi", ["11"])
        assert fake_x.sent("POST") == []

    def test_expired_media_names_id_and_age(self, hook: TwitterHook, fake_x: FakeX) -> None:
        media_id = snowflake(hours_ago=25)
        fake_x.routes.clear()
        fake_x.on("GET", "/2/media/upload", (400, {"errors": [{"message": "BadRequest: Not found"}]}))
        uploaded = {"media_id": media_id, "media_key": f"7_{media_id}", "state": "pending"}
        with pytest.raises(TwitterRejectedError) as err:
            hook.create_tweet("hi", [uploaded])
        assert f"Media {media_id} has expired or is unknown to X" in str(err.value)
        assert "uploaded 25.0 h ago" in str(err.value)
        assert fake_x.sent("POST") == []

    def test_image_is_posted_without_asking_status(self, hook: TwitterHook, fake_x: FakeX) -> None:
        """X has no STATUS for media it does not process: it answers 400 "Not found" (xdevplatform/xurl#18)."""
        fake_x.routes.clear()
        fake_x.on("POST", "/2/tweets", (201, {"data": {"id": "1800", "text": "hi"}}))
        images = [{"media_id": str(n), "media_key": f"3_{n}", "state": "succeeded"} for n in (11, 12)]
        assert hook.create_tweet("hi", images) == {"id": "1800", "text": "hi"}
        assert [r.method for r in fake_x.requests] == ["POST"]
        assert json.loads(fake_x.sent("POST", "/2/tweets")[0].body or b"")["media"] == {"media_ids": ["11", "12"]}

    def test_bare_id_without_status_is_left_to_x(self, hook: TwitterHook, fake_x: FakeX) -> None:
        fake_x.routes.clear()
        fake_x.on("GET", "/2/media/upload", (400, {"errors": [{"message": "BadRequest: Not found"}]}))
        fake_x.on("POST", "/2/tweets", (201, {"data": {"id": "1801", "text": "hi"}}))
        assert hook.create_tweet("hi", ["11"]) == {"id": "1801", "text": "hi"}

    def test_expired_image_refused_without_a_request(self, hook: TwitterHook, fake_x: FakeX) -> None:
        fake_x.routes.clear()
        image = {"media_id": "11", "media_key": "3_11", "state": "succeeded", "expires_at": time.time() - 1}
        with pytest.raises(TwitterRejectedError, match="Media 11 has expired"):
            hook.create_tweet("hi", [image])
        assert fake_x.requests == []

    def test_video_with_images_refused(self, hook: TwitterHook, fake_x: FakeX) -> None:
        fake_x.routes.clear()
        fake_x.on("GET", "/2/media/upload", PHOTO_READY, (200, {"data": {"id": "12", "media_key": "7_12"}}))
        with pytest.raises(TwitterInputError, match="media 12 is a video or GIF among 2 media"):
            hook.create_tweet("hi", ["11", "12"])
        assert fake_x.sent("POST") == []

    def test_check_media_can_be_skipped(self, hook: TwitterHook, fake_x: FakeX) -> None:
        fake_x.on("POST", "/2/tweets", (201, {"data": {"id": "1", "text": "hi"}}))
        hook.create_tweet("hi", ["11"], check_media=False)
        assert fake_x.sent("GET") == []

    @pytest.mark.parametrize(
        ("text", "media_ids", "message"),
        [
            ("", [], "text is empty"),
            ("   ", None, "text is empty"),
            ("hi", ["1", "2", "3", "4", "5"], "at most 4"),
            ("hi", ["12a"], "'12a' is not an X media id"),
            ("hi", [None], "media_ids must be a media id string or the output of MediaUploadOperator"),
            ("hi", "123", "must be a list"),
        ],
    )
    def test_bad_input_sends_nothing(
        self, hook: TwitterHook, fake_x: FakeX, text: str, media_ids: object, message: str
    ) -> None:
        with pytest.raises(TwitterInputError, match=message):
            hook.create_tweet(text, media_ids)  # type: ignore[arg-type]
        assert fake_x.requests == []


def test_check_media_ids_normalises() -> None:
    assert check_media_ids([123, " 456 "]) == ["123", "456"]
