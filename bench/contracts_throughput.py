"""Provena's contracts on the devnet: tx/s and latency of IssueCertificate and RecordCheckpoint.

The devnet (`provena devnet`, default settings, TLS) and the contracts (`python -m
provena.contracts`) are separate processes; this process is the client. Each transaction
touches its own certificate or shipment, so MVCC never bites. One JSON line per function:
{"bench", "function", "in_flight", "ok", "failed", "seconds", "tps", "p50_ms", "p99_ms"}.

    uv run python -m bench.contracts_throughput [--n 2000] [--in-flight 64]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.common import free_port
from bench.ledger_network import DevnetProcess
from provena.fabric import Contract, GatewayError
from provena.fabric.bench import run_bench
from provena.fabric.profile import Profile

CERTIFICATE = {
    "id": "C-{run}-{i}",
    "scheme": "EU-ORGANIC",
    "subject": {"kind": "lot", "id": "LOT-{run}-{i}", "name": "Tomato lot"},
    "scope": "Organic tomatoes",
    "valid_from": "2026-01-01T00:00:00Z",
    "valid_until": "2036-01-01T00:00:00Z",
}
EVENT = {
    "event_time": "2026-03-01T10:00:00+02:00",
    "event_time_zone_offset": "+02:00",
    "biz_step": "storing",
    "disposition": "in_progress",
    "read_point": "urn:epc:id:sgln:0614141.07346.1234",
    "sensor_readings": [{"type": "gs1:Temperature", "value": "4.5", "uom": "CEL"}],
}


def contract(gateway: Any, profile: Profile, name: str) -> Contract:
    result: Contract = gateway.get_network(profile.channel).get_contract("provena", name)
    return result


async def prepare(admin: Profile, producer: Profile, shipments: int) -> None:
    """Bootstrap the registry, accredit the certifiers, create the shipments to check in."""
    async with admin.connect() as gateway:
        registry = contract(gateway, admin, "Registry")
        for _ in range(300):
            try:
                await registry.submit_transaction("Bootstrap", json.dumps(["CertifierMSP"]))
                break
            except GatewayError:
                await asyncio.sleep(0.05)
        await registry.submit_transaction(
            "AccreditCertifier", "CertifierMSP", json.dumps(["EU-ORGANIC"])
        )
    async with producer.connect() as gateway:
        ships = contract(gateway, producer, "Shipments")
        item = {"sku": "TOM", "description": "Tomatoes", "quantity": "1", "unit": "KGM"}
        body = {
            "id": "S-{run}-{i}",
            "items": [item],
            "origin": "Farm",
            "destination": {"msp_id": "RetailerMSP", "location": "Store"},
        }
        await run_bench(ships, "CreateShipment", [json.dumps(body)], n=shipments, concurrency=64)


async def measure(
    profile: Profile, name: str, function: str, args: list[str], n: int, k: int
) -> dict[str, Any]:
    async with profile.connect() as gateway:
        result = await run_bench(
            contract(gateway, profile, name), function, args, n=n, concurrency=k
        )
    return {
        "bench": "contracts_throughput",
        "function": function,
        "in_flight": k,
    } | result.as_dict()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--in-flight", type=int, default=64)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, DevnetProcess.start(Path(tmp)) as devnet:
        address = f"127.0.0.1:{free_port()}"
        package_id = devnet.deploy("provena", address)
        env = os.environ | {"CHAINCODE_ID": package_id, "CHAINCODE_SERVER_ADDRESS": address}
        chaincode = subprocess.Popen([sys.executable, "-m", "provena.contracts"], env=env)
        try:
            admin = Profile.load(devnet.profile("CertifierMSP", "ines.moreau"))
            certifier = Profile.load(devnet.profile("CertifierMSP", "david.okafor"))
            producer = Profile.load(devnet.profile("ProducerMSP", "tomas.herrera"))
            asyncio.run(prepare(admin, producer, args.n))
            issue = asyncio.run(
                measure(
                    certifier,
                    "Certificates",
                    "IssueCertificate",
                    [json.dumps(CERTIFICATE)],
                    args.n,
                    args.in_flight,
                )
            )
            print(json.dumps(issue), flush=True)
            # The shipments were created in one run of n: check each of them in once.
            checkpoint = asyncio.run(measure_checkpoints(producer, args.n, args.in_flight))
            print(json.dumps(checkpoint), flush=True)
        finally:
            chaincode.terminate()
            chaincode.wait(timeout=30)


async def measure_checkpoints(profile: Profile, n: int, k: int) -> dict[str, Any]:
    """RecordCheckpoint on each shipment the producer holds (listed from the ledger)."""
    async with profile.connect() as gateway:
        ships = contract(gateway, profile, "Shipments")
        listed = json.loads(
            await ships.evaluate_transaction("ListShipments", "owner", "ProducerMSP", "200")
        )
        held = [r["id"] for r in listed["records"]]
        bookmark = listed["bookmark"]
        while len(held) < n and bookmark:
            page = json.loads(
                await ships.evaluate_transaction(
                    "ListShipments", "owner", "ProducerMSP", "200", bookmark
                )
            )
            held += [r["id"] for r in page["records"]]
            bookmark = page["bookmark"] if page["records"] else ""
        run_prefix = held[0].rsplit("-", 1)[0]
        assert all(s.startswith(run_prefix) for s in held), "shipments from one run only"
        result = await run_bench(
            ships,
            "RecordCheckpoint",
            [f"{run_prefix}-{{i}}", json.dumps(EVENT)],
            n=len(held),
            concurrency=k,
        )
    return {
        "bench": "contracts_throughput",
        "function": "RecordCheckpoint",
        "in_flight": k,
    } | result.as_dict()


if __name__ == "__main__":
    main()
