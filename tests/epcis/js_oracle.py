"""epcis2.js, GS1's JavaScript SDK for EPCIS 2.0, as an oracle for event hashes and for
validation.

`js_prehashes` and `js_validations` run `node/oracle.mjs` (installing the pinned package
with `npm ci` on first use) and return, per event or document, what epcis2.js makes of it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.support.node import run_oracle

__all__ = ["JsResult", "JsVerdict", "js_prehashes", "js_validations"]

NODE_DIR = Path(__file__).parent / "node"


@dataclass(frozen=True)
class JsResult:
    """epcis2.js's pre-hash string and hash ID of one event, or why it refused it."""

    prehash: str | None = None
    hash: str | None = None
    error: str | None = None


def js_prehashes(events: Sequence[dict[str, Any]], context: Any) -> list[JsResult]:
    """epcis2.js's pre-hash string and hash of each JSON-LD event, with `context` (a
    JSON-LD `@context`: prefix definitions, in a dict or a list) for the extension keys."""
    output = run_oracle(NODE_DIR, ({"event": event, "context": context} for event in events))
    results = [JsResult(**json.loads(line)) for line in output.splitlines() if line]
    if len(results) != len(events):
        raise RuntimeError(f"epcis2.js answered {len(results)} of {len(events)} events")
    return results


@dataclass(frozen=True)
class JsVerdict:
    """Whether epcis2.js's `validateEpcisDocument` accepts a document, and its first error
    (or why it could not judge: `error`)."""

    valid: bool | None = None
    errors: tuple[str, ...] = ()
    error: str | None = None


def js_validations(documents: Sequence[dict[str, Any]]) -> list[JsVerdict]:
    """epcis2.js's verdict on each JSON-LD EPCIS document."""
    output = run_oracle(NODE_DIR, ({"validate": document} for document in documents))
    verdicts = []
    for line in output.splitlines():
        if line:
            answer = json.loads(line)
            verdicts.append(
                JsVerdict(answer.get("valid"), tuple(answer.get("errors", ())), answer.get("error"))
            )
    if len(verdicts) != len(documents):
        raise RuntimeError(f"epcis2.js answered {len(verdicts)} of {len(documents)} documents")
    return verdicts
