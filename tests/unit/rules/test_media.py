"""What X accepts as a post's media: types and categories with their limits, video length, segments, media ids, each
media's kind, and which media one post may carry together."""

from __future__ import annotations

import re
from typing import Any

import pytest

from airflow_provider.exceptions import TwitterInputError
from airflow_provider.rules.media import (
    CATEGORIES,
    GIF,
    IMAGE,
    VIDEO,
    MiB,
    check_media_ids,
    check_post_mix,
    check_segments,
    check_video_duration,
    checked_category,
    checked_media_type,
    chunk_size_in_range,
    default_category,
    is_video_or_gif,
    kind_of_answer,
    kind_of_key,
    segment_count,
)


@pytest.mark.parametrize(
    ("key", "kind"),
    [
        ("3_11", IMAGE),
        ("7_11", VIDEO),
        ("13_11", VIDEO),  # amplify video
        ("16_11", GIF),
        ("99_11", None),
        ("11", None),
        (None, None),
        (11, None),
    ],
)
def test_kind_of_key(key: Any, kind: str | None) -> None:
    assert kind_of_key(key) == kind


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        ({"media_key": "16_11", "video": {}}, GIF),  # the key wins
        ({"id": "11", "video": {"video_type": "video/mp4"}}, VIDEO),  # v1.1 answers carry no key
        ({"id": "11", "image": {"image_type": "image/png"}}, IMAGE),
        ({"id": "11"}, None),
    ],
)
def test_kind_of_answer(data: dict[str, Any], kind: str | None) -> None:
    assert kind_of_answer(data) == kind


def test_only_a_video_or_an_animated_gif_goes_alone() -> None:
    assert [is_video_or_gif(kind) for kind in (VIDEO, GIF, IMAGE, None)] == [True, True, False, False]


@pytest.mark.parametrize(
    "kinds",
    [
        {"1": IMAGE, "2": IMAGE, "3": IMAGE, "4": IMAGE},
        {"1": VIDEO},
        {"1": GIF},
        {"1": IMAGE, "2": None},  # unknown kinds are X's to judge
        {},
    ],
)
def test_mixes_x_takes(kinds: dict[str, str | None]) -> None:
    check_post_mix(kinds)


@pytest.mark.parametrize(
    ("kinds", "named"),
    [
        ({"1": IMAGE, "2": VIDEO}, "media 2 is a video or GIF among 2 media"),
        ({"1": GIF, "2": None}, "media 1 is a video or GIF among 2 media"),
        ({"1": VIDEO, "2": GIF, "3": IMAGE}, "media 1, 2 are videos or GIFs among 3 media"),
    ],
)
def test_a_video_or_gif_with_other_media_is_refused_naming_it(kinds: dict[str, str | None], named: str) -> None:
    with pytest.raises(TwitterInputError, match=re.escape(named) + r"\. Post them separately"):
        check_post_mix(kinds)


def test_media_ids_are_normalised() -> None:
    assert check_media_ids([123, " 456 "]) == ["123", "456"]
    assert check_media_ids(["1" * 19]) == ["1" * 19]


@pytest.mark.parametrize(
    ("ids", "message"),
    [
        ("123", r"media_ids must be a list of ids, got the string '123': use \['123'\]"),
        (["1", "2", "3", "4", "5"], "5 media ids given; a post carries at most 4"),
        (["12a"], "Media id '12a' is not an X media id"),
        (["1" * 20], "is not an X media id"),
        (["١٢٣"], "written in digits other than ASCII 0-9"),
        ([""], "Media id '' is not an X media id"),
    ],
)
def test_media_ids_x_would_refuse(ids: Any, message: str) -> None:
    with pytest.raises(TwitterInputError, match=message):
        check_media_ids(ids)


@pytest.mark.parametrize(
    ("media_type", "category"),
    [
        ("image/png", "tweet_image"),
        ("image/gif", "tweet_gif"),
        ("video/mp4", "tweet_video"),
        ("video/quicktime", "tweet_video"),
    ],
)
def test_default_category(media_type: str, category: str) -> None:
    assert default_category(media_type) == category


def test_the_content_decides_the_type() -> None:
    assert checked_media_type("photo.mp4", "image/png", None) == "image/png"
    assert checked_media_type("a.png", "image/png", " Image/PNG ") == "image/png"


def test_a_given_type_chooses_between_mp4_and_mov() -> None:
    """One ISO base media container: the content cannot tell them apart reliably."""
    assert checked_media_type("clip.bin", "video/mp4", "video/quicktime") == "video/quicktime"


@pytest.mark.parametrize(
    ("found", "given", "message"),
    [
        ("text", None, "Media file 'f' is text by its content, whatever its name says"),
        (None, None, "Media file 'f' has content that matches no media type X accepts"),
        ("a PDF document (application/pdf)", "image/png", "media_type says 'image/png', but media file 'f' is a PDF"),
        ("image/png", "video/mp4", "media_type says 'video/mp4', but the content of 'f' is image/png"),
        ("image/png", "image/tiff", "media_type 'image/tiff' is not one X accepts in a Post"),
        ("image/png", 42, "media_type must be a MIME type string"),
    ],
)
def test_a_type_x_would_refuse_is_named(found: str | None, given: Any, message: str) -> None:
    with pytest.raises(TwitterInputError, match=re.escape(message)):
        checked_media_type("f", found, given)


@pytest.mark.parametrize(("category", "limit"), [(name, rule.max_bytes) for name, rule in CATEGORIES.items()])
def test_size_limits_are_inclusive(category: str, limit: int) -> None:
    media_type = next(iter(sorted(CATEGORIES[category].media_types)))
    assert checked_category("f", limit, media_type, category) == category
    with pytest.raises(TwitterInputError, match=f"limit for {category} is {limit // MiB} MiB"):
        checked_category("f", limit + 1, media_type, category)


def test_the_category_is_inferred_from_the_type() -> None:
    assert checked_category("f", 100, "image/gif", None) == "tweet_gif"
    assert checked_category("f", 100, "image/gif", "tweet_image") == "tweet_image"  # a GIF as a still image


@pytest.mark.parametrize(
    ("media_type", "category", "message"),
    [
        ("image/png", "tweet_video", "media_category 'tweet_video' does not fit media type 'image/png'"),
        ("image/png", "tweet_photo", "Unknown media_category 'tweet_photo'"),
        ("image/png", 3, "Unknown media_category 3"),
    ],
)
def test_a_category_x_would_refuse_is_named(media_type: str, category: Any, message: str) -> None:
    with pytest.raises(TwitterInputError, match=re.escape(message)):
        checked_category("f", 100, media_type, category)


@pytest.mark.parametrize("seconds", [0.5, 140.0, None])
def test_video_duration_limits_are_inclusive_and_an_unknown_one_is_xs_to_judge(seconds: float | None) -> None:
    check_video_duration("v.mp4", seconds, 140.0)


@pytest.mark.parametrize(
    ("seconds", "message"),
    [
        (149.0, r"lasts 149.00 s; X takes videos of 0.5 to 140 s\. Trim it .* pass max_video_duration"),
        (0.4, r"lasts 0.40 s; X takes videos of 0.5 to 140 s\. Make it longer"),
    ],
)
def test_a_video_outside_xs_duration_limits_is_refused(seconds: float, message: str) -> None:
    with pytest.raises(TwitterInputError, match=message):
        check_video_duration("v.mp4", seconds, 140.0)


@pytest.mark.parametrize(
    ("chunk_size", "message"), [(0, "from 1 to 5242880"), (5 * MiB + 1, "from 1 to 5242880"), (1000, "at least 1049")]
)
def test_chunk_size_rules(chunk_size: int, message: str) -> None:
    with pytest.raises(TwitterInputError, match=message):
        check_segments("v.mp4", MiB, chunk_size)
    check_segments("v.mp4", MiB, 1049)  # ceil(1 MiB / 1000): exactly 1,000 segments


def test_segments() -> None:
    assert [segment_count(size, 4) for size in (1, 4, 5, 8, 9)] == [1, 1, 2, 2, 3]
    assert chunk_size_in_range(5 * MiB) == 5 * MiB
    with pytest.raises(TwitterInputError, match="chunk_size must be a whole number of bytes"):
        chunk_size_in_range(1.5)
