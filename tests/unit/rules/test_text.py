"""Post text as X counts it: twitter-text's own conformance cases for weighted length, URLs and cashtags, and the
refusals of text X would refuse, each naming the count, the limit and the fix."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from airflow_provider.exceptions import TwitterInputError
from airflow_provider.rules.text import check_post_text, extract_urls, find_cashtags, weighted_length

# twitter-text's own conformance cases (see "source" in the file).
CONFORMANCE: dict[str, Any] = json.loads(
    (Path(__file__).parents[1] / "data" / "twitter_text_conformance.json").read_text(encoding="utf-8")
)


def cases(section: str) -> list[Any]:
    return [pytest.param(case, id=case["description"][:60]) for case in CONFORMANCE[section]]


@pytest.mark.parametrize("case", cases("weighted_length_v3"))
def test_weighted_length_conformance(case: dict[str, Any]) -> None:
    assert weighted_length(case["text"]) == case["weighted_length"]


@pytest.mark.parametrize("case", cases("urls"))
def test_url_extraction_conformance(case: dict[str, Any]) -> None:
    assert extract_urls(case["text"]) == case["expected"]


@pytest.mark.parametrize("case", cases("cashtags"))
def test_cashtag_conformance(case: dict[str, Any]) -> None:
    assert find_cashtags(case["text"]) == case["expected"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hello", 5),
        ("", 0),
        ("https://example.com/" + "a" * 200, 23),  # any URL counts 23, however long
        ("see example.com/path/to/page?x=1 now", 4 + 23 + 4),  # a URL without scheme counts too
        ("see example.notatld now", 23),  # no known TLD: not a URL, counted per character
        ("cafe\u0301", 4),  # NFC: e + combining accent is one character
        ("日本語", 6),
        ("\u2014\u2019", 2),  # em dash and right quote are in the weight-1 ranges
        ("👨\u200d👩\u200d👧\u200d👦", 2),  # a ZWJ family is one emoji
        ("🇫🇷", 2),
        ("❤\ufe0f", 2),
        ("#\ufe0f\u20e3", 2),
        ("©", 1),  # (c) is text unless followed by U+FE0F
        ("©\ufe0f", 2),
    ],
)
def test_weighted_length(text: str, expected: int) -> None:
    assert weighted_length(text) == expected


def test_text_at_the_limit_passes() -> None:
    check_post_text("x" * 256 + " https://example.com/" + "p" * 500)  # 256 + 1 + 23 = 280
    check_post_text("")  # a post with media only


def test_text_over_the_limit_names_count_limit_and_fix() -> None:
    with pytest.raises(
        TwitterInputError,
        match=r"is 282 characters as X counts them; X allows at most 280\. "
        r"Shorten it by 2",
    ) as info:
        check_post_text("x" * 280 + "日")
    assert "each URL counts 23" in str(info.value)


def test_second_cashtag_is_refused_and_named() -> None:
    with pytest.raises(TwitterInputError, match=r"2 cashtags \(\$TSLA, \$AAPL\); X accepts at most 1"):
        check_post_text("Buy $TSLA and $AAPL today")


def test_one_cashtag_repeated_is_one_cashtag() -> None:
    check_post_text("$TSLA up, $tsla down, US$5 and $100 are not cashtags")


def test_invalid_character_is_refused() -> None:
    with pytest.raises(TwitterInputError, match=r"U\+FEFF, which X does not accept"):
        check_post_text("\ufeffhello")
