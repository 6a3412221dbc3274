"""Reading EPCIS documents: the shapes, EPCIS 1.2 XML, and malformed input."""

from __future__ import annotations

import json

import pytest

from bench import epcis_samples as samples
from provena.epcis import EpcisDocumentError, prehash, read_events

OBJECT_EVENT = {
    "type": "ObjectEvent",
    "eventTime": "2024-01-01T00:00:00Z",
    "eventTimeZoneOffset": "+00:00",
    "epcList": ["urn:epc:id:sgtin:4012345.011111.1"],
    "action": "OBSERVE",
    "ex:x": "1",
}


def test_document_query_document_single_event_and_array() -> None:
    context = {"@context": samples.CONTEXT}
    shapes = [
        {**context, "type": "EPCISDocument", "epcisBody": {"eventList": [OBJECT_EVENT]}},
        {**context, "type": "EPCISDocument", "epcisBody": {"event": OBJECT_EVENT}},
        {
            **context,
            "type": "EPCISQueryDocument",
            "epcisBody": {"queryResults": {"resultsBody": {"eventList": [OBJECT_EVENT]}}},
        },
        {**context, **OBJECT_EVENT},
    ]
    texts = {prehash(e.fields) for shape in shapes for e in read_events(json.dumps(shape))}
    assert len(texts) == 1
    assert texts.pop().endswith("{https://ns.example.com/epcis/}x=1")
    assert len(read_events(json.dumps([OBJECT_EVENT, OBJECT_EVENT]))) == 2


EPCIS_1_2 = """<?xml version="1.0" encoding="UTF-8"?>
<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:1" xmlns:ex="https://ns.example.com/epcis/"
    schemaVersion="1.2" creationDate="2024-01-01T00:00:00Z">
  <EPCISBody>
    <EventList>
      <ObjectEvent>
        <eventTime>2024-01-01T01:00:00.000+01:00</eventTime>
        <eventTimeZoneOffset>+01:00</eventTimeZoneOffset>
        <baseExtension><eventID>urn:uuid:7</eventID></baseExtension>
        <epcList><epc>urn:epc:id:sgtin:4012345.011111.1</epc></epcList>
        <action>OBSERVE</action>
        <extension>
          <quantityList><quantityElement><epcClass>urn:epc:class:lgtin:4012345.011111.L1</epcClass>
            <quantity>2.0</quantity><uom>KGM</uom></quantityElement></quantityList>
          <ilmd><ex:bestBefore>2025-01-01</ex:bestBefore></ilmd>
        </extension>
        <ex:x>1</ex:x>
      </ObjectEvent>
      <extension>
        <TransformationEvent>
          <eventTime>2024-01-01T00:00:00Z</eventTime>
          <eventTimeZoneOffset>+00:00</eventTimeZoneOffset>
          <inputEPCList><epc>urn:epc:id:sgtin:4012345.011111.1</epc></inputEPCList>
        </TransformationEvent>
      </extension>
    </EventList>
  </EPCISBody>
</epcis:EPCISDocument>
"""


def test_epcis_1_2_xml_extension_wrappers_dissolve() -> None:
    first, second = read_events(EPCIS_1_2.encode())
    assert first.line == 6
    assert second.line == 20
    as_json = {
        **OBJECT_EVENT,
        "@context": samples.CONTEXT,
        "eventTime": "2024-01-01T00:00:00Z",
        "eventTimeZoneOffset": "+01:00",
        "quantityList": [
            {"epcClass": "urn:epc:class:lgtin:4012345.011111.L1", "quantity": 2, "uom": "KGM"}
        ],
        "ilmd": {"ex:bestBefore": "2025-01-01"},
    }
    assert prehash(first.fields) == prehash(as_json)
    assert second.fields["type"] == "TransformationEvent"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "not an EPCIS document"),
        (b"hello", "not an EPCIS document"),
        (b'{"type": "EPCISDocument",\n "epcisBody": {"eventList": [}}', "line 2: malformed JSON"),
        (b'{"type": "EPCISDocument", "epcisBody": {"eventList": {}}}', "eventList must be a list"),
        (
            b'{"type": "EPCISDocument", "epcisBody": {"eventList": [1]}}',
            r"eventList\[0\] is not an event",
        ),
        (b'{"type": "EPCISDocument"}', "epcisBody must be an object"),
        (b'{"eventTime": "2024-01-01T00:00:00Z"}', "has no event type"),
        (b"\xff{", "not an EPCIS document"),
        (b"{\xff}", "not UTF-8"),
        (b"[" * 100000 + b"]" * 100000, "unreadable JSON"),
        (
            b"<epcis:EPCISDocument xmlns:epcis='urn:x'>\n<EPCISBody>\n</epcis:EPCISDocument>",
            "line 3: malformed XML: mismatched tag",
        ),
        (b"<a><b></a>", "line 1: malformed XML"),
        (b"<epcis:EPCISDocument xmlns:epcis='urn:x'/>", "has no EventList"),
        (b"<e:ObjectEvent xmlns:e='urn:x'/>", "is not an EPCIS event"),
    ],
)
def test_malformed_documents_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(EpcisDocumentError, match=message):
        read_events(data)


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<EPCISDocument><EPCISBody><EventList><ObjectEvent><action>&lol3;</action></ObjectEvent></EventList></EPCISBody></EPCISDocument>
"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE x SYSTEM "file:///etc/passwd">
<ObjectEvent><action>&ext;</action></ObjectEvent>
"""


@pytest.mark.parametrize("data", [BOMB, EXTERNAL])
def test_xml_with_a_dtd_is_refused(data: bytes) -> None:
    with pytest.raises(EpcisDocumentError, match="line 2: document type declarations"):
        read_events(data)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'<?xml version="1.0" encoding="x-unheard-of"?><ObjectEvent/>', "unreadable XML"),
        (b"<ObjectEvent>" + b"<a>" * 5000 + b"</a>" * 5000 + b"</ObjectEvent>", "nested"),
    ],
)
def test_unreadable_xml_is_a_document_error(data: bytes, message: str) -> None:
    with pytest.raises(EpcisDocumentError, match=message):
        read_events(data)
