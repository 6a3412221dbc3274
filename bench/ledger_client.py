"""The Python Gateway client versus the official Node one, against the same devnet and chaincode.

At 1, 64 and 256 in flight, `provena ledger bench` and tests/compat/bench.mjs (the same submits
with `@hyperledger/fabric-gateway`) each submit N transactions of bench/chaincode_kv.py (read,
write, event; distinct keys). Each client is its own process; its CPU time comes from the
kernel's accounting when it exits (`wait4`). `cpu_ms_per_tx` is the marginal cost: the CPU of
the run minus that of a one-transaction run (interpreter start, imports, connection), over the
other N-1 transactions. One JSON line per client and level.

    uv run python -m bench.ledger_client [--n 3000] [--sequential-n 500]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.common import free_port
from bench.ledger_network import ROOT, DevnetProcess, chaincode_process, ensure_npm, until_ready

CHAINCODE = "kv"
USER = ("ProducerMSP", "tomas.herrera")
IN_FLIGHT = (1, 64, 256)
NODE_CLIENT = ROOT / "tests" / "compat"
ARGS = ("{run}-{i}", "v")

Command = Callable[[Path, int, int], list[str]]


def python_client(profile: Path, n: int, in_flight: int) -> list[str]:
    return [
        *(sys.executable, "-m", "provena", "ledger", "--profile", str(profile)),
        *("bench", CHAINCODE, "Put", "--args", ARGS[0], *ARGS[1:]),
        *("--n", str(n), "--concurrency", str(in_flight)),
    ]


def node_client(profile: Path, n: int, in_flight: int) -> list[str]:
    script = str(NODE_CLIENT / "bench.mjs")
    return ["node", script, str(profile), CHAINCODE, "Put", str(n), str(in_flight), *ARGS]


CLIENTS: dict[str, Command] = {"python": python_client, "node": node_client}


def run_client(command: list[str]) -> tuple[dict[str, Any], float, float]:
    """The client's JSON line, its CPU seconds (user + system) and its wall-clock seconds."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, cwd=ROOT)
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited with {process.returncode}")
    return json.loads(output.decode().splitlines()[-1]), usage.ru_utime + usage.ru_stime, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=3000, help="transactions per level")
    parser.add_argument("--sequential-n", type=int, default=500, help="transactions at 1")
    args = parser.parse_args()
    ensure_npm(NODE_CLIENT)
    with tempfile.TemporaryDirectory(prefix="provena-bench-") as tmp:
        data_dir = Path(tmp)
        with DevnetProcess.start(data_dir) as devnet:
            address = f"127.0.0.1:{free_port()}"
            package_id = devnet.deploy(CHAINCODE, address)
            with chaincode_process("python", package_id, address, data_dir / "chaincode.log"):
                profile = devnet.profile(*USER)
                asyncio.run(until_ready(profile, CHAINCODE))
                startup = {
                    name: min(run_client(command(profile, 1, 1))[1] for _ in range(3))
                    for name, command in CLIENTS.items()
                }
                for in_flight in IN_FLIGHT:
                    n = args.sequential_n if in_flight == 1 else args.n
                    for name, command in CLIENTS.items():
                        result, cpu, wall = run_client(command(profile, n, in_flight))
                        line = {
                            "bench": "ledger_client",
                            "client": name,
                            "in_flight": in_flight,
                            **result,
                            "process_cpu_s": round(cpu, 3),
                            "process_wall_s": round(wall, 3),
                            "startup_cpu_s": round(startup[name], 3),
                            "cpu_ms_per_tx": round((cpu - startup[name]) * 1000 / (n - 1), 3),
                        }
                        print(json.dumps(line), flush=True)


if __name__ == "__main__":
    main()
