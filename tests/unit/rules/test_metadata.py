"""Media metadata: alt text, the sensitive-media warning, the download permission and the found media's origin,
checked with the rules of X's CreateMediaMetadataRequest and sent in one ``metadata`` object."""

from __future__ import annotations

import re
from typing import Any

import pytest

from airflow_provider.exceptions import TwitterInputError
from airflow_provider.rules.metadata import MediaMetadata


def test_everything_goes_in_one_metadata_object() -> None:
    metadata = MediaMetadata.checked(
        alt_text="A chart",
        sensitive_media_warning=["other", "graphic_violence"],
        allow_download=False,
        found_media_origin={"provider": "giphy", "id": "u5BzatR15TZ04"},
    )
    assert metadata.body() == {
        "alt_text": {"text": "A chart"},
        "sensitive_media_warning": {"graphic_violence": True, "other": True},
        "allow_download_status": {"allow_download": False},
        "found_media_origin": {"provider": "giphy", "id": "u5BzatR15TZ04"},
    }


def test_body_leaves_out_what_is_not_set() -> None:
    assert MediaMetadata.checked().body() == {}
    assert MediaMetadata.checked(alt_text="", sensitive_media_warning=[]).body() == {}


@pytest.mark.parametrize("allow", [True, False])
def test_allow_download_alone_is_sent(allow: bool) -> None:
    assert MediaMetadata.checked(allow_download=allow).body() == {"allow_download_status": {"allow_download": allow}}


def test_warnings_are_set_once_each_in_xs_order() -> None:
    checked = MediaMetadata.checked(sensitive_media_warning=("other", "adult_content", "other"))
    assert checked.sensitive_media_warning == ("adult_content", "other")


def test_alt_text_up_to_xs_limit() -> None:
    assert MediaMetadata.checked(alt_text="a" * 1000).alt_text == "a" * 1000


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"alt_text": "a" * 1001}, "alt_text is 1001 characters; X allows at most 1000"),
        ({"alt_text": ["a photo"]}, "alt_text must be a string, got list"),
        ({"sensitive_media_warning": "adult_content"}, "sensitive_media_warning must be a list of"),
        ({"sensitive_media_warning": {"adult_content": True}}, "sensitive_media_warning must be a list of"),
        ({"sensitive_media_warning": ["nudity"]}, "sensitive_media_warning has 'nudity'"),
        ({"allow_download": "no"}, "allow_download must be True, False or None"),
        ({"allow_download": 1}, "allow_download must be True, False or None"),
        ({"found_media_origin": {"provider": "giphy"}}, "found_media_origin must be a dict with exactly 'provider'"),
        ({"found_media_origin": "giphy"}, "found_media_origin must be a dict with exactly 'provider'"),
        (
            {"found_media_origin": {"provider": "giphy-images", "id": "u5BzatR15TZ04"}},
            "found_media_origin['provider'] must be text of 1 to 8 characters",
        ),
        (
            {"found_media_origin": {"provider": "giphy", "id": "x" * 25}},
            "found_media_origin['id'] must be text of 1 to 24",
        ),
        ({"found_media_origin": {"provider": " ", "id": "1"}}, "found_media_origin['provider'] must be text of 1 to 8"),
    ],
)
def test_a_value_x_would_refuse_is_named(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(TwitterInputError, match=re.escape(message)):
        MediaMetadata.checked(**kwargs)
