"""The hook's arguments as tasks pass them, checked in the tasks' constructors without importing the hook, so that a
DAG with a bad one fails at parse time, naming the argument and the fix."""

from __future__ import annotations

import inspect
import re
from typing import Any

import pytest

from airflow_provider.exceptions import TwitterInputError
from airflow_provider.hooks.params import HOOK_PARAMS, check_conn_id, check_hook_params


def test_the_params_are_the_hooks_tuning_arguments() -> None:
    from airflow_provider.hooks.twitter import TwitterHook

    arguments = [name for name in inspect.signature(TwitterHook).parameters if name != "twitter_conn_id"]
    assert list(HOOK_PARAMS) == arguments


@pytest.mark.parametrize("conn_id", ["twitter_default", "x-news.prod"])
def test_a_connection_id(conn_id: str) -> None:
    assert check_conn_id(conn_id) == conn_id


@pytest.mark.parametrize("bad", ["", "my conn", "tab\tid", None, 3])
def test_a_connection_id_airflow_could_not_have_is_refused(bad: Any) -> None:
    with pytest.raises(TwitterInputError, match=r"^twitter_conn_id must name an Airflow connection of type 'twitter'"):
        check_conn_id(bad)


def test_params_within_the_rules_are_taken() -> None:
    params = {"timeout": None, "max_attempts": 1, "backoff_initial": 0, "backoff_max": 2.5, "max_rate_limit_wait": 0}
    assert check_hook_params(params) == params
    assert check_hook_params(None) == {}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ([("timeout", 5)], "hook_params must be a dict of TwitterHook arguments (timeout, max_attempts"),
        ({"retries": 3, "delay": 1}, "hook_params has unknown key(s) 'delay', 'retries'; TwitterHook takes timeout"),
        ({"timeout": 0}, "hook_params['timeout'] must be a number of seconds, above 0; got int 0."),
        ({"max_attempts": 0}, "hook_params['max_attempts'] must be a whole number, at least 1; got int 0."),
        ({"max_attempts": 2.5}, "hook_params['max_attempts'] must be a whole number"),
        ({"backoff_initial": -1}, "hook_params['backoff_initial'] must be a number of seconds, at least 0"),
        ({"backoff_max": "30"}, "hook_params['backoff_max'] must be a number of seconds"),
        ({"max_rate_limit_wait": None}, "hook_params['max_rate_limit_wait'] must be a number of seconds"),
    ],
)
def test_bad_params_are_refused_naming_them(params: Any, message: str) -> None:
    with pytest.raises(TwitterInputError, match=f"^{re.escape(message)}"):
        check_hook_params(params)


def test_the_label_prefixes_the_names() -> None:
    with pytest.raises(TwitterInputError, match=r"^max_attempts must be a whole number"):
        check_hook_params({"max_attempts": 0}, label="")
    with pytest.raises(TwitterInputError, match=r"^wait\.hook_params\['timeout'\] must be"):
        check_hook_params({"timeout": -1}, label="wait.hook_params")
