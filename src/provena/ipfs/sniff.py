"""Content-type sniffing for the gateway, after the WHATWG MIME sniffing table.

IPFS content has no stored media type, so the gateway decides from the leading bytes, and
falls back to the path's extension, then to text or octet-stream. Only patterns that are
unambiguous are listed, and markup is never sniffed from bytes. Whether a browser may render
the type it finds is not decided here but in `sandbox`.
"""

from __future__ import annotations

import mimetypes

__all__ = ["sniff_content_type"]

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"PK\x03\x04", "application/zip"),
    (b"\x1f\x8b\x08", "application/gzip"),
    (b"OggS\x00", "application/ogg"),
    (b"\x1aE\xdf\xa3", "video/webm"),
    (b"ID3", "audio/mpeg"),
    (b"wOFF", "font/woff"),
    (b"wOF2", "font/woff2"),
    (b"\x00asm", "application/wasm"),
)


def sniff_content_type(head: bytes, name: str | None = None) -> str:
    """The media type of content starting with `head` (its first 512 bytes suffice)."""
    for signature, media_type in _SIGNATURES:
        if head.startswith(signature):
            return media_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp":
        return "video/mp4"
    if name:
        guessed = mimetypes.guess_type(name)[0]
        if guessed:
            return guessed
    sample = head[:512]
    if b"\x00" not in sample:
        try:
            sample.decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start < len(sample) - 3:  # a multi-byte character cut at the end is fine
                return "application/octet-stream"
        return "text/plain; charset=utf-8"
    return "application/octet-stream"
