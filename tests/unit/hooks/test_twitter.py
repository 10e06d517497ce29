"""TwitterHook's own part: a ``twitter`` connection read into the client (host, port, timeout, credentials stripped
and masked, errors naming the connection), the connection form, the connection test, and the methods tasks call,
each reaching the client. What the client does with X is tested in tests/unit/client against HTTP fakes."""

from __future__ import annotations

import json
import sys
import types
from collections.abc import Callable
from typing import Any
from unittest import mock

import pytest
import requests
from airflow.providers.common.compat.sdk import redact

from airflow_provider.client.api import XClient
from airflow_provider.client.resume import UploadJournal
from airflow_provider.client.retry import RetryPolicy
from airflow_provider.client.upload_api import V1UploadApi
from airflow_provider.exceptions import TwitterApiError, TwitterInputError
from airflow_provider.files.media_file import MediaFile
from airflow_provider.hooks.twitter import TwitterHook
from airflow_provider.rules.metadata import MediaMetadata
from airflow_provider.rules.post_options import PostOptions
from airflow_provider.rules.receipt import MediaReceipt
from tests.unit.fake_x import FakeX, oauth_params

ME = (200, {"data": {"id": "42", "username": "newsroom", "name": "Newsroom"}})


def set_connection(
    monkeypatch: pytest.MonkeyPatch, conn: dict[str, Any] | str, conn_id: str = "twitter_default"
) -> None:
    monkeypatch.setenv(f"AIRFLOW_CONN_{conn_id.upper()}", conn if isinstance(conn, str) else json.dumps(conn))


def with_extra(conn: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {**conn, "extra": {**conn["extra"], **extra}}


def test_discoverable_attributes() -> None:
    assert (
        TwitterHook.conn_type,
        TwitterHook.conn_name_attr,
        TwitterHook.default_conn_name,
        TwitterHook.hook_name,
    ) == (
        "twitter",
        "twitter_conn_id",
        "twitter_default",
        "Twitter / X",
    )


class TestForm:
    def test_field_behaviour(self) -> None:
        behaviour = TwitterHook.get_ui_field_behaviour()
        assert behaviour["relabeling"] == {"login": "API Key", "password": "API Key Secret", "host": "API base URL"}
        assert behaviour["hidden_fields"] == ["schema", "port"]
        assert behaviour["placeholders"]["host"].startswith("https://api.x.com")

    def test_widgets_for_older_uis_hide_the_secrets(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Flask AppBuilder's form (Airflow < 3.2), stubbed: this environment's Airflow draws the form itself."""
        modules = {
            name: types.ModuleType(name)
            for name in ("flask_appbuilder", "flask_appbuilder.fieldwidgets", "flask_babel", "wtforms")
        }
        modules["flask_appbuilder.fieldwidgets"].BS3PasswordFieldWidget = lambda: "password widget"  # type: ignore[attr-defined]
        modules["flask_appbuilder.fieldwidgets"].BS3TextFieldWidget = lambda: "text widget"  # type: ignore[attr-defined]
        modules["flask_babel"].lazy_gettext = lambda text: f"translated {text}"  # type: ignore[attr-defined]
        modules["wtforms"].PasswordField = lambda label, widget: ("PasswordField", label, widget)  # type: ignore[attr-defined]
        modules["wtforms"].StringField = lambda label, widget: ("StringField", label, widget)  # type: ignore[attr-defined]
        for name, module in modules.items():
            monkeypatch.setitem(sys.modules, name, module)
        widgets = TwitterHook.get_connection_form_widgets()
        assert widgets == {
            "auth_type": ("StringField", "translated Auth type", "text widget"),
            "access_token": ("PasswordField", "translated Access Token", "password widget"),
            "access_token_secret": ("PasswordField", "translated Access Token Secret", "password widget"),
            "client_id": ("StringField", "translated Client ID (OAuth 2.0)", "text widget"),
            "client_secret": ("PasswordField", "translated Client Secret (OAuth 2.0)", "password widget"),
            "refresh_token": ("PasswordField", "translated Refresh Token (OAuth 2.0)", "password widget"),
            "subscription_type": ("StringField", "translated X subscription", "text widget"),
            "timeout": ("StringField", "translated Timeout (seconds)", "text widget"),
            "upload_api": ("StringField", "translated Upload API", "text widget"),
        }


class TestReadingTheConnection:
    @pytest.mark.parametrize(
        ("host", "expected"),
        [
            (None, "https://api.x.com"),
            ("http://127.0.0.1:8080/", "http://127.0.0.1:8080"),
            ("proxy.corp.example", "https://proxy.corp.example"),
        ],
    )
    def test_the_host_replaces_the_api(
        self,
        twitter_conn: dict[str, Any],
        monkeypatch: pytest.MonkeyPatch,
        fake_x: FakeX,
        host: str | None,
        expected: str,
    ) -> None:
        set_connection(monkeypatch, {**twitter_conn, "host": host})
        fake_x.on("GET", "/2/users/me", ME)
        TwitterHook().get_me()
        assert fake_x.requests[0].url == f"{expected}/2/users/me"

    def test_the_port_is_kept(self, twitter_conn: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
        """A URI-form connection stores the port apart from the host."""
        set_connection(monkeypatch, {**twitter_conn, "host": "http://127.0.0.1", "port": 8123})
        assert TwitterHook().settings.base_url == "http://127.0.0.1:8123"

    def test_a_uri_connection_keeps_its_port(self, monkeypatch: pytest.MonkeyPatch) -> None:
        set_connection(monkeypatch, "twitter://key:secret@127.0.0.1:8123/?access_token=1-token&access_token_secret=s")
        assert TwitterHook().settings.base_url == "https://127.0.0.1:8123"

    def test_the_upload_api_of_the_extra_at_the_host(
        self, twitter_conn: dict[str, Any], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The emulator (or a proxy) answers every path on one host: v1.1 then goes there, not upload.twitter.com."""
        set_connection(monkeypatch, {**with_extra(twitter_conn, upload_api="v1.1"), "host": "http://127.0.0.1:8123"})
        assert TwitterHook().settings.upload_api == V1UploadApi("http://127.0.0.1:8123")
        set_connection(monkeypatch, with_extra(twitter_conn, upload_api="v1.1"))
        assert TwitterHook().settings.upload_api == V1UploadApi("https://upload.twitter.com")

    @pytest.mark.parametrize(("code", "extra", "expected"), [(None, None, 60.0), (None, "12", 12.0), (5.0, "12", 5.0)])
    def test_a_timeout_from_code_wins_over_the_connection(
        self,
        twitter_conn: dict[str, Any],
        monkeypatch: pytest.MonkeyPatch,
        code: float | None,
        extra: str | None,
        expected: float,
    ) -> None:
        set_connection(monkeypatch, with_extra(twitter_conn, timeout=extra))
        assert TwitterHook(timeout=code).timeout == expected

    @pytest.mark.parametrize("bad", ["abc", 0, -1])
    def test_a_bad_timeout_is_named(
        self, twitter_conn: dict[str, Any], monkeypatch: pytest.MonkeyPatch, bad: object
    ) -> None:
        set_connection(monkeypatch, with_extra(twitter_conn, timeout=bad))
        with pytest.raises(TwitterInputError, match="connection's extra 'timeout' must be a positive number"):
            TwitterHook().timeout  # noqa: B018

    def test_credentials_are_stripped_signed_and_masked(
        self, twitter_conn: dict[str, Any], monkeypatch: pytest.MonkeyPatch, fake_x: FakeX
    ) -> None:
        """A pasted newline around a token would make X answer 401; the stripped value is signed, and masked."""
        extra = {"access_token": "  1-hook-access-token\n", "access_token_secret": "hook-token-secret\r\n"}
        set_connection(monkeypatch, {**twitter_conn, "extra": extra})
        fake_x.on("GET", "/2/users/me", ME)
        TwitterHook().get_me()
        assert oauth_params(fake_x.requests[0])["oauth_token"] == "1-hook-access-token"
        assert redact("1-hook-access-token") == redact("hook-token-secret") == "***"

    def test_missing_credentials_are_named_with_the_connection(
        self, monkeypatch: pytest.MonkeyPatch, fake_x: FakeX
    ) -> None:
        set_connection(monkeypatch, {"conn_type": "twitter", "login": "key", "extra": {"access_token": "t"}})
        with pytest.raises(TwitterInputError) as err:
            TwitterHook().get_me()
        assert str(err.value).startswith(
            "Connection 'twitter_default' is missing API Key Secret (password), Access Token Secret"
        )
        assert "AIRFLOW_CONN_TWITTER_DEFAULT" in str(err.value)
        assert fake_x.requests == []

    def test_no_secret_in_an_error_or_the_credentials(self, twitter_conn: dict[str, Any], fake_x: FakeX) -> None:
        fake_x.on("GET", "/2/users/me", (401, {"title": "Unauthorized", "type": "about:blank", "status": 401}))
        hook = TwitterHook()
        with pytest.raises(TwitterApiError) as err:
            hook.get_me()
        assert (
            "GET /2/users/me" in str(err.value) and "HTTP 401" in str(err.value) and "API Key Secret" in str(err.value)
        )
        for secret in (twitter_conn["password"], twitter_conn["extra"]["access_token_secret"]):
            assert secret not in str(err.value) and secret not in repr(hook.settings)

    def test_the_connection_is_read_once_per_hook(
        self, twitter_conn: dict[str, Any], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Each read masks the extra again; the hook's client and settings are made once."""
        hook = TwitterHook()
        with mock.patch.object(TwitterHook, "get_connection", wraps=hook.get_connection) as get_connection:
            assert hook.get_conn() is hook.client is hook.get_conn()
            assert hook.settings is hook.settings
        assert get_connection.call_count == 1


class TestTheClient:
    def test_get_conn_is_the_client_with_the_hooks_settings(self, twitter_conn: dict[str, Any]) -> None:
        hook = TwitterHook(timeout=7, max_attempts=2, backoff_initial=0.5, backoff_max=4, max_rate_limit_wait=30)
        client = hook.get_conn()
        assert isinstance(client, XClient)
        assert client.session.retry == hook.retry == RetryPolicy(2, 0.5, 4, 30)
        assert (client.session.timeout, client.session.base_url) == (7, "https://api.x.com")
        assert client.session.credentials == hook.settings.credentials and client.log is hook.log
        assert hook.max_attempts == 2 and hook.retry.log is hook.log  # the retries warn in the task's log

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"max_attempts": 0}, "max_attempts must be a whole number, at least 1"),
            ({"timeout": -1}, "timeout must be a number of seconds, above 0"),
            ({"backoff_max": "30"}, "backoff_max must be a number of seconds"),
            ({"twitter_conn_id": "my conn"}, "twitter_conn_id must name an Airflow connection"),
        ],
    )
    def test_hook_arguments_are_checked_when_it_is_made(self, kwargs: dict[str, Any], message: str) -> None:
        with pytest.raises(TwitterInputError, match=message):
            TwitterHook(**kwargs)


MEDIA = MediaFile(path="clip.mp4", size=10, media_type="video/mp4", media_category="tweet_video")
RECEIPT = MediaReceipt("7", state="pending")
METADATA = MediaMetadata(alt_text="A chart")
OPTIONS = PostOptions(reply_settings="following")
JOURNAL = mock.Mock(spec=UploadJournal)  # the hook hands it on as it is
RETURN_NOTHING = {"media.append", "media.set_metadata", "media.check_postable"}
Call = tuple[Callable[[TwitterHook], Any], str, tuple[Any, ...], dict[str, Any]]
DELEGATED: list[Call] = [
    (
        lambda h: h.upload_media(
            MEDIA, chunk_size=4096, parallel_segments=2, alt_text="a", metadata=None, journal=JOURNAL
        ),
        "upload",
        (MEDIA,),
        {"chunk_size": 4096, "parallel_segments": 2, "alt_text": "a", "metadata": None, "journal": JOURNAL},
    ),
    (
        lambda h: h.initialize_upload(total_bytes=10, media_type="video/mp4", media_category="tweet_video"),
        "media.initialize",
        (),
        {"total_bytes": 10, "media_type": "video/mp4", "media_category": "tweet_video"},
    ),
    (lambda h: h.append_upload("7", 3, b"c"), "media.append", ("7", 3, b"c"), {}),
    (lambda h: h.finalize_upload("7"), "media.finalize", ("7",), {}),
    (lambda h: h.get_upload_status("7", uploaded_at=5.0), "media.status", ("7",), {"uploaded_at": 5.0}),
    (lambda h: h.create_media_metadata("7", METADATA), "media.set_metadata", ("7", METADATA), {}),
    (
        lambda h: h.create_media_subtitles(
            "7", "8", language_code="EN", display_name="English", media_category="amplify_video", replace=True
        ),
        "media.attach_subtitles",
        ("7", "8"),
        {"language_code": "EN", "display_name": "English", "media_category": "amplify_video", "replace": True},
    ),
    (
        lambda h: h.delete_media_subtitles("7", "EN", media_category="amplify_video"),
        "media.delete_subtitles",
        ("7", "EN"),
        {"media_category": "amplify_video"},
    ),
    (lambda h: h.check_media_processed(RECEIPT, purpose="p"), "media.check_processed", (RECEIPT,), {"purpose": "p"}),
    (lambda h: h.check_media_postable([RECEIPT]), "media.check_postable", ([RECEIPT],), {}),
    (lambda h: h.get_me(), "posts.me", (), {}),
    (
        lambda h: h.create_tweet(
            "hi",
            ["7"],
            check_media=False,
            options=OPTIONS,
            earlier_attempt_since=5.0,
            search_first=False,
            on_sending=print,
        ),
        "posts.create",
        ("hi", ["7"]),
        {
            "check_media": False,
            "options": OPTIONS,
            "earlier_attempt_since": 5.0,
            "search_first": False,
            "on_sending": print,
        },
    ),
    (lambda h: h.own_posts_since(5.0), "posts.own_posts_since", (5.0,), {}),
    (lambda h: h.post_url("7"), "posts.url", ("7",), {}),
]


@pytest.mark.parametrize(
    ("posts", "gone", "deleted", "already_gone"),
    [
        ("1801", set(), ["1801"], []),
        ({"id": "1801", "text": "hi", "url": "u"}, {"1801"}, [], ["1801"]),
        (["1801", "1802", "1803"], {"1802"}, ["1803", "1801"], ["1802"]),  # a thread: its replies first
        ([], set(), [], []),
    ],
    ids=["an id", "a post's output", "a thread's output", "nothing"],
)
def test_delete_tweet_takes_an_id_or_a_tasks_output(
    posts: Any, gone: set[str], deleted: list[str], already_gone: list[str]
) -> None:
    hook = TwitterHook()
    hook.client = mock.MagicMock()
    hook.client.posts.delete.side_effect = lambda post_id: post_id not in gone
    assert hook.delete_tweet(posts) == {"deleted": deleted, "already_gone": already_gone}
    asked = [c.args[0] for c in hook.client.posts.delete.call_args_list]
    assert asked == sorted(deleted + already_gone, reverse=True)


def test_delete_tweet_refuses_what_is_not_a_post_before_any_request() -> None:
    hook = TwitterHook()
    hook.client = mock.MagicMock()
    with pytest.raises(TwitterInputError, match="posts must be post ids"):
        hook.delete_tweet(["1801", "https://x.com/i/web/status/1802"])
    hook.client.posts.delete.assert_not_called()


@pytest.mark.parametrize(("call", "method", "args", "kwargs"), DELEGATED, ids=[m for _, m, _, _ in DELEGATED])
def test_each_method_tasks_call_reaches_the_client(
    call: Callable[[TwitterHook], Any], method: str, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    hook = TwitterHook()
    client = mock.MagicMock()
    hook.client = client  # the cached property, as the connection would make it
    result = call(hook)
    target = client
    for name in method.split("."):
        target = getattr(target, name)
    target.assert_called_once_with(*args, **kwargs)
    assert result is (None if method in RETURN_NOTHING else target.return_value)


async def test_the_async_status_reaches_the_triggerers_client(monkeypatch: pytest.MonkeyPatch) -> None:
    hook = TwitterHook()
    client = mock.MagicMock()
    client.media.astatus = mock.AsyncMock(return_value={"id": "7"})
    monkeypatch.setattr(hook, "aget_client", mock.AsyncMock(return_value=client))
    assert await hook.aget_upload_status("7") == {"id": "7"}
    client.media.astatus.assert_awaited_once_with("7")


class TestTestConnection:
    def test_it_names_the_account_and_the_uploads(self, twitter_conn: dict[str, Any], fake_x: FakeX) -> None:
        fake_x.on("GET", "/2/users/me", ME)
        assert TwitterHook().test_connection() == (
            True,
            "Connected to https://api.x.com as @newsroom (user id 42); uploads through v2 at https://api.x.com.",
        )

    def test_it_makes_one_short_attempt(self, twitter_conn: dict[str, Any], fake_x: FakeX) -> None:
        """The UI waits for it: one attempt, no retries, at most 5 s to connect and 5 s per read."""
        fake_x.on("GET", "/2/users/me", requests.ConnectTimeout("silent host"))
        ok, message = TwitterHook().test_connection()
        assert not ok and "no answer" in message
        assert len(fake_x.requests) == 1 and fake_x.options[0]["timeout"] == 5

    def test_it_names_fields_not_the_temporary_id(self, monkeypatch: pytest.MonkeyPatch, fake_x: FakeX) -> None:
        """Airflow tests a form under a random connection id: the message must not send the user looking for it."""
        set_connection(monkeypatch, {"conn_type": "twitter", "login": "key"}, "tmpxyz")
        ok, message = TwitterHook("tmpxyz").test_connection()
        assert not ok and message.startswith("The connection is missing API Key Secret (password)")
        assert "tmpxyz" not in message.lower() and fake_x.requests == []

    def test_it_checks_the_upload_api(self, monkeypatch: pytest.MonkeyPatch, fake_x: FakeX) -> None:
        """The Test button refuses an upload_api the tasks would refuse, without a request."""
        extra = {"access_token": "t", "access_token_secret": "s", "upload_api": "v3"}
        set_connection(
            monkeypatch, {"conn_type": "twitter", "login": "key", "password": "secret", "extra": extra}, "tmpxyz"
        )
        ok, message = TwitterHook("tmpxyz").test_connection()
        assert not ok and "upload_api" in message and "v3" in message
        assert fake_x.requests == []

    def test_oauth2_is_checked_not_tried(self, monkeypatch: pytest.MonkeyPatch, fake_x: FakeX) -> None:
        """Trying it would spend the single-use refresh token outside the store the tasks share."""
        extra = {"auth_type": "oauth2", "client_id": "cid", "refresh_token": "seed-token"}
        set_connection(monkeypatch, {"conn_type": "twitter", "extra": extra}, "tmpxyz")
        ok, message = TwitterHook("tmpxyz").test_connection()
        assert ok and message.startswith("OAuth 2.0 settings complete (client cid, API https://api.x.com). Not tried")
        assert fake_x.requests == []

    def test_an_answer_without_data_fails_it(self, twitter_conn: dict[str, Any], fake_x: FakeX) -> None:
        fake_x.on("GET", "/2/users/me", (200, {"errors": []}))
        ok, message = TwitterHook().test_connection()
        assert not ok and "no 'data' object" in message


class TestAccountLimitsAndErrors:
    @pytest.fixture(autouse=True)
    def _no_remembered_accounts(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import airflow_provider.hooks.connection as connection_module

        monkeypatch.setattr(connection_module, "_ACCOUNTS", {})

    def test_x_is_asked_once_per_connection_in_the_process(self, twitter_conn: dict[str, Any], fake_x: FakeX) -> None:
        fake_x.on("GET", "/2/users/me", (200, {"data": {"id": "42", "subscription_type": "Premium"}}))
        for _ in range(2):  # two tasks' hooks on the same connection
            hook = TwitterHook()
            hook.check_post("x" * 1000, 0)
            assert hook.max_video_seconds() is None
        assert len(fake_x.requests) == 1

    def test_the_connection_extra_gives_the_account(
        self, twitter_conn: dict[str, Any], monkeypatch: pytest.MonkeyPatch, fake_x: FakeX
    ) -> None:
        set_connection(monkeypatch, with_extra(twitter_conn, subscription_type="None"))
        hook = TwitterHook()
        with pytest.raises(TwitterInputError, match=r"at most 280 for an account without X Premium \(subscription_t"):
            hook.check_post("x" * 281, 1)
        assert hook.max_video_seconds() == 140.0
        assert fake_x.requests == []

    def test_refused_credentials_name_the_connection_to_edit(
        self, twitter_conn: dict[str, Any], monkeypatch: pytest.MonkeyPatch, fake_x: FakeX
    ) -> None:
        set_connection(monkeypatch, twitter_conn, conn_id="x_news")
        fake_x.on("GET", "/2/users/me", (401, {"title": "Unauthorized"}), (403, {"title": "Forbidden"}))
        hook = TwitterHook("x_news")
        with pytest.raises(TwitterApiError, match=r"Edit the connection 'x_news' \(Admin > Connections, or AIRFLOW_C"):
            hook.get_me()
        with pytest.raises(TwitterApiError, match=r"Edit the connection 'x_news' .* or its app: X refused"):
            hook.get_me()
