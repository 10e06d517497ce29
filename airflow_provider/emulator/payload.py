"""Reading a request body into fields, once: JSON, form-urlencoded, or multipart streamed part by part.

A multipart ``media`` part is hashed as it arrives (never spooled to disk, and buffered only when the emulator
keeps media bytes for its web page), so appending hundreds of MiB costs little memory. Problems with the body are
kept and raised only when a handler asks for its fields, so that authentication and fault injection still see
the request first.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from airflow_provider.emulator.errors import NOT_JSON, InvalidRequest
from airflow_provider.emulator.segments import SegmentDigest, SegmentHasher

MEDIA_PART = "media"
# Large enough for base64 ``media_data`` of a 5 MiB segment; anything bigger is not a field X accepts.
MAX_FIELD_BYTES = 8 * 1024 * 1024


@dataclass
class Payload:
    """A parsed request body of content type ``mime``. ``form_params`` are the urlencoded pairs OAuth 1.0a signs;
    ``keep_media`` asks for the media's bytes along with its digest (for the web page)."""

    mime: str = ""
    keep_media: bool = False
    fields: dict[str, Any] = field(default_factory=dict)
    form_params: list[tuple[str, str]] = field(default_factory=list)
    media: SegmentDigest | None = None
    problem: str | None = None

    def object(self) -> dict[str, Any]:
        """The body's fields, or the reason the body could not be read."""
        if self.problem is not None:
            raise InvalidRequest(self.problem)
        return self.fields

    def json_object(self) -> dict[str, Any]:
        """The body of a v2 endpoint that takes JSON: any other content type is X's 400 (twitteroauth#1082)."""
        if self.mime != "application/json":
            raise InvalidRequest(NOT_JSON, {}, f"content type {self.mime or 'absent'}")
        return self.object()

    def segment(self) -> SegmentDigest:
        """The appended bytes: a ``media`` file part, or base64 in ``media`` (JSON) or ``media_data`` (v1.1)."""
        fields = self.object()
        if self.media is not None:
            return self.media
        encoded = fields.get(MEDIA_PART, fields.get("media_data"))
        if not isinstance(encoded, str):
            raise InvalidRequest("The request must carry the segment in `media`.", {MEDIA_PART: []})
        try:
            return SegmentDigest.of(base64.b64decode(encoded, validate=True), keep=self.keep_media)
        except binascii.Error:
            raise InvalidRequest("`media` is not valid base64.", {MEDIA_PART: []}) from None


class _MultipartReader:
    """python-multipart callbacks that keep small fields and digest the ``media`` part on the fly."""

    def __init__(self, payload: Payload) -> None:
        self._payload = payload
        self._header_name = bytearray()
        self._header_value = bytearray()
        self._name = ""
        self._hasher: SegmentHasher | None = None
        self._value = bytearray()

    def callbacks(self) -> dict[str, Any]:
        return {
            "on_part_begin": self._part_begin,
            "on_header_field": lambda data, start, end: self._header_name.extend(data[start:end]),
            "on_header_value": lambda data, start, end: self._header_value.extend(data[start:end]),
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": self._part_data,
            "on_part_end": self._part_end,
        }

    def _part_begin(self) -> None:
        self._name = ""
        self._value = bytearray()
        self._hasher = None

    def _header_end(self) -> None:
        if bytes(self._header_name).lower() == b"content-disposition":
            _, options = parse_options_header(bytes(self._header_value))
            self._name = options.get(b"name", b"").decode("utf-8", "replace")
        self._header_name.clear()
        self._header_value.clear()

    def _headers_finished(self) -> None:
        if self._name == MEDIA_PART:
            if self._payload.media is not None:
                raise FormParserError("more than one `media` part")
            self._hasher = SegmentHasher(keep=self._payload.keep_media)

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self._hasher is not None:
            self._hasher.update(memoryview(data)[start:end])
            return
        if len(self._value) + end - start > MAX_FIELD_BYTES:
            raise FormParserError(f"field `{self._name}` is too large")
        self._value.extend(memoryview(data)[start:end])

    def _part_end(self) -> None:
        if self._hasher is not None:
            self._payload.media = self._hasher.digest()
        else:
            self._payload.fields[self._name] = self._value.decode("utf-8", "replace")


async def _read_multipart(request: Request, content_type: str, payload: Payload) -> None:
    _, options = parse_options_header(content_type)
    boundary = options.get(b"boundary")
    if not boundary:
        payload.problem = "The multipart body has no boundary."
        return
    parser = MultipartParser(boundary, _MultipartReader(payload).callbacks())  # type: ignore[arg-type]
    async for chunk in request.stream():
        if payload.problem is not None:
            continue  # drain the rest so the connection stays usable
        try:
            parser.write(chunk)
        except FormParserError as exc:
            payload.problem = f"The multipart body could not be read: {exc}."
    if payload.problem is None:
        try:
            parser.finalize()
        except FormParserError as exc:
            payload.problem = f"The multipart body could not be read: {exc}."


def form_int(value: Any) -> Any:
    """Form fields arrive as text: turn ``"12"`` into 12 and leave anything else for range checks to refuse."""
    return int(value) if isinstance(value, str) and value.isascii() and value.isdigit() else value


async def read_payload(request: Request, *, keep_media: bool = False) -> Payload:
    """Parse the body according to its content type; an empty or absent body gives no fields."""
    content_type = request.headers.get("content-type", "")
    mime = content_type.split(";", 1)[0].strip().lower()
    payload = Payload(mime, keep_media=keep_media)
    if mime == "multipart/form-data":
        await _read_multipart(request, content_type, payload)
        return payload
    body = await request.body()
    if not body:
        return payload
    try:
        if mime == "application/json":
            parsed = json.loads(body)
            if not isinstance(parsed, dict):
                raise ValueError("not an object")
            payload.fields = parsed
        elif mime == "application/x-www-form-urlencoded":
            payload.form_params = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=True)
            payload.fields = dict(payload.form_params)
        else:
            payload.problem = f"Unsupported content type {mime or 'with no Content-Type'}."
    except ValueError:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        payload.problem = f"The {mime} body could not be parsed; it must be a JSON object or form fields."
    return payload
