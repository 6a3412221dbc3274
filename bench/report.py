"""Every benchmark in `bench/`, one after the other, in one report.

Runs each benchmark as its own process (`python -m bench.NAME`, its default figures), keeps
the JSON lines it prints, and writes `bench/report.json` (every line, with the machine's
core count, the commit and when) and `bench/report.md` (one table row per line). A benchmark
that fails or runs past its time is reported as such and the others still run. Neither file
is committed.
    uv run python -m bench.report [--only NAME ...] [--timeout-factor 1.0]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent

#: Each benchmark and the seconds it may take with its defaults on a 2-core machine.
BENCHMARKS: dict[str, float] = {
    "ipfs_import": 600,
    "ipfs_gateway": 600,
    "devnet_ledger": 300,
    "grpc_floor": 300,
    "devnet_throughput": 1200,
    "contracts_throughput": 600,
    "ledger_client": 1200,
    "projection_rebuild": 600,
    "startup": 600,
    "me_throughput": 300,
    "verify_throughput": 600,
    "api_writes": 900,
    "web_bundle": 60,
    "web_timings": 600,
    "lighthouse_scores": 900,
    "load": 900,
    "faults": 3600,
    "schema_fuzz": 1800,
    "epcis_hash": 300,
    "epcis_trace": 900,
    "epcis_capture": 900,
}
#: Modules of bench/ that are not benchmarks themselves.
HELPERS = {"__init__", "common", "ledger_network", "chaincode_kv", "report", "epcis_samples"}

Line = dict[str, Any]


def run(name: str, timeout: float) -> tuple[list[Line], str | None]:
    """The JSON lines benchmark `name` prints, and why it failed (None if it did not)."""
    try:
        done = subprocess.run(
            [sys.executable, "-m", f"bench.{name}"],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return [], f"ran past {timeout:g} s"
    lines = []
    for text in done.stdout.splitlines():
        try:
            line = json.loads(text)
        except json.JSONDecodeError:
            continue
        if isinstance(line, dict):
            lines.append(line)
    if done.returncode != 0:
        tail = done.stderr.strip().splitlines()[-1:] or [""]
        return lines, f"exit {done.returncode}: {tail[0][:200]}"
    return lines, None if lines else "printed no figures"


def _commit() -> str:
    done = subprocess.run(
        ["git", "describe", "--always", "--dirty"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() or "unknown"


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.3g}" if abs(value) < 100 else f"{value:,.0f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def markdown(report: dict[str, Any]) -> str:
    """The report as a short Markdown table: each line's case, then its figures."""
    out = [
        f"# Benchmarks at {report['commit']}",
        "",
        f"{report['cores']} cores, {report['machine']}, Python {report['python']}, "
        f"{report['started']}.",
        "",
        "| benchmark | case | figures |",
        "|---|---|---|",
    ]
    for result in report["results"]:
        if result["error"]:
            out.append(f"| {result['name']} | **failed** | {result['error']} |")
        for line in result["lines"]:
            fields = {k: v for k, v in line.items() if k != "bench"}
            case = ", ".join(
                f"{k} {v}" for k, v in fields.items() if isinstance(v, str | bool) or v is None
            )
            figures = ", ".join(
                f"{k} {_cell(v)}"
                for k, v in fields.items()
                if isinstance(v, int | float) and not isinstance(v, bool)
            )
            out.append(f"| {line.get('bench', result['name'])} | {case} | {figures} |")
    return "\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=sorted(BENCHMARKS), help="just these")
    parser.add_argument("--timeout-factor", type=float, default=1.0)
    args = parser.parse_args()
    report: dict[str, Any] = {
        "commit": _commit(),
        "cores": os.cpu_count(),
        "machine": platform.machine(),
        "python": platform.python_version(),
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "results": [],
    }
    for name in args.only or BENCHMARKS:
        print(f"bench: {name} ...", file=sys.stderr, flush=True)
        started = time.monotonic()
        lines, error = run(name, BENCHMARKS[name] * args.timeout_factor)
        seconds = round(time.monotonic() - started, 1)
        report["results"].append({"name": name, "seconds": seconds, "error": error, "lines": lines})
        print(f"bench: {name} {error or 'done'} in {seconds} s", file=sys.stderr, flush=True)
    (BENCH / "report.json").write_text(json.dumps(report, indent=2) + "\n")
    (BENCH / "report.md").write_text(markdown(report))
    print(markdown(report))
    if any(result["error"] for result in report["results"]):
        sys.exit(1)


if __name__ == "__main__":
    main()
