"""The tasks' ``hook`` property: built on first use, with the task class's defaults overridden by ``hook_params``,
and the hook module left unimported until then (so parsing a DAG file does not load the client)."""

from __future__ import annotations

import subprocess
import sys
from typing import Any, ClassVar

from airflow_provider.hooks.mixin import TwitterHookMixin
from airflow_provider.hooks.twitter import TwitterHook


class Task(TwitterHookMixin):
    hook_defaults: ClassVar[dict[str, Any]] = {"max_attempts": 3, "timeout": 20.0}

    def __init__(self, conn_id: str, **hook_params: Any) -> None:
        self.twitter_conn_id = conn_id
        self.hook_params = hook_params


def test_the_hook_has_the_tasks_connection_and_defaults_overridden_by_its_params(
    twitter_conn: dict[str, object],
) -> None:
    hook = Task("twitter_default", timeout=5.0, max_rate_limit_wait=30).hook
    assert isinstance(hook, TwitterHook) and hook.twitter_conn_id == "twitter_default"
    assert (hook.max_attempts, hook.timeout, hook.retry.max_rate_limit_wait) == (3, 5.0, 30)
    assert Task("twitter_default").hook.timeout == 20.0


def test_the_hook_is_made_once_per_task() -> None:
    task = Task("x_news")
    assert task.hook is task.hook
    assert Task("x_news").hook is not task.hook


def test_the_mixin_imports_no_hook() -> None:
    code = "import sys, airflow_provider.hooks.mixin; print('airflow_provider.hooks.twitter' in sys.modules)"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "False"
