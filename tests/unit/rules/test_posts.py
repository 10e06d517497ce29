"""A post's id as tasks hand it on, and where a person views the post."""

from __future__ import annotations

from typing import Any

import pytest

from airflow_provider.exceptions import TwitterInputError
from airflow_provider.rules.posts import post_ids, post_url


@pytest.mark.parametrize(
    ("base_url", "url"),
    [
        (None, "https://x.com/i/web/status/1800"),
        ("https://api.x.com", "https://x.com/i/web/status/1800"),
        ("https://api.twitter.com/", "https://x.com/i/web/status/1800"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080/i/web/status/1800"),
        ("http://emulator:8080/", "http://emulator:8080/i/web/status/1800"),
    ],
)
def test_post_url_is_on_x_for_xs_api_else_on_the_host(base_url: str | None, url: str) -> None:
    assert post_url("1800", base_url) == url


@pytest.mark.parametrize(
    ("value", "ids"),
    [
        (None, []),
        ([], []),
        ("1800", ["1800"]),
        (1800, ["1800"]),
        (" 1800 ", ["1800"]),
        ({"id": "1800", "text": "hi", "url": "https://x.com/i/web/status/1800"}, ["1800"]),
        (["1800", "1801", {"id": 1802}], ["1800", "1801", "1802"]),
        (("1800",), ["1800"]),
    ],
)
def test_post_ids_from_an_id_an_output_or_a_list(value: Any, ids: list[str]) -> None:
    assert post_ids(value) == ids


@pytest.mark.parametrize(
    "value", ["", "12x", "1" * 20, True, {"text": "no id"}, ["1800", None], "https://x.com/i/web/status/1800", 1.5]
)
def test_post_ids_refuse_what_is_not_a_post(value: Any) -> None:
    with pytest.raises(TwitterInputError, match=r"posts must be post ids \(1 to 19 digits\)"):
        post_ids(value)
