"""KeptMedia: segments held until joined, within a cap, the oldest dropped first."""

from __future__ import annotations

from airflow_provider.emulator.keptmedia import KeptMedia


def test_segments_are_joined_in_index_order_whatever_their_arrival() -> None:
    kept = KeptMedia(100)
    kept.add_segment("1", 6, 1, b"def")
    kept.add_segment("1", 6, 0, b"abc")
    assert kept.get("1") is None  # not finalized yet
    kept.join("1", 2)
    assert kept.get("1") == b"abcdef"


def test_a_new_media_drops_the_oldest_to_fit() -> None:
    kept = KeptMedia(10)
    for media_id in ("1", "2", "3"):
        kept.add_segment(media_id, 4, 0, media_id.encode() * 4)
        kept.join(media_id, 1)
    assert (kept.get("1"), kept.get("2"), kept.get("3")) == (None, b"2222", b"3333")


def test_a_retried_segment_is_counted_once() -> None:
    kept = KeptMedia(8)
    kept.add_segment("1", 4, 0, b"aaaa")
    kept.add_segment("1", 4, 0, b"aaaa")
    kept.add_segment("2", 4, 0, b"bbbb")
    kept.join("1", 1)
    assert kept.get("1") == b"aaaa"


def test_a_media_that_lost_a_segment_is_forgotten_at_join() -> None:
    kept = KeptMedia(6)
    kept.add_segment("1", 6, 0, b"aaa")
    kept.add_segment("2", 3, 0, b"bbb")
    kept.add_segment("1", 6, 1, b"ccc")  # drops media 2 to fit
    kept.add_segment("2", 3, 1, b"ddd")  # drops media 1's segments, which were older
    kept.join("1", 2)
    assert kept.get("1") is None


def test_more_than_declared_is_not_kept() -> None:
    kept = KeptMedia(4)
    kept.add_segment("1", 4, 0, b"aaa")
    kept.add_segment("1", 4, 1, b"bbb")  # 6 bytes of a media declared 4 long: over the cap
    kept.add_segment("1", 4, 0, b"aaa")
    kept.join("1", 2)
    assert kept.get("1") is None


def test_a_media_larger_than_the_cap_is_never_kept() -> None:
    kept = KeptMedia(4)
    kept.add_segment("1", 5, 0, b"abcde")
    kept.join("1", 1)
    assert kept.get("1") is None
