"""epcis2.js, GS1's JavaScript SDK for EPCIS 2.0, as an oracle for event hashes.

`js_prehashes` runs `node/oracle.mjs` (installing the pinned package with `npm ci` on
first use) and returns, per event, what epcis2.js makes of it.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["JsResult", "js_prehashes"]

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
    if not (NODE_DIR / "node_modules").is_dir():
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund"], cwd=NODE_DIR, check=True, capture_output=True
        )
    jobs = "".join(json.dumps({"event": event, "context": context}) + "\n" for event in events)
    done = subprocess.run(
        ["node", "oracle.mjs"],
        cwd=NODE_DIR,
        input=jobs,
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    results = [JsResult(**json.loads(line)) for line in done.stdout.splitlines() if line]
    if len(results) != len(events):
        raise RuntimeError(f"epcis2.js answered {len(results)} of {len(events)} events")
    return results
