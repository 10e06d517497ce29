"""The outcome of each fault-injection run, gathered by tests/e2e/test_faults.py and printed at the end of the
session (the figures docs/reliability.md keeps). Under pytest-xdist each worker gathers its own rows and hands them to
the controller, which prints them all (tests/e2e/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

GREEN, CLEAN_FAILURE = "green, one post", "clean failure, no post"
RESULTS: list[dict[str, Any]] = []


def print_fault_table(write: Callable[[str], Any]) -> None:
    """Each case in the order of the cases' list, then the totals: faults injected, runs expected green that were,
    posts duplicated or lost."""
    if not RESULTS:
        return
    write("")
    write("Fault injection (example_twitter_video under each fault):")
    for r in sorted(RESULTS, key=lambda r: int(r["order"])):
        outcome = f"got {r['outcome']} ({r['posts']} posts)"
        write(f"  {r['case']:<40} fired {r['fired']:>2}  expected {r['expected']:<24} {outcome}")
    survived = sum(r["outcome"] == r["expected"] == GREEN for r in RESULTS)
    duplicated = sum(max(r["posts"] - 1, 0) for r in RESULTS)
    lost = sum(r["expected"] == GREEN and r["posts"] == 0 for r in RESULTS)
    write(
        f"  faults injected {sum(r['fired'] for r in RESULTS)} in {len(RESULTS)} runs; runs expected green and green "
        f"{survived}/{sum(r['expected'] == GREEN for r in RESULTS)}; posts duplicated {duplicated}; posts lost {lost}"
    )
