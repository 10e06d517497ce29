"""Content sniffing at FINALIZE: does the start of segment 0 look like the declared kind of media?"""

from __future__ import annotations

TS_PACKET_BYTES = 188
HEAD_BYTES = TS_PACKET_BYTES + 1  # enough to see the second MPEG-TS sync byte

_IMAGE_MAGIC = (
    b"\xff\xd8\xff",  # JPEG
    b"\x89PNG\r\n\x1a\n",
    b"GIF87a",
    b"GIF89a",
    b"BM",
    b"II*\x00",  # TIFF, little endian
    b"MM\x00*",  # TIFF, big endian
)


def _is_webp(head: bytes) -> bool:
    return head[:4] == b"RIFF" and head[8:12] == b"WEBP"


def looks_like_image(head: bytes) -> bool:
    return head.startswith(_IMAGE_MAGIC) or _is_webp(head)


def looks_like_gif(head: bytes) -> bool:
    return head.startswith((b"GIF87a", b"GIF89a"))


def looks_like_video(head: bytes) -> bool:
    """ISO BMFF (MP4/MOV: ``ftyp`` box first), WebM (EBML magic) or MPEG-TS (a 0x47 sync byte at the start of
    the first two 188-byte packets: one 0x47 alone is any file that starts with "G")."""
    is_ts = head[:1] == head[TS_PACKET_BYTES : TS_PACKET_BYTES + 1] == b"\x47"
    return head[4:8] == b"ftyp" or head.startswith(b"\x1a\x45\xdf\xa3") or is_ts


def format_problem(kind: str, head: bytes) -> str | None:
    """Why X would reject this media's content, or None when it looks right (subtitles are not sniffed)."""
    if kind == "video" and not looks_like_video(head):
        return "Unsupported video format"
    if kind == "gif" and not looks_like_gif(head):
        return "Unsupported gif format"
    if kind == "image" and not looks_like_image(head):
        return "Unsupported image format"
    return None
