"""X's two chunked-upload APIs as data: where each command goes, how its request is encoded, and how its answer
reads, so that the client runs one upload (INIT, APPEND per segment, FINALIZE, STATUS) whichever API is configured.

- **v2** (the default): ``POST /2/media/upload/initialize`` (JSON), ``/{id}/append`` (multipart), ``/{id}/finalize``
  and ``GET /2/media/upload?command=STATUS``, on the API host; answers wrapped in ``data`` (OAS 2.167).
- **v1.1**, for accounts still on it: ``/1.1/media/upload.json`` on ``upload.twitter.com`` with ``command=INIT``,
  ``APPEND`` or ``FINALIZE`` (POST; INIT and FINALIZE form-urlencoded as tweepy sends them, APPEND multipart, the
  only encoding its reference allows) and ``command=STATUS`` as a GET with URL parameters (v1 reference pages
  post-media-upload-init, -append, -finalize, get-media-upload-status). Answers are bare objects with an integer
  ``media_id`` beside ``media_id_string``; refusals are ``{"request", "error"}`` (toofusan/Twity#14,
  python-twitter-tools/twitter#403) or ``{"errors": [{"code", "message"}]}`` (plhery/node-twitter-api-v2#336).

Both answers are read into v2's ``data`` shape (``id``, ``media_key``, ``size``, ``expires_after_secs``,
``processing_info``, ``image`` / ``video``), so the upload's output, the sensor, the trigger and the post are the
same for both. Alt text and posts stay on v2 either way (``/2/media/metadata``, ``/2/tweets``: see
docs/connection.md). No ``requests`` import: the triggerer reads STATUS through this module too.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from airflow_provider.client.answers import data_of, read_answer
from airflow_provider.client.config import upload_api_name, upload_base_url
from airflow_provider.client.multipart import SegmentBody
from airflow_provider.exceptions import TwitterApiError

V1_PATH = "/1.1/media/upload.json"


@dataclass(frozen=True)
class UploadRequest:
    """One command as sent: ``kwargs`` are ``requests``' (``json``, ``data``, ``params``, ``headers``)."""

    method: str
    path: str
    endpoint: str  # how errors name it, e.g. "POST /1.1/media/upload.json (APPEND)"
    kwargs: dict[str, Any] = field(default_factory=dict)

    @property
    def params(self) -> dict[str, str]:
        return dict(self.kwargs.get("params") or {})


@dataclass(frozen=True)
class UploadApi:
    """X's v2 upload endpoints at ``base_url`` (the API host)."""

    base_url: str
    name: ClassVar[str] = "v2"

    def initialize(self, total_bytes: int, media_type: str, media_category: str) -> UploadRequest:
        body = {"total_bytes": total_bytes, "media_type": media_type, "media_category": media_category}
        return _request("POST", "/2/media/upload/initialize", json=body)

    def append(self, media_id: str, segment_index: int, chunk: bytes) -> UploadRequest:
        body = SegmentBody(segment_index, chunk)
        return _request(
            "POST", f"/2/media/upload/{media_id}/append", data=body, headers={"Content-Type": body.content_type}
        )

    def finalize(self, media_id: str) -> UploadRequest:
        return _request("POST", f"/2/media/upload/{media_id}/finalize")

    def status(self, media_id: str) -> UploadRequest:
        return _request("GET", "/2/media/upload", params={"command": "STATUS", "media_id": media_id})

    def read(
        self, request: UploadRequest, status: int, reason: str, headers: Mapping[str, str], content: bytes
    ) -> dict[str, Any]:
        """The answer's body for a 2xx (an APPEND's may be empty), else the ``TwitterApiError`` X described."""
        return read_answer(request.endpoint, status, reason, headers, content)

    def media(self, request: UploadRequest, answer: dict[str, Any]) -> dict[str, Any]:
        """INIT's, FINALIZE's or STATUS's answer as v2's ``data``."""
        return data_of(answer, request.endpoint)


@dataclass(frozen=True)
class V1UploadApi(UploadApi):
    """X's v1.1 chunked upload at ``base_url`` (``https://upload.twitter.com`` unless the connection's host is set)."""

    name: ClassVar[str] = "v1.1"

    def initialize(self, total_bytes: int, media_type: str, media_category: str) -> UploadRequest:
        fields = {"total_bytes": str(total_bytes), "media_type": media_type, "media_category": media_category}
        return _command("POST", "INIT", data=fields)

    def append(self, media_id: str, segment_index: int, chunk: bytes) -> UploadRequest:
        body = SegmentBody(segment_index, chunk, {"command": "APPEND", "media_id": media_id})
        return _command("POST", "APPEND", data=body, headers={"Content-Type": body.content_type})

    def finalize(self, media_id: str) -> UploadRequest:
        return _command("POST", "FINALIZE", data={"media_id": media_id})

    def status(self, media_id: str) -> UploadRequest:
        return _command("GET", "STATUS", params={"media_id": media_id})

    def read(
        self, request: UploadRequest, status: int, reason: str, headers: Mapping[str, str], content: bytes
    ) -> dict[str, Any]:
        """As v2, once a ``{"request", "error"}`` refusal has its ``error`` as the detail the message shows."""
        try:
            return read_answer(request.endpoint, status, reason, headers, content)
        except TwitterApiError as e:
            if e.detail is not None or not (error := _v1_error_text(content)):
                raise
            raise type(e)(
                endpoint=e.endpoint,
                http_status=e.http_status,
                title=e.title,
                detail=error,
                errors=e.errors,
                rate_limit_reset=e.rate_limit_reset,
                hint=e.hint,
            ) from None

    def media(self, request: UploadRequest, answer: dict[str, Any]) -> dict[str, Any]:
        """A bare v1.1 object as v2's ``data``: ``media_id_string`` becomes ``id`` (never the integer, which
        JavaScript-era clients were told not to trust), the rest is kept as X sent it. ``media_key`` is there only
        when X sent it: with a ``media_category`` at INIT (sferik/twitter-ruby#1025), which the upload always sends;
        STATUS leaves it out unless asked by ``media_key`` (v1 get-media-upload-status reference)."""
        media_id = answer.get("media_id_string") or answer.get("media_id")
        if not isinstance(media_id, str | int) or isinstance(media_id, bool):
            raise TwitterApiError(
                endpoint=request.endpoint,
                http_status=200,
                title="Unexpected answer",
                detail=f"no 'media_id_string' in X's answer (keys: {sorted(answer)})",
            )
        rest = {key: value for key, value in answer.items() if key not in ("media_id", "media_id_string")}
        return {"id": str(media_id), **rest}


def upload_api_for(host: str | None, port: int | None, extra: Any) -> UploadApi:
    """The API the connection's extra ``upload_api`` names, at its host; refused before any request when X could
    not serve it (see :func:`~airflow_provider.client.config.upload_api_name`). An extra that is no JSON
    object is left to the credentials' check, which names that problem."""
    name = upload_api_name(extra if isinstance(extra, Mapping) else {})
    api = V1UploadApi if name == V1UploadApi.name else UploadApi
    return api(upload_base_url(name, host, port))


def _request(method: str, path: str, **kwargs: Any) -> UploadRequest:
    return UploadRequest(method, path, f"{method} {path}", kwargs)


def _command(method: str, command: str, **kwargs: Any) -> UploadRequest:
    """A v1.1 command: ``command`` in the form body for POST, in the URL's parameters for GET (STATUS)."""
    where = "params" if method == "GET" else "data"
    if isinstance(kwargs.get(where), dict):
        kwargs[where] = {"command": command, **kwargs[where]}
    return UploadRequest(method, V1_PATH, f"{method} {V1_PATH} ({command})", kwargs)


def _v1_error_text(content: bytes) -> str | None:
    """The ``error`` of a v1.1 refusal shaped ``{"request": "/1.1/media/upload.json", "error": "..."}``."""
    try:
        body = json.loads(content)
    except ValueError:
        return None
    error = body.get("error") if isinstance(body, dict) else None
    return error if isinstance(error, str) and error else None
