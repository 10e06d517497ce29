"""Errors that name what the user wrote: the templated argument, and the DAG param it was rendered from.

Airflow renders a task's templated arguments in place before ``execute``, so the template is gone by the time a
check refuses its value. :class:`TemplateSourcesMixin` keeps the templates as written (through the public
``render_template_fields``); :func:`naming_sources` then adds, to a ``TwitterInputError`` that names an argument or
shows its value, which DAG param it came from and what it was rendered to, so that the user knows to fix the run's
``conf`` or the param's default, not the DAG's code.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from airflow_provider.exceptions import TwitterInputError

if TYPE_CHECKING:
    import jinja2
    from airflow.providers.common.compat.sdk import Context

# The longest rendered value an error repeats (a post's text may run to 25,000 characters).
SHOWN_CHARS = 120
# ``params.name``, ``params['name']`` and ``params["name"]`` in a Jinja template.
_PARAM = re.compile(r"""params\s*(?:\.\s*(\w+)|\[\s*['"]([^'"]+)['"]\s*\])""")


class TemplateSourcesMixin:
    """Keeps each templated argument as written in ``raw_templates`` when the task renders them."""

    template_fields: Any
    raw_templates: dict[str, Any]

    def render_template_fields(self, context: Context, jinja_env: jinja2.Environment | None = None) -> None:
        self.raw_templates = {name: getattr(self, name, None) for name in self.template_fields}
        super().render_template_fields(context, jinja_env)  # type: ignore[misc]


def param_names(template: Any) -> list[str]:
    """The DAG params a template string reads, in order, each once."""
    if not isinstance(template, str):
        return []
    return list(dict.fromkeys(dotted or indexed for dotted, indexed in _PARAM.findall(template)))


def sources(message: str, raw: Mapping[str, Any], rendered: Mapping[str, Any]) -> list[str]:
    """For each argument that ``message`` names (or whose rendered value it shows) and whose template reads DAG
    params: which params, the template and what it rendered to."""
    notes = []
    for name, template in raw.items():
        params = param_names(template)
        value = rendered.get(name)
        if params and (name in message or (value not in (None, "") and str(value) in message)):
            which = ", ".join(repr(p) for p in params)
            shown = repr(value) if len(repr(value)) <= SHOWN_CHARS else repr(value)[:SHOWN_CHARS] + "…"
            notes.append(
                f"{name} came from DAG param {which} ({template!r} rendered {shown}): set it in the run's conf or "
                "change the param's default"
            )
    return notes


@contextmanager
def naming_sources(
    task: Any, raw: Mapping[str, Any] | None = None, rendered: Mapping[str, Any] | None = None, prefix: str = ""
) -> Iterator[None]:
    """Re-raise a ``TwitterInputError`` with ``prefix`` and the DAG params its arguments came from. ``raw`` and
    ``rendered`` default to the task's kept templates and its current (rendered) arguments."""
    try:
        yield
    except TwitterInputError as e:
        raw = getattr(task, "raw_templates", {}) if raw is None else raw
        rendered = {name: getattr(task, name, None) for name in raw} if rendered is None else rendered
        notes = sources(str(e), raw, rendered)
        if not notes and not prefix:
            raise
        raise TwitterInputError(prefix + " ".join([str(e), *(f"({note}.)" for note in notes)])) from None
