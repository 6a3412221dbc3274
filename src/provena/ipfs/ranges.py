"""The `Range` request header, read as RFC 9110 section 14 says, for one byte range.

header                         meaning here
bytes=500-999, bytes=500-      one range (the end clamped to the file)
bytes=-500                     the last 500 bytes (the whole file if it is shorter)
anything malformed             ignored (section 14.2: MAY ignore an invalid specifier),
  bytes=9-3 (inverted)           so the client gets the whole file with 200
  another unit, bytes=abc
several ranges                 ignored too: the gateway sends no multipart/byteranges,
                               and a full 200 answer is always allowed
valid but outside the file     unsatisfiable (section 14.1.2): 416, `bytes */size`
  bytes=size-, bytes=-0, any range of an empty file
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["ByteRange", "parse_range"]

_SPEC = re.compile(r"([0-9]*)-([0-9]*)")
_UNIT = "bytes="


@dataclass(frozen=True, slots=True)
class ByteRange:
    """`first`-`last` (inclusive, `last` may be open), or the last `suffix` bytes."""

    first: int | None
    last: int | None

    def within(self, size: int) -> tuple[int, int] | None:
        """The `[start, end)` this range selects of `size` bytes, or None if it selects none."""
        if self.first is None:
            suffix = self.last or 0
            return (max(0, size - suffix), size) if suffix and size else None
        if self.first >= size:
            return None
        end = size if self.last is None else min(self.last + 1, size)
        return self.first, end


def parse_range(header: str) -> ByteRange | None:
    """The single byte range `header` asks for, or None if the header is to be ignored."""
    text = header.strip()
    if text[: len(_UNIT)].lower() != _UNIT:
        return None
    specs = [part.strip() for part in text[len(_UNIT) :].split(",") if part.strip()]
    if len(specs) != 1:
        return None
    match = _SPEC.fullmatch(specs[0])
    if match is None or match.group(1) == match.group(2) == "":
        return None
    first, last = (int(group) if group else None for group in match.groups())
    if first is not None and last is not None and last < first:
        return None
    return ByteRange(first, last)
