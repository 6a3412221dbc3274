"""checkov, run as a uv tool (its own environment: its pins would fight the project's)."""

from __future__ import annotations

import os
import shutil
import subprocess

__all__ = ["checkov"]

CHECKOV = "checkov==3.3.30"  # pinned: a newer release may bring new checks
QUIET = ("--quiet", "--compact", "--skip-download")  # failures only; no policy downloads


def checkov(*args: str) -> subprocess.CompletedProcess[str]:
    """`checkov ARGS` offline (no policy downloads), quiet and compact."""
    uv = os.environ.get("UV") or shutil.which("uv")
    assert uv is not None, "checkov runs through uv (`uv tool run`)"
    return subprocess.run(
        [uv, "tool", "run", "--quiet", "--from", CHECKOV, "checkov", *QUIET, *args],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
