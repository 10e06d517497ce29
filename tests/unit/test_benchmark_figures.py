"""The arithmetic behind the benchmark figures: poll lateness, triggers alive at once, requests by kind."""

from __future__ import annotations

from typing import Any

import pytest

from benchmarks.requests_per_media import count
from benchmarks.triggers import _lateness, _most_alive, _percentile


def test_lateness_is_each_poll_against_the_previous_answer_plus_the_advice() -> None:
    # FINALIZE at 100, advice 5: polls due at 105, then 5 s after each poll.
    assert _lateness(100.0, [111.0, 105.5], 5) == pytest.approx([0.5, 0.5])
    assert _lateness(100.0, [104.0], 5) == pytest.approx([-1.0])  # an early poll shows as negative
    assert _lateness(100.0, [], 5) == []


def test_most_alive_counts_overlapping_waits() -> None:
    assert _most_alive([(0, 10), (5, 15), (9, 20), (16, 30)]) == 3
    assert _most_alive([(0, 1), (2, 3)]) == 1


def test_percentile_takes_the_value_at_that_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert _percentile(values, 0.99) == 100.0
    assert _percentile(values, 0.5) == 51.0


def test_requests_are_counted_by_kind() -> None:
    log: list[dict[str, Any]] = [
        {"path": "/2/media/upload/initialize", "endpoint": "initialize"},
        {"path": "/2/media/upload/1/append", "endpoint": "append"},
        {"path": "/2/media/upload/1/append", "endpoint": "append"},
        {"path": "/2/media/upload", "endpoint": "status"},
        {"path": "/1.1/media/metadata/create.json", "endpoint": None},
        {"path": "/2/tweets", "endpoint": "tweets"},
        {"path": "/2/users/me", "endpoint": "users_me"},
    ]
    assert count(log) == {
        "INIT": 1,
        "APPEND": 2,
        "FINALIZE": 0,
        "STATUS": 1,
        "metadata": 1,
        "post": 1,
        "other": 1,
    }
