"""Media metadata beyond alt text: what the upload sends X in its one metadata call."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from airflow_provider.exceptions import TwitterInputError
from airflow_provider.operators.media import MediaUploadOperator
from airflow_provider.rules.metadata import MediaMetadata
from tests.unit.fake_x import FakeX
from tests.unit.task_context import task_context

if TYPE_CHECKING:
    from airflow.providers.common.compat.sdk import Context

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 100


def unmapped() -> Context:
    context = task_context()
    context["ti"].map_index = -1
    return context


def script(fake_x: FakeX) -> None:
    fake_x.on("POST", "/2/media/upload/initialize", (200, {"data": {"id": "1880028106020515840"}}))
    fake_x.on("POST", "/2/media/upload/1880028106020515840/append", (200, {"data": {}}))
    fake_x.on("POST", "/2/media/upload/1880028106020515840/finalize", (200, {"data": {"id": "1880028106020515840"}}))
    fake_x.on("POST", "/2/media/metadata", (200, {"data": {"associated_metadata": True}}))


def test_everything_goes_in_one_metadata_call(twitter_conn: object, fake_x: FakeX, tmp_path: Path) -> None:
    script(fake_x)
    (path := tmp_path / "a.png").write_bytes(PNG)
    op = MediaUploadOperator(
        task_id="upload",
        file_path=str(path),
        alt_text="A chart",
        sensitive_media_warning=["other", "graphic_violence"],
        allow_download=False,
        found_media_origin={"provider": "giphy", "id": "u5BzatR15TZ04"},
    )

    op.execute(unmapped())

    (request,) = fake_x.sent("POST", "/2/media/metadata")
    assert json.loads(request.body or b"") == {
        "id": "1880028106020515840",
        "metadata": {
            "alt_text": {"text": "A chart"},
            "sensitive_media_warning": {"graphic_violence": True, "other": True},
            "allow_download_status": {"allow_download": False},
            "found_media_origin": {"provider": "giphy", "id": "u5BzatR15TZ04"},
        },
    }


def test_no_metadata_no_call(twitter_conn: object, fake_x: FakeX, tmp_path: Path) -> None:
    script(fake_x)
    (path := tmp_path / "a.png").write_bytes(PNG)
    MediaUploadOperator(task_id="upload", file_path=str(path), alt_text="").execute(unmapped())
    assert fake_x.sent("POST", "/2/media/metadata") == []


def test_allow_download_alone_is_sent(twitter_conn: object, fake_x: FakeX, tmp_path: Path) -> None:
    script(fake_x)
    (path := tmp_path / "a.png").write_bytes(PNG)
    MediaUploadOperator(task_id="upload", file_path=str(path), allow_download=True).execute(unmapped())
    (request,) = fake_x.sent("POST", "/2/media/metadata")
    assert json.loads(request.body or b"")["metadata"] == {"allow_download_status": {"allow_download": True}}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"sensitive_media_warning": "adult_content"}, "sensitive_media_warning must be a list of"),
        ({"sensitive_media_warning": ["nudity"]}, "sensitive_media_warning has 'nudity'"),
        ({"allow_download": "no"}, "allow_download must be True, False or None"),
    ],
)
def test_untemplated_metadata_is_checked_at_parse_time(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(TwitterInputError, match=message):
        MediaUploadOperator(task_id="upload", file_path="{{ params.path }}", **kwargs)


def test_body_leaves_out_what_is_not_set() -> None:
    assert MediaMetadata.checked().body() == {}
    assert MediaMetadata.checked(alt_text="", sensitive_media_warning=[]).body() == {}


def test_hook_takes_alt_text_or_metadata_not_both(twitter_conn: object, fake_x: FakeX, tmp_path: Path) -> None:
    from airflow_provider.files.media_file import inspect_media_file
    from airflow_provider.hooks.twitter import TwitterHook

    (path := tmp_path / "a.png").write_bytes(PNG)
    with pytest.raises(TwitterInputError, match="Pass alt_text or metadata, not both"):
        TwitterHook().upload_media(inspect_media_file(str(path)), alt_text="a", metadata=MediaMetadata(alt_text="b"))
    assert fake_x.requests == []
