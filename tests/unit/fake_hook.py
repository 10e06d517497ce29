"""The seam between the provider's tasks and X: ``TwitterHook``, replaced by an autospec mock.

Operators, the sensor and the trigger build their hook at run time from ``airflow_provider.hooks.twitter``; patching
the class there hands each of them the mock instance. A test scripts what the hook answers and asserts what the task
asked of it; the client behind the hook has its own tests against HTTP fakes. The autospec refuses calls the real
hook would refuse (an unknown method or argument), so a test cannot pass against a hook that does not exist.
"""

from __future__ import annotations

from collections.abc import Iterator
from unittest import mock

import pytest


@pytest.fixture
def hook_class() -> Iterator[mock.MagicMock]:
    """``TwitterHook`` itself: what a task built its hook with (``hook_class.assert_called_once_with(...)``)."""
    with mock.patch("airflow_provider.hooks.twitter.TwitterHook", autospec=True) as cls:
        yield cls


@pytest.fixture
def hook(hook_class: mock.MagicMock) -> mock.MagicMock:
    """The hook a task builds: ``hook.create_tweet.return_value = ...``; its async methods are ``AsyncMock``."""
    return hook_class.return_value
