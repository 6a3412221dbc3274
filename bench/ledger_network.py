"""Shared by the ledger benchmarks: the devnet and the bench chaincode as real processes.

    with DevnetProcess.start(data_dir) as devnet:
        package_id = devnet.deploy("kv", address)
        with chaincode_process("python", package_id, address, devnet.logs):
            profile = devnet.profile("ProducerMSP", "tomas.herrera")
            ready_s = asyncio.run(until_ready(profile, "kv"))

Everything goes through the commands a developer would type (`provena devnet`, `... chaincode
deploy`, `... profile`), so the figures are those of the shipped entry points.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Self

from bench.common import free_port
from provena.fabric import FabricError
from provena.fabric.profile import Profile

__all__ = [
    "ROOT",
    "DevnetProcess",
    "chaincode_process",
    "cpu_seconds",
    "ensure_npm",
    "rss_bytes",
    "until_ready",
]

ROOT = Path(__file__).resolve().parent.parent
NODE_CHAINCODE = ROOT / "bench" / "node-chaincode"
Runtime = Literal["python", "node"]
_READY_TIMEOUT = 120.0


def _provena(*args: str) -> list[str]:
    return [sys.executable, "-m", "provena", *args]


def _environment() -> dict[str, str]:
    """This environment without PROVENA_* settings, so a developer's own do not leak in."""
    return {k: v for k, v in os.environ.items() if not k.startswith("PROVENA_")}


def rss_bytes(pid: int) -> int:
    """Resident set size of a process, from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time a live process has used so far, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def ensure_npm(directory: Path) -> None:
    """`npm ci` in `directory` once, if its node_modules is missing."""
    if (directory / "node_modules").is_dir():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError(f"npm is needed for {directory}")
    subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"],
        cwd=directory,
        check=True,
        stdout=subprocess.DEVNULL,
    )


@dataclass
class DevnetProcess:
    """`provena devnet` serving from `data_dir` on a free port (TLS, default settings), without
    Provena's own contracts: only the bench chaincode runs beside it."""

    data_dir: Path
    process: subprocess.Popen[bytes]
    started: float

    @classmethod
    def start(
        cls, data_dir: Path, port: int | None = None, options: Sequence[str] = ()
    ) -> DevnetProcess:
        """`options` are more `provena devnet` options (`--orgs`, `--endorsement-policy`…)."""
        data_dir.mkdir(parents=True, exist_ok=True)
        listen = f"127.0.0.1:{port or free_port()}"
        with (data_dir / "devnet.log").open("ab") as log:
            started = time.perf_counter()
            process = subprocess.Popen(
                _provena(
                    *("devnet", "--data-dir", str(data_dir), "--listen", listen),
                    *("--contracts", "off", *options),
                ),
                env=_environment(),
                stdout=log,
                stderr=log,
            )
        return cls(data_dir, process, started)

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def logs(self) -> Path:
        return self.data_dir / "devnet.log"

    def _command(self, *args: str) -> str:
        done = subprocess.run(
            _provena("devnet", *args, "--data-dir", str(self.data_dir)),
            env=_environment(),
            check=True,
            capture_output=True,
        )
        return done.stdout.decode().strip()

    def deploy(self, name: str, address: str) -> str:
        """Define the chaincode as a service at `address`; its package id."""
        return self._command("chaincode", "deploy", name, "--address", address)

    def profile(self, msp_id: str, user: str) -> Path:
        """A connection profile file for the user, as `provena devnet profile` prints it."""
        path = self.data_dir / f"profile-{msp_id}-{user}.json"
        path.write_text(self._command("profile", "--org", msp_id, "--user", user))
        return path

    def stop(self) -> None:
        """SIGTERM, as Ctrl-C would: the orderer writes what it holds, the ledger closes."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=60)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


@contextmanager
def chaincode_process(
    runtime: Runtime, package_id: str, address: str, log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    """The bench chaincode (bench/chaincode_kv.py, or its Node twin) serving at `address`."""
    if runtime == "python":
        command = [sys.executable, str(ROOT / "bench" / "chaincode_kv.py")]
        env = _environment() | {"CHAINCODE_ID": package_id, "CHAINCODE_SERVER_ADDRESS": address}
        cwd = ROOT
    else:
        ensure_npm(NODE_CHAINCODE)
        command = [
            str(NODE_CHAINCODE / "node_modules" / ".bin" / "fabric-chaincode-node"),
            "server",
            "--chaincode-address",
            address,
            "--chaincode-id",
            package_id,
        ]
        env = _environment() | {"CORE_CHAINCODE_LOGGING_LEVEL": "warning"}
        cwd = NODE_CHAINCODE
    with log.open("ab") as output:
        process = subprocess.Popen(command, env=env, cwd=cwd, stdout=output, stderr=output)
    try:
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)


async def until_ready(profile: Path, chaincode: str) -> float:
    """Seconds until `chaincode` answers an evaluate through the gateway in `profile`."""
    started = time.perf_counter()
    loaded = Profile.load(profile)
    async with loaded.connect() as gateway:
        contract = gateway.get_network(loaded.channel).get_contract(chaincode)
        while True:
            try:
                await contract.evaluate("Get", args=["ready"])
                return time.perf_counter() - started
            except FabricError:
                if time.perf_counter() - started > _READY_TIMEOUT:
                    raise
                await asyncio.sleep(0.01)
