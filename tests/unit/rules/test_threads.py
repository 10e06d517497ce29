"""A thread: its items checked whole before the first post, the items an earlier try posted found again on X, and
the error of a thread broken part-way naming what is on X and what to do."""

from __future__ import annotations

import re
from typing import Any

import pytest

from airflow_provider.exceptions import TwitterApiError, TwitterInputError, TwitterRejectedError
from airflow_provider.rules.receipt import MediaReceipt
from airflow_provider.rules.threads import REPLY_RULE, broken_thread, link, parse_thread, posted_chain

ROOT = "1799"


class TestParse:
    def test_items_are_strings_or_dicts_with_text_and_media(self) -> None:
        receipt = {"media_id": "12", "media_key": "3_12", "state": "succeeded"}
        items = parse_thread(["First", {"text": "Second", "media_ids": ["13", receipt]}, {"media_ids": ["14"]}])
        assert [(i.number, i.text, i.ids) for i in items] == [
            (1, "First", []),
            (2, "Second", ["12", "13"]),
            (3, "", ["14"]),
        ]
        assert items[1].media_ids == ["13", receipt]  # as given, for the post
        assert items[1].media == [MediaReceipt("13"), MediaReceipt("12", media_key="3_12", state="succeeded")]

    @pytest.mark.parametrize("items", ["one post", {"text": "a"}, [], None, 3])
    def test_items_must_be_a_non_empty_list(self, items: Any) -> None:
        with pytest.raises(TwitterInputError, match=r"^items must be a non-empty list of posts"):
            parse_thread(items)

    @pytest.mark.parametrize(
        ("item", "message"),
        [
            (3, "Thread item 2 must be a dict with 'text' and/or 'media_ids', or a string; got int 3."),
            ({"text": "a", "reply_settings": "following"}, "Thread item 2 has unknown key(s) 'reply_settings'"),
            ({"text": 3}, "Thread item 2: text must be a string, got int 3."),
            ({"text": "x" * 281}, "Thread item 2: The post text is 281 characters as X counts them"),
            ({"media_ids": ["12a"]}, "Thread item 2: Media id '12a' is not an X media id"),
            ({"media_ids": "12"}, "Thread item 2: thread item 2's media_ids must be a list"),
            ({"text": "  "}, "Thread item 2 has neither text nor media_ids; every post needs one."),
        ],
    )
    def test_a_bad_item_is_refused_naming_its_number(self, item: Any, message: str) -> None:
        with pytest.raises(TwitterInputError, match=re.escape(message)):
            parse_thread(["First", item])

    def test_two_items_x_would_call_duplicates_are_refused(self) -> None:
        with pytest.raises(TwitterInputError, match="Thread items 1 and 3 have the same text and media"):
            parse_thread(["Same", "Other", {"text": " Same "}])
        parse_thread([{"text": "Same", "media_ids": ["11"]}, {"text": "Same", "media_ids": ["12"]}])  # media differ


def post(post_id: str, text: str = "", media: tuple[str, ...] = (), replies_to: str | None = None) -> dict[str, Any]:
    """A post as X's timeline returns it."""
    found: dict[str, Any] = {"id": post_id, "text": text}
    if media:
        found["attachments"] = {"media_keys": [f"3_{m}" for m in media]}
    if replies_to:
        found["referenced_tweets"] = [{"type": "quoted", "id": "1"}, {"type": "replied_to", "id": replies_to}]
    return found


class TestPostedChain:
    ITEMS = parse_thread(["Read https://example.com/a now", {"text": "Two", "media_ids": ["12"]}, "Three", "Four"])

    def test_the_chain_is_followed_by_replies_in_any_order(self) -> None:
        posts = [
            post("9999", "Three", replies_to="2002"),  # a later post like it (X lists the newest first): not the item
            post("2003", "Three", replies_to="2002"),
            post("2002", "Two https://t.co/x", media=("12",), replies_to="2001"),
            post("2001", "Read https://t.co/abc now"),  # X reads URLs back as t.co links
        ]
        assert posted_chain(self.ITEMS, posts, None) == ["2001", "2002", "2003"]

    def test_the_chain_stops_at_the_first_item_not_found(self) -> None:
        posts = [post("2001", "Read https://t.co/abc now"), post("2003", "Three", replies_to="2002")]
        assert posted_chain(self.ITEMS, posts, None) == ["2001"]

    def test_a_root_without_media_is_known_by_its_text(self) -> None:
        assert posted_chain(self.ITEMS, [post("2001", "Read later")], None) == []

    def test_media_must_match_exactly(self) -> None:
        posts = [post("2001", "Read https://t.co/abc now"), post("2002", "Two", media=("12", "13"), replies_to="2001")]
        assert posted_chain(self.ITEMS, posts, None) == ["2001"]

    def test_a_thread_under_a_post_starts_with_the_reply_to_it(self) -> None:
        posts = [post("2001", "anything", replies_to=ROOT), post("2000", "Read https://example.com/a now")]
        assert posted_chain(self.ITEMS, posts, ROOT) == ["2001"]


class TestBrokenThread:
    ITEMS = parse_thread(["One", "Two", "Three", "Four"])

    def test_with_nothing_posted_xs_error_stands(self) -> None:
        error = TwitterApiError(endpoint="POST /2/tweets", http_status=503)
        assert broken_thread(error, self.ITEMS[0], [], 4) is error

    def test_a_transient_failure_says_the_next_try_resumes(self) -> None:
        error = TwitterApiError(endpoint="POST /2/tweets", http_status=503, title="Service Unavailable")
        error.attempts = 5
        broken = broken_thread(error, self.ITEMS[2], ["2001", "2002"], 4)
        assert type(broken) is TwitterApiError and broken.attempts == 5 and broken.http_status == 503
        assert broken.hint == (
            f"The thread stopped at item 3 of 4. Posted: item 1 {link('2001')}, item 2 {link('2002')}. Not posted: "
            "items 3 to 4. This may pass: the task's next try resumes after item 2 and posts no item twice (give the "
            "task retries, or clear it)."
        )
        assert broken.hint in str(broken)

    def test_a_refused_reply_names_xs_reply_rule(self) -> None:
        error = TwitterRejectedError(endpoint="POST /2/tweets", http_status=403, title="Forbidden")
        broken = broken_thread(error, self.ITEMS[3], ["2001", "2002", "2003"], 4)
        assert type(broken) is TwitterRejectedError
        assert broken.hint and "Not posted: item 4." in broken.hint
        assert f"X refused item 4 as a reply to 2003. {REPLY_RULE}" in broken.hint
        assert f"post the rest by hand as replies to {link('2003')}" in broken.hint

    def test_another_refusal_keeps_xs_hint_and_says_to_clear_the_task(self) -> None:
        error = TwitterRejectedError(endpoint="POST /2/tweets", http_status=400, title="Invalid Request", hint="Fix X.")
        broken = broken_thread(error, self.ITEMS[1], ["2001"], 4)
        assert broken.hint and broken.hint.endswith(
            "Fix X. Then clear this task: its next try resumes after item 1 and posts no item twice."
        )

    def test_a_duplicate_is_not_taken_for_the_reply_rule(self) -> None:
        error = TwitterRejectedError(
            endpoint="POST /2/tweets", http_status=403, title="Duplicate post", hint="Change it."
        )
        broken = broken_thread(error, self.ITEMS[1], ["2001"], 4)
        assert broken.hint and REPLY_RULE not in broken.hint and "Change it. Then clear this task" in broken.hint


def test_link() -> None:
    assert link("2001") == "https://x.com/i/web/status/2001"


class TestPostedChainFromTheTimeline:
    """What a retry takes as already posted: always a prefix of the thread, each item linked to the one before."""

    items = parse_thread(["root", {"text": "media", "media_ids": ["7"]}, "last"])

    def test_stops_at_the_first_missing_item(self) -> None:
        posts: list[dict[str, Any]] = [
            {"id": "10", "text": "root"},
            {"id": "12", "text": "last", "referenced_tweets": [{"type": "replied_to", "id": "11"}]},
        ]
        assert posted_chain(self.items, posts, None) == ["10"]  # item 3 replies to an item 2 that is not there

    def test_a_reply_needs_the_right_parent_and_media(self) -> None:
        posts: list[dict[str, Any]] = [
            {"id": "10", "text": "root"},
            {"id": "11", "text": "media", "referenced_tweets": [{"type": "replied_to", "id": "10"}]},  # no media
            {
                "id": "13",
                "text": "x",
                "referenced_tweets": [{"type": "replied_to", "id": "10"}],
                "attachments": {"media_keys": ["3_7"]},
            },
        ]
        assert posted_chain(self.items, posts, None) == ["10", "13"]

    def test_root_continuing_a_post_must_reply_to_it(self) -> None:
        alone: list[dict[str, Any]] = [{"id": "10", "text": "root"}]
        assert posted_chain(self.items, alone, "5") == []
        replying: list[dict[str, Any]] = [
            {"id": "10", "text": "root", "referenced_tweets": [{"type": "replied_to", "id": "5"}]}
        ]
        assert posted_chain(self.items, replying, "5") == ["10"]

    def test_a_root_with_a_url_is_known_by_its_text_as_x_reads_it_back(self) -> None:
        items = parse_thread(["Read it at example.com/notes today", "more"])
        posts: list[dict[str, Any]] = [{"id": "10", "text": "Read it at https://t.co/AbC123 today"}]
        assert posted_chain(items, posts, None) == ["10"]
        other: list[dict[str, Any]] = [{"id": "11", "text": "Read it at https://t.co/AbC123 tomorrow"}]
        assert posted_chain(items, other, None) == []
