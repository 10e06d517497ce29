"""Each rule's probe against the emulator (always) and api.x.com (with credentials), compared with a snapshot of X's
answer. With ``X_CONTRACT_RECORD=1`` on the live target, X's answers rewrite the snapshots instead."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.contract.probes import PROBES, Probe
from tests.contract.shape import shape
from tests.contract.target import Target

SNAPSHOTS = Path(__file__).parent / "snapshots"


def test_every_probe_has_a_sourced_snapshot() -> None:
    names = {probe.name for probe in PROBES}
    assert {path.stem for path in SNAPSHOTS.glob("*.json")} == names
    for name in names:
        snapshot = json.loads((SNAPSHOTS / f"{name}.json").read_text())
        assert snapshot["source"] and snapshot["rule"] and snapshot["shape"]["status"]


@pytest.mark.parametrize("probe", PROBES, ids=lambda probe: probe.name)
def test_answer_matches_x(target: Target, probe: Probe) -> None:
    if not target.is_emulator and probe.emulator_only:
        pytest.skip("needs an account state that cannot be arranged on X")
    if not target.is_emulator and probe.posts and not target.allow_posts:
        pytest.skip("would post if X accepted it: set X_CONTRACT_ALLOW_POSTS=1")
    path = SNAPSHOTS / f"{probe.name}.json"
    snapshot = json.loads(path.read_text())
    observed = shape(probe.run(target))
    if target.record:
        recorded = {**snapshot, "shape": observed, "source": f"recorded from {target.base_url}"}
        recorded["recorded_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        recorded["seeded_from"] = snapshot.get("seeded_from", snapshot["source"])
        path.write_text(json.dumps(recorded, indent=2, ensure_ascii=False) + "\n")
        return
    expected = snapshot["shape"]
    # Headers: the snapshot lists those that must be present; more are fine (24-hour caps vary by account).
    assert set(expected["headers"]) <= set(observed["headers"]), f"missing rate-limit headers ({snapshot['source']})"
    assert {**observed, "headers": expected["headers"]} == expected, f"{target.name} differs ({snapshot['source']})"
