"""The constrained field types every contract input is built from.

Bounds are part of the contract: a record that validates today validates on every
peer tomorrow, so nothing here depends on locale, time or configuration.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, Field, PlainSerializer, StringConstraints

from provena.contracts.cid import check_cid

__all__ = [
    "Cid",
    "Decimal",
    "Id",
    "MediaType",
    "MspId",
    "Name",
    "Sha256",
    "ShortText",
    "Text",
    "Timestamp",
    "format_timestamp",
]

#: Ledger identifiers: 1-64 characters of `[A-Za-z0-9._:-]`.
Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._:-]{1,64}$")]
#: A Fabric MSP id.
MspId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._-]{1,64}$")]
Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
Cid = Annotated[str, AfterValidator(check_cid)]
#: A file name as shown to people: no path separators or control characters.
Name = Annotated[
    str, StringConstraints(min_length=1, max_length=255, pattern=r"^[^/\\\x00-\x1f\x7f]+$")
]
MediaType = Annotated[
    str,
    StringConstraints(
        max_length=127, pattern=r"^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*$"
    ),
]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=2000, strip_whitespace=True)]
#: Exact decimal numbers as strings: the ledger stores no floats.
Decimal = Annotated[
    str, StringConstraints(max_length=40, pattern=r"^-?(0|[1-9][0-9]*)(\.[0-9]+)?$")
]


def format_timestamp(moment: datetime) -> str:
    """RFC 3339 in UTC with a `Z`, microseconds only when present: one spelling per instant."""
    utc = moment.astimezone(UTC)
    spec = "microseconds" if utc.microsecond else "seconds"
    return utc.replace(tzinfo=None).isoformat(timespec=spec) + "Z"


#: An instant with a time zone, stored as UTC.
Timestamp = Annotated[AwareDatetime, PlainSerializer(format_timestamp, return_type=str)]
PositiveSize = Annotated[int, Field(gt=0, le=2**53)]
