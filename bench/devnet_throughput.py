"""Devnet end to end: committed tx/s and submit-to-commit latency, memory and restart time.

The devnet (`provena devnet`, default settings, TLS) and the chaincodes are separate processes;
this process is the client (provena.fabric, one gateway). The transaction reads a key, writes
it and sets an event (bench/chaincode_kv.py), a distinct key per transaction so MVCC never
bites. It runs on `provena.chaincode` and, for comparison, on the Node `fabric-contract-api`
(bench/node-chaincode/). One JSON line per result:

- `devnet_throughput`: per chaincode and in-flight count (1 = sequential submit-to-commit
  latency), tx/s, latency p50/p99, failures, and CPU per transaction of the devnet, the
  chaincode and the client (this process, idle but for the client);
- `devnet_memory`: after `--transactions` in all (topped up at 256 in flight), the devnet's
  RSS and ledger size, then its restart time with that ledger: until it listens, and until
  the chaincode answers through it again.

    uv run python -m bench.devnet_throughput [--transactions 100000] [--n 3000]
        [--policy "MAJORITY Endorsement"]   # the devnet's four organizations, three endorse
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.common import free_port
from bench.ledger_network import (
    DevnetProcess,
    Runtime,
    chaincode_process,
    cpu_seconds,
    rss_bytes,
    until_ready,
)
from provena.fabric.bench import run_bench
from provena.fabric.profile import Profile

USER = ("ProducerMSP", "tomas.herrera")
IN_FLIGHT = (1, 64, 256)
CHAINCODES: dict[Runtime, str] = {"python": "kv", "node": "kvnode"}


@dataclass
class Network:
    devnet: DevnetProcess
    profile: Path
    chaincode_pids: dict[Runtime, int]


@contextmanager
def network(data_dir: Path, runtimes: Sequence[Runtime], policy: str) -> Iterator[Network]:
    with ExitStack() as stack:
        options = ("--endorsement-policy", policy)
        devnet = stack.enter_context(DevnetProcess.start(data_dir, options=options))
        pids: dict[Runtime, int] = {}
        for runtime in runtimes:
            address = f"127.0.0.1:{free_port()}"
            package_id = devnet.deploy(CHAINCODES[runtime], address)
            log = data_dir / f"chaincode-{runtime}.log"
            pids[runtime] = stack.enter_context(
                chaincode_process(runtime, package_id, address, log)
            ).pid
        profile = devnet.profile(*USER)
        for runtime in runtimes:
            asyncio.run(until_ready(profile, CHAINCODES[runtime]))
        yield Network(devnet, profile, pids)


async def _submit(profile: Path, chaincode: str, n: int, in_flight: int) -> dict[str, Any]:
    loaded = Profile.load(profile)
    async with loaded.connect() as gateway:
        contract = gateway.get_network(loaded.channel).get_contract(chaincode)
        result = await run_bench(contract, "Put", ["{run}-{i}", "v"], n=n, concurrency=in_flight)
    return result.as_dict()


def throughput(
    net: Network, runtime: Runtime, in_flight: int, n: int, policy: str
) -> dict[str, Any]:
    pids = {"devnet": net.devnet.pid, "chaincode": net.chaincode_pids[runtime]}
    before = {name: cpu_seconds(pid) for name, pid in pids.items()}
    client_before = time.process_time()
    result = asyncio.run(_submit(net.profile, CHAINCODES[runtime], n, in_flight))
    cpu = {
        f"{name}_cpu_ms_per_tx": round((cpu_seconds(pid) - before[name]) * 1000 / n, 3)
        for name, pid in pids.items()
    }
    cpu["client_cpu_ms_per_tx"] = round((time.process_time() - client_before) * 1000 / n, 3)
    line = {"bench": "devnet_throughput", "policy": policy, "chaincode": runtime}
    return line | {"in_flight": in_flight} | result | cpu


def _until_listening(port: int, started: float) -> float:
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return time.perf_counter() - started
        except OSError:
            time.sleep(0.002)


def memory_and_restart(
    net: Network, data_dir: Path, transactions: int, committed: int
) -> dict[str, Any]:
    """Top the ledger up from `committed` to `transactions`, measure, then restart the devnet
    on that ledger."""
    profile = Profile.load(net.profile)
    remaining = transactions - committed
    if remaining > 0:
        asyncio.run(_submit(net.profile, CHAINCODES["python"], remaining, 256))
    rss = rss_bytes(net.devnet.pid)
    ledger = data_dir / "ledger"
    ledger_bytes = sum(f.stat().st_size for f in ledger.iterdir())
    net.devnet.stop()
    port = int(profile.endpoint.rsplit(":", 1)[1])
    restarted = DevnetProcess.start(data_dir, port)
    net.devnet = restarted
    listening_s = _until_listening(port, restarted.started)
    ready_s = asyncio.run(until_ready(net.profile, CHAINCODES["python"])) + listening_s
    return {
        "bench": "devnet_memory",
        "transactions": max(transactions, committed),
        "rss_mib": round(rss / 2**20, 1),
        "ledger_mib": round(ledger_bytes / 2**20, 1),
        "restart_listening_s": round(listening_s, 3),
        "restart_ready_s": round(ready_s, 3),
        "rss_after_restart_mib": round(rss_bytes(restarted.pid) / 2**20, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transactions", type=int, default=100_000, help="for memory/restart")
    parser.add_argument("--n", type=int, default=3000, help="transactions per in-flight level")
    parser.add_argument("--sequential-n", type=int, default=1000, help="transactions at 1")
    parser.add_argument(
        "--chaincodes", default="python,node", help="python, node or both (comma separated)"
    )
    parser.add_argument("--policy", default="ANY Endorsement", help="the endorsement policy")
    args = parser.parse_args()
    runtimes: list[Runtime] = [r for r in ("python", "node") if r in args.chaincodes.split(",")]
    with tempfile.TemporaryDirectory(prefix="provena-bench-") as tmp:
        data_dir = Path(tmp)
        with network(data_dir, runtimes, args.policy) as net:
            committed = 0
            for runtime in runtimes:
                for in_flight in IN_FLIGHT:
                    n = args.sequential_n if in_flight == 1 else args.n
                    result = throughput(net, runtime, in_flight, n, args.policy)
                    committed += result["ok"]
                    print(json.dumps(result), flush=True)
            if "python" in runtimes:
                result = memory_and_restart(net, data_dir, args.transactions, committed)
                print(json.dumps(result), flush=True)
            net.devnet.stop()


if __name__ == "__main__":
    main()
