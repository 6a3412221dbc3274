"""`provena devnet` as real processes: start, TLS endpoint, profiles, enroll, chaincode, restart."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import grpc
import pytest
from cryptography import x509

from provena.devnet.ca import attributes_of
from provena.devnet.chaincode import package_id_for
from provena.devnet.datalock import DataLock
from provena.fabric import GatewayError
from provena.fabric.profile import Profile
from tests.devnet.network.support import (
    DevnetProcess,
    acli,
    cli_json,
    cli_profile,
    free_port,
    is_file,
    read,
    serve_chaincode,
)


@pytest.fixture(scope="module")
async def kv() -> AsyncIterator[str]:
    """A chaincode server's address; it outlives the devnet that connects to it, because
    stopping a chaincode server while a peer's stream is open upsets grpc.aio."""
    address = f"127.0.0.1:{free_port()}"
    server = await serve_chaincode(package_id_for("kv", address), address)
    yield address
    await server.stop(None)


@pytest.fixture(scope="module")
async def devnet(kv: str, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[DevnetProcess]:
    data_dir = tmp_path_factory.mktemp("devnet")
    process = await DevnetProcess(data_dir, ("--listen", "127.0.0.1:0")).start()
    yield process
    code, out = await process.stop()
    assert code == 0
    assert "devnet stopped" in out


async def _ready(endpoint: str, credentials: object = None, options: object = ()) -> None:
    if credentials is None:
        channel = grpc.aio.insecure_channel(endpoint)
    else:
        channel = grpc.aio.secure_channel(endpoint, credentials, options=options)
    async with channel:
        await asyncio.wait_for(channel.channel_ready(), 10)


async def _profile(devnet: DevnetProcess, org: str, user: str) -> dict[str, Any]:
    return await cli_profile(devnet.data_dir, org, user)


async def test_banner_says_where(devnet: DevnetProcess) -> None:
    assert devnet.endpoint.startswith("127.0.0.1:")
    assert "channel provena" in devnet.banner[0]
    assert "TLS, CA " in devnet.banner[0]


async def test_tls_endpoint_answers_with_the_tls_ca(devnet: DevnetProcess) -> None:
    """By address alone, the gateway peer's certificate (`info`'s TLS CA); by the name in a
    user's profile, that organization's peer's own."""
    info = await cli_json("info", "--json", "--data-dir", str(devnet.data_dir))
    await _ready(devnet.endpoint, grpc.ssl_channel_credentials(read(info["tls_ca"])))
    profile = await _profile(devnet, "ProducerMSP", "tomas.herrera")
    override = (("grpc.ssl_target_name_override", profile["server_name"]),)
    await _ready(devnet.endpoint, grpc.ssl_channel_credentials(read(profile["tls_ca"])), override)


async def test_profile_points_at_real_files(devnet: DevnetProcess) -> None:
    profile = await _profile(devnet, "CertifierMSP", "david.okafor")
    assert profile["endpoint"] == devnet.endpoint
    assert profile["channel"] == "provena"
    assert profile["msp_id"] == "CertifierMSP"
    assert profile["server_name"] == "peer0.certifier.provena.test"
    for key in ("cert", "key", "tls_ca"):
        assert is_file(profile[key])
    cert = x509.load_pem_x509_certificate(read(profile["cert"]))
    assert attributes_of(cert)["provena.role"] == "certifier"


async def test_info_json(devnet: DevnetProcess) -> None:
    info = await cli_json("info", "--json", "--data-dir", str(devnet.data_dir))
    assert isinstance(info, dict)
    assert info["running"] is True
    assert info["endpoint"] == devnet.endpoint
    assert info["channel"] == "provena"
    assert info["endorsement_policy"] == "ANY Endorsement"
    orgs = info["organizations"]
    assert list(orgs) == ["CertifierMSP", "ProducerMSP", "CarrierMSP", "RetailerMSP", "OrdererMSP"]
    assert {"Admin", "ines.moreau", "lars.nilsson"} <= set(orgs["CertifierMSP"]["users"])
    for path in orgs["RetailerMSP"]["users"].values():
        assert is_file(Path(path, "keystore", "priv_sk"))


async def test_enroll_then_profile(devnet: DevnetProcess) -> None:
    data = str(devnet.data_dir)
    out = (
        await acli(
            "enroll",
            "zoe",
            "--org",
            "RetailerMSP",
            "--attr",
            "provena.role=auditor",
            "--attr",
            "region=north",
            "--data-dir",
            data,
        )
    ).stdout.strip()
    assert is_file(Path(out, "keystore", "priv_sk"))
    profile = await _profile(devnet, "RetailerMSP", "zoe")
    cert = x509.load_pem_x509_certificate(read(profile["cert"]))
    assert attributes_of(cert) == {
        "hf.Affiliation": "",
        "hf.EnrollmentID": "zoe",
        "hf.Type": "client",
        "provena.role": "auditor",
        "region": "north",
    }


async def test_chaincode_deploy_connects_the_running_devnet(
    devnet: DevnetProcess, kv: str, tmp_path: Path
) -> None:
    data = str(devnet.data_dir)
    address = kv
    deployed = await acli("chaincode", "deploy", "kv", "--address", address, "--data-dir", data)
    package_id = deployed.stdout.strip()
    assert package_id == package_id_for("kv", address)
    assert "sequence 1; the running devnet is connecting to it" in deployed.stderr
    for _ in range(100):
        listed = await cli_json("chaincode", "list", "--json", "--data-dir", data)
        assert isinstance(listed, list)
        if listed[0]["ready"]:
            break
        await asyncio.sleep(0.1)
    assert listed[0]["name"] == "kv"
    assert listed[0]["ready"] is True

    profile_file = tmp_path / "profile.json"
    profile_file.write_text(json.dumps(await _profile(devnet, "ProducerMSP", "tomas.herrera")))
    async with Profile.load(profile_file).connect() as gateway:
        contract = gateway.get_network("provena").get_contract("kv")
        await contract.submit_transaction("Put", "lot-1", "apples")
        assert await contract.evaluate_transaction("Get", "lot-1") == b"apples"

    again = await acli("chaincode", "deploy", "kv", "--address", address, "--data-dir", data)
    assert again.stdout.strip() == package_id
    assert "unchanged: version 1.0, sequence 1" in again.stderr
    upgraded = await acli(
        "chaincode",
        "deploy",
        "kv",
        "--address",
        address,
        "--version",
        "2.0",
        "--data-dir",
        data,
    )
    assert "defined: version 2.0, sequence 2" in upgraded.stderr

    # its own endorsement policy: an upgrade, shown by `list`; a bad one is refused
    policy = "AND('ProducerMSP.peer', 'CarrierMSP.peer')"
    own = ("chaincode", "deploy", "kv", "--address", address, "--version", "2.0")
    strict = await acli(*own, "--signature-policy", policy, "--data-dir", data)
    assert "defined: version 2.0, sequence 3" in strict.stderr
    listed_text = (await acli("chaincode", "list", "--data-dir", data)).stdout
    kv_line = next(line for line in listed_text.splitlines() if line.startswith("kv  "))
    assert kv_line.endswith(f"ready  policy {policy}")
    refused = await acli(
        *own, "--signature-policy", "OR('NopeMSP.peer')", "--data-dir", data, check=False
    )
    assert refused.returncode == 2
    assert "names NopeMSP, not in the channel" in refused.stderr
    async with Profile.load(profile_file).connect() as gateway:
        contract = gateway.get_network("provena").get_contract("kv")
        await contract.submit_transaction("Put", "lot-2", "pears")  # endorsed by both orgs


async def test_restart_redeploys_and_verify(tmp_path: Path) -> None:
    data = tmp_path / "devnet"
    address = f"127.0.0.1:{free_port()}"
    # defined while no devnet runs: recorded for the next start
    deployed = await acli(
        "chaincode", "deploy", "kv", "--address", address, "--data-dir", str(data)
    )
    assert "connects to it when it starts" in deployed.stderr
    listed = (await acli("chaincode", "list", "--data-dir", str(data))).stdout
    assert listed.startswith("kv  version 1.0  sequence 1")
    assert listed.rstrip().endswith("stopped  policy ANY Endorsement (default)")
    refused = await acli(
        *("chaincode", "deploy", "kv", "--address", address, "--data-dir", str(data)),
        *("--signature-policy", "OR('ProducerMSP.admin')"),
        check=False,
    )
    assert refused.returncode == 2
    assert "no set of the channel's peers" in refused.stderr
    server = await serve_chaincode(deployed.stdout.strip(), address)
    try:
        profile_file = tmp_path / "profile.json"
        for round_ in range(2):
            args = ("--listen", "127.0.0.1:0", "--no-tls") if round_ == 0 else ()
            devnet = await DevnetProcess(data, args).start()
            try:
                assert "(no TLS)" in devnet.banner[0]
                await _ready(devnet.endpoint)
                profile_file.write_text(
                    json.dumps(await _profile(devnet, "CarrierMSP", "sam.carter"))
                )
                async with Profile.load(profile_file).connect() as gateway:
                    contract = gateway.get_network("provena").get_contract("kv")
                    if round_ == 0:
                        await contract.submit_transaction("Put", "truck", "T-7")
                    # the second start re-deployed the definition and kept the state
                    assert await contract.evaluate_transaction("Get", "truck") == b"T-7"
            finally:
                code, _ = await devnet.stop()
            assert code == 0
    finally:
        await server.stop(None)
    summary = json.loads((await acli("verify", "--data-dir", str(data))).stdout)
    assert summary["ok"] is True
    assert summary["blocks"] == 2
    assert summary["validation_codes"] == {"VALID": 2}


async def test_contracts_deployed_by_default(devnet: DevnetProcess, tmp_path: Path) -> None:
    profile_file = tmp_path / "admin.json"
    profile_file.write_text(json.dumps(await _profile(devnet, "CertifierMSP", "ines.moreau")))
    async with Profile.load(profile_file).connect() as gateway:
        registry = gateway.get_network("provena").get_contract("provena", "Registry")
        for _ in range(100):  # the sidecar process is still importing at first
            try:
                await registry.submit_transaction("Bootstrap", json.dumps(["CertifierMSP"]))
                break
            except GatewayError:
                await asyncio.sleep(0.1)
        accredited = await registry.submit_transaction(
            "AccreditCertifier", "CertifierMSP", json.dumps(["EU-ORGANIC"])
        )
    assert json.loads(accredited)["schemes"] == ["EU-ORGANIC"]


async def test_deploy_waits_for_a_devnet_that_is_starting(tmp_path: Path) -> None:
    """A devnet holds its data directory from its first step, before its admin socket
    listens: a deploy in between waits rather than writing a file the devnet has read."""
    data = tmp_path / "devnet"
    starting = DataLock(data / "devnet.lock")
    assert starting.acquire()
    deploy = asyncio.create_task(
        acli("chaincode", "deploy", "kv", "--address", "127.0.0.1:9", "--data-dir", str(data))
    )
    await asyncio.sleep(1.5)
    assert not deploy.done()
    starting.release()  # the devnet went away without answering: the deploy writes the file
    deployed = await deploy
    assert "waiting for the devnet starting in" in deployed.stderr
    assert "the devnet connects to it when it starts" in deployed.stderr
    assert json.loads((data / "chaincodes.json").read_text())[0]["name"] == "kv"


async def test_one_devnet_per_data_directory(devnet: DevnetProcess) -> None:
    second = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "provena", "devnet", "--data-dir", str(devnet.data_dir)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert second.returncode == 2
    assert f"another devnet is running with data directory {devnet.data_dir}" in second.stderr
    assert (await cli_json("info", "--json", "--data-dir", str(devnet.data_dir)))["running"]
