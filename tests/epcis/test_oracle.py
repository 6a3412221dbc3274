"""The event hash against GS1's reference implementation, `epcis-event-hash-generator`.

The reference is run on the same generated documents, in JSON-LD and in XML. Every
segment of the pre-hash string agrees; the reference orders three of them differently
from the standard's canonical property order, which we follow:

* it appends `bizTransactionList`, `sourceList`, `destinationList` and `ilmd` after
  `sensorElementList`, sorted together with the user extensions, where the standard puts
  them at positions 20-22 and 24;
* it puts `parentID` before `epcList` (the standard: `epcList`, then `parentID`).

epcis2.js (`test_js_oracle.py`) follows the standard's order on both points.

So each event is compared twice: our segments, reordered the reference's way, must give
the reference's pre-hash exactly; and where the two orders coincide, the hashes must be
identical.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest

from bench import epcis_samples as samples
from provena.epcis import event_hash, hash_prehash, prehash, prehash_segments, read_events

reference = pytest.importorskip("epcis_event_hash_generator")
from epcis_event_hash_generator import (  # type: ignore[import-untyped]  # noqa: E402
    hash_generator,
    json_to_py,
    xml_to_py,
)

# The reference reads its bundled JSON-LD contexts with a deprecated importlib API.
pytestmark = pytest.mark.filterwarnings("ignore:open_text is deprecated:DeprecationWarning")

#: The fields the reference writes in a fixed order, in that order; it sorts the rest.
REFERENCE_ORDER = [
    "eventType", "eventTime", "eventTimeZoneOffset", "certificationInfo", "parentID",
    "epcList", "inputEPCList", "childEPCs", "quantityList", "childQuantityList",
    "inputQuantityList", "outputEPCList", "outputQuantityList", "action", "transformationID",
    "bizStep", "disposition", "persistentDisposition", "readPoint", "bizLocation",
    "sensorElementList",
]  # fmt: skip


def in_reference_order(segments: list[tuple[str, str]]) -> str:
    fixed = sorted(
        (pair for pair in segments if pair[0] in REFERENCE_ORDER),
        key=lambda pair: REFERENCE_ORDER.index(pair[0]),
    )
    rest = sorted(text for name, text in segments if name not in REFERENCE_ORDER)
    return "".join(text for _, text in fixed) + "".join(rest)


def reference_prehashes(document: str, kind: str) -> list[str]:
    logging.disable(logging.CRITICAL)
    try:
        module: Any = json_to_py if kind == "json" else xml_to_py
        events = module.event_list_from_epcis_document_str(document)
        prehashes: list[str] = hash_generator.derive_prehashes_from_events(events)
        return prehashes
    finally:
        logging.disable(logging.NOTSET)


def generated() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    for seed in range(6):
        yield f"seed{seed}", samples.events(seed, 25)


@pytest.fixture(scope="module")
def comparisons() -> list[tuple[str, str, str, str]]:
    """(kind, our pre-hash, ours in the reference's order, the reference's) per event."""
    out = []
    for _, event_list in generated():
        for kind, document in (
            ("json", samples.json_document(event_list)),
            ("xml", samples.xml_document(event_list)),
        ):
            theirs = reference_prehashes(document, kind)
            ours = read_events(document)
            assert len(ours) == len(theirs) == len(event_list)
            for event, their in zip(ours, theirs, strict=True):
                segments = prehash_segments(event.fields)
                out.append((kind, prehash(event.fields), in_reference_order(segments), their))
    return out


def test_every_segment_agrees_with_the_reference(
    comparisons: list[tuple[str, str, str, str]],
) -> None:
    assert len(comparisons) == 2 * 6 * 25
    for kind, _, reordered, theirs in comparisons:
        assert reordered == theirs, kind


def test_hashes_equal_the_reference_where_the_orders_coincide(
    comparisons: list[tuple[str, str, str, str]],
) -> None:
    same = [(ours, theirs) for _, ours, reordered, theirs in comparisons if ours == reordered]
    assert len(same) >= 100  # most generated events have no field the orders disagree on
    for ours, theirs in same:
        their_hash = hash_generator.calculate_hashes_from_pre_hashes([theirs])[0]
        assert hash_prehash(ours) == their_hash


def test_json_ld_and_xml_give_the_same_hashes() -> None:
    for _, event_list in generated():
        from_json = [event_hash(e.fields) for e in read_events(samples.json_document(event_list))]
        from_xml = [event_hash(e.fields) for e in read_events(samples.xml_document(event_list))]
        assert from_json == from_xml


def test_the_reference_orders_lists_after_sensor_data() -> None:
    """A documented deviation: the reference writes sourceList after sensorElementList."""
    event: dict[str, Any] = {
        "type": "ObjectEvent",
        "eventTime": "2024-01-01T00:00:00Z",
        "eventTimeZoneOffset": "+00:00",
        "action": "OBSERVE",
        "epcList": ["urn:epc:id:sgtin:4012345.011111.1"],
        "sourceList": [{"type": "owning_party", "source": "urn:epc:id:pgln:4012345.00001"}],
        "sensorElementList": [
            {"sensorReport": [{"type": "Temperature", "value": 4, "uom": "CEL"}]}
        ],
    }
    ours = prehash(event)
    assert ours.index("sourceList") < ours.index("sensorElementList")
    [theirs] = reference_prehashes(samples.json_document([event]), "json")
    assert theirs.index("sensorElementList") < theirs.index("sourceList")
    assert sorted(ours) == sorted(theirs)  # the same characters, only in another order


def test_timestamps_round_half_up_where_the_reference_rounds_half_to_even() -> None:
    """The standard rounds up when the fourth decimal is 5-9: `.1225` -> `.123`. The
    reference rounds microseconds half to even, giving `.122`."""
    event = {"type": "ObjectEvent", "eventTime": "2024-01-01T00:00:00.1225Z", "action": "ADD"}
    assert "eventTime=2024-01-01T00:00:00.123Z" in prehash(event)
    [theirs] = reference_prehashes(samples.json_document([event]), "json")
    assert "eventTime=2024-01-01T00:00:00.122Z" in theirs


def test_compact_uris_are_expanded_in_json_ld_too() -> None:
    """`gs1:Temperature` is a CURIE and is expanded in either syntax; the reference expands
    it only in XML (in JSON-LD it keeps `gs1:Temperature`)."""
    report = {"type": "gs1:Temperature", "value": 4, "uom": "CEL"}
    event: dict[str, Any] = {
        "type": "ObjectEvent",
        "eventTime": "2024-01-01T00:00:00Z",
        "action": "ADD",
    }
    event["sensorElementList"] = [{"sensorReport": [report]}]
    assert "sensorReporttype=https://gs1.org/voc/Temperature" in prehash(event)
    [theirs] = reference_prehashes(samples.json_document([event]), "json")
    assert "sensorReporttype=gs1:Temperature" in theirs


def test_booleans_are_written_as_in_xml() -> None:
    """A JSON `true` is written `true`, as XML writes it; the reference writes `True`."""
    event: dict[str, Any] = {
        "type": "ObjectEvent",
        "eventTime": "2024-01-01T00:00:00Z",
        "action": "ADD",
    }
    event["sensorElementList"] = [{"sensorReport": [{"type": "Temperature", "booleanValue": True}]}]
    assert "booleanValue=true" in prehash(event)
    [theirs] = reference_prehashes(samples.json_document([event]), "json")
    assert "booleanValue=True" in theirs
