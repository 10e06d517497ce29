"""The ``hook`` property that the provider's operators and sensor share."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from airflow_provider.hooks.twitter import TwitterHook


class TwitterHookMixin:
    """
    A ``TwitterHook`` built on first use from the task's ``twitter_conn_id`` and ``hook_params``.

    The hook module (the client: httpx, tenacity, oauthlib) is imported at run time, never while the DAG file is
    parsed.
    ``hook_defaults`` are a task class's own defaults; the user's ``hook_params`` override them.
    """

    hook_defaults: ClassVar[dict[str, Any]] = {}
    twitter_conn_id: str
    hook_params: dict[str, Any]

    @cached_property
    def hook(self) -> TwitterHook:
        from airflow_provider.hooks.twitter import TwitterHook

        return TwitterHook(self.twitter_conn_id, **{**self.hook_defaults, **self.hook_params})
