"""Schemathesis's long run (`tests/hostile/test_schema_fuzz.py` with `PROVENA_SOAK=1`): every
operation of the schema, as each role and signed out, up to 100 generated requests each and
the coverage phase's boundary cases. Prints one JSON line: the tests (operation and caller) run,
the generated requests sent, and the failures (the goal is 0).

    uv run python -m bench.schema_fuzz
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TEST = "tests/hostile/test_schema_fuzz.py"
#: Hypothesis's statistics give each test's cases: "N passing, M failing, and K invalid".
CASES = re.compile(r"(\d+) passing, (\d+) failing, and (\d+) invalid")
OUTCOMES = re.compile(r"(\d+) (passed|failed|error)")


def main() -> None:
    started = time.monotonic()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--hypothesis-show-statistics",
            TEST,
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        env=os.environ | {"PROVENA_SOAK": "1"},
        check=False,
    )
    counts = [tuple(map(int, found)) for found in CASES.findall(done.stdout)]
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    outcomes = {kind: int(n) for n, kind in OUTCOMES.findall(summary)}
    if not counts or not outcomes:
        sys.exit(f"pytest printed no statistics (exit {done.returncode}): {done.stderr[-2000:]}")
    line = {
        "bench": "schema_fuzz",
        "tests": sum(outcomes.values()),
        "tests_failed": outcomes.get("failed", 0) + outcomes.get("error", 0),
        "cases": sum(passing + failing for passing, failing, _ in counts),
        "cases_failing": sum(failing for _, failing, _ in counts),
        "cases_rejected_by_generation": sum(invalid for *_, invalid in counts),
        "seconds": round(time.monotonic() - started, 1),
    }
    print(json.dumps(line))
    if line["tests_failed"]:
        failed = [text for text in done.stdout.splitlines() if text.startswith("FAILED")]
        sys.exit("\n".join(failed[:20]))


if __name__ == "__main__":
    main()
