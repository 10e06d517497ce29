"""SegmentBody: an APPEND's multipart body, streamed from the chunk it wraps, of known length, rewound for a retry."""

from __future__ import annotations

import io
from email.parser import BytesParser
from email.policy import HTTP

from airflow_provider.client.multipart import SegmentBody

CHUNK = bytes(range(256)) * 64  # 16 KiB


def parts(body: SegmentBody, data: bytes) -> dict[str, bytes]:
    """The body's parts by name, as a server's multipart parser reads them."""
    message = BytesParser(policy=HTTP).parsebytes(f"Content-Type: {body.content_type}\r\n\r\n".encode() + data)
    return {
        str(part.get_param("name", header="content-disposition")): bytes(part.get_payload(decode=True))
        for part in message.iter_parts()
    }


def test_the_body_is_multipart_form_data_with_the_segment_last() -> None:
    body = SegmentBody(7, CHUNK)
    data = body.read()
    assert parts(body, data) == {"segment_index": b"7", "media": CHUNK}
    assert body.content_type == f"multipart/form-data; boundary={body.boundary}"
    assert b'name="media"; filename="segment"\r\nContent-Type: application/octet-stream' in data


def test_fields_go_before_the_segment_index() -> None:
    body = SegmentBody(0, b"c", {"command": "APPEND", "media_id": "7"})
    assert list(parts(body, body.read())) == ["command", "media_id", "segment_index", "media"]


def test_its_length_is_known_without_reading_it() -> None:
    body = SegmentBody(0, CHUNK)
    assert len(body) == len(body.read()) and body.tell() == len(body)


def test_reads_in_blocks_of_any_size_give_the_same_bytes() -> None:
    """urllib3 reads it block by block: any block size, across the parts' edges, gives the same body."""
    body = SegmentBody(1, CHUNK, {"command": "APPEND"})
    whole = body.read()
    for size in (1, 7, 100, 4096, len(whole) + 1):
        body.seek(0)
        assert b"".join(iter(lambda size=size: body.read(size), b"")) == whole  # type: ignore[misc]


def test_a_retry_rewinds_it_to_its_start() -> None:
    body = SegmentBody(0, CHUNK)
    first = body.read()
    assert body.read() == b""
    assert body.seek(0) == 0 and body.read() == first
    assert body.seek(-10, io.SEEK_END) == len(first) - 10 and body.read() == first[-10:]
    assert body.seek(5) == 5 and body.seek(5, io.SEEK_CUR) == 10 and body.read(3) == first[10:13]
    assert body.seek(10**9) == len(first) and body.seek(-(10**9)) == 0  # clamped to the body


def test_it_is_a_readable_seekable_file() -> None:
    body = SegmentBody(0, b"c")
    assert isinstance(body, io.IOBase) and body.readable() and body.seekable()
