"""provena.epcis: GS1 EPCIS events and their CBV 2.0 event hash.

`event_hash(event)` names an EPCIS 2.0 event (a JSON-LD dict) by its content:
`ni:///sha-256;<hex>?ver=CBV2.0`, the same for every serialisation of the same event, XML
or JSON-LD. `prehash(event)` is the canonical string it hashes; `read_events(data)` reads
the events of an EPCIS document, JSON-LD or XML, in document order; `identifiers` turns
EPC URNs and GS1 Digital Link URIs into the canonical Digital Link form and CBV URNs and
terms into CBV web URIs. `validate_document(data)` and `validate_event(event)` check
documents and events against the rules of EPCIS 2.0, each problem a `ValidationIssue` with
its line and path.
"""

from provena.epcis.documents import DocumentEvent, EpcisDocumentError, read_events
from provena.epcis.hashing import event_hash, hash_prehash, prehash, prehash_segments
from provena.epcis.identifiers import (
    check_digit,
    digital_link,
    epc_to_digital_link,
    normalise_digital_link,
    vocabulary_uri,
)
from provena.epcis.validation import ValidationIssue, validate_document, validate_event

__all__ = [
    "DocumentEvent",
    "EpcisDocumentError",
    "ValidationIssue",
    "check_digit",
    "digital_link",
    "epc_to_digital_link",
    "event_hash",
    "hash_prehash",
    "normalise_digital_link",
    "prehash",
    "prehash_segments",
    "read_events",
    "validate_document",
    "validate_event",
    "vocabulary_uri",
]
