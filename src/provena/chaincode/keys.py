"""Composite keys in Fabric's exact encoding, and the key rules every shim enforces.

A composite key is stored as::

    "\\x00" objectType "\\x00" attr1 "\\x00" attr2 "\\x00" ...

The leading U+0000 puts every composite key in a namespace of its own that simple range
queries never see (they start at U+0001 when no start key is given), and the trailing
U+0000 after each part makes a partial key a strict prefix of the full keys below it.
A partial-key query therefore scans ``[partial, partial + U+10FFFF)``.
"""

from __future__ import annotations

from collections.abc import Sequence

from provena.chaincode.errors import InvalidKeyError

__all__ = [
    "COMPOSITE_KEY_NAMESPACE",
    "EMPTY_KEY_SUBSTITUTE",
    "MAX_UNICODE_RUNE",
    "create_composite_key",
    "partial_key_range",
    "split_composite_key",
    "validate_simple_key",
]

COMPOSITE_KEY_NAMESPACE = "\x00"
MIN_UNICODE_RUNE = "\x00"
MAX_UNICODE_RUNE = "\U0010ffff"
#: Start key of a simple range query that has none: skips the composite-key namespace.
EMPTY_KEY_SUBSTITUTE = "\x01"


def _check_attribute(value: str) -> None:
    for index, char in enumerate(value):
        if char in (MIN_UNICODE_RUNE, MAX_UNICODE_RUNE):
            raise InvalidKeyError(
                f"input contains unicode U+{ord(char):04X} at position {index}; "
                "U+0000 and U+10FFFF are not allowed in the attributes of a composite key"
            )
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InvalidKeyError(f"not a valid utf8 string: {value!r}") from exc


def create_composite_key(object_type: str, attributes: Sequence[str]) -> str:
    """The composite key of `object_type` and `attributes`, byte for byte as Fabric builds it."""
    if isinstance(attributes, str):
        raise InvalidKeyError("attributes must be a sequence of strings, not one string")
    _check_attribute(object_type)
    parts = [COMPOSITE_KEY_NAMESPACE, object_type, MIN_UNICODE_RUNE]
    for attribute in attributes:
        _check_attribute(attribute)
        parts += [attribute, MIN_UNICODE_RUNE]
    return "".join(parts)


def split_composite_key(key: str) -> tuple[str, list[str]]:
    """The object type and attributes of a composite key (the inverse of create_composite_key)."""
    if not key.startswith(COMPOSITE_KEY_NAMESPACE) or not key.endswith(MIN_UNICODE_RUNE):
        raise InvalidKeyError(f"{key!r} is not a composite key")
    object_type, *attributes = key[1:-1].split(MIN_UNICODE_RUNE)
    return object_type, attributes


def partial_key_range(object_type: str, attributes: Sequence[str]) -> tuple[str, str]:
    """The [start, end) range that holds every composite key beginning with these parts."""
    start = create_composite_key(object_type, attributes)
    return start, start + MAX_UNICODE_RUNE


def validate_simple_key(*keys: str) -> None:
    """Refuse simple keys in the composite-key namespace, as the Go and Node shims do."""
    for key in keys:
        if key.startswith(COMPOSITE_KEY_NAMESPACE):
            raise InvalidKeyError(
                f"first character of the key {key!r} is a null character, which is not allowed"
            )
