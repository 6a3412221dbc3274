"""`provena ledger` against the gateway server, in a subprocess like a user runs it."""

from __future__ import annotations

import asyncio
import json
import sys
import uuid
from pathlib import Path

from provena.chaincode import Context, Contract
from provena.chaincode import transaction as chaincode_transaction
from tests.devnet.network.support import KeyValue
from tests.fabric.conftest import Server
from tests.fabric.network import CHAINCODE, CHANNEL
from tests.fabric.pki import pem
from tests.support.ledger import running_ledger


def _profile(server: Server, tmp_path: Path) -> Path:
    (tmp_path / "tlsca.pem").write_bytes(server.tls.root_certificates)
    (tmp_path / "cert.pem").write_bytes(pem(server.user.certificate))
    (tmp_path / "key.pem").write_bytes(server.user.key_pem())
    profile = {
        "endpoint": server.address,
        "server_name": "localhost",
        "tls_ca": str(tmp_path / "tlsca.pem"),
        "channel": CHANNEL,
        "msp_id": server.user.msp_id,
        "cert": str(tmp_path / "cert.pem"),
        "key": str(tmp_path / "key.pem"),
    }
    path = tmp_path / "profile.json"
    path.write_text(json.dumps(profile))
    return path


async def _ledger(profile: Path, *args: str) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "provena",
        "ledger",
        "--profile",
        str(profile),
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def test_submit_evaluate_bench_and_errors(server: Server, tmp_path: Path) -> None:
    profile = _profile(server, tmp_path)
    key = f"cli-{uuid.uuid4().hex}"
    code, out, err = await _ledger(profile, "submit", CHAINCODE, "put", key, "hello")
    assert code == 0, err
    submitted = json.loads(out)
    assert submitted["result"] == "hello"
    assert submitted["validation_code"] == "VALID"
    assert len(submitted["transaction_id"]) == 64
    assert submitted["block_number"] > 0

    code, out, err = await _ledger(profile, "evaluate", CHAINCODE, "get", key)
    assert (code, out) == (0, "hello\n"), err

    code, out, err = await _ledger(profile, "evaluate", CHAINCODE, "fail", "bad shipment")
    assert code == 1
    assert "chaincode response 500, bad shipment" in err

    code, out, err = await _ledger(
        profile,
        "bench",
        CHAINCODE,
        "put",
        "--args",
        "{run}-{i}",
        "v",
        "--n",
        "20",
        "--concurrency",
        "4",
    )
    assert code == 0, err
    figures = json.loads(out)
    assert set(figures) == {"ok", "failed", "seconds", "tps", "p50_ms", "p99_ms"}
    assert (figures["ok"], figures["failed"]) == (20, 0)


async def test_bad_profile(tmp_path: Path) -> None:
    path = tmp_path / "profile.json"
    path.write_text(json.dumps({"endpoint": "127.0.0.1:1"}))
    code, _, err = await _ledger(path, "evaluate", CHAINCODE, "get", "k")
    assert code == 1
    assert "lacks channel, msp_id, cert, key" in err


class _Counter(Contract):
    """A second contract, so bare names reach only the first (KV)."""

    name = "Counter"

    @chaincode_transaction(evaluate=True)
    async def Bump(self, ctx: Context, value: str) -> str:
        return str(int(value) + 1)


async def test_function_names_are_listed_and_contract_option(tmp_path: Path) -> None:
    async with running_ledger(tmp_path / "devnet", "kv", [KeyValue(), _Counter()]) as ledger:
        profile = tmp_path / "profile.json"
        profile.write_text(json.dumps(ledger.profile("ProducerMSP", "tomas.herrera")))
        listed = "its functions are Counter:Bump, KV:Get, KV:Put"

        code, _, err = await _ledger(profile, "evaluate", "kv", "Bump", "1")
        assert code == 1
        assert "Function Bump not found in contract KV" in err
        assert "a bare name like Bump reaches only kv's default contract" in err
        assert listed in err

        code, _, err = await _ledger(profile, "submit", "kv", "Counter:Nope")
        assert code == 1
        assert f"chaincode kv has no function Counter:Nope; {listed}" in err

        code, out, err = await _ledger(
            profile, "evaluate", "--contract", "Counter", "kv", "Bump", "1"
        )
        assert (code, out) == (0, "2\n"), err
        code, out, err = await _ledger(profile, "evaluate", "kv", "Counter:Bump", "41")
        assert (code, out) == (0, "42\n"), err


async def test_help_documents_function_names(tmp_path: Path) -> None:
    code, out, _ = await _ledger(tmp_path / "unused.json", "--help")
    assert code == 0
    assert "Contract:Function" in out
    assert "--contract" in out
