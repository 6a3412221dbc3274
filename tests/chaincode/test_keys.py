"""Composite keys byte for byte as Fabric's Go and Node shims build them."""

from __future__ import annotations

import pytest

from provena.chaincode import InvalidKeyError, create_composite_key, split_composite_key
from provena.chaincode.keys import partial_key_range, validate_simple_key


@pytest.mark.parametrize(
    ("object_type", "attributes", "expected"),
    [
        # fabric-chaincode-go shim tests and fabric-chaincode-node stub tests
        ("abc", ["def", "ghi"], "\x00abc\x00def\x00ghi\x00"),
        ("key", ["attr1", "attr2"], "\x00key\x00attr1\x00attr2\x00"),
        ("color~name", ["blue", "marble1"], "\x00color~name\x00blue\x00marble1\x00"),
        ("obj", [], "\x00obj\x00"),
        ("", [], "\x00\x00"),
        ("ünï", ["çødé", "🙂"], "\x00ünï\x00çødé\x00🙂\x00"),
    ],
)
def test_encoding_and_round_trip(object_type: str, attributes: list[str], expected: str) -> None:
    key = create_composite_key(object_type, attributes)
    assert key == expected
    assert split_composite_key(key) == (object_type, attributes)


def test_utf8_bytes_of_a_key() -> None:
    key = create_composite_key("shipment", ["s1"])
    assert key.encode() == b"\x00shipment\x00s1\x00"


@pytest.mark.parametrize(
    ("object_type", "attributes", "message"),
    [
        ("a\x00b", [], "U\\+0000 at position 1"),
        ("a", ["ok", "x\U0010ffff"], "U\\+10FFFF at position 1"),
        ("a", ["\ud800"], "not a valid utf8 string"),
    ],
)
def test_invalid_attributes(object_type: str, attributes: list[str], message: str) -> None:
    with pytest.raises(InvalidKeyError, match=message):
        create_composite_key(object_type, attributes)


def test_a_string_is_not_a_list_of_attributes() -> None:
    with pytest.raises(InvalidKeyError, match="sequence of strings"):
        create_composite_key("a", "bc")


def test_split_refuses_simple_keys() -> None:
    for key in ("plain", "\x00no-trailing-null", ""):
        with pytest.raises(InvalidKeyError, match="is not a composite key"):
            split_composite_key(key)


def test_partial_key_range() -> None:
    start, end = partial_key_range("t", ["a"])
    assert (start, end) == ("\x00t\x00a\x00", "\x00t\x00a\x00\U0010ffff")
    assert start < create_composite_key("t", ["a", "z"]) < end
    assert not start < create_composite_key("t", ["ab"]) < end


def test_simple_keys_may_not_enter_the_composite_namespace() -> None:
    validate_simple_key("a", "", "\x01")
    with pytest.raises(InvalidKeyError, match="null character"):
        validate_simple_key("ok", "\x00bad")
