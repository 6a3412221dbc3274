"""`provena up` runs its embedded ledger as a process of its own, tied to the API's."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from tests.support.process import provena_up
from tests.support.procfs import alive, children, cmdline
from tests.support.server import free_port

PROVENA = [sys.executable, "-m", "provena"]


def _wait_gone(pids: list[int], seconds: float = 30.0) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(alive(p) for p in pids):
        time.sleep(0.1)
    return [p for p in pids if alive(p)]


def test_the_ledger_and_the_contracts_run_beside_the_api_and_end_with_it(
    tmp_path: Path,
) -> None:
    with provena_up(tmp_path / "data", "--no-seed") as up:
        (devnet,) = children(up.process.pid)
        command = cmdline(devnet)
        assert command[command.index("provena.devnet.tether") + 1 :][:2] == ["provena", "devnet"]
        (contracts,) = children(devnet)
        assert "provena.contracts" in cmdline(contracts)
        assert up.check("ledger") is not None
        os.kill(up.process.pid, signal.SIGKILL)  # the API alone, with no chance to clean up
        up.process.wait()
        survivors = _wait_gone([devnet, contracts])
        for pid in survivors:
            os.kill(pid, signal.SIGKILL)
        assert not survivors, "the embedded ledger outlived the API"


def _up_with_a_busy_port(
    tmp_path: Path, listen: int, busy: int
) -> subprocess.CompletedProcess[str]:
    """`provena up` with its devnet on `listen` while something else holds `busy`."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", busy))
        taken.listen()
        env = {k: v for k, v in os.environ.items() if not k.startswith("PROVENA_")}
        return subprocess.run(
            [*PROVENA, "up", "--no-seed", "--port", str(free_port())],
            env=env | {"PROVENA_DEVNET_LISTEN": f"127.0.0.1:{listen}"},
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )


def test_a_ledger_that_cannot_listen_stops_provena_up_with_the_reason(tmp_path: Path) -> None:
    busy = free_port()
    result = _up_with_a_busy_port(tmp_path, busy, busy)
    assert result.returncode == 1, result.stderr
    assert "error: the embedded ledger stopped while starting (exit 2)" in result.stderr
    assert f"cannot listen on 127.0.0.1:{busy}: in use" in result.stderr  # the ledger's words
    assert "Traceback" not in result.stderr


def test_contracts_that_cannot_listen_stop_provena_up_at_once_with_the_reason(
    tmp_path: Path,
) -> None:
    listen = free_port()
    started = time.monotonic()
    result = _up_with_a_busy_port(tmp_path, listen, listen + 1)  # the contracts' port
    assert result.returncode == 1, result.stderr
    assert (
        f"chaincode provena stopped while starting (exit 1); is 127.0.0.1:{listen + 1} free?"
        in (result.stderr)
    )
    assert "error: the embedded ledger stopped while starting" in result.stderr
    assert time.monotonic() - started < 60  # not the two minutes of waiting for a ready ledger
