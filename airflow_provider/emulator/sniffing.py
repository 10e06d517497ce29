"""Content sniffing at FINALIZE: does the start of segment 0 look like the declared kind of media, and how large
is an image (X's FINALIZE answers ``image: {image_type, w, h}``; DOCS v1 FINALIZE reference, OAS
FinalizeMediaUploadResponseDataImage)?"""

from __future__ import annotations

TS_PACKET_BYTES = 188
# Enough to see the second MPEG-TS sync byte and the size of most images (a JPEG's frame header may come later).
HEAD_BYTES = 1024


def _is_webp(head: bytes) -> bool:
    return head[:4] == b"RIFF" and head[8:12] == b"WEBP"


_IMAGE_TYPES = {
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"GIF87a": "image/gif",
    b"GIF89a": "image/gif",
    b"BM": "image/bmp",
    b"II*\x00": "image/tiff",
    b"MM\x00*": "image/tiff",
}


def sniffed_type(head: bytes) -> str | None:
    """The media type of a file sent without one (a one-shot upload): an image's, or a subtitle file's."""
    if _is_webp(head):
        return "image/webp"
    image = next((kind for magic, kind in _IMAGE_TYPES.items() if head.startswith(magic)), None)
    if image is not None:
        return image
    text = head.lstrip(b"\xef\xbb\xbf")
    if text.startswith(b"WEBVTT"):
        return "text/vtt"
    return "text/srt" if text[:1].isdigit() else None


def looks_like_image(head: bytes) -> bool:
    return head.startswith(tuple(_IMAGE_TYPES)) or _is_webp(head)


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


def _jpeg_size(head: bytes) -> tuple[int, int] | None:
    """Walk JPEG markers to the first start-of-frame (SOF0-SOF15 except DHT, JPG and DAC)."""
    position = 2
    while position + 9 <= len(head) and head[position] == 0xFF:
        marker = head[position + 1]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            return int.from_bytes(head[position + 7 : position + 9]), int.from_bytes(head[position + 5 : position + 7])
        position += 2 + int.from_bytes(head[position + 2 : position + 4])
    return None


def image_size(head: bytes) -> tuple[int, int] | None:
    """(width, height) read from an image's first bytes, or None when they do not say (e.g. a late JPEG frame)."""
    if head.startswith(b"\x89PNG") and len(head) >= 24:
        return int.from_bytes(head[16:20]), int.from_bytes(head[20:24])
    if head.startswith((b"GIF87a", b"GIF89a")) and len(head) >= 10:
        return int.from_bytes(head[6:8], "little"), int.from_bytes(head[8:10], "little")
    if head.startswith(b"BM") and len(head) >= 26:
        return int.from_bytes(head[18:22], "little"), abs(int.from_bytes(head[22:26], "little", signed=True))
    if _is_webp(head) and head[12:16] == b"VP8X" and len(head) >= 30:
        return int.from_bytes(head[24:27], "little") + 1, int.from_bytes(head[27:30], "little") + 1
    if head.startswith(b"\xff\xd8"):
        return _jpeg_size(head)
    return None
