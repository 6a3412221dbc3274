"""The CBV 2.0 EPCIS event hash: `ni:///sha-256;<hex>?ver=CBV2.0`.

The hash names an event by what it says, not by how it is written: XML or JSON-LD, any
order of fields or list elements, any namespace prefixes, any time zone. It hashes the
event's *pre-hash string*, its fields concatenated in the canonical property order:

    eventType=ObjectEvent
    eventTime=2019-04-02T14:00:00.000Z          (UTC, milliseconds)
    eventTimeZoneOffset=+01:00
    certificationInfo=...
    epcList epc=... epc=...                       (elements sorted)
    parentID, inputEPCList, childEPCs,
    quantityList quantityElement epcClass= quantity= uom=   (likewise childQuantityList,
    inputQuantityList, outputEPCList, outputQuantityList)
    action, transformationID, bizStep, disposition, persistentDisposition set= unset=,
    readPoint id=..., bizLocation id=...          (then their extensions)
    bizTransactionList type=... bizTransaction=...   (sourceList, destinationList alike)
    sensorElementList sensorElement sensorMetadata ... sensorReport ...
    ilmd {namespace}name=value ...                 (sorted)
    {namespace}name=value ...                      (user extensions, sorted)

without separators (the lines above are for reading). eventID, recordTime and
errorDeclaration are left out, so an error declaration hashes like the event it corrects.
Values are trimmed; numbers lose trailing zeros (`10.50` -> `10.5`); identifiers become
canonical GS1 Digital Link URIs and CBV vocabulary becomes web URIs (`identifiers`).

The event is an EPCIS 2.0 JSON-LD object (a dict, as `json.load` gives it). Extension
keys may be compact (`"ex:temp"`, with `ex` declared in the event's `@context` or in
`namespaces`) or in Clark notation (`"{https://ns.example.com/}temp"`, as the XML reader
gives them).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from provena.epcis.identifiers import (
    CURIE_PREFIXES,
    digital_link,
    is_gs1_identifier,
    normalise_digital_link,
    vocabulary_uri,
)

__all__ = [
    "ALGORITHMS",
    "EXCLUDED",
    "event_hash",
    "hash_prehash",
    "prehash",
    "prehash_segments",
]

#: Top-level fields that take no part in the hash.
EXCLUDED = frozenset({"type", "eventID", "recordTime", "errorDeclaration"})
#: Named-information hash algorithm names (RFC 6920 registry) and their hashlib names.
ALGORITHMS = {"sha-256": "sha256", "sha-384": "sha384", "sha-512": "sha512", "sha3-256": "sha3_256"}
_COMMENTS = frozenset({"comment", "rdfs:comment"})

_TIMESTAMP = re.compile(
    r"(-?\d{4,})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)", re.ASCII
)
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)


def timestamp(value: str) -> str:
    """`value` (an xsd:dateTimeStamp) in UTC with milliseconds: `2023-01-18T11:04:03.142Z`
    for `2023-01-18T12:04:03.1415+01:00` (a fourth decimal of 5 to 9 rounds up)."""
    match = _TIMESTAMP.fullmatch(value)
    if match is None:
        raise ValueError(f"{value!r} is not a timestamp with a time zone (xsd:dateTimeStamp)")
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    if zone == "Z":
        tz = UTC
    else:
        sign = -1 if zone[0] == "-" else 1
        tz = timezone(sign * timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6])))
    try:
        moment = datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second), tzinfo=tz
        )
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a valid timestamp: {exc}") from exc
    fraction = fraction or ""
    millis = int(fraction[:3].ljust(3, "0")) + (1 if fraction[3:4] >= "5" else 0)
    moment = (moment + timedelta(milliseconds=millis)).astimezone(UTC)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{moment.microsecond // 1000:03d}Z"


def _number(text: str) -> str | None:
    if _NUMBER.fullmatch(text) is None:
        return None
    number = Decimal(text)
    if abs(number.adjusted()) > 400:  # keep absurd exponents as written, not as pages of 0s
        return text
    if number == 0:
        return "0"
    return f"{number.normalize():f}"


def _identifier(text: str) -> str:
    """A GS1 key in canonical form. An EPC URN of a known scheme must be well formed; an
    http(s) URI that only resembles a Digital Link URI on another host passes through."""
    if not is_gs1_identifier(text):
        return text
    if text.startswith("urn:epc:"):
        return digital_link(text)
    try:
        return normalise_digital_link(text)
    except ValueError:
        if urlsplit(text).hostname == "id.gs1.org":
            raise
        return text


def _prefixes(context: Any, into: dict[str, str]) -> None:
    """Collect the prefix definitions of a JSON-LD `@context`."""
    if isinstance(context, list):
        for item in context:
            _prefixes(item, into)
    elif isinstance(context, Mapping):
        for term, definition in context.items():
            if isinstance(definition, Mapping):
                definition = definition.get("@id")
            if isinstance(definition, str) and not term.startswith("@"):
                into[term] = definition


class _Canon:
    """Canonical keys and values, given the prefixes in scope."""

    def __init__(self, prefixes: Mapping[str, str]) -> None:
        self.prefixes = {**CURIE_PREFIXES, **prefixes}

    def key(self, key: str) -> str:
        if key.startswith("{"):
            return key
        prefix, colon, local = key.partition(":")
        if colon and prefix in self.prefixes:
            return f"{{{self.prefixes[prefix]}}}{local}"
        return key

    def value(self, raw: Any, vocabulary: str | None = None) -> str:
        text = _text(raw)
        if not text:
            return ""
        if vocabulary is not None and ":" not in text:
            return vocabulary_uri(text, vocabulary)
        prefix, colon, rest = text.partition(":")
        if colon and prefix in self.prefixes and not rest.startswith("//"):
            return self.prefixes[prefix] + rest
        text = vocabulary_uri(text)
        number = _number(text)
        if number is not None:
            return number
        return _identifier(text)

    def extensions(self, fields: Mapping[str, Any], skip: Iterable[str] = ()) -> list[str]:
        """The sorted strings of the extension elements among `fields`."""
        skipped = set(skip)
        out = [
            text
            for key, value in fields.items()
            if key not in skipped and not key.startswith("@") and key not in _COMMENTS
            for text in self.extension(self.key(key), value)
        ]
        return sorted(out)

    def extension(self, key: str, value: Any) -> list[str]:
        if isinstance(value, list):
            return [text for item in value for text in self.extension(key, item)]
        if isinstance(value, Mapping):
            text = self.value(value.get("#text"))
            children = "".join(self.extensions(value, skip=("#text",)))
            return [key + (f"={text}" if text else "") + children]
        text = self.value(value)
        return [key + (f"={text}" if text else "")]


def _text(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, float):
        return repr(raw)
    if isinstance(raw, str | int):
        return str(raw).strip()
    raise ValueError(f"expected a single value, got {type(raw).__name__} {raw!r}")


def _many(value: Any, field: str) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _fields(value: Any, field: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ValueError(f"{field} must be an object, not {type(value).__name__}")
    return value


def _pairs(canon: _Canon, fields: Mapping[str, Any], order: Iterable[tuple[str, str]]) -> str:
    """`name=value` for each field of `order` that `fields` has, in that order."""
    out = []
    for name, kind in order:
        for raw in _many(fields.get(name), name):
            text = timestamp(_text(raw)) if kind == "time" else canon.value(raw, kind or None)
            if text:
                out.append(f"{name}={text}")
    return "".join(out)


_QUANTITY = (("epcClass", ""), ("quantity", ""), ("uom", ""))
_METADATA = tuple(
    (name, "time" if name.endswith(("time", "Time")) else "")
    for name in [
        "time",
        "startTime",
        "endTime",
        "deviceID",
        "deviceMetadata",
        "rawData",
        "dataProcessingMethod",
        "bizRules",
    ]
)
_REPORT = tuple(
    (name, {"type": "gs1", "exception": "gs1", "component": "Comp", "time": "time"}.get(name, ""))
    for name in [
        "type",
        "exception",
        "deviceID",
        "deviceMetadata",
        "rawData",
        "dataProcessingMethod",
        "time",
        "microorganism",
        "chemicalSubstance",
        "value",
        "component",
        "stringValue",
        "booleanValue",
        "hexBinaryValue",
        "uriValue",
        "minValue",
        "maxValue",
        "meanValue",
        "sDev",
        "percRank",
        "percValue",
        "uom",
        "coordinateReferenceSystem",
    ]
)


def _scalar(vocabulary: str = "") -> Callable[[_Canon, str, Any], str]:
    def segment(canon: _Canon, name: str, value: Any) -> str:
        texts = sorted(canon.value(item, vocabulary or None) for item in _many(value, name))
        return "".join(f"{name}={text}" for text in texts if text)

    return segment


def _time(canon: _Canon, name: str, value: Any) -> str:
    return f"{name}={timestamp(_text(value))}" if _text(value) else ""


def _epcs(canon: _Canon, name: str, value: Any) -> str:
    if not isinstance(value, list):
        raise ValueError(f"{name} must be a list of identifiers")
    epcs = sorted(f"epc={text}" for item in value if (text := canon.value(item)))
    return name + "".join(epcs) if epcs else ""


def _quantities(canon: _Canon, name: str, value: Any) -> str:
    if not isinstance(value, list):
        raise ValueError(f"{name} must be a list of quantity elements")
    elements = []
    for item in value:
        fields = _fields(item, f"{name} element")
        body = _pairs(canon, fields, _QUANTITY)
        body += "".join(canon.extensions(fields, skip=[n for n, _ in _QUANTITY]))
        if body:
            elements.append("quantityElement" + body)
    return name + "".join(sorted(elements)) if elements else ""


def _persistent(canon: _Canon, name: str, value: Any) -> str:
    fields = _fields(value, name)
    body = "".join(_scalar("Disp")(canon, part, fields.get(part)) for part in ("set", "unset"))
    return name + body if body else ""


def _location(canon: _Canon, name: str, value: Any) -> str:
    fields = _fields(value, name)
    body = _pairs(canon, fields, [("id", "")]) + "".join(canon.extensions(fields, skip=["id"]))
    return name + body if body else ""


def _typed(item_name: str, vocabulary: str) -> Callable[[_Canon, str, Any], str]:
    def segment(canon: _Canon, name: str, value: Any) -> str:
        if not isinstance(value, list):
            raise ValueError(f"{name} must be a list")
        items = []
        for item in value:
            fields = _fields(item, f"{name} element")
            kind = canon.value(fields.get("type"), vocabulary)
            text = canon.value(fields.get(item_name))
            if text:
                items.append((f"type={kind}" if kind else "") + f"{item_name}={text}")
        return name + "".join(sorted(items)) if items else ""

    return segment


def _sensor_part(canon: _Canon, name: str, value: Any, order: tuple[tuple[str, str], ...]) -> str:
    fields = _fields(value, name)
    body = _pairs(canon, fields, order)
    body += "".join(canon.extensions(fields, skip=[n for n, _ in order]))
    return name + body if body else ""


def _sensors(canon: _Canon, name: str, value: Any) -> str:
    if not isinstance(value, list):
        raise ValueError(f"{name} must be a list of sensor elements")
    elements = []
    for item in value:
        fields = _fields(item, "sensorElement")
        body = ""
        if fields.get("sensorMetadata") is not None:
            body += _sensor_part(canon, "sensorMetadata", fields["sensorMetadata"], _METADATA)
        reports = [
            _sensor_part(canon, "sensorReport", report, _REPORT)
            for report in _many(fields.get("sensorReport"), "sensorReport")
        ]
        body += "".join(sorted(reports))
        body += "".join(canon.extensions(fields, skip=["sensorMetadata", "sensorReport"]))
        if body:
            elements.append("sensorElement" + body)
    return name + "".join(sorted(elements)) if elements else ""


def _ilmd(canon: _Canon, name: str, value: Any) -> str:
    body = "".join(canon.extensions(_fields(value, name)))
    return name + body if body else ""


#: The canonical property order, after eventType, and how each field is written.
ORDER: tuple[tuple[str, Callable[[_Canon, str, Any], str]], ...] = (
    ("eventTime", _time),
    ("eventTimeZoneOffset", _scalar()),
    ("certificationInfo", _scalar()),
    ("epcList", _epcs),
    ("parentID", _scalar()),
    ("inputEPCList", _epcs),
    ("childEPCs", _epcs),
    ("quantityList", _quantities),
    ("childQuantityList", _quantities),
    ("inputQuantityList", _quantities),
    ("outputEPCList", _epcs),
    ("outputQuantityList", _quantities),
    ("action", _scalar()),
    ("transformationID", _scalar()),
    ("bizStep", _scalar("BizStep")),
    ("disposition", _scalar("Disp")),
    ("persistentDisposition", _persistent),
    ("readPoint", _location),
    ("bizLocation", _location),
    ("bizTransactionList", _typed("bizTransaction", "BTT")),
    ("sourceList", _typed("source", "SDT")),
    ("destinationList", _typed("destination", "SDT")),
    ("sensorElementList", _sensors),
    ("ilmd", _ilmd),
)
_KNOWN = EXCLUDED | {name for name, _ in ORDER}


def prehash_segments(
    event: Mapping[str, Any], *, namespaces: Mapping[str, str] | None = None
) -> list[tuple[str, str]]:
    """The pre-hash string in parts: `(field, text)` per top-level field, in order; user
    extensions last, each element its own part, named by its `{namespace}name`."""
    if not isinstance(event, Mapping):
        raise ValueError(f"an event is a JSON object, not {type(event).__name__}")
    event_type = event.get("type")
    if not isinstance(event_type, str) or not event_type.strip():
        raise ValueError("the event has no type (ObjectEvent, AggregationEvent, ...)")
    prefixes = dict(namespaces or {})
    _prefixes(event.get("@context"), prefixes)
    canon = _Canon(prefixes)
    segments = [("eventType", f"eventType={event_type.strip()}")]
    for name, write in ORDER:
        if event.get(name) is None:
            continue
        try:
            text = write(canon, name, event[name])
        except ValueError as exc:
            raise ValueError(f"{name}: {exc}") from exc
        if text:
            segments.append((name, text))
    extensions = [
        (key, text)
        for key, value in event.items()
        if key not in _KNOWN and not key.startswith("@") and key not in _COMMENTS
        for text in canon.extension(canon.key(key), value)
    ]
    segments += sorted(extensions, key=lambda pair: pair[1])
    return segments


def prehash(event: Mapping[str, Any], *, namespaces: Mapping[str, str] | None = None) -> str:
    """The canonical pre-hash string of `event` (see the module's docstring)."""
    return "".join(text for _, text in prehash_segments(event, namespaces=namespaces))


def hash_prehash(text: str, *, algorithm: str = "sha-256") -> str:
    """The event hash ID of a pre-hash string: `ni:///sha-256;<hex>?ver=CBV2.0`."""
    if algorithm not in ALGORITHMS:
        raise ValueError(f"unknown hash algorithm {algorithm!r}; one of {', '.join(ALGORITHMS)}")
    digest = hashlib.new(ALGORITHMS[algorithm], text.encode("utf-8")).hexdigest()
    return f"ni:///{algorithm};{digest}?ver=CBV2.0"


def event_hash(
    event: Mapping[str, Any],
    *,
    namespaces: Mapping[str, str] | None = None,
    algorithm: str = "sha-256",
) -> str:
    """The CBV 2.0 event hash ID of `event`: `ni:///sha-256;<hex>?ver=CBV2.0`."""
    return hash_prehash(prehash(event, namespaces=namespaces), algorithm=algorithm)
