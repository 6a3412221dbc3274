"""A short run of the mixed workload (bench/load.py): every operation succeeds, and the
server's open file descriptors do not grow once it is warm."""

from __future__ import annotations

import json
import subprocess
import sys

FD_SLACK = 16  # connections and files a busy server may hold open at any one moment


def test_thirty_seconds_of_mixed_load_have_no_errors_and_no_descriptor_growth() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "bench.load", "--seconds", "30", "--clients", "4", "--sse", "2"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr[-4000:]
    lines = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    operations = {line["op"]: line for line in lines if "op" in line and line["op"] != "all"}
    assert set(operations) == {"issue", "ship", "hand_over", "checkpoint", "verify", "upload"}
    assert all(line["errors"] == 0 for line in operations.values()), operations
    processes = {line["process"]: line for line in lines if "process" in line}
    assert set(processes) == {"api", "devnet", "contracts"}
    for name, line in processes.items():
        assert line["fds_end"] <= line["fds_warm"] + FD_SLACK, (name, line)
    totals = next(line for line in lines if line.get("op") == "all")
    assert totals["writes"] > 0
    assert totals["sse_events"] > 0
