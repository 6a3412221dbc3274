"""Running the official Node Gateway client scripts in this directory from Python."""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

__all__ = ["NODE_DIR", "ensure_node_modules", "run_node"]

NODE_DIR = Path(__file__).parent
_TIMEOUT = 60.0


def ensure_node_modules() -> None:
    """Install the locked npm packages once (`npm ci`) if node_modules is missing."""
    if (NODE_DIR / "node_modules" / "@hyperledger" / "fabric-gateway").is_dir():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is needed to install the Node Gateway client")
    subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"],
        cwd=NODE_DIR,
        check=True,
        capture_output=True,
    )


async def run_node(script: str, *args: str) -> tuple[int, list[Any]]:
    """Run `node script args…` here; its exit code and the JSON lines it printed."""
    process = await asyncio.create_subprocess_exec(
        "node",
        script,
        *args,
        cwd=NODE_DIR,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        async with asyncio.timeout(_TIMEOUT):
            out, err = await process.communicate()
    except TimeoutError:
        process.kill()
        await process.wait()
        raise
    lines = [json.loads(line) for line in out.decode().splitlines() if line.startswith("{")]
    if process.returncode not in (0, 1) or (process.returncode == 1 and not lines):
        raise RuntimeError(f"node {script} {' '.join(args)} failed:\n{err.decode()}")
    return int(process.returncode or 0), lines
