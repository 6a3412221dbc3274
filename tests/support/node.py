"""Node scripts the tests use as oracles, each in a directory with its own locked npm
packages (installed on first use)."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import Any

__all__ = ["run_oracle"]


def run_oracle(directory: Path, jobs: Iterable[dict[str, Any]]) -> str:
    """What `node oracle.mjs` in `directory` prints for `jobs`, one JSON line each on stdin."""
    if not (directory / "node_modules").is_dir():
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund"], cwd=directory, check=True, capture_output=True
        )
    done = subprocess.run(
        ["node", "oracle.mjs"],
        cwd=directory,
        input="".join(json.dumps(job) + "\n" for job in jobs),
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    return done.stdout
