"""The pre-hash string's rules, field by field, and the refusals."""

from __future__ import annotations

from typing import Any

import pytest

from provena.epcis import event_hash, hash_prehash, prehash
from provena.epcis.hashing import timestamp

BASE: dict[str, Any] = {
    "type": "ObjectEvent",
    "eventTime": "2019-04-02T15:00:00+01:00",
    "eventTimeZoneOffset": "+01:00",
    "action": "OBSERVE",
}


def test_the_simplest_event() -> None:
    assert prehash(BASE) == (
        "eventType=ObjectEventeventTime=2019-04-02T14:00:00.000Z"
        "eventTimeZoneOffset=+01:00action=OBSERVE"
    )
    assert event_hash(BASE).startswith("ni:///sha-256;")
    assert event_hash(BASE).endswith("?ver=CBV2.0")
    assert event_hash(BASE, algorithm="sha3-256").startswith("ni:///sha3-256;")


def test_excluded_fields_and_field_order_do_not_matter() -> None:
    noisy = {
        "recordTime": "2024-01-01T00:00:00Z",
        "eventID": "urn:uuid:1",
        "errorDeclaration": {"declarationTime": "2024-01-01T00:00:00Z", "reason": "did_not_occur"},
        "rdfs:comment": "a note",
        **dict(reversed(list(BASE.items()))),
    }
    assert event_hash(noisy) == event_hash(BASE)


@pytest.mark.parametrize(
    ("value", "canonical"),
    [
        ("2023-01-18T11:04:03.1415Z", "2023-01-18T11:04:03.142Z"),
        ("2023-01-18T11:04:03.1414999Z", "2023-01-18T11:04:03.141Z"),
        ("2023-01-18T11:04:03Z", "2023-01-18T11:04:03.000Z"),
        ("2023-12-31T23:59:59.9996Z", "2024-01-01T00:00:00.000Z"),
        ("2023-01-18T01:00:00.5-05:30", "2023-01-18T06:30:00.500Z"),
    ],
)
def test_timestamps(value: str, canonical: str) -> None:
    assert timestamp(value) == canonical


@pytest.mark.parametrize("value", ["2023-01-18T11:04:03", "2023-02-30T00:00:00Z", "yesterday"])
def test_bad_timestamps_are_refused(value: str) -> None:
    with pytest.raises(ValueError, match="timestamp"):
        prehash({**BASE, "eventTime": value})


def test_numbers_lose_trailing_zeros_exactly() -> None:
    quantity = {"epcClass": "urn:epc:class:lgtin:4012345.011111.L1", "uom": "KGM"}
    for written, canonical in [
        ("10.50", "10.5"),
        (1.0, "1"),
        ("0.000010", "0.00001"),
        (300, "300"),
    ]:
        text = prehash({**BASE, "quantityList": [{**quantity, "quantity": written}]})
        assert f"quantity={canonical}uom" in text
    big = prehash({**BASE, "ex:n": "12345678901234567890.10", "@context": {"ex": "urn:x:"}})
    assert big.endswith("{urn:x:}n=12345678901234567890.1")


def test_lists_are_sorted_and_written_once() -> None:
    a, b = "urn:epc:id:sgtin:4012345.011111.2", "urn:epc:id:sgtin:4012345.011111.1"
    text = prehash({**BASE, "epcList": [a, b]})
    assert text.count("epcList") == 1
    assert text.index("/21/1") < text.index("/21/2")
    assert prehash({**BASE, "epcList": [b, a]}) == text
    assert prehash({**BASE, "epcList": []}) == prehash(BASE)


def test_bare_terms_and_urns_are_the_same_vocabulary() -> None:
    bare = {**BASE, "bizStep": "shipping", "disposition": "in_transit"}
    urns = {
        **BASE,
        "bizStep": "urn:epcglobal:cbv:bizstep:shipping",
        "disposition": "urn:epcglobal:cbv:disp:in_transit",
    }
    assert prehash(bare) == prehash(urns)
    assert "bizStep=https://ref.gs1.org/cbv/BizStep-shipping" in prehash(bare)


def test_types_precede_their_values_in_typed_lists() -> None:
    text = prehash(
        {
            **BASE,
            "bizTransactionList": [
                {"type": "po", "bizTransaction": "urn:epcglobal:cbv:bt:4012345000009:PO1"},
                {"bizTransaction": "https://tx.example.com/1"},
            ],
        }
    )
    assert text.endswith(
        "bizTransactionListbizTransaction=https://tx.example.com/1"
        "type=https://ref.gs1.org/cbv/BTT-pobizTransaction=urn:epcglobal:cbv:bt:4012345000009:PO1"
    )


def test_extensions_resolve_prefixes_and_sort_by_namespace_and_name() -> None:
    compact = {**BASE, "@context": {"b": "https://b.example/", "a": "https://a.example/"}}
    compact |= {"b:x": "1", "a:y": {"a:z": "2", "a:w": ""}}
    clark = {
        **BASE,
        "{https://b.example/}x": 1,
        "{https://a.example/}y": {"{https://a.example/}w": "", "{https://a.example/}z": 2.0},
    }
    assert prehash(compact) == prehash(clark)
    assert prehash(compact).endswith(
        "{https://a.example/}y{https://a.example/}w{https://a.example/}z=2{https://b.example/}x=1"
    )


def test_certification_info_follows_the_time_zone() -> None:
    text = prehash({**BASE, "certificationInfo": ["https://c.example/2", "https://c.example/1"]})
    assert (
        "+01:00certificationInfo=https://c.example/1certificationInfo=https://c.example/2action"
        in text
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"type": None}, "no type"),
        ({"epcList": "urn:epc:id:sgtin:4012345.011111.1"}, "epcList must be a list"),
        ({"epcList": ["urn:epc:id:sgtin:4012345.01111.1"]}, "epcList: .*13 digits"),
        ({"readPoint": "urn:epc:id:sgln:4012345.00001.0"}, "readPoint must be an object"),
        ({"parentID": "https://id.gs1.org/00/040123450000000015"}, "parentID: .*check digit"),
        ({"action": {"nested": 1}}, "expected a single value"),
    ],
)
def test_malformed_events_are_refused(change: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        prehash({**BASE, **change})


def test_look_alike_uris_on_other_hosts_pass_through() -> None:
    text = prehash({**BASE, "parentID": "https://shop.example/00/123"})
    assert "parentID=https://shop.example/00/123" in text


def test_unknown_algorithm() -> None:
    with pytest.raises(ValueError, match="unknown hash algorithm"):
        hash_prehash("x", algorithm="md5")
