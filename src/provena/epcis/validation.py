"""Validation of EPCIS 2.0 events and documents, each problem with its place.

`validate_document(data)` checks a JSON-LD `EPCISDocument` or `EPCISQueryDocument`, a
single event or a JSON array of events, or an XML document, and returns every problem it
finds as a `ValidationIssue`: the line of the offending value, its path and what is wrong.

    line 14: epcisBody.eventList[0].bizStep: 'shiping' is not a CBV business step (nor a
             URI); did you mean 'shipping'?

`validate_event(event)` checks one event (a JSON-LD dict). The rules are those of the
EPCIS 2.0 JSON schema and standard: the fields of each event type and which are required,
the type of every value (string, number, object, array), timestamps with a time zone,
URIs, CBV vocabulary, the shapes of quantity elements, business transactions, sources and
destinations, sensor elements and error declarations, and, beyond the schema, GS1 keys
that are malformed (an EPC URN with a company prefix of the wrong length, a Digital Link
URI with a wrong check digit). A key that is not an EPCIS field is an error unless it is
an extension: a compact or full URI (`ex:temperature`) or, from XML, `{namespace}name`.

XML carries text only, so XML values are checked by their lexical form (`<quantity>2.5`),
and vocabulary values must be URIs there (`urn:epcglobal:cbv:bizstep:shipping`), where
JSON-LD writes the bare CBV term (`shipping`).
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from difflib import get_close_matches
from functools import cached_property
from json.scanner import make_scanner
from typing import Any, NoReturn, cast
from xml.parsers import expat

from provena.epcis.documents import EpcisDocumentError, read_events
from provena.epcis.identifiers import (
    CBV,
    GS1_VOC,
    epc_to_digital_link,
    is_gs1_identifier,
    normalise_digital_link,
)
from provena.epcis.vocabulary import (
    BIZ_STEP,
    BIZ_TRANSACTION_TYPE,
    COMPONENT,
    DISPOSITION,
    ERROR_REASON,
    MEASUREMENT_TYPE,
    SENSOR_ALERT_TYPE,
    SOURCE_DESTINATION_TYPE,
    Vocabulary,
)

__all__ = ["EVENT_TYPES", "MAX_DEPTH", "ValidationIssue", "validate_document", "validate_event"]

EVENT_TYPES = (
    "ObjectEvent",
    "AggregationEvent",
    "TransactionEvent",
    "TransformationEvent",
    "AssociationEvent",
)
#: How deeply a JSON document may nest objects and arrays.
MAX_DEPTH = 512

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class ValidationIssue:
    """One problem: the line of the offending value (None if unknown), its path in the
    document (`epcisBody.eventList[3].bizStep`) and what is wrong."""

    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line is not None else ""
        return f"{where}{self.path}: {self.message}" if self.path else where + self.message


def validate_event(
    event: Mapping[str, Any], *, path: str = "", xml: bool = False
) -> list[ValidationIssue]:
    """The problems of one JSON-LD event, with paths below `path`. `xml` says the event
    was read from XML (`read_events`): its values are text and its vocabulary URIs."""
    checker = _Checker(xml=xml)
    checker.event(event, ())
    return [ValidationIssue(None, _path_text(where, path), text) for where, text in checker.found]


def validate_document(data: bytes | str) -> list[ValidationIssue]:
    """The problems of an EPCIS document, JSON-LD or XML, in document order, each with the
    line of its value. Raises `EpcisDocumentError` for text that is not JSON or XML."""
    if isinstance(data, bytes):
        head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    else:
        head = data.lstrip("\ufeff \t\r\n")[:1].encode()
    if head == b"<":
        return _validate_xml(data.encode() if isinstance(data, str) else data)
    if head not in (b"{", b"["):
        read_events(data)  # raises the reader's error for what is neither JSON nor XML
    try:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data.lstrip("\ufeff")
    except UnicodeDecodeError as exc:
        raise EpcisDocumentError(f"not UTF-8 text: {exc.reason} at byte {exc.start}") from exc
    reader = _JsonReader(text)
    document = reader.read()
    checker = _Checker(xml=False)
    for where in reader.duplicates:
        checker.add(where, "appears more than once in its object (the last one counts)")
    checker.document(document)
    issues = [
        ValidationIssue(reader.line_of(where), _path_text(where), text)
        for where, text in checker.found
    ]
    return sorted(issues, key=lambda issue: issue.line or 0)


def _path_text(path: Path, prefix: str = "") -> str:
    out = prefix
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}" if out else part
    return out


# ── values ────────────────────────────────────────────────────────────────────────────

_URI = re.compile(
    r"[A-Za-z][A-Za-z0-9+.\-]*:(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#\[\]]|%[0-9A-Fa-f]{2})*"
)
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_EXTENSION = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:\S*|\{[^{}\s]+\}\S+")
_TIMESTAMP = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)?", re.ASCII
)
_OFFSET = re.compile(r"[+-](\d\d):(\d\d)", re.ASCII)
_XML_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_HEX = re.compile(r"(?:[0-9A-Fa-f]{2})+", re.ASCII)
_UOM = re.compile(r"[A-Z0-9]{2,3}", re.ASCII)
_GTIN_SERIAL = re.compile(r"https://id\.gs1\.org/01/\d{14}/21/")
_ACTIONS = ("ADD", "OBSERVE", "DELETE")


def _kind(value: Any) -> str:
    """The JSON name of a value's type."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, Mapping):
        return "object"
    return type(value).__name__


def _is_extension(key: object) -> bool:
    """Whether `key` names a user extension: a (compact) URI or `{namespace}name`."""
    return isinstance(key, str) and _EXTENSION.fullmatch(key) is not None


def _non_empty(value: Any) -> bool:
    return isinstance(value, list) and len(value) > 0


def _offset_problem(sign_hours: str, minutes: str) -> str | None:
    hours = int(sign_hours[1:])
    if int(minutes) > 59:
        return "its minutes must be 00 to 59"
    if hours > 14 or (hours == 14 and minutes != "00"):
        return "it must be between -14:00 and +14:00"
    return None


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: The fields of every event, those of the "why" dimension, and those of each event type.
_COMMON = _words(
    "@context type eventID eventTime eventTimeZoneOffset recordTime certificationInfo "
    "errorDeclaration"
)
_WHY = _words(
    "bizStep disposition readPoint bizLocation bizTransactionList sourceList destinationList "
    "sensorElementList"
)
_PARENT_CHILDREN = _words("action parentID childEPCs childQuantityList")
_FIELDS: dict[str, frozenset[str]] = {
    "ObjectEvent": _WHY | _words("action epcList quantityList persistentDisposition ilmd"),
    "AggregationEvent": _WHY | _PARENT_CHILDREN,
    "TransactionEvent": _WHY | _words("action parentID epcList quantityList"),
    "TransformationEvent": _WHY
    | _words(
        "inputEPCList inputQuantityList outputEPCList outputQuantityList transformationID "
        "persistentDisposition ilmd"
    ),
    "AssociationEvent": _WHY | _PARENT_CHILDREN,
}
_ALL_FIELDS = _COMMON.union(*_FIELDS.values())

_METADATA_TIMES = ("time", "startTime", "endTime")
_METADATA_URIS = ("deviceID", "deviceMetadata", "rawData", "dataProcessingMethod", "bizRules")
_REPORT_URIS = (
    *_METADATA_URIS,
    *("microorganism", "chemicalSubstance", "coordinateReferenceSystem", "uriValue"),
)
_REPORT_NUMBERS = ("value", "minValue", "maxValue", "meanValue", "sDev", "percRank", "percValue")


@dataclass
class _Checker:
    """The rules, applied to JSON-LD values; `found` collects (path, message) pairs."""

    xml: bool
    found: list[tuple[Path, str]] = field(default_factory=list)

    def add(self, path: Path, message: str) -> None:
        self.found.append((path, message))

    # ── scalars ──

    def single(self, value: Any, path: Path) -> bool:
        """False (and an issue) for an XML element that appears more than once."""
        if self.xml and isinstance(value, list):
            self.add(path, f"appears {len(value)} times; at most once")
            return False
        return True

    def string(self, value: Any, path: Path) -> str | None:
        if not self.single(value, path):
            return None
        if not isinstance(value, str):
            self.add(path, f"must be a string, got {_kind(value)}")
            return None
        return value

    def uri(self, value: Any, path: Path, *, role: str = "") -> str | None:
        """A URI; `role` says it names objects (`instance`) or a class (`class`), where GS1
        keys on any host must be well formed."""
        text = self.string(value, path)
        if text is None:
            return None
        if _URI.fullmatch(text) is None:
            self.add(path, f"{text!r} is not a URI{_uri_problem(text)}")
            return None
        problem = _identifier_problem(text, role)
        if problem:
            self.add(path, problem)
        return text

    def time(self, value: Any, path: Path) -> None:
        text = self.string(value, path)
        if text is None:
            return
        match = _TIMESTAMP.fullmatch(text)
        if match is None:
            self.add(path, f"{text!r} is not a date-time like 2024-01-31T12:00:00.000+01:00")
            return
        year, month, day, hour, minute, second, _, zone = match.groups()
        if zone is None:
            self.add(path, f"{text!r} has no time zone (Z or an offset like +01:00)")
            return
        try:
            datetime(int(year), int(month), int(day), int(hour), int(minute), int(second))
        except ValueError as exc:
            self.add(path, f"{text!r} is not a valid date-time: {exc}")
            return
        if zone != "Z" and (problem := _offset_problem(zone[:3], zone[4:])):
            self.add(path, f"{text!r} has time zone offset {zone}, but {problem}")

    def offset(self, value: Any, path: Path) -> None:
        text = self.string(value, path)
        if text is None:
            return
        match = _OFFSET.fullmatch(text)
        if match is None:
            self.add(path, f"{text!r} is not a time zone offset like +01:00 or -05:30")
        elif problem := _offset_problem(text[:3], match.group(2)):
            self.add(path, f"{text!r} is not a time zone offset: {problem}")

    def number(self, value: Any, path: Path) -> None:
        if self.xml:
            text = self.string(value, path)  # empty for <quantity xsi:nil="true"/>
            if text and _XML_NUMBER.fullmatch(text.strip()) is None:
                self.add(path, f"{text!r} is not a number")
        elif isinstance(value, bool) or not isinstance(value, int | float):
            self.add(path, f"must be a number, got {_kind(value)}")
        elif not math.isfinite(value):
            self.add(path, f"must be a finite number, got {value}")

    def boolean(self, value: Any, path: Path) -> None:
        if self.xml:
            text = self.string(value, path)
            if text is not None and text.strip() not in ("true", "false", "1", "0"):
                self.add(path, f"{text!r} is not a boolean (true or false)")
        elif not isinstance(value, bool):
            self.add(path, f"must be a boolean, got {_kind(value)}")

    def pattern(self, value: Any, path: Path, pattern: re.Pattern[str], what: str) -> None:
        text = self.string(value, path)
        if text is not None and pattern.fullmatch(text) is None:
            self.add(path, f"{text!r} is not {what}")

    def uom(self, value: Any, path: Path) -> None:
        what = "a UN/CEFACT Rec. 20 unit code (2 or 3 characters A-Z, 0-9, like KGM)"
        self.pattern(value, path, _UOM, what)

    def term(self, value: Any, path: Path, vocabulary: Vocabulary) -> None:
        """A vocabulary value: a standard term in its form (bare in JSON-LD, a URI in XML)
        or a URI of another vocabulary."""
        text = self.string(value, path)
        if text is None:
            return
        what = vocabulary.what
        term = vocabulary.term_of(text)
        if term is not None:
            if term not in vocabulary.terms and (vocabulary.closed or not term):
                self.add(path, f"{text!r}: {term!r} is not a {what}{_suggest(term, vocabulary)}")
            elif not self.xml and vocabulary.urn_prefix and text.startswith(vocabulary.urn_prefix):
                self.add(path, f"{text!r} is an EPCIS 1.x URN; JSON-LD writes the term {term!r}")
        elif _SCHEME.match(text):
            if text.startswith((CBV, "cbv:", "urn:epcglobal:cbv:", GS1_VOC, "gs1:")):
                hint = _respelt(text, vocabulary)
                self.add(path, f"{text!r} is standard vocabulary, but not a {what}{hint}")
            else:
                self.uri(text, path)
        elif text not in vocabulary.terms:
            self.add(path, f"{text!r} is not a {what} (nor a URI){_suggest(text, vocabulary)}")
        elif self.xml:
            uri = (vocabulary.urn_prefix or vocabulary.compact_prefix) + text
            self.add(path, f"{text!r} is a bare term; XML writes vocabulary as URIs ({uri})")

    # ── structures ──

    def object(self, value: Any, path: Path) -> Mapping[str, Any] | None:
        if not self.single(value, path):
            return None
        if not isinstance(value, Mapping):
            self.add(path, f"must be an object, got {_kind(value)}")
            return None
        return value

    def array(self, value: Any, path: Path, *, non_empty: bool = False) -> list[Any]:
        if self.xml and isinstance(value, str):
            value = [value]  # an element that appears once
        if not isinstance(value, list):
            self.add(path, f"must be an array, got {_kind(value)}")
            return []
        if non_empty and not value:
            self.add(path, "must not be empty")
        return value

    def members(
        self,
        value: Mapping[str, Any],
        path: Path,
        rules: Mapping[str, Callable[[Any, Path], None]],
        *,
        what: str,
        extensions: bool = True,
        required: tuple[str, ...] = (),
    ) -> None:
        """Check the members of an object that has the fields of `rules`, and, if
        `extensions`, user extensions."""
        for name in required:
            if name not in value:
                self.add((*path, name), f"missing: {what} needs {name}")
        for key, item in value.items():
            if key in rules:
                rules[key](item, (*path, key))
            elif self.xml and key == "#text":
                continue  # text beside an XML element's attributes or children
            elif not extensions:
                fields = ", ".join(rules)
                self.add((*path, key), f"unknown field: {what} has only {fields}")
            elif not _is_extension(key):
                self.add((*path, key), _unknown(key, what))

    def uris(self, value: Any, path: Path, *, role: str = "", unique: bool = False) -> None:
        seen: dict[str, int] = {}
        for index, item in enumerate(self.array(value, path)):
            text = self.uri(item, (*path, index), role=role)
            if text is None:
                continue
            if unique and text in seen:
                self.add((*path, index), f"{text!r} is already listed at [{seen[text]}]")
            seen.setdefault(text, index)

    def epcs(self, value: Any, path: Path) -> None:
        self.uris(value, path, role="instance", unique=True)

    def certification(self, value: Any, path: Path) -> None:
        if isinstance(value, list):
            self.uris(value, path)
        elif isinstance(value, str):
            self.uri(value, path)
        else:
            self.add(path, f"must be a URI or an array of URIs, got {_kind(value)}")

    def context(self, value: Any, path: Path) -> None:
        if isinstance(value, str):
            self.uri(value, path)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, str):
                    self.uri(item, (*path, index))
                elif not isinstance(item, Mapping):
                    self.add((*path, index), f"must be a URI or an object, got {_kind(item)}")
            uris = [item for item in value if isinstance(item, str)]
            if len(set(uris)) < len(uris):
                self.add(path, "lists a URI more than once")
        elif not isinstance(value, Mapping):
            self.add(path, f"must be a URI, an object or an array of them, got {_kind(value)}")

    def quantities(self, value: Any, path: Path) -> None:
        for index, item in enumerate(self.array(value, path)):
            element = self.object(item, (*path, index))
            if element is not None:
                rules = {"epcClass": self.epc_class, "quantity": self.number, "uom": self.uom}
                self.members(
                    element,
                    (*path, index),
                    rules,
                    what="a quantity element",
                    extensions=False,
                    required=("epcClass",),
                )

    def location(self, value: Any, path: Path) -> None:
        fields = self.object(value, path)
        if fields is not None:
            self.members(fields, path, {"id": self.instance}, what=str(path[-1]), required=("id",))

    def typed_list(self, value: Any, path: Path, item: str, vocabulary: Vocabulary) -> None:
        """bizTransactionList, sourceList or destinationList: {type, <item>} elements."""
        for index, element in enumerate(self.array(value, path)):
            fields = self.object(element, (*path, index))
            if fields is None:
                continue
            rules = {
                "type": lambda v, p: self.term(v, p, vocabulary),
                item: self.plain_uri if item == "bizTransaction" else self.instance,
            }
            required = (item,) if item == "bizTransaction" else ("type", item)
            self.members(
                fields,
                (*path, index),
                rules,
                what=f"a {item} element",
                extensions=False,
                required=required,
            )

    def persistent_disposition(self, value: Any, path: Path) -> None:
        fields = self.object(value, path)
        if fields is None:
            return

        def dispositions(items: Any, where: Path) -> None:
            listed = self.array(items, where, non_empty=True)
            for index, item in enumerate(listed):
                self.term(item, (*where, index), DISPOSITION)
                if isinstance(item, str) and item in listed[:index]:
                    self.add((*where, index), f"{item!r} is already listed")

        rules = {"set": dispositions, "unset": dispositions}
        self.members(fields, path, rules, what="persistentDisposition", extensions=False)
        if "set" not in fields and "unset" not in fields:
            self.add(path, "must have a set or an unset list of dispositions")

    def error_declaration(self, value: Any, path: Path) -> None:
        fields = self.object(value, path)
        if fields is None:
            return

        def corrective(ids: Any, where: Path) -> None:
            if self.xml and isinstance(ids, Mapping):  # <correctiveEventID> elements
                ids = ids.get("correctiveEventID", [])
            self.uris(ids, where)

        rules = {
            "declarationTime": self.time,
            "reason": lambda v, p: self.term(v, p, ERROR_REASON),
            "correctiveEventIDs": corrective,
        }
        required = ("declarationTime",)
        self.members(fields, path, rules, what="an errorDeclaration", required=required)

    def sensors(self, value: Any, path: Path) -> None:
        for index, item in enumerate(self.array(value, path)):
            where = (*path, index)
            element = self.object(item, where)
            if element is None:
                continue
            rules = {"sensorMetadata": self.sensor_metadata, "sensorReport": self.sensor_reports}
            required = ("sensorReport",)
            self.members(element, where, rules, what="a sensor element", required=required)

    def sensor_metadata(self, value: Any, path: Path) -> None:
        fields = self.object(value, path)
        if fields is not None:
            rules: dict[str, Callable[[Any, Path], None]] = dict.fromkeys(
                _METADATA_TIMES, self.time
            )
            rules |= dict.fromkeys(_METADATA_URIS, self.plain_uri)
            self.members(fields, path, rules, what="sensorMetadata")

    def sensor_reports(self, value: Any, path: Path) -> None:
        for index, item in enumerate(self.array(value, path, non_empty=True)):
            report = self.object(item, (*path, index))
            if report is None:
                continue
            rules: dict[str, Callable[[Any, Path], None]] = {
                "type": lambda v, p: self.term(v, p, MEASUREMENT_TYPE),
                "exception": lambda v, p: self.term(v, p, SENSOR_ALERT_TYPE),
                "time": self.time,
                "component": lambda v, p: self.term(v, p, COMPONENT),
                "stringValue": self.text,
                "booleanValue": self.boolean,
                "hexBinaryValue": lambda v, p: self.pattern(
                    v, p, _HEX, "hexadecimal octets (pairs of 0-9, A-F)"
                ),
                "uom": self.uom,
            }
            rules |= dict.fromkeys(_REPORT_URIS, self.plain_uri)
            rules |= dict.fromkeys(_REPORT_NUMBERS, self.number)
            where = (*path, index)
            required = () if self.xml else ("type",)  # optional in the XML schema
            self.members(report, where, rules, what="a sensor report", required=required)

    def plain_uri(self, value: Any, path: Path) -> None:
        self.uri(value, path)

    def instance(self, value: Any, path: Path) -> None:
        self.uri(value, path, role="instance")

    def epc_class(self, value: Any, path: Path) -> None:
        self.uri(value, path, role="class")

    def ilmd(self, value: Any, path: Path) -> None:
        fields = self.object(value, path)
        if fields is None:
            return
        for key in fields:
            if not _is_extension(key) and not (self.xml and key == "#text"):
                self.add((*path, key), f"ilmd holds extensions only; {key!r} {_NO_PREFIX}")

    # ── events ──

    def event(self, value: Any, path: Path) -> None:
        event = self.object(value, path)
        if event is None:
            return
        kind = event.get("type")
        fields, known_type = _ALL_FIELDS, ""
        if "type" not in event:
            self.add((*path, "type"), f"missing: every event has a type ({_TYPES})")
        elif (name := self.string(kind, (*path, "type"))) is None:
            pass
        elif name not in _FIELDS:
            self.add((*path, "type"), f"{name!r} is not an EPCIS event type ({_TYPES})")
        else:
            fields, known_type = _COMMON | _FIELDS[name], name
            if self.xml:  # the XML schema allows it in every event type
                fields |= {"persistentDisposition"}
        rules = self.event_rules
        for key, item in event.items():
            where = (*path, key)
            if key in fields:
                rules[key](item, where)
            elif key in _ALL_FIELDS:
                owners = ", ".join(t for t, names in _FIELDS.items() if key in names)
                self.add(where, f"{_a(kind)} has no {key} (a field of {owners})")
            elif not _is_extension(key):
                self.add(where, _unknown(key, "an event"))
        for required in ("eventTime", "eventTimeZoneOffset"):
            if required not in event:
                self.add((*path, required), f"missing: every event has an {required}")
        if known_type:
            self.contents(event, known_type, path)

    @cached_property
    def event_rules(self) -> dict[str, Callable[[Any, Path], None]]:
        def typed(item: str, vocabulary: Vocabulary) -> Callable[[Any, Path], None]:
            return lambda value, path: self.typed_list(value, path, item, vocabulary)

        def term(vocabulary: Vocabulary) -> Callable[[Any, Path], None]:
            return lambda value, path: self.term(value, path, vocabulary)

        return {
            "@context": self.context,
            "type": lambda value, path: None,  # checked first, by `event`
            "eventID": self.plain_uri,
            "eventTime": self.time,
            "eventTimeZoneOffset": self.offset,
            "recordTime": self.time,
            "certificationInfo": self.certification,
            "errorDeclaration": self.error_declaration,
            "action": self.action,
            "epcList": self.epcs,
            "childEPCs": self.epcs,
            "inputEPCList": self.epcs,
            "outputEPCList": self.epcs,
            "parentID": self.instance,
            "quantityList": self.quantities,
            "childQuantityList": self.quantities,
            "inputQuantityList": self.quantities,
            "outputQuantityList": self.quantities,
            "transformationID": self.plain_uri,
            "bizStep": term(BIZ_STEP),
            "disposition": term(DISPOSITION),
            "persistentDisposition": self.persistent_disposition,
            "readPoint": self.location,
            "bizLocation": self.location,
            "bizTransactionList": typed("bizTransaction", BIZ_TRANSACTION_TYPE),
            "sourceList": typed("source", SOURCE_DESTINATION_TYPE),
            "destinationList": typed("destination", SOURCE_DESTINATION_TYPE),
            "sensorElementList": self.sensors,
            "ilmd": self.ilmd,
        }

    def action(self, value: Any, path: Path) -> None:
        text = self.string(value, path)
        if text is not None and text not in _ACTIONS:
            hint = f" (actions are upper case: {text.upper()})" if text.upper() in _ACTIONS else ""
            self.add(path, f"{text!r} is not an action ({_ACTIONS_TEXT}){hint}")

    def contents(self, event: Mapping[str, Any], kind: str, path: Path) -> None:
        """What an event of type `kind` must name, and the fields it requires beyond
        eventTime and eventTimeZoneOffset."""
        action = event.get("action")
        if kind == "TransformationEvent":
            self.transformation(event, path)
            return
        if "action" not in event:
            self.add((*path, "action"), f"missing: {_a(kind)} needs an action ({_ACTIONS_TEXT})")
        if kind == "ObjectEvent":
            sensed = _non_empty(event.get("sensorElementList")) and "readPoint" in event
            if not ("epcList" in event or _non_empty(event.get("quantityList")) or sensed):
                self.add(
                    path,
                    f"an ObjectEvent needs an epcList, {_QUANTITIES}, or a "
                    "sensorElementList and a readPoint",
                )
            if "ilmd" in event and action in ("OBSERVE", "DELETE"):
                self.add((*path, "ilmd"), f"ilmd is for action ADD only, not {action}")
        elif kind == "TransactionEvent":
            if "bizTransactionList" not in event:
                self.add((*path, "bizTransactionList"), f"missing: {_a(kind)} needs one")
            elif event["bizTransactionList"] == []:
                self.add((*path, "bizTransactionList"), f"must not be empty in {_a(kind)}")
            named = "epcList" in event or _non_empty(event.get("quantityList"))
            if not named and action != "DELETE":
                self.add(path, f"{_a(kind)} needs an epcList or {_QUANTITIES}{_UNLESS_DELETE}")
        else:  # AggregationEvent, AssociationEvent
            always = kind == "AssociationEvent"
            if "parentID" not in event and (always or action in ("ADD", "DELETE")):
                when = "" if always else f" with action {action}"
                self.add((*path, "parentID"), f"missing: {_a(kind)}{when} needs a parentID")
            children = ("childEPCs", "childQuantityList")
            if not any(_non_empty(event.get(name)) for name in children) and action != "DELETE":
                what = "a non-empty childEPCs or childQuantityList"
                self.add(path, f"{_a(kind)} needs {what}{_UNLESS_DELETE}")

    def transformation(self, event: Mapping[str, Any], path: Path) -> None:
        """Inputs and outputs, or only one of them and the transformationID that joins
        them to the events with the other."""
        inputs, outputs = (
            _non_empty(event.get(f"{side}EPCList")) or _non_empty(event.get(f"{side}QuantityList"))
            for side in ("input", "output")
        )
        if not inputs and not outputs:
            self.add(
                path,
                "a TransformationEvent needs inputs or outputs (a non-empty "
                "inputEPCList, inputQuantityList, outputEPCList or outputQuantityList)",
            )
        elif not (inputs and outputs) and "transformationID" not in event:
            half = "outputs" if outputs else "inputs"
            self.add(
                (*path, "transformationID"),
                f"missing: a TransformationEvent with {half} "
                "only needs a transformationID to join it to the other half",
            )

    # ── documents ──

    def document(self, value: Any) -> None:
        """A JSON-LD EPCIS document, a single event or an array of events."""
        if isinstance(value, list):
            for index, event in enumerate(value):
                self.event(event, (index,))
            return
        document = self.object(value, ())
        if document is None:
            return
        kind = document.get("type")
        if kind in ("EPCISDocument", "EPCISQueryDocument") or "epcisBody" in document:
            self.epcis_document(document, kind)
            return
        self.event(document, ())
        if "@context" not in document:
            self.add(("@context",), "missing: an event on its own needs a JSON-LD @context")

    def epcis_document(self, document: Mapping[str, Any], kind: Any) -> None:
        query = kind == "EPCISQueryDocument"
        rules: dict[str, Callable[[Any, Path], None]] = {
            "@context": self.context,
            "type": self.document_type,
            "id": self.plain_uri,
            "schemaVersion": self.schema_version,
            "creationDate": self.time,
            "epcisBody": self.query_body if query else self.body,
        }
        required: tuple[str, ...] = ("@context", "type", "epcisBody")
        if not query:
            rules |= {
                "instanceIdentifier": self.text,
                "sender": self.text,
                "receiver": self.text,
                "epcisHeader": self.header,
            }
            required += ("schemaVersion", "creationDate")
        self.members(document, (), rules, what=f"an {kind or 'EPCISDocument'}", required=required)

    def text(self, value: Any, path: Path) -> None:
        self.string(value, path)

    def document_type(self, value: Any, path: Path) -> None:
        text = self.string(value, path)
        if text is not None and text not in ("EPCISDocument", "EPCISQueryDocument"):
            self.add(path, f"{text!r} is not a document type (EPCISDocument, EPCISQueryDocument)")

    def schema_version(self, value: Any, path: Path) -> None:
        text = self.string(value, path)
        if text is not None and text != "2.0":
            self.add(path, f"{text!r}: an EPCIS 2.0 JSON-LD document has schemaVersion '2.0'")

    def event_list(self, value: Any, path: Path) -> None:
        for index, event in enumerate(self.array(value, path)):
            self.event(event, (*path, index))

    def body(self, value: Any, path: Path) -> None:
        fields = self.object(value, path)
        if fields is not None:
            rules = {"eventList": self.event_list}
            self.members(fields, path, rules, what="epcisBody", required=("eventList",))

    def query_body(self, value: Any, path: Path) -> None:
        fields = self.object(value, path)
        if fields is None:
            return

        def results(value: Any, path: Path) -> None:
            if (body := self.object(value, path)) is not None:
                rules = {"eventList": self.event_list, "vocabularyList": self.vocabularies}
                self.members(body, path, rules, what="resultsBody", required=("eventList",))

        def query_results(value: Any, path: Path) -> None:
            if (body := self.object(value, path)) is not None:
                rules = {
                    "queryName": self.text,
                    "subscriptionID": self.text,
                    "resultsBody": results,
                }
                required = ("queryName", "resultsBody")
                self.members(body, path, rules, what="queryResults", required=required)

        rules = {"queryResults": query_results}
        self.members(fields, path, rules, what="epcisBody", required=("queryResults",))

    def header(self, value: Any, path: Path) -> None:
        fields = self.object(value, path)
        if fields is None:
            return

        def master_data(value: Any, path: Path) -> None:
            if (data := self.object(value, path)) is not None:
                rules = {"vocabularyList": self.vocabularies}
                self.members(data, path, rules, what="epcisMasterData")

        self.members(fields, path, {"epcisMasterData": master_data}, what="epcisHeader")

    def vocabularies(self, value: Any, path: Path) -> None:
        """Master data: vocabularies of elements, each with attributes and children."""

        def attributes(value: Any, path: Path) -> None:
            for index, item in enumerate(self.array(value, path)):
                if (attribute := self.object(item, (*path, index))) is not None:
                    rules = {"id": self.plain_uri, "attribute": self.attribute_value}
                    where = (*path, index)
                    self.members(attribute, where, rules, what="an attribute", required=("id",))

        def elements(value: Any, path: Path) -> None:
            for index, item in enumerate(self.array(value, path)):
                if (element := self.object(item, (*path, index))) is not None:
                    rules = {"id": self.plain_uri, "attributes": attributes, "children": self.uris}
                    where = (*path, index)
                    what = "a vocabulary element"
                    self.members(element, where, rules, what=what, required=("id",))

        for index, item in enumerate(self.array(value, path)):
            if (vocabulary := self.object(item, (*path, index))) is not None:
                rules = {"type": self.plain_uri, "vocabularyElementList": elements}
                where = (*path, index)
                self.members(vocabulary, where, rules, what="a vocabulary", required=("type",))

    def attribute_value(self, value: Any, path: Path) -> None:
        if isinstance(value, bool) or not isinstance(value, str | int | float | Mapping):
            self.add(path, f"must be a string, a number or an object, got {_kind(value)}")


_TYPES = ", ".join(EVENT_TYPES)
_ACTIONS_TEXT = "ADD, OBSERVE or DELETE"
_QUANTITIES = "a non-empty quantityList"
_UNLESS_DELETE = " (unless its action is DELETE)"
_NO_PREFIX = "needs a namespace prefix, like ex:"


def _a(noun: Any) -> str:
    """`noun` with its indefinite article."""
    return f"{'an' if str(noun)[:1] in 'AEIOUaeiou' else 'a'} {noun}"


def _unknown(key: str, what: str) -> str:
    return f"unknown field: not a field of {what}, and an extension {_NO_PREFIX}{key}"


def _suggest(term: str, vocabulary: Vocabulary) -> str:
    close = get_close_matches(term, sorted(vocabulary.terms), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def _respelt(text: str, vocabulary: Vocabulary) -> str:
    """A hint for a URI of `vocabulary` with its prefix in the wrong case."""
    prefix = vocabulary.web_prefix
    if text[: len(prefix)].lower() == prefix.lower():
        return f"; did you mean {prefix + text[len(prefix) :]!r}?"
    return ""


def _uri_problem(text: str) -> str:
    if not text:
        return " (it is empty)"
    if _SCHEME.match(text) is None:
        return " (it has no scheme such as urn: or https:)"
    for index, char in enumerate(text):
        if char == "%" and re.match(r"%[0-9A-Fa-f]{2}", text[index:]) is None:
            return " (a '%' must start an escape like %20)"
        if _URI.fullmatch("x:" + char) is None and char != "%":
            return f" ({char!r} must be percent-encoded)"
    return ""


def _identifier_problem(text: str, role: str) -> str | None:
    """What is wrong with a GS1 key: a malformed EPC URN, or a Digital Link URI with a
    wrong check digit or length (on id.gs1.org, or on any host where `role` says the
    field names objects); an instance where a class belongs, or the other way round."""
    if role == "instance" and text.startswith(("urn:epc:class:", "urn:epc:idpat:")):
        return f"{text!r} is an EPC class or pattern, where an instance (urn:epc:id:) belongs"
    if role == "class" and text.startswith("urn:epc:id:"):
        return f"{text!r} is an instance; epcClass names a class (urn:epc:class:, urn:epc:idpat:)"
    try:
        if not is_gs1_identifier(text):
            return None
        if text.startswith("urn:epc:"):
            epc_to_digital_link(text)
        elif role or text.startswith(("https://id.gs1.org/", "http://id.gs1.org/")):
            canonical = normalise_digital_link(text)
            if role == "class" and _GTIN_SERIAL.match(canonical):
                return f"{text!r} has a serial number; epcClass names a class, not an instance"
    except ValueError as exc:
        kind = "EPC URI" if text.startswith("urn:epc:") else "GS1 Digital Link URI"
        return f"malformed {kind}: {exc}"
    return None


# ── JSON with the line of every value ─────────────────────────────────────────────────

_WHITESPACE = re.compile(r"[ \t\n\r]*")


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


class _JsonReader:
    """JSON text into Python values, iteratively (nesting costs no stack), recording the
    line on which each value starts and the members that appear twice in an object."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line = 1
        self.lines: dict[Path, int] = {}
        self.duplicates: list[Path] = []
        decoder = json.JSONDecoder(parse_constant=_no_constant)
        self.scan: Callable[[str, int], tuple[Any, int]] = make_scanner(cast(Any, decoder))

    def line_of(self, path: Path) -> int | None:
        """The line of the value at `path`, or of the nearest enclosing one."""
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path)

    def fail(self, message: str, *, problem: str = "malformed") -> NoReturn:
        column = self.pos - self.text.rfind("\n", 0, self.pos)
        raise EpcisDocumentError(f"{problem} JSON: {message} (column {column})", line=self.line)

    def skip(self) -> str:
        """Skip whitespace, counting lines; the next character ('' at the end)."""
        match = _WHITESPACE.match(self.text, self.pos)
        end = match.end() if match else self.pos
        self.line += self.text.count("\n", self.pos, end)
        self.pos = end
        return self.text[end : end + 1]

    def key(self) -> str:
        if self.skip() != '"':
            self.fail("expected a member name in double quotes")
        key: str = self.scalar()
        if self.skip() != ":":
            self.fail("expected ':' after a member name")
        self.pos += 1
        return key

    def scalar(self) -> Any:
        try:
            value, self.pos = self.scan(self.text, self.pos)
        except StopIteration:
            self.fail("expected a value")
        except json.JSONDecodeError as exc:
            self.pos = exc.pos
            self.fail(exc.msg)
        except ValueError as exc:  # NaN, Infinity, integers of thousands of digits
            self.fail(str(exc))
        return value

    def read(self) -> Any:
        """The document's value (raises `EpcisDocumentError` for malformed JSON)."""
        stack: list[tuple[dict[str, Any] | list[Any], Path, str]] = []  # container, path, key
        path: Path = ()
        while True:
            char = self.skip()
            self.lines[path] = self.line
            value: Any
            if char in ("{", "["):
                if len(stack) >= MAX_DEPTH:
                    self.fail(f"nested deeper than {MAX_DEPTH} levels", problem="unreadable")
                self.pos += 1
                if self.skip() == ("}" if char == "{" else "]"):
                    self.pos += 1
                    value = {} if char == "{" else []
                elif char == "{":
                    key = self.key()
                    stack.append(({}, path, key))
                    path = (*path, key)
                    continue
                else:
                    stack.append(([], path, ""))
                    path = (*path, 0)
                    continue
            else:
                value = self.scalar()
            while True:  # attach the value to its container; close what it completes
                if not stack:
                    if self.skip():
                        self.fail("unexpected data after the document")
                    return value
                container, where, key = stack[-1]
                if isinstance(container, dict):
                    if key in container:
                        self.duplicates.append((*where, key))
                    container[key] = value
                else:
                    container.append(value)
                char = self.skip()
                closing = "}" if isinstance(container, dict) else "]"
                if char == ",":
                    self.pos += 1
                    if isinstance(container, dict):
                        key = self.key()
                        stack[-1] = (container, where, key)
                        path = (*where, key)
                    else:
                        path = (*where, len(container))
                    break
                if char != closing:
                    self.fail(f"expected ',' or '{closing}'")
                self.pos += 1
                stack.pop()
                value = container


# ── XML ───────────────────────────────────────────────────────────────────────────────

_XML_DOCUMENTS = ("EPCISDocument", "EPCISQueryDocument")
_XML_WRAPPERS = frozenset({"extension", "baseExtension"})
_XML_LISTS = _words(
    "epcList childEPCs inputEPCList outputEPCList quantityList childQuantityList "
    "inputQuantityList outputQuantityList bizTransactionList sourceList destinationList "
    "sensorElementList"
)


@dataclass
class _XmlNode:
    """An element inside an event: the JSON-LD path it becomes and its children seen."""

    path: Path
    lines: dict[Path, int]
    names: Counter[str] = field(default_factory=Counter)
    items: int = 0


@dataclass
class _XmlEvents:
    """Per event of an XML document: the line it starts on and those of its parts."""

    root: str = ""
    events: list[tuple[int, dict[Path, int]]] = field(default_factory=list)


def _xml_lines(data: bytes) -> _XmlEvents:
    """The lines of the events of an XML document and of their elements, under the paths
    of the JSON-LD fields `read_events` makes of them (`epcList[1]`, `readPoint.id`)."""
    found = _XmlEvents()
    parser = expat.ParserCreate(namespace_separator="}")
    # per open element: "outside" an event list, the "list", or a node of an event
    stack: list[str | _XmlNode] = []
    seen_list = False

    def start(name: str, attributes: dict[str, str]) -> None:
        nonlocal seen_list
        tag = "{" + name if "}" in name else name
        line = parser.CurrentLineNumber
        parent = stack[-1] if stack else None
        if tag in _XML_WRAPPERS and (isinstance(parent, _XmlNode) or parent == "list"):
            stack.append(parent)
        elif parent is None and tag.rsplit("}", 1)[-1] in _XML_DOCUMENTS:
            found.root = tag.rsplit("}", 1)[-1]
            stack.append("outside")
        elif parent is None or parent == "list":
            lines: dict[Path, int] = {(): line}
            found.events.append((line, lines))
            stack.append(_XmlNode((), lines))
        elif isinstance(parent, _XmlNode):
            if parent.path and parent.path[-1] in _XML_LISTS and len(parent.path) == 1:
                path: Path = (*parent.path, parent.items)
                parent.items += 1
            else:
                path = (*parent.path, tag)
                parent.lines.setdefault((*path, parent.names[tag]), line)
            parent.names[tag] += 1
            parent.lines.setdefault(path, line)
            stack.append(_XmlNode(path, parent.lines))
        elif tag == "EventList" and not seen_list:
            seen_list = True
            stack.append("list")
        else:
            stack.append("outside")

    def end(name: str) -> None:
        stack.pop()

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.Parse(data, True)
    return found


def _validate_xml(data: bytes) -> list[ValidationIssue]:
    try:
        events = read_events(data)
    except RecursionError as exc:
        raise EpcisDocumentError("unreadable XML: elements nested too deeply") from exc
    except LookupError as exc:  # an encoding declaration that names no encoding
        raise EpcisDocumentError(f"unreadable XML: {exc}") from exc
    try:
        places: _XmlEvents | None = _xml_lines(data)
    except expat.ExpatError:
        places = None
    if places is not None and [line for line, _ in places.events] != [e.line for e in events]:
        places = None  # a layout this pass does not follow: fall back to the events' lines
    # the paths of the same events in JSON-LD
    list_path = "epcisBody.eventList"
    if places and places.root == "EPCISQueryDocument":
        list_path = "epcisBody.queryResults.resultsBody.eventList"
    elif places and not places.root:
        list_path = ""  # a single event
    issues = []
    for index, event in enumerate(events):
        checker = _Checker(xml=True)
        checker.event(event.fields, ())
        lines = places.events[index][1] if places else {}
        prefix = f"{list_path}[{index}]" if list_path else ""
        for where, text in checker.found:
            line = event.line
            for end in range(len(where), -1, -1):
                if where[:end] in lines:
                    line = lines[where[:end]]
                    break
            issues.append(ValidationIssue(line, _path_text(where, prefix), text))
    return sorted(issues, key=lambda issue: issue.line or 0)
