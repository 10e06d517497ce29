"""Fake a global function (``time.sleep``, ``asyncio.sleep``, ``time.time``) for the test's own thread only.

Session-scoped emulators run event loops in other threads of the same process; uvicorn's loop sleeps 0.1 s per
tick. A global fake that returns at once makes such a loop spin, and a fake clock advanced by its sleeps races
past any deadline under test.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any


def only_in_this_thread(real: Callable[..., Any], fake: Callable[..., Any]) -> Callable[..., Any]:
    """``fake`` when called from the calling thread, ``real`` from any other (works for coroutine functions too)."""
    owner = threading.get_ident()
    return lambda *args, **kwargs: (fake if threading.get_ident() == owner else real)(*args, **kwargs)
