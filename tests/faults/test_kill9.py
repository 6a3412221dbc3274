"""`kill -9` of each process under load (bench/faults.py, its short run): nothing that was
acknowledged is lost, nothing stays pending, the chain verifies, the projections equal a
rebuild from block 0, and the live feed reaches a reconnecting client once per event."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.support.databases import POSTGRES_URL

pytestmark = pytest.mark.postgres


def test_a_kill_of_each_process_under_load_loses_nothing() -> None:
    short = ("--kills-per-process", "1", "--seed", "7", "--max-delay", "2")
    run = subprocess.run(
        [sys.executable, "-m", "bench.faults", *short, "--postgres", POSTGRES_URL],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
        env=os.environ | {"PYTHONUNBUFFERED": "1"},
    )
    lines = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    assert run.returncode == 0, run.stderr[-4000:]
    totals = lines[-1]
    assert totals["process"] == "all"
    assert totals["kills"] == 4
    assert {line["process"] for line in lines[:-1]} == {"devnet", "contracts", "api", "listener"}
    assert totals["problems"] == 0
    assert totals["acknowledged"] > 0
    assert totals["sse_received"] > 0
    assert (totals["sse_duplicates"], totals["sse_missed"]) == (0, 0)
