"""Generated EPCIS events, and the same events as JSON-LD and XML documents."""

from __future__ import annotations

import json
import random
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from provena.epcis.identifiers import check_digit

EX = "https://ns.example.com/epcis/"
CONTEXT = ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld", {"ex": EX}]
TYPES: tuple[str, ...] = (
    "ObjectEvent",
    "AggregationEvent",
    "TransactionEvent",
    "TransformationEvent",
)
TYPES += ("AssociationEvent",)
STEPS = ("shipping", "receiving", "packing", "commissioning", "inspecting")
DISPOSITIONS = ("in_transit", "in_progress", "active", "conformant")
UNITS = ("KGM", "LTR", "MTR")


def sgtin(rng: random.Random) -> str:
    return f"urn:epc:id:sgtin:4012345.0{rng.randrange(10000, 99999)}.{rng.randrange(1, 10**6)}"


def digital_link_gtin(rng: random.Random) -> str:
    body = f"0{rng.randrange(10**11, 10**12)}"
    return f"https://example.com/gtin/{body}{check_digit(body)}/ser/S{rng.randrange(100)}"


def lgtin(rng: random.Random) -> str:
    return f"urn:epc:class:lgtin:4012345.0{rng.randrange(10000, 99999)}.LOT{rng.randrange(99)}"


def sscc(rng: random.Random) -> str:
    return f"urn:epc:id:sscc:4012345.{rng.randrange(10**9, 10**10)}"


def sgln(rng: random.Random) -> str:
    return f"urn:epc:id:sgln:4012345.{rng.randrange(10000, 99999)}.{rng.choice(['0', '12'])}"


def timestamp(rng: random.Random) -> tuple[str, str]:
    offset = rng.choice(["+01:00", "-05:00", "+00:00", "+05:30"])
    fraction = rng.choice(["", ".5", ".123", ".1237", ".98713"])
    day = f"2024-0{rng.randrange(1, 10)}-1{rng.randrange(10)}"
    moment = f"{day}T1{rng.randrange(10)}:2{rng.randrange(10)}:3{rng.randrange(10)}"
    return moment + fraction + offset.replace("+00:00", "Z"), offset


def quantities(rng: random.Random) -> list[dict[str, Any]]:
    return [
        {
            "epcClass": lgtin(rng),
            "quantity": rng.choice([1, 2.5, 10.25, 300]),
            "uom": rng.choice(UNITS),
        }
        for _ in range(rng.randrange(1, 3))
    ]


def sensors(rng: random.Random) -> list[dict[str, Any]]:
    elements = []
    for _ in range(rng.randrange(1, 3)):
        time, _ = timestamp(rng)
        reports = [
            {"type": "Temperature", "value": rng.choice([4, 5.5, -18.25]), "uom": "CEL"},
            {"type": "RelativeHumidity", "minValue": 12.1, "maxValue": 50, "uom": "A93"},
        ]
        element: dict[str, Any] = {
            "sensorMetadata": {"time": time, "deviceID": "urn:epc:id:giai:4012345.D1"},
            "sensorReport": reports[: rng.randrange(1, 3)],
        }
        if rng.random() < 0.5:
            element["ex:calibration"] = f"C{rng.randrange(9)}"
        elements.append(element)
    return elements


def event(rng: random.Random, kind: str) -> dict[str, Any]:
    time, offset = timestamp(rng)
    fields: dict[str, Any] = {
        "type": kind,
        "eventID": f"urn:uuid:{rng.getrandbits(64):016x}",
        "recordTime": "2024-12-01T00:00:00Z",
        "eventTime": time,
        "eventTimeZoneOffset": offset,
    }
    if kind != "TransformationEvent":
        fields["action"] = rng.choice(["ADD", "OBSERVE", "DELETE"])
    if kind in ("ObjectEvent", "TransactionEvent"):
        fields["epcList"] = [sgtin(rng) for _ in range(rng.randrange(1, 4))]
        if rng.random() < 0.3:
            fields["epcList"].append(digital_link_gtin(rng))
        if rng.random() < 0.5:
            fields["quantityList"] = quantities(rng)
    if kind == "TransactionEvent" and rng.random() < 0.5:
        fields["parentID"] = sscc(rng)
    if rng.random() < 0.2:
        fields["certificationInfo"] = f"https://cert.example.com/c/{rng.randrange(99)}"
    if kind in ("AggregationEvent", "AssociationEvent"):
        fields["parentID"] = sscc(rng)
        fields["childEPCs"] = [sgtin(rng) for _ in range(rng.randrange(1, 4))]
        if rng.random() < 0.5:
            fields["childQuantityList"] = quantities(rng)
    if kind == "TransformationEvent":
        fields["inputEPCList"] = [sgtin(rng) for _ in range(2)]
        fields["inputQuantityList"] = quantities(rng)
        fields["outputEPCList"] = [sgtin(rng)]
        fields["outputQuantityList"] = quantities(rng)
        fields["transformationID"] = f"urn:uuid:{rng.getrandbits(32):08x}"
        if rng.random() < 0.5:
            fields["ilmd"] = {
                "ex:bestBefore": "2025-06-30",
                "ex:origin": {"ex:country": "DE", "ex:farm": "F7"},
            }
    fields["bizStep"] = rng.choice(STEPS)
    fields["disposition"] = rng.choice(DISPOSITIONS)
    fields["readPoint"] = {"id": sgln(rng)}
    if rng.random() < 0.3:
        fields["readPoint"]["ex:door"] = f"D{rng.randrange(9)}"
    if rng.random() < 0.7:
        fields["bizLocation"] = {"id": sgln(rng)}
    if kind == "TransactionEvent" or rng.random() < 0.4:
        fields["bizTransactionList"] = [
            {
                "type": "po",
                "bizTransaction": f"urn:epcglobal:cbv:bt:4012345000009:PO{rng.randrange(99)}",
            },
            {
                "type": "desadv",
                "bizTransaction": f"https://tx.example.com/asn/{rng.randrange(999)}",
            },
        ][: rng.randrange(1, 3)]
    if rng.random() < 0.4:
        fields["sourceList"] = [{"type": "owning_party", "source": "urn:epc:id:pgln:4012345.00001"}]
    if rng.random() < 0.4:
        fields["destinationList"] = [
            {"type": "location", "destination": sgln(rng)},
            {"type": "possessing_party", "destination": "urn:epc:id:pgln:4012345.00002"},
        ]
    if rng.random() < 0.4:
        fields["sensorElementList"] = sensors(rng)
    if rng.random() < 0.3:
        fields["persistentDisposition"] = {
            "set": ["completeness_verified"],
            "unset": ["completeness_inferred"],
        }
    if rng.random() < 0.2:
        fields["errorDeclaration"] = {
            "declarationTime": "2024-12-02T00:00:00Z",
            "reason": "incorrect_data",
        }
    if rng.random() < 0.5:
        fields["ex:batch"] = {
            "ex:line": f"L{rng.randrange(9)}",
            "ex:shift": rng.choice(["early", "late"]),
        }
        fields["ex:temperature"] = rng.choice(["3.50", "12", "0.75"])
    return fields


def events(seed: int, count: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [event(rng, TYPES[i % len(TYPES)]) for i in range(count)]


def json_document(event_list: list[dict[str, Any]]) -> str:
    return json.dumps(
        {
            "@context": CONTEXT,
            "type": "EPCISDocument",
            "schemaVersion": "2.0",
            "creationDate": "2024-12-01T00:00:00Z",
            "epcisBody": {"eventList": event_list},
        },
        indent=1,
    )


# ── XML ───────────────────────────────────────────────────────────────────────────────

_VOCABULARY = {
    "bizStep": "urn:epcglobal:cbv:bizstep:",
    "disposition": "urn:epcglobal:cbv:disp:",
    "set": "urn:epcglobal:cbv:disp:",
    "unset": "urn:epcglobal:cbv:disp:",
    "reason": "urn:epcglobal:cbv:er:",
}
_TYPED = {"bizTransactionList": ("bizTransaction", "urn:epcglobal:cbv:btt:")}
_TYPED |= {"sourceList": ("source", "urn:epcglobal:cbv:sdt:")}
_TYPED |= {"destinationList": ("destination", "urn:epcglobal:cbv:sdt:")}
_QUANTITY_ITEM = {
    "quantityList": "quantityElement",
    "childQuantityList": "quantityElement",
    "inputQuantityList": "quantityElement",
    "outputQuantityList": "quantityElement",
}


def _scalar(value: Any) -> str:
    return str(value)


def _element(name: str, value: Any) -> str:
    if isinstance(value, dict):
        return f"<{name}>" + "".join(_element(k, v) for k, v in value.items()) + f"</{name}>"
    if isinstance(value, list):
        return "".join(_element(name, item) for item in value)
    return f"<{name}>{escape(_scalar(value))}</{name}>"


def _attributes(fields: dict[str, Any]) -> str:
    out = ""
    for key, value in fields.items():
        text = f"gs1:{value}" if key == "type" else _scalar(value)
        out += f" {key}={quoteattr(text)}"
    return out


def _xml_event(fields: dict[str, Any]) -> str:
    body = ""
    for key, value in fields.items():
        if key == "type":
            continue
        if key in ("epcList", "childEPCs", "inputEPCList", "outputEPCList"):
            body += f"<{key}>" + "".join(_element("epc", epc) for epc in value) + f"</{key}>"
        elif key in _QUANTITY_ITEM:
            body += (
                f"<{key}>" + "".join(_element("quantityElement", q) for q in value) + f"</{key}>"
            )
        elif key in _TYPED:
            item, prefix = _TYPED[key]
            body += f"<{key}>"
            for entry in value:
                kind = quoteattr(prefix + entry["type"])
                body += f"<{item} type={kind}>{escape(entry[item])}</{item}>"
            body += f"</{key}>"
        elif key in _VOCABULARY:
            body += _element(key, _VOCABULARY[key] + value)
        elif key == "persistentDisposition":
            body += "<persistentDisposition>"
            for part in ("set", "unset"):
                body += "".join(_element(part, _VOCABULARY[part] + v) for v in value.get(part, []))
            body += "</persistentDisposition>"
        elif key == "errorDeclaration":
            inner = _element("declarationTime", value["declarationTime"])
            inner += _element("reason", _VOCABULARY["reason"] + value["reason"])
            body += f"<errorDeclaration>{inner}</errorDeclaration>"
        elif key == "sensorElementList":
            body += "<sensorElementList>"
            for element in value:
                body += "<sensorElement>"
                body += f"<sensorMetadata{_attributes(element['sensorMetadata'])}/>"
                body += "".join(f"<sensorReport{_attributes(r)}/>" for r in element["sensorReport"])
                body += "".join(_element(k, v) for k, v in element.items() if k.startswith("ex:"))
                body += "</sensorElement>"
            body += "</sensorElementList>"
        else:
            body += _element(key, value)
    return f"<{fields['type']}>{body}</{fields['type']}>"


def xml_document(event_list: list[dict[str, Any]]) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" '
        f'xmlns:ex="{EX}" xmlns:gs1="https://gs1.org/voc/" schemaVersion="2.0" '
        'creationDate="2024-12-01T00:00:00Z">\n<EPCISBody><EventList>\n'
        + "\n".join(_xml_event(fields) for fields in event_list)
        + "\n</EventList></EPCISBody></epcis:EPCISDocument>\n"
    )
