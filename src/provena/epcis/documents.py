"""EPCIS documents, read into their events in document order.

JSON-LD: an `EPCISDocument` (`epcisBody.eventList`, or `epcisBody.event`), an
`EPCISQueryDocument` (`epcisBody.queryResults.resultsBody.eventList`), a single event, or a
JSON array of events. Each event keeps the document's `@context` (unless it has its own),
so its compact extension keys still resolve.

XML: an EPCIS 1.2 or 2.0 `EPCISDocument` or `EPCISQueryDocument`, or a single event
element. Events become the JSON-LD shape the event hash reads:

    <epcList><epc>urn:..</epc></epcList>          -> "epcList": ["urn:.."]
    <bizTransaction type="T">V</bizTransaction>   -> {"type": "T", "bizTransaction": "V"}
    <sensorReport type="gs1:Temperature" .../>    -> {"type": "gs1:Temperature", ...}
    <ex:temp xmlns:ex="https://ns.example/">3</ex:temp>  -> "{https://ns.example/}temp": "3"

with EPCIS 1.x's `<extension>` and `<baseExtension>` wrappers dissolved into their parent.
The XML parser refuses document type declarations, so entity expansion ("billion laughs")
and external entities cannot happen.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from xml.parsers import expat

__all__ = ["DocumentEvent", "EpcisDocumentError", "read_events"]

_WRAPPERS = frozenset({"extension", "baseExtension"})
_EPC_LISTS = frozenset({"epcList", "childEPCs", "inputEPCList", "outputEPCList"})
_QUANTITY_LISTS = frozenset(
    {"quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList"}
)
_TYPED_LISTS = {
    "bizTransactionList": "bizTransaction",
    "sourceList": "source",
    "destinationList": "destination",
}


class EpcisDocumentError(ValueError):
    """A document that is not well-formed JSON or XML, or not an EPCIS document."""

    def __init__(self, message: str, *, line: int | None = None) -> None:
        super().__init__(f"line {line}: {message}" if line is not None else message)
        self.line = line


@dataclass(frozen=True)
class DocumentEvent:
    """One event of a document: its JSON-LD fields and, for XML, the line it starts on."""

    fields: dict[str, Any]
    line: int | None = None


def read_events(data: bytes | str) -> list[DocumentEvent]:
    """The events of an EPCIS document (JSON-LD or XML, told apart by the first character)."""
    if isinstance(data, bytes):
        head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    else:
        head = data.lstrip("\ufeff \t\r\n")[:1].encode()
    if head == b"<":
        try:
            return _xml_events(data.encode() if isinstance(data, str) else data)
        except LookupError as exc:  # an encoding Python does not know
            raise EpcisDocumentError(f"unreadable XML: {exc}") from exc
        except RecursionError as exc:
            raise EpcisDocumentError("unreadable XML: elements nested too deeply") from exc
    if head in (b"{", b"["):
        return _json_events(data)
    raise EpcisDocumentError("not an EPCIS document: expected JSON-LD ('{' or '[') or XML ('<')")


# ── JSON-LD ───────────────────────────────────────────────────────────────────────────


def _json_events(data: bytes | str) -> list[DocumentEvent]:
    try:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data.lstrip("\ufeff")
        document = json.loads(text)
    except UnicodeDecodeError as exc:
        raise EpcisDocumentError(f"not UTF-8 text: {exc.reason} at byte {exc.start}") from exc
    except json.JSONDecodeError as exc:
        raise EpcisDocumentError(
            f"malformed JSON: {exc.msg} (column {exc.colno})", line=exc.lineno
        ) from exc
    except (RecursionError, ValueError) as exc:
        raise EpcisDocumentError(f"unreadable JSON: {exc}") from exc
    if isinstance(document, list):
        return [_json_event(event, None, f"[{i}]") for i, event in enumerate(document)]
    if not isinstance(document, dict):
        raise EpcisDocumentError("an EPCIS document is a JSON object")
    kind = document.get("type")
    if kind in ("EPCISDocument", "EPCISQueryDocument") or "epcisBody" in document:
        body = _member(document, "epcisBody", "")
        if kind == "EPCISQueryDocument" or "queryResults" in body:
            results = _member(
                _member(body, "queryResults", "epcisBody"), "resultsBody", "epcisBody.queryResults"
            )
            where, events = "epcisBody.queryResults.resultsBody.eventList", results.get("eventList")
        elif "event" in body and "eventList" not in body:
            where, events = "epcisBody.event", [body["event"]]
        else:
            where, events = "epcisBody.eventList", body.get("eventList")
        if not isinstance(events, list):
            raise EpcisDocumentError(f"{where} must be a list of events")
        context = document.get("@context")
        return [_json_event(event, context, f"{where}[{i}]") for i, event in enumerate(events)]
    return [_json_event(document, None, "the document")]


def _member(parent: dict[str, Any], name: str, where: str) -> dict[str, Any]:
    value = parent.get(name)
    if not isinstance(value, dict):
        raise EpcisDocumentError(f"{f'{where}.' if where else ''}{name} must be an object")
    return value


def _json_event(event: Any, context: Any, where: str) -> DocumentEvent:
    if not isinstance(event, dict):
        raise EpcisDocumentError(f"{where} is not an event (a JSON object)")
    if not isinstance(event.get("type"), str):
        raise EpcisDocumentError(f"{where} has no event type")
    if context is not None and "@context" not in event:
        event = {"@context": context, **event}
    return DocumentEvent(event)


# ── XML ───────────────────────────────────────────────────────────────────────────────


@dataclass(eq=False)
class _Node:
    tag: str
    attrib: dict[str, str]
    line: int
    children: list[_Node] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.texts).strip()

    def parts(self) -> list[_Node]:
        """The children, with unqualified `extension`/`baseExtension` wrappers dissolved."""
        out = []
        for child in self.children:
            out.extend(child.parts() if child.tag in _WRAPPERS else [child])
        return out


def _clark(name: str) -> str:
    return "{" + name if "}" in name else name


def _parse_xml(data: bytes) -> _Node:
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    stack: list[_Node] = []
    roots: list[_Node] = []

    def start(name: str, attributes: dict[str, str]) -> None:
        node = _Node(
            _clark(name), {_clark(k): v for k, v in attributes.items()}, parser.CurrentLineNumber
        )
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)

    def end(name: str) -> None:
        stack.pop()

    def text(data: str) -> None:
        if stack:
            stack[-1].texts.append(data)

    def refuse(*args: object) -> None:
        raise EpcisDocumentError(
            "document type declarations (DTDs) and entities are not allowed",
            line=parser.CurrentLineNumber,
        )

    def refuse_external(*args: object) -> int:
        refuse()
        return 0

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse_external
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        message = expat.errors.messages[exc.code]
        raise EpcisDocumentError(
            f"malformed XML: {message} (column {exc.offset + 1})", line=exc.lineno
        ) from exc
    return roots[0]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _xml_events(data: bytes) -> list[DocumentEvent]:
    root = _parse_xml(data)
    if _local(root.tag) not in ("EPCISDocument", "EPCISQueryDocument"):
        return [_xml_event(root)]
    pending = [root]
    while pending:
        node = pending.pop(0)
        if node.tag == "EventList":
            return [_xml_event(event) for event in node.parts()]
        pending.extend(node.children)
    raise EpcisDocumentError(f"{_local(root.tag)} has no EventList", line=root.line)


def _add(fields: dict[str, Any], name: str, value: Any) -> None:
    if name not in fields:
        fields[name] = value
    elif isinstance(fields[name], list) and getattr(fields[name], "repeated", False):
        fields[name].append(value)
    else:
        fields[name] = _Repeated([fields[name], value])


class _Repeated(list[Any]):
    """Values of an element that appears more than once (a list the reader made)."""

    repeated = True


def _generic(node: _Node) -> Any:
    parts = node.parts()
    if not parts and not node.attrib:
        return node.text
    fields: dict[str, Any] = dict(node.attrib)
    for child in parts:
        _add(fields, child.tag, _generic(child))
    if node.text:
        fields["#text"] = node.text
    return _plain(fields)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _xml_event(node: _Node) -> DocumentEvent:
    if node.tag.startswith("{"):
        raise EpcisDocumentError(f"{node.tag} is not an EPCIS event", line=node.line)
    fields: dict[str, Any] = {"type": node.tag}
    for child in node.parts():
        name = child.tag
        value: Any
        if name in _EPC_LISTS:
            value = [epc.text for epc in child.parts()]
        elif name in _QUANTITY_LISTS:
            value = [{part.tag: part.text for part in q.parts()} for q in child.parts()]
        elif name in _TYPED_LISTS:
            value = [
                {
                    **({"type": item.attrib["type"]} if "type" in item.attrib else {}),
                    _TYPED_LISTS[name]: item.text,
                }
                for item in child.parts()
            ]
        elif name == "sensorElementList":
            value = [_sensor_element(element) for element in child.parts()]
        elif name == "ilmd" or child.parts() or child.attrib:
            value = _generic(child)
            value = value if isinstance(value, dict) else {}
        else:
            value = child.text
        _add(fields, name, value)
    return DocumentEvent(_plain(fields), node.line)


def _sensor_element(node: _Node) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    reports: list[Any] = []
    for child in node.parts():
        if child.tag == "sensorMetadata":
            fields["sensorMetadata"] = _generic(child) or {}
        elif child.tag == "sensorReport":
            reports.append(_generic(child) or {})
        else:
            _add(fields, child.tag, _generic(child))
    if reports:
        fields["sensorReport"] = reports
    return fields
