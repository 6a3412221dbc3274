"""The Kubernetes manifests that go to OKE, run here by `podman kube play`: the API, the
event listener and the contracts, from the images `deploy/images/Dockerfile` builds, against
a devnet and PostgreSQL on this host. One certificate issued through the API is committed
on the ledger and reaches the API's projection through the listener.

What stands in for the cluster, and why:
- The base's Deployments and ConfigMaps are played as they are, with the pods on the host's
  network (the devnet and PostgreSQL listen on loopback), the images built here, one replica
  each, and each HTTP server on a free port.
- The settings the OKE overlay gives are the host's instead: the devnet's gateway and CA, a
  production profile with an OIDC issuer on loopback, and a local key-encryption key (OCI
  Vault and Object Storage are not here).
- The ExternalSecrets' targets come from the host. `provena-settings` (read by `envFrom`) is
  a podman secret; podman 4.3 reads one as a JSON map of base64 values. The ledger identity
  (a secret volume) is a ConfigMap of the same files: podman 4.3 writes a secret volume's
  files still base64-encoded.
- Each pod's `emptyDir` is a volume of its own: podman 4.3 makes one named volume per
  volume name, which the API and listener pods would otherwise share.
- Services, HPAs, PDBs, NetworkPolicies and Kubo are not played: podman has no such kinds,
  and the API keeps its content in its own store.
"""

from __future__ import annotations

import base64
import copy
import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from provena.api.ledger import devnet_settings
from provena.devnet.config import DevnetConfig
from provena.settings import Settings
from tests.deploy.containers import REPO, Podman
from tests.deploy.kustomize import Object, key, render
from tests.support.databases import create_postgres_database, drop_postgres_database
from tests.support.issuer import FakeIssuer, running_issuer
from tests.support.server import free_port

pytestmark = pytest.mark.postgres

BASE = REPO / "deploy" / "k8s" / "base"
PLAYED = {"Deployment", "ConfigMap"}
LEDGER_DIR = "/etc/provena/ledger"  # where the base mounts the ledger identity
IDENTITY = "provena-ledger-identity"
ROLE_GROUPS = {"smoke-admins": "admin", "smoke-certifiers": "certifier"}
ORG_GROUPS = {"smoke-certification-body": "CertifierMSP"}
WAIT = {"Prefer": "wait=30"}
# The devnet defines the contracts, and the contracts pod serves them.
DEVNET = ("provena", "devnet", "--contracts", "off", "--listen", "127.0.0.1:0")
DEVNET_CA = ("--ca-listen", "127.0.0.1:0")
CHAINCODE_DEPLOY = ("provena", "devnet", "chaincode", "deploy", "provena")


@dataclass
class HostLedger:
    settings: Settings
    contracts_address: str
    package_id: str


@pytest.fixture(scope="module")
def host_ledger(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HostLedger]:
    """`provena devnet` on this host, its contracts to be served by the contracts pod."""
    data_dir = tmp_path_factory.mktemp("devnet")
    log = data_dir / "devnet.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            (*DEVNET, *DEVNET_CA, "--data-dir", str(data_dir)),
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while "devnet serving" not in log.read_text():
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        address = f"127.0.0.1:{free_port()}"
        package_id = subprocess.run(
            (*CHAINCODE_DEPLOY, "--address", address, "--data-dir", str(data_dir)),
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        config = DevnetConfig.load(data_dir)
        yield HostLedger(devnet_settings(Settings(), config), address, package_id)
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    name, url = create_postgres_database()
    try:
        yield url
    finally:
        drop_postgres_database(name)


def _base64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def secrets(ledger: HostLedger, database_url: str, issuer: FakeIssuer) -> dict[str, str]:
    """What the ExternalSecrets of the base would bring from the Vault: podman secrets."""
    cas = {
        msp: ca.model_dump(mode="json")
        | {"tls_ca": f"{LEDGER_DIR}/tls-ca.pem" if ca.tls_ca else None}
        | {"registrar_secret": ca.registrar_secret.get_secret_value()}
        for msp, ca in ledger.settings.fabric_cas.items()
    }
    settings = {
        "PROVENA_DATABASE_URL": database_url,
        "PROVENA_FABRIC_CAS": json.dumps(cas),
        "PROVENA_KEY_ENCRYPTION_KEY": base64.b64encode(os.urandom(32)).decode(),
    }
    return {"provena-settings": json.dumps({k: _base64(v) for k, v in settings.items()})}


def ledger_identity(ledger: HostLedger) -> Object:
    """The API's ledger identity and the peer's TLS CA, the files the base mounts."""
    s = ledger.settings
    assert s.ledger_tls_ca is not None
    assert s.ledger_reader_cert is not None
    assert s.ledger_reader_key is not None
    files = {"tls-ca.pem": s.ledger_tls_ca, "reader.crt": s.ledger_reader_cert}
    files["reader.key"] = s.ledger_reader_key
    data = {name: path.read_text() for name, path in files.items()}
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": IDENTITY}, "data": data}


def topology(
    images: dict[str, str], ledger: HostLedger, issuer: FakeIssuer, ports: dict[str, int]
) -> list[Object]:
    """The base's Deployments and ConfigMaps, standing on this host."""
    played = [copy.deepcopy(o) for o in render(BASE).objects if o["kind"] in PLAYED]
    contracts_port = ledger.contracts_address.rpartition(":")[2]
    by_key = {key(o): o for o in played}
    s = ledger.settings
    config = by_key["ConfigMap", "provena-config"]["data"]
    del config["PROVENA_IPFS_KUBO_URL"]
    config |= {
        "PROVENA_PUBLIC_URL": f"http://127.0.0.1:{ports['provena-api']}",
        "PROVENA_OIDC_ISSUER": issuer.url,
        "PROVENA_OIDC_ROLE_GROUPS": json.dumps(ROLE_GROUPS),
        "PROVENA_OIDC_ORG_GROUPS": json.dumps(ORG_GROUPS),
        "PROVENA_LEDGER_ENDPOINT": s.ledger_endpoint,
        "PROVENA_LEDGER_SERVER_NAME": s.ledger_server_name,
        "PROVENA_LEDGER_READER_MSP_ID": s.ledger_reader_msp_id,
    }
    by_key["ConfigMap", "provena-chaincode"]["data"]["CHAINCODE_ID"] = ledger.package_id
    for obj in played:
        if obj["kind"] != "Deployment":
            continue
        name = obj["metadata"]["name"]
        obj["spec"]["replicas"] = 1
        pod = obj["spec"]["template"]["spec"]
        pod["hostNetwork"] = True
        for container in pod["containers"]:
            container["image"] = images[container["image"].split(":")[0].removeprefix("provena-")]
            if name in ports:
                container["args"][container["args"].index("--port") + 1] = str(ports[name])
            # On the host's network a container's ports are the host's: podman maps none.
            del container["ports"]
            for probe in ("readinessProbe", "livenessProbe"):
                if "httpGet" in container[probe]:
                    container[probe]["httpGet"]["port"] = ports[name]
                else:
                    container[probe]["tcpSocket"]["port"] = int(contracts_port)
            for env in container.get("env", []):
                if env["name"] == "CHAINCODE_SERVER_ADDRESS":
                    env["value"] = ledger.contracts_address
        for volume in pod.get("volumes", []):
            if "emptyDir" in volume:
                own = f"{name}-{volume['name']}"
                for mount in pod["containers"][0]["volumeMounts"]:
                    if mount["name"] == volume["name"]:
                        mount["name"] = own
                volume["name"] = own
            elif volume.get("secret", {}).get("secretName") == IDENTITY:
                del volume["secret"]
                volume["configMap"] = {"name": IDENTITY}
    return [*played, ledger_identity(ledger)]


def ready(url: str, path: str, deadline: float) -> None:
    last = ""
    while time.monotonic() < deadline:
        try:
            answer = httpx.get(f"{url}{path}", timeout=5)
            if answer.status_code == 200:
                return
            last = f"{answer.status_code} {answer.text}"
        except httpx.TransportError as exc:
            last = str(exc)
        time.sleep(0.5)
    pytest.fail(f"{url}{path} not ready: {last}")


def write(http: httpx.Client, token: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
    answer = http.post(path, json=body, headers={"Authorization": f"Bearer {token}"} | WAIT)
    assert answer.status_code in (200, 202), answer.text
    outcome: dict[str, Any] = answer.json()
    assert outcome["status"] == "committed", outcome
    return outcome


def test_the_manifests_run_under_podman_and_commit_a_certificate(
    podman: Podman,
    images: dict[str, str],
    host_ledger: HostLedger,
    database: str,
    tmp_path: Path,
) -> None:
    ports = {"provena-api": free_port(), "provena-listener": free_port()}
    with running_issuer() as issuer:
        issuer.add_key("smoke")
        for name, content in secrets(host_ledger, database, issuer).items():
            podman.podman("secret", "create", name, "-", input=content)
        manifest = tmp_path / "provena.yaml"
        manifest.write_text(yaml.safe_dump_all(topology(images, host_ledger, issuer, ports)))
        podman.podman("kube", "play", str(manifest), timeout=300)
        try:
            api = f"http://127.0.0.1:{ports['provena-api']}"
            deadline = time.monotonic() + 180
            ready(api, "/readyz", deadline)
            ready(f"http://127.0.0.1:{ports['provena-listener']}", "/healthz", deadline)

            admin = issuer.token("smoke", sub="smoke-admin", groups=[*ORG_GROUPS, "smoke-admins"])
            certifier = issuer.token(
                "smoke", sub="smoke-certifier", groups=[*ORG_GROUPS, "smoke-certifiers"]
            )
            with httpx.Client(base_url=api, timeout=60) as http:
                write(
                    http, admin, "/api/v1/registry/bootstrap", {"governance_msps": ["CertifierMSP"]}
                )
                write(
                    http,
                    admin,
                    "/api/v1/registry/accreditations",
                    {"msp_id": "CertifierMSP", "schemes": ["EU-ORGANIC"]},
                )
                issued = write(
                    http,
                    certifier,
                    "/api/v1/certificates",
                    {
                        "id": "SMOKE-1",
                        "scheme": "EU-ORGANIC",
                        "subject": {"kind": "lot", "id": "LOT-SMOKE-1", "name": "Apple lot"},
                        "scope": "Organic apples",
                        "valid_from": "2026-01-01T00:00:00Z",
                        "valid_until": "2036-01-01T00:00:00Z",
                    },
                )
                assert issued["block_number"] > 0
                seen = http.get(
                    "/api/v1/certificates/SMOKE-1", headers={"Authorization": f"Bearer {certifier}"}
                )
                assert seen.status_code == 200, seen.text
                assert seen.json()["status"] == "ACTIVE"
            for name in ("provena-api", "provena-listener", "provena-contracts"):
                container = podman.inspect(
                    "container", f"{name}-pod-0-{name.removeprefix('provena-')}"
                )
                assert container["State"]["Running"], name
                assert container["Config"]["User"] == "10001:10001"  # the pods' securityContext
        finally:
            podman.podman("kube", "down", str(manifest), check=False, timeout=120)
            podman.podman("secret", "rm", "--all", check=False)
