"""A devnet run as a real process, a tiny chaincode served in-process, and free ports."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from provena.chaincode import ChaincodeServer, Context, Contract, Contracts, ServerSettings
from provena.chaincode import transaction as chaincode_transaction

__all__ = [
    "DevnetProcess",
    "KeyValue",
    "acli",
    "cli",
    "cli_json",
    "free_port",
    "is_file",
    "read",
    "serve_chaincode",
]

_STARTUP = 60.0


def free_port() -> int:
    """A port free right now (the chaincode's address must be known before it listens,
    because the package id is derived from it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def cli(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """`provena devnet ARGS…` as a process."""
    result = subprocess.run(
        [sys.executable, "-m", "provena", "devnet", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"devnet {' '.join(args)} failed: {result.stderr}")
    return result


async def acli(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """`cli` off the event loop, which may be serving a chaincode meanwhile."""
    return await asyncio.to_thread(cli, *args, check=check)


async def cli_json(*args: str) -> Any:
    return json.loads((await acli(*args)).stdout)


async def cli_profile(data_dir: Path, msp_id: str, user: str) -> dict[str, Any]:
    """What `provena devnet profile` prints for a user of the devnet in `data_dir`."""
    document = await cli_json(
        "profile", "--data-dir", str(data_dir), "--org", msp_id, "--user", user
    )
    assert isinstance(document, dict)
    return document


def read(path: str | Path) -> bytes:
    return Path(path).read_bytes()


def is_file(path: str | Path) -> bool:
    return Path(path).is_file()


@dataclass
class DevnetProcess:
    """`provena devnet` serving from `data_dir` until stopped with SIGINT."""

    data_dir: Path
    args: tuple[str, ...] = ()
    process: subprocess.Popen[str] | None = None
    endpoint: str = ""
    banner: list[str] = field(default_factory=list)

    async def start(self) -> DevnetProcess:
        self.process = await asyncio.to_thread(
            subprocess.Popen,
            [
                sys.executable,
                "-m",
                "provena",
                "devnet",
                "--data-dir",
                str(self.data_dir),
                *self.args,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        line = await asyncio.wait_for(asyncio.to_thread(self._read_line), _STARTUP)
        self.banner.append(line)
        if " at " not in line:
            raise AssertionError(f"devnet did not start: {line!r}")
        self.endpoint = line.split(" at ")[1].split(" ")[0]
        return self

    def _read_line(self) -> str:
        assert self.process is not None
        assert self.process.stdout is not None
        return self.process.stdout.readline().strip()

    async def stop(self) -> tuple[int, str]:
        """SIGINT, then the exit code and the rest of its output."""
        assert self.process is not None
        self.process.send_signal(signal.SIGINT)
        out, _ = await asyncio.to_thread(self.process.communicate, None, 30)
        return self.process.returncode, out


class KeyValue(Contract):
    """The smallest useful chaincode: put and get."""

    name = "KV"

    @chaincode_transaction
    async def Put(self, ctx: Context, key: str, value: str) -> None:
        await ctx.stub.put_state(key, value.encode())
        ctx.stub.set_event("Put", key.encode())

    @chaincode_transaction(evaluate=True)
    async def Get(self, ctx: Context, key: str) -> bytes:
        return await ctx.stub.get_state(key)


async def serve_chaincode(package_id: str, address: str) -> ChaincodeServer:
    server = ChaincodeServer(
        Contracts(KeyValue()), ServerSettings(chaincode_id=package_id, address=address)
    )
    await server.start()
    return server
