"""The file of a `multipart/form-data` upload, streamed out of the body as it arrives.

Browsers (and `curl -F file=@report.pdf`) send a form: parts with their own headers, one
of them the file with its name and media type. `file_part` reads the body only as far as
the first file part's headers, then yields that part's bytes piece by piece while the rest
of the body streams in, so the document service can spool, hash and limit them as it does a
raw body. Text fields are skipped; the whole body is bounded so they cannot grow unchecked.
"""

from __future__ import annotations

import email.message
from collections.abc import AsyncIterable, AsyncIterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

from provena.documents.errors import DocumentTooLarge, InvalidDocument

__all__ = ["FilePart", "TextField", "file_part", "form_parts", "is_multipart"]

#: What a form may carry besides its files: boundaries, part headers, small text fields.
_FORM_OVERHEAD = 256 * 1024
_FIELD_LIMIT = 64 * 1024


@dataclass(frozen=True, slots=True)
class FilePart:
    """A file of the form: its field, its name and media type as the sender gave them, and
    its bytes."""

    field: str | None
    filename: str | None
    media_type: str
    content: AsyncIterator[bytes]


@dataclass(frozen=True, slots=True)
class TextField:
    """A text field of the form."""

    field: str | None
    value: str


def is_multipart(content_type: str) -> bool:
    return content_type.split(";", 1)[0].strip().lower() == "multipart/form-data"


class _Events:
    """The parser's callbacks, collected in order for the reader to act on: ("headers",
    that part's headers), ("data", bytes) and ("end", None) for each part."""

    def __init__(self) -> None:
        self.queue: list[tuple[str, Any]] = []
        self._field = b""
        self._value = b""
        self._headers: dict[str, bytes] = {}

    def callbacks(self) -> dict[str, object]:
        return {
            "on_part_begin": self._part_begin,
            "on_header_field": self._header_field,
            "on_header_value": self._header_value,
            "on_header_end": self._header_end,
            "on_headers_finished": lambda: self.queue.append(("headers", self._headers)),
            "on_part_data": lambda data, start, end: self.queue.append(("data", data[start:end])),
            "on_part_end": lambda: self.queue.append(("end", None)),
        }

    def _part_begin(self) -> None:
        self._headers = {}

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self._field += data[start:end]

    def _header_value(self, data: bytes, start: int, end: int) -> None:
        self._value += data[start:end]

    def _header_end(self) -> None:
        self._headers[self._field.decode("latin-1").lower()] = self._value
        self._field = self._value = b""


def _disposition(disposition: bytes) -> tuple[str | None, bool, str | None]:
    """(field name, whether the part is a file, its base name) from a part's
    Content-Disposition; RFC 7578 file parts carry `filename` (or RFC 2231 `filename*`)."""
    header = email.message.Message()
    header["content-disposition"] = disposition.decode("utf-8", errors="replace")
    field = header.get_param("name", header="content-disposition")
    field_name = field if isinstance(field, str) else None
    params = {key.lower() for key, _ in header.get_params(header="content-disposition") or []}
    if not params & {"filename", "filename*"}:
        return field_name, False, None
    name = header.get_filename()
    if not name:
        return field_name, True, None
    return field_name, True, PurePosixPath(name.replace("\\", "/")).name or None


def _reader(body: AsyncIterable[bytes], content_type: str, limit: int) -> _FormReader:
    _, options = parse_options_header(content_type)
    boundary = options.get(b"boundary")
    if not boundary:
        raise InvalidDocument("the multipart/form-data body declares no boundary")
    return _FormReader(body, boundary, limit=limit)


async def file_part(body: AsyncIterable[bytes], content_type: str, *, max_size: int) -> FilePart:
    """The first file part of the form `body` (of media type `content_type`); raises
    InvalidDocument for a malformed form or one without a file, DocumentTooLarge for a
    body well past `max_size`."""
    reader = _reader(body, content_type, max_size + _FORM_OVERHEAD)
    async for part in reader.parts(max_size):
        if isinstance(part, FilePart):
            return FilePart(part.field, part.filename, part.media_type, reader.then_drain(part))
    raise InvalidDocument("the multipart/form-data body has no file part")


def form_parts(
    body: AsyncIterable[bytes], content_type: str, *, max_size: int
) -> AsyncIterator[TextField | FilePart]:
    """Every part of the form `body`, in order: text fields whole (each at most 64 KiB),
    files as streams that must be read to their end before the next part comes. The whole
    body may hold at most `max_size` bytes of files."""
    return _reader(body, content_type, max_size + _FORM_OVERHEAD).parts(max_size)


class _FormReader:
    """Feeds the body to the parser one piece at a time, as the reader needs events."""

    def __init__(self, body: AsyncIterable[bytes], boundary: bytes, *, limit: int) -> None:
        self._events = _Events()
        self._parser = MultipartParser(boundary, self._events.callbacks())  # type: ignore[arg-type]
        self._chunks = aiter(body)
        self._limit = limit
        self._received = 0

    async def _feed(self, max_size: int) -> bool:
        """Parse the next piece of the body; False once the body has ended."""
        try:
            piece = await anext(self._chunks)
        except StopAsyncIteration:
            return False
        self._received += len(piece)
        if self._received > self._limit:
            raise DocumentTooLarge(max_size)
        try:
            self._parser.write(piece)
        except MultipartParseError as exc:
            raise InvalidDocument(f"malformed multipart/form-data body: {exc}") from exc
        return True

    async def parts(self, max_size: int) -> AsyncIterator[TextField | FilePart]:
        queue = self._events.queue
        while True:
            while queue:
                kind, headers = queue.pop(0)
                if kind != "headers":
                    continue
                field, is_file, filename = _disposition(headers.get("content-disposition", b""))
                if is_file:
                    media_type = headers.get("content-type", b"").decode("latin-1")
                    yield FilePart(field, filename, media_type, self._content(max_size))
                else:
                    yield TextField(field, await self._text(max_size))
            if not await self._feed(max_size):
                return

    async def _content(self, max_size: int) -> AsyncIterator[bytes]:
        """The current part's bytes, up to its end."""
        queue = self._events.queue
        while True:
            while queue:
                kind, data = queue.pop(0)
                if kind == "end":
                    return
                yield data  # the parser never emits empty data, and a part's end comes first
            if not await self._feed(max_size):
                raise InvalidDocument("the multipart/form-data body ends inside a part")

    async def _text(self, max_size: int) -> str:
        value = b""
        async for piece in self._content(max_size):
            value += piece
            if len(value) > _FIELD_LIMIT:
                raise InvalidDocument("a text field of the form is longer than 64 KiB")
        return value.decode("utf-8", errors="replace")

    async def then_drain(self, part: FilePart) -> AsyncIterator[bytes]:
        """`part`'s bytes, then the rest of the body read to its end (and ignored)."""
        async for piece in part.content:
            yield piece
        while await self._feed(self._limit):
            self._events.queue.clear()
