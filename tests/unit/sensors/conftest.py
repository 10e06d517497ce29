"""The tasks under test talk to a mocked ``TwitterHook`` (tests/unit/fake_hook.py), never to X."""

from __future__ import annotations

from tests.unit.fake_hook import hook, hook_class  # noqa: F401 (fixtures)
