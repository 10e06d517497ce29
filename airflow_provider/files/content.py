"""What a file's first bytes show it to be, by their magic numbers: its name is never trusted."""

from __future__ import annotations

import codecs

SNIFF_BYTES = 512
_TS_PACKET = 188
# What a refused file is, by its magic number, to name it in the error (never its content).
_OTHER_MAGIC = (
    (b"%PDF-", "a PDF document (application/pdf)"),
    (b"II*\x00", "a TIFF image (image/tiff)"),
    (b"MM\x00*", "a TIFF image (image/tiff)"),
    (b"\x1a\x45\xdf\xa3", "a WebM or Matroska video (video/webm)"),
    (b"ID3", "MP3 audio (audio/mpeg)"),
    (b"OggS", "an Ogg file (application/ogg)"),
    (b"fLaC", "FLAC audio (audio/flac)"),
    (b"PK\x03\x04", "a ZIP archive (application/zip)"),
    (b"\x1f\x8b", "a gzip archive (application/gzip)"),
    (b"\x7fELF", "a program (application/x-executable)"),
)
# ISO base media files (an ``ftyp`` box first) that are not MP4 video, by their major brand.
_FTYP_BRANDS = {
    b"qt  ": "video/quicktime",
    b"heic": "a HEIC image (image/heic)",
    b"heix": "a HEIC image (image/heic)",
    b"mif1": "a HEIF image (image/heif)",
    b"msf1": "a HEIF image (image/heif)",
    b"avif": "an AVIF image (image/avif)",
    b"avis": "an AVIF image (image/avif)",
    b"M4A ": "MPEG-4 audio (audio/mp4)",
}
_RIFF_FORMATS = {b"WEBP": "image/webp", b"AVI ": "an AVI video (video/x-msvideo)", b"WAVE": "WAV audio (audio/wav)"}


def sniff_content(head: bytes) -> str | None:
    """What a file's first bytes show: a media type X accepts (``image/png``), a description of something else
    (``a PDF document (application/pdf)``, ``text``), or None when they match nothing known."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:4] == b"RIFF":
        return _RIFF_FORMATS.get(head[8:12], "a RIFF file")
    if head[4:8] == b"ftyp":
        return _FTYP_BRANDS.get(head[8:12], "video/mp4")
    if head[:2] == b"BM" and head[6:10] == b"\0\0\0\0":
        return "a BMP image (image/bmp)"
    if head[:1] == head[_TS_PACKET : _TS_PACKET + 1] == b"\x47":
        return "an MPEG transport stream (video/mp2t)"
    for magic, name in _OTHER_MAGIC:
        if head.startswith(magic):
            return name
    return "text" if _is_text(head) else None


def _is_text(head: bytes) -> bool:
    """UTF-8 (ASCII included) without control characters other than tabs and line breaks; a character cut at the
    end of ``head`` does not count against it."""
    try:
        text = codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return all(c.isprintable() or c in "\t\n\r\f\ufeff" for c in text)
