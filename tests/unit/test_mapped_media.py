"""The media of one post from a mapped upload, judged as a group: at DAG parse from literal lists, and by every
mapped instance before its INITIALIZE from the whole expansion, with no request to X."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from airflow_provider.exceptions import TwitterInputError
from airflow_provider.mapped_media import check_upload_group
from airflow_provider.media import inspect_media_file
from airflow_provider.operators.media import MediaUploadOperator
from tests.unit.fake_x import FakeX
from tests.unit.mapped_uploads import instance_context, mapped_post_dag, run_instance

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 100
GIF = b"GIF89a" + b"\0" * 100
MP4 = b"\0\0\0\x20ftypisom" + b"\0" * 100
TOO_MANY = "a post carries at most 4 media"
MOVING = "a post carries one video or GIF alone, or up to 4 images. Nothing was uploaded"


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    made = {}
    for name, data in {"a.png": PNG, "b.png": PNG, "c.png": PNG, "d.png": PNG, "e.png": PNG, "f.gif": GIF}.items():
        (tmp_path / name).write_bytes(data)
        made[name] = str(tmp_path / name)
    (tmp_path / "v.mp4").write_bytes(MP4)
    made["v.mp4"] = str(tmp_path / "v.mp4")
    return made


def pngs(files: dict[str, str], count: int) -> list[str]:
    return [files[f"{c}.png"] for c in "abcde"[:count]]


# -- at DAG parse -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expansion", "count"),
    [
        pytest.param({"file_path": ["1.png"] * 5}, 5, id="expand over 5"),
        pytest.param({"file_path": ["1.png"] * 3, "alt_text": ["a", "b"]}, 6, id="expand over 3 x 2, a product"),
        pytest.param([{"file_path": "1.png"}] * 5, 5, id="expand_kwargs over 5"),
    ],
)
def test_more_than_4_literal_uploads_for_one_post_fail_the_dag(expansion: Any, count: int) -> None:
    with pytest.raises(TwitterInputError) as err:
        mapped_post_dag(expansion)
    assert f"The mapped upload 'upload' expands into {count} uploads" in str(err.value)
    assert TOO_MANY in str(err.value)


@pytest.mark.parametrize(
    "expansion",
    [
        pytest.param({"file_path": ["1.png"] * 4}, id="4 literal"),
        pytest.param({"file_path": ["1.png"] * 2, "alt_text": ["a", "b"]}, id="2 x 2 literal"),
        pytest.param([{"file_path": "1.png"}] * 4, id="expand_kwargs over 4"),
    ],
)
def test_up_to_4_literal_uploads_for_one_post_parse(expansion: Any) -> None:
    assert mapped_post_dag(expansion).task_dict["post"]


def test_uploads_from_xcom_or_not_feeding_a_post_are_not_counted_at_parse() -> None:
    mapped_post_dag({"file_path": ["1.png"] * 9}, via_xcom=True)
    mapped_post_dag({"file_path": ["1.png"] * 9}, post=False)


# -- at run time, before any upload ---------------------------------------------------------------------------------


@pytest.mark.parametrize("map_index", range(5))
def test_every_instance_of_5_uploads_from_xcom_refuses_before_any_request(
    files: dict[str, str], map_index: int, fake_x: FakeX, twitter_conn: dict[str, Any]
) -> None:
    paths = pngs(files, 5)
    dag = mapped_post_dag({"file_path": paths}, via_xcom=True)
    with pytest.raises(TwitterInputError) as err:
        run_instance(dag, map_index, {"file_path": paths[map_index]}, xcom=paths)
    assert "5 files for one post from the mapped upload 'upload', whose output is the media_ids of 'post'" in str(
        err.value
    )
    assert fake_x.requests == []


@pytest.mark.parametrize("map_index", range(3))
def test_every_instance_refuses_a_video_among_images(
    files: dict[str, str], map_index: int, fake_x: FakeX, twitter_conn: dict[str, Any]
) -> None:
    paths = [files["a.png"], files["v.mp4"], files["b.png"]]
    dag = mapped_post_dag({"file_path": paths})
    with pytest.raises(TwitterInputError) as err:
        run_instance(dag, map_index, {"file_path": paths[map_index]})
    assert f"{files['v.mp4']!r} (video/mp4, map index 1) is a video or GIF; {MOVING}" in str(err.value)
    assert fake_x.requests == []


def group_check(dag: Any, map_index: int, kwargs: dict[str, Any], xcom: Any = None) -> None:
    upload = MediaUploadOperator(task_id="upload", **kwargs)
    own = inspect_media_file(upload.file_path, upload.media_type, upload.media_category)
    check_upload_group(upload, instance_context(dag, map_index, xcom), own)


def test_a_gif_is_moving_unless_uploaded_as_a_still_image(files: dict[str, str]) -> None:
    rows = [{"file_path": files["a.png"]}, {"file_path": files["f.gif"]}]
    with pytest.raises(TwitterInputError, match=r"\(image/gif, map index 1\) is a video or GIF"):
        group_check(mapped_post_dag(rows, via_xcom=True), 0, rows[0], xcom=rows)
    still = [rows[0], {**rows[1], "media_category": "tweet_image"}]
    group_check(mapped_post_dag(still, via_xcom=True), 0, still[0], xcom=still)


def test_up_to_4_images_pass(files: dict[str, str]) -> None:
    paths = pngs(files, 4)
    group_check(mapped_post_dag({"file_path": paths}), 2, {"file_path": paths[2]})
    group_check(mapped_post_dag({"file_path": paths}, via_xcom=True), 0, {"file_path": paths[0]}, xcom=paths)


def test_a_video_alone_passes(files: dict[str, str]) -> None:
    group_check(mapped_post_dag({"file_path": [files["v.mp4"]]}), 0, {"file_path": files["v.mp4"]})


def test_literal_paths_are_rendered_as_airflow_renders_them(files: dict[str, str]) -> None:
    folder = str(Path(files["a.png"]).parent)
    dag = mapped_post_dag({"file_path": ["{{ params.dir }}/a.png", "{{ params.dir }}/v.mp4"]})
    upload = MediaUploadOperator(task_id="upload", file_path=files["a.png"])
    context = instance_context(dag, 0, params={"dir": folder})
    with pytest.raises(TwitterInputError) as err:
        check_upload_group(upload, context, inspect_media_file(files["a.png"]))
    assert f"{folder + '/v.mp4'!r} (video/mp4, map index 1)" in str(err.value)


def test_a_file_another_instance_will_refuse_is_left_to_it(files: dict[str, str], tmp_path: Path) -> None:
    paths = [files["a.png"], str(tmp_path / "missing.mp4")]
    group_check(mapped_post_dag({"file_path": paths}), 0, {"file_path": paths[0]})


def test_a_mapped_upload_feeding_no_post_is_not_judged(files: dict[str, str]) -> None:
    paths = [*pngs(files, 5), files["v.mp4"]]
    group_check(mapped_post_dag({"file_path": paths}, post=False), 0, {"file_path": paths[0]})


def test_an_unmapped_upload_is_not_judged(files: dict[str, str]) -> None:
    dag = mapped_post_dag({"file_path": [files["a.png"]]})
    group_check(dag, -1, {"file_path": files["v.mp4"]})
