"""The web app's JavaScript, gzipped: what the first page load costs, and each page after it.

Reads the manifest Vite writes next to the build (`web/dist/.vite/manifest.json`; run
`make web` first). The initial load is the entry chunk and every chunk it imports
statically; a page is the on-demand chunk of its route and the chunks it needs beyond
those already loaded. Sizes are gzip level 9, as a server would send them.

One JSON line for the initial load: {"bench": "web_bundle", "chunk": "initial", "gzip_kb",
"budget_kb": 250}, then one per page: {"bench": "web_bundle", "chunk": "page", "page",
"gzip_kb"}.

    uv run python -m bench.web_bundle [--dist web/dist]
"""

from __future__ import annotations

import argparse
import gzip
import json
from pathlib import Path
from typing import Any

Manifest = dict[str, dict[str, Any]]


def closure(manifest: Manifest, key: str) -> set[str]:
    """`key` and every chunk it imports statically, transitively."""
    seen: set[str] = set()
    pending = [key]
    while pending:
        current = pending.pop()
        if current not in seen:
            seen.add(current)
            pending.extend(manifest[current].get("imports", []))
    return seen


def gzipped_kb(dist: Path, manifest: Manifest, keys: set[str]) -> float:
    files = {manifest[k]["file"] for k in keys if manifest[k]["file"].endswith(".js")}
    return round(sum(len(gzip.compress((dist / f).read_bytes(), 9)) for f in files) / 1024, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dist", type=Path, default=Path("web/dist"))
    args = parser.parse_args()
    manifest: Manifest = json.loads((args.dist / ".vite" / "manifest.json").read_text())
    (entry,) = (k for k, v in manifest.items() if v.get("isEntry"))
    initial = closure(manifest, entry)
    print(
        json.dumps(
            {
                "bench": "web_bundle",
                "chunk": "initial",
                "gzip_kb": gzipped_kb(args.dist, manifest, initial),
                "budget_kb": 250,
            }
        )
    )
    for page in sorted(manifest[entry].get("dynamicImports", [])):
        if "/pages/" not in page:
            continue
        extra = closure(manifest, page) - initial
        line = {"bench": "web_bundle", "chunk": "page", "page": page.removeprefix("src/pages/")}
        print(json.dumps(line | {"gzip_kb": gzipped_kb(args.dist, manifest, extra)}))


if __name__ == "__main__":
    main()
