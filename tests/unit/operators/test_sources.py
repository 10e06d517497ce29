"""Errors that name the DAG param a templated argument came from."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from airflow.providers.common.compat.sdk import DAG

from airflow_provider.exceptions import TwitterInputError
from airflow_provider.operators.media import MediaUploadOperator
from airflow_provider.operators.sources import naming_sources, param_names, sources
from tests.unit.task_context import task_context


@pytest.mark.parametrize(
    ("template", "names"),
    [
        ("{{ params.media_path }}", ["media_path"]),
        ("{{ params['a b'] }}/{{ params[\"c\"] }}/{{ params.a b }}", ["a b", "c", "a"]),
        ("/data/clip.mp4", []),
        (5, []),
    ],
)
def test_param_names(template: Any, names: list[str]) -> None:
    assert param_names(template) == names


def test_only_arguments_the_message_names_or_shows_are_explained() -> None:
    raw = {"file_path": "{{ params.clip }}", "alt_text": "{{ params.alt }}", "media_type": None}
    rendered = {"file_path": "/nope.mp4", "alt_text": "A clip", "media_type": None}
    (note,) = sources("Media file '/nope.mp4' does not exist.", raw, rendered)
    assert note.startswith("file_path came from DAG param 'clip' ('{{ params.clip }}' rendered '/nope.mp4')")


def test_a_long_rendered_value_is_shortened() -> None:
    (note,) = sources("The post text is 1,000 characters", {"text": "{{ params.text }}"}, {"text": "x" * 1000})
    assert "rendered 'xxx" in note and "x" * 200 not in note and "…)" in note


def test_the_missing_file_error_names_the_param_it_came_from(tmp_path: Any) -> None:
    with DAG("d", schedule=None, start_date=dt.datetime(2026, 1, 1)):
        op = MediaUploadOperator(task_id="upload", file_path="{{ params.media_path }}")
    missing = str(tmp_path / "missing.mp4")
    context: Any = {**task_context(), "params": {"media_path": missing}}
    op.render_template_fields(context)
    assert op.raw_templates["file_path"] == "{{ params.media_path }}" and op.file_path == missing
    with pytest.raises(TwitterInputError) as raised:
        op.execute(context)
    assert str(raised.value) == (
        f"Media file '{missing}' does not exist. Check file_path. (file_path came from DAG param 'media_path' "
        f"('{{{{ params.media_path }}}}' rendered '{missing}'): set it in the run's conf or change the param's "
        "default.)"
    )


def test_an_error_without_a_param_is_left_as_it_is() -> None:
    error = TwitterInputError("bad")
    with pytest.raises(TwitterInputError) as raised, naming_sources(object()):
        raise error
    assert raised.value is error
