"""One post's media from a mapped ``MediaUploadOperator``, judged as a group before anything is uploaded.

``CreateTweetOperator(media_ids=upload.output)``, with ``upload = MediaUploadOperator.partial(...).expand(...)``,
posts the media of every mapped upload in one post. X takes up to 4 images, or one video or GIF alone. Checked only
by the post, a 5th image or a video among images would fail after every upload had run and X had minted media
for nothing. So the group is judged where it is first known:

- at DAG parse, by the post's constructor: an expansion over literal lists into more than 4 uploads, and a
  ``media_ids`` that wraps or fails to wrap the upload's output, are import errors;
- at run time, by every mapped upload that feeds a post, before its INITIALIZE: the whole expansion, as Airflow
  expands it (literal lists or XComs), must be at most 4 files, and none a video or GIF unless it is alone. The
  other instances' files are judged as their own instance judges them (``inspect_media_file``: the head bytes,
  the size), with no request to X. Every instance reaches the same verdict, so none of them uploads.

An upload inside a mapped task group is left to the post's own checks: which instances a post then receives
depends on the group's expansion, which this module does not model.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from airflow.providers.common.compat.sdk import XComArg

from airflow_provider.exceptions import TwitterInputError
from airflow_provider.media import MAX_MEDIA_PER_POST, MediaFile, inspect_media_file

if TYPE_CHECKING:
    from airflow.providers.common.compat.sdk import Context

    from airflow_provider.operators.media import MediaUploadOperator

# The upload's arguments that decide what X is sent: those other instances are judged by.
_JUDGED = ("file_path", "media_type", "media_category")
_NO_UPLOAD = "Nothing was uploaded"


def check_post_media_at_parse(media_ids: Any) -> None:
    """What the post's constructor can tell about ``media_ids`` from the DAG alone."""
    upload = _upload_of(media_ids)
    if upload is None:
        if isinstance(media_ids, Sequence) and not isinstance(media_ids, str):
            for item in media_ids:
                if (inner := _upload_of(item)) is not None and inner.is_mapped:
                    raise TwitterInputError(
                        f"media_ids wraps the output of the mapped upload {inner.task_id!r} in a list; its output is "
                        f"already the list of all its uploads. Pass media_ids={inner.task_id}.output, unwrapped."
                    )
        return
    if not upload.is_mapped:
        raise TwitterInputError(
            f"media_ids is the output of the single upload {upload.task_id!r}, not a list: wrap it, "
            f"media_ids=[{upload.task_id}.output]."
        )
    count = _literal_count(upload)
    if count is not None and count > MAX_MEDIA_PER_POST:
        raise TwitterInputError(
            f"The mapped upload {upload.task_id!r} expands into {count} uploads, and its output is this post's "
            f"media_ids; a post carries at most {MAX_MEDIA_PER_POST} media. Map it over at most "
            f"{MAX_MEDIA_PER_POST} files, or split them across several posts."
        )


def check_upload_group(upload: MediaUploadOperator, context: Context, own: MediaFile) -> None:
    """Before this instance's INITIALIZE: refuse the whole group of mapped uploads that one post would carry when X
    would refuse the post (over 4 media, or a video or GIF among several). ``own`` is this instance's checked file."""
    map_index = getattr(context["ti"], "map_index", None)
    dag = context.get("dag")
    if not isinstance(map_index, int) or map_index < 0 or dag is None:  # not a mapped instance
        return
    mapped = dag.task_dict.get(upload.task_id)
    if mapped is None or not mapped.is_mapped or mapped.get_closest_mapped_task_group() is not None:
        return
    posts = sorted(
        task_id for task_id in mapped.downstream_task_ids if _upload_of(_media_ids(dag.task_dict[task_id])) is mapped
    )
    if not posts:
        return
    feeds = f"the mapped upload {upload.task_id!r}, whose output is the media_ids of {', '.join(map(repr, posts))}"
    instances = _expansion(mapped, upload, context, feeds)
    if instances is None:
        return
    media = [own if index == map_index else _judge(judged) for index, judged in enumerate(instances)]
    moving = [(index, m) for index, m in enumerate(media) if m is not None and _is_moving(m)]
    if moving and len(media) > 1:
        named = ", ".join(f"{m.path!r} ({m.media_type}, map index {index})" for index, m in moving)
        raise TwitterInputError(
            f"{len(media)} files for one post from {feeds}, and {named} "
            f"{'is a video or GIF' if len(moving) == 1 else 'are videos or GIFs'}; a post carries one video or GIF "
            f"alone, or up to {MAX_MEDIA_PER_POST} images. {_NO_UPLOAD}: post the video or GIF on its own."
        )


def _media_ids(task: Any) -> Any:
    """A post's ``media_ids`` as the DAG gave it (an XComArg), or None for any other task."""
    from airflow_provider.operators.tweet import CreateTweetOperator

    return task.media_ids if isinstance(task, CreateTweetOperator) else None


def _upload_of(value: Any) -> Any:
    """The ``MediaUploadOperator`` (mapped or not) whose whole return value ``value`` is, else None."""
    from airflow_provider.operators.media import MediaUploadOperator

    if not isinstance(value, XComArg) or getattr(value, "key", None) != "return_value":
        return None
    operator = getattr(value, "operator", None)  # a plain XComArg; .map() and .zip() results have none
    if operator is None:
        return None
    cls = getattr(operator, "operator_class", None) if operator.is_mapped else type(operator)
    return operator if isinstance(cls, type) and issubclass(cls, MediaUploadOperator) else None


def _literal_count(mapped: Any) -> int | None:
    """How many uploads an expansion over literal values makes, as Airflow multiplies them; None if XComs decide."""
    if mapped.get_closest_mapped_task_group() is not None:
        return None
    value = mapped.expand_input.value
    if isinstance(value, Mapping):  # expand(): the product of the lists' lengths
        lengths = [len(v) if _is_literal(v) else None for v in value.values()]
        return None if None in lengths else math.prod(length for length in lengths if length is not None)
    return len(value) if _is_literal(value) else None  # expand_kwargs()


def _is_literal(value: Any) -> bool:
    """A list or dict written in the DAG: no XComArg, no task group's mapped argument (both have ``resolve``)."""
    return isinstance(value, Sequence | Mapping) and not isinstance(value, str) and not hasattr(value, "resolve")


def _expansion(mapped: Any, upload: MediaUploadOperator, context: Context, feeds: str) -> list[dict[str, Any]] | None:
    """Each mapped instance's arguments, in map index order, resolved as Airflow resolves them: XComs as they are,
    literal strings rendered. Refuses over 4 from the lengths alone, before any file is read. None when the expansion
    is of a kind this module does not model."""
    value = mapped.expand_input.value
    if isinstance(value, Mapping):  # expand(): one instance per combination, the last argument varying fastest
        columns = {name: _resolve(column, context) for name, column in value.items()}
        if any(column is None or isinstance(column, str) for column in columns.values()):
            return None
        _check_count(math.prod(len(column) for column in columns.values()), feeds)
        rows = [
            dict(zip(columns, combination, strict=True))
            for combination in itertools.product(
                *(list(c.items()) if isinstance(c, Mapping) else list(c) for c in columns.values())
            )
        ]
        literal = {name for name, column in value.items() if _is_literal(column)}
        return [_judged(upload, row, context, rendered=literal) for row in rows]
    items = _resolve(value, context)  # expand_kwargs(): a list of dicts, or of XComs each giving one
    if items is None or isinstance(items, str):
        return None
    _check_count(len(items), feeds)
    instances = []
    for item in items:
        kwargs = _resolve(item, context)
        if not isinstance(kwargs, Mapping):
            return None
        rendered = set(kwargs) if _is_literal(value) and not isinstance(item, XComArg) else set()
        instances.append(_judged(upload, kwargs, context, rendered=rendered))
    return instances


def _check_count(count: int, feeds: str) -> None:
    if count > MAX_MEDIA_PER_POST:
        raise TwitterInputError(
            f"{count} files for one post from {feeds}; a post carries at most {MAX_MEDIA_PER_POST} media. "
            f"{_NO_UPLOAD}: give the post at most {MAX_MEDIA_PER_POST} files, or split them across several posts."
        )


def _resolve(value: Any, context: Context) -> Any:
    """An XComArg's value; a literal as it is; None for what this module does not model."""
    if isinstance(value, XComArg):
        return value.resolve(context)
    return None if hasattr(value, "resolve") else value


def _judged(
    upload: MediaUploadOperator, kwargs: Mapping[str, Any], context: Context, *, rendered: set[str]
) -> dict[str, Any]:
    """The arguments that decide what X is sent, for one instance: mapped ones from ``kwargs`` (Jinja rendered for
    the names in ``rendered``, as Airflow renders literals but not XCom values), the others as this task has them."""
    return {
        name: (upload.render_template(kwargs[name], context) if name in rendered else kwargs[name])
        if name in kwargs
        else getattr(upload, name)
        for name in _JUDGED
    }


def _judge(judged: Mapping[str, Any]) -> MediaFile | None:
    """Another instance's file as that instance will see it; None when it will refuse the file itself."""
    try:
        return inspect_media_file(
            judged["file_path"], judged["media_type"], judged["media_category"], max_video_duration=math.inf
        )
    except TwitterInputError:
        return None


def _is_moving(media: MediaFile) -> bool:
    """A video or an animated GIF (by category: a GIF uploaded as ``tweet_image`` is a still image to X)."""
    return media.media_category.endswith(("_gif", "_video"))
