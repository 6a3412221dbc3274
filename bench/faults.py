"""`kill -9` under load: the devnet, the contracts, the API and the event listener, each killed
at a random moment while certificates are being issued, on PostgreSQL, and everything
checked after every kill.

The four run as their own processes, as on OKE (the devnet standing in for the peers): the
devnet (`provena devnet --contracts off`), the contracts (`python -m provena.contracts`, the
chaincode service), the API (`provena up`, listener off) and the listener (`provena up`,
`PROVENA_EVENT_LISTENER=true`). This script is their supervisor: it starts each and starts
it again after a kill, as a Deployment's controller would. The schedule (which process, how
long into the load) comes from `--seed`, so a run can be repeated.

Writers POST certificates without waiting (`202` with a tx id: acknowledged). An auditor's
SSE client follows the feed, reconnecting with `Last-Event-ID` whenever it drops. After each
kill, once the killed process is back and a new certificate is committed and readable
(the recovery time), the load pauses and the checks run:
- no row stays pending, and every acknowledged write is committed or invalid, none missing;
- every committed certificate is readable, once;
- the chain verifies (`provena devnet verify`);
- the projections equal a rebuild from block 0 (`provena projections rebuild --check`, with
  the listener stopped for it: the check refuses to race a running listener).
At the end, the SSE client must have received every feed row once. One JSON line per
process killed, then one of totals; the run fails if anything was lost, and then keeps its
directory (every process's log and data) and says where.
    uv run python -m bench.faults [--kills-per-process 20] [--seed 1] [--writers 4]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psycopg
from sqlalchemy import make_url

from bench.common import (
    access_token,
    certificate,
    free_port,
    percentile,
    prepare,
    temporary_database,
)
from provena.api.ledger import devnet_settings
from provena.devnet.config import DevnetConfig
from provena.settings import Settings

PROCESSES = ("devnet", "contracts", "api", "listener")
CERTIFIER = "david.okafor"
GOVERNOR = "ines.moreau"
AUDITOR = "lars.nilsson"
START_SECONDS = 120.0
SETTLE_SECONDS = 120.0


def _provena(*args: str) -> list[str]:
    return [sys.executable, "-m", "provena", *args]


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.TransportError:
        return False


@dataclass
class Supervised:
    """A process this script starts, kills and starts again."""

    name: str
    command: list[str]
    env: dict[str, str]
    log: Path
    ready: Callable[[], bool]
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(
                self.command,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own group: a kill takes its children too
            )
        deadline = time.monotonic() + START_SECONDS
        while not self.ready():
            if self.process.poll() is not None or time.monotonic() > deadline:
                tail = self.log.read_text(errors="replace")[-2000:]
                raise RuntimeError(f"{self.name} did not start:\n{tail}")
            time.sleep(0.05)

    def kill(self) -> None:
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


def _environment(**values: str) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PROVENA_")}
    return clean | {"PROVENA_LOG_LEVEL": "WARNING"} | values


def _ledger_environment(settings: Settings) -> dict[str, str]:
    """The settings `provena up` would give itself for the devnet, as environment."""
    cas = {
        msp: ca.model_dump(mode="json")
        | {"registrar_secret": ca.registrar_secret.get_secret_value()}
        for msp, ca in settings.fabric_cas.items()
    }
    values = {
        "PROVENA_DEVNET": "false",
        "PROVENA_LEDGER_ENDPOINT": settings.ledger_endpoint,
        "PROVENA_LEDGER_TLS_CA": settings.ledger_tls_ca,
        "PROVENA_LEDGER_SERVER_NAME": settings.ledger_server_name,
        "PROVENA_LEDGER_READER_MSP_ID": settings.ledger_reader_msp_id,
        "PROVENA_LEDGER_READER_CERT": settings.ledger_reader_cert,
        "PROVENA_LEDGER_READER_KEY": settings.ledger_reader_key,
        "PROVENA_FABRIC_CAS": json.dumps(cas),
    }
    return {k: str(v) for k, v in values.items() if v is not None}


@dataclass
class Stack:
    """The four processes, their data and where they answer."""

    root: Path
    database_url: str
    processes: dict[str, Supervised]
    api_url: str
    api_data: Path
    devnet_data: Path
    ledger_env: dict[str, str]

    def run(
        self, *args: str, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            _provena(*args), env=env, capture_output=True, text=True, timeout=300, check=False
        )


@contextmanager
def stack(root: Path, database_url: str) -> Iterator[Stack]:
    """The devnet, the contracts, the API and the listener, started and stopped here."""
    devnet_data, api_data, listener_data = root / "devnet", root / "api", root / "listener"
    devnet_port, ca_port, contracts_port = free_port(), free_port(), free_port()
    api_port, listener_port = free_port(), free_port()
    devnet = Supervised(
        "devnet",
        [
            *_provena("devnet", "--data-dir", str(devnet_data), "--contracts", "off"),
            "--listen",
            f"127.0.0.1:{devnet_port}",
            "--ca-listen",
            f"127.0.0.1:{ca_port}",
        ],
        _environment(),
        root / "devnet.log",
        lambda: _accepts(devnet_port) and _accepts(ca_port),
    )
    with ExitStack() as running:
        devnet.start()
        running.callback(devnet.stop)
        address = f"127.0.0.1:{contracts_port}"
        deployed = subprocess.run(
            [
                *_provena("devnet", "chaincode", "deploy", "provena", "--address", address),
                "--data-dir",
                str(devnet_data),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        settings = devnet_settings(Settings(), DevnetConfig.load(devnet_data))
        ledger = _ledger_environment(settings)
        contracts = Supervised(
            "contracts",
            [sys.executable, "-m", "provena.contracts"],
            _environment(CHAINCODE_ID=deployed.stdout.strip(), CHAINCODE_SERVER_ADDRESS=address),
            root / "contracts.log",
            lambda: _accepts(contracts_port),
        )
        common = ledger | {"PROVENA_DATABASE_URL": database_url}

        def up(name: str, port: int, data: Path, listener: bool) -> Supervised:
            env = _environment(**common, PROVENA_EVENT_LISTENER=str(listener).lower())
            command = _provena("up", "--port", str(port), "--data-dir", str(data), "--no-seed")
            url = f"http://127.0.0.1:{port}"
            return Supervised(
                name, command, env, root / f"{name}.log", lambda: _answers(f"{url}/healthz")
            )

        processes = {
            "devnet": devnet,
            "contracts": contracts,
            "api": up("api", api_port, api_data, listener=False),
            "listener": up("listener", listener_port, listener_data, listener=True),
        }
        for name in ("contracts", "api", "listener"):
            processes[name].start()
            running.callback(processes[name].stop)
        yield Stack(
            root,
            database_url,
            processes,
            f"http://127.0.0.1:{api_port}",
            api_data,
            devnet_data,
            ledger,
        )


@dataclass
class Load:
    """Writers issuing certificates, and what the API acknowledged."""

    url: str
    token: str
    acknowledged: dict[str, str] = field(default_factory=dict)  # tx id -> certificate id
    refused: int = 0
    running: asyncio.Event = field(default_factory=asyncio.Event)

    async def writer(self, http: httpx.AsyncClient) -> None:
        while True:
            await self.running.wait()
            cert_id = f"K-{uuid.uuid4().hex[:12]}"
            try:
                answer = await http.post("/api/v1/certificates", json=certificate(cert_id))
            except httpx.TransportError:
                self.refused += 1
                await asyncio.sleep(0.05)
                continue
            if answer.status_code == 202:
                self.acknowledged[answer.json()["tx_id"]] = cert_id
            else:
                self.refused += 1
                await asyncio.sleep(0.05)


@dataclass
class FeedClient:
    """An auditor following the live feed, resuming with Last-Event-ID after every drop."""

    url: str
    token: str
    received: list[int] = field(default_factory=list)

    async def follow(self) -> None:
        headers = {"Authorization": f"Bearer {self.token}"}
        async with httpx.AsyncClient(base_url=self.url, timeout=httpx.Timeout(5, read=60)) as http:
            while True:
                if self.received:
                    headers["Last-Event-ID"] = str(self.received[-1])
                try:
                    async with http.stream("GET", "/api/v1/events", headers=headers) as stream:
                        async for line in stream.aiter_lines():
                            if line.startswith("id:"):
                                self.received.append(int(line[3:].strip()))
                except (httpx.TransportError, httpx.HTTPStatusError):
                    pass
                await asyncio.sleep(0.2)


def _database(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(False)


def _rows(url: str, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with psycopg.connect(_database(url)) as conn:
        return list(conn.execute(sql.encode(), params).fetchall())


@dataclass
class Totals:
    kills: int = 0
    problems: list[str] = field(default_factory=list)
    recoveries: dict[str, list[float]] = field(default_factory=dict)


async def _committed_and_readable(http: httpx.AsyncClient, deadline: float) -> None:
    """Issue one certificate and read it back from the projection, retrying (the same
    certificate) while processes come back."""
    cert_id = f"R-{uuid.uuid4().hex[:12]}"
    issued = False
    while time.monotonic() < deadline:
        try:
            if not issued:
                answer = await http.post(
                    "/api/v1/certificates", json=certificate(cert_id), headers={"Prefer": "wait=10"}
                )
                # 409: an earlier try of this same certificate got through
                issued = answer.status_code in (200, 202, 409)
            elif (await http.get(f"/api/v1/certificates/{cert_id}")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.1)
    raise TimeoutError(f"no certificate committed and readable within {SETTLE_SECONDS:g} s")


def check(running: Stack, load: Load, governor_profile: Path) -> list[str]:
    """Everything that must hold once the load has paused; returns what does not."""
    problems = []
    deadline = time.monotonic() + SETTLE_SECONDS
    pending_sql = "SELECT count(*) FROM ledger_transactions WHERE status = 'pending'"
    while (
        pending := _rows(running.database_url, pending_sql)[0][0]
    ) and time.monotonic() < deadline:
        time.sleep(0.2)
    if pending:
        problems.append(f"{pending} rows still pending after {SETTLE_SECONDS:g} s")
    statuses = dict(_rows(running.database_url, "SELECT tx_id, status FROM ledger_transactions"))
    committed = [tx for tx in load.acknowledged if statuses.get(tx) == "committed"]
    missing = [tx for tx in load.acknowledged if statuses.get(tx) not in ("committed", "invalid")]
    if missing:
        problems.append(f"{len(missing)} acknowledged writes neither committed nor invalid")
    certificates = _rows(running.database_url, "SELECT id, count(*) FROM certificates GROUP BY id")
    counts = dict(certificates)
    lost = [tx for tx in committed if counts.get(load.acknowledged[tx]) != 1]
    if lost:
        problems.append(f"{len(lost)} committed certificates not in the projection once")
    verified = running.run("devnet", "verify", "--data-dir", str(running.devnet_data))
    if verified.returncode != 0:
        problems.append(
            f"the chain does not verify: {verified.stdout[-500:]}{verified.stderr[-500:]}"
        )
    env = _environment(**running.ledger_env, PROVENA_DATABASE_URL=running.database_url)
    listener = running.processes["listener"]
    listener.stop()  # a rebuild is compared with what the listener wrote, while it writes none
    rebuilt = running.run(
        "projections", "rebuild", "--check", "--profile", str(governor_profile),
        "--data-dir", str(running.api_data), env=env,
    )  # fmt: skip
    listener.start()
    if rebuilt.returncode != 0:
        problems.append(
            f"projections differ from a rebuild: {rebuilt.stdout[-500:]}{rebuilt.stderr[-500:]}"
        )
    return problems


async def run(args: argparse.Namespace, running: Stack) -> tuple[Totals, Load, FeedClient, int]:
    api = running.api_url
    governor = access_token(api, running.api_data, GOVERNOR)
    certifier = access_token(api, running.api_data, CERTIFIER)
    auditor = access_token(api, running.api_data, AUDITOR)
    async with httpx.AsyncClient(base_url=api, timeout=60) as http:
        await prepare(http, governor)
    profile = running.root / "governor-profile.json"
    profile.write_text(
        running.run(
            "devnet", "profile", "--org", "CertifierMSP", "--user", "provena-api",
            "--data-dir", str(running.devnet_data),
        ).stdout
    )  # fmt: skip
    load = Load(api, certifier)
    feed = FeedClient(api, auditor)
    totals = Totals()
    schedule = random.Random(args.seed)
    victims = [name for name in PROCESSES for _ in range(args.kills_per_process)]
    schedule.shuffle(victims)
    auth = {"Authorization": f"Bearer {certifier}"}
    async with httpx.AsyncClient(base_url=api, headers=auth, timeout=30) as http:
        tasks = [asyncio.create_task(load.writer(http)) for _ in range(args.writers)]
        tasks.append(asyncio.create_task(feed.follow()))
        try:
            for round_number, victim in enumerate(victims, 1):
                load.running.set()
                await asyncio.sleep(schedule.uniform(0.5, args.max_delay))
                process = running.processes[victim]
                killed_at = time.monotonic()
                await asyncio.to_thread(process.kill)
                await asyncio.to_thread(process.start)
                await _committed_and_readable(http, time.monotonic() + SETTLE_SECONDS)
                recovery = time.monotonic() - killed_at
                totals.recoveries.setdefault(victim, []).append(recovery)
                totals.kills += 1
                load.running.clear()
                await asyncio.sleep(1.0)  # requests in flight finish
                problems = await asyncio.to_thread(check, running, load, profile)
                totals.problems += [f"after kill {round_number} ({victim}): {p}" for p in problems]
                print(
                    f"kill {round_number}/{len(victims)}: {victim}, back in {recovery:.1f} s, "
                    f"{len(load.acknowledged)} acknowledged, {len(problems)} problems",
                    file=sys.stderr,
                    flush=True,
                )
            await asyncio.sleep(2.0)  # the feed client catches up
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
    # The client starts with the row after its first connection: every row from its first
    # one on is owed to it.
    first = min(feed.received, default=0)
    owed = {
        row[0]
        for row in _rows(running.database_url, "SELECT id FROM feed_events WHERE id >= %s", first)
    }
    return totals, load, feed, len(owed - set(feed.received))


def figures(totals: Totals, load: Load, feed: FeedClient, missed: int) -> list[dict[str, Any]]:
    lines: list[dict[str, Any]] = [
        {
            "bench": "faults",
            "process": name,
            "kills": len(times),
            "recovery_p50_s": round(statistics.median(times), 2),
            "recovery_p99_s": round(percentile(times, 0.99), 2),
        }
        for name, times in totals.recoveries.items()
    ]
    lines.append(
        {
            "bench": "faults",
            "process": "all",
            "kills": totals.kills,
            "acknowledged": len(load.acknowledged),
            "refused_while_down": load.refused,
            "problems": len(totals.problems),
            "sse_received": len(feed.received),
            "sse_duplicates": len(feed.received) - len(set(feed.received)),
            "sse_missed": missed,
        }
    )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills-per-process", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument(
        "--max-delay", type=float, default=3.0, help="Seconds of load before a kill, at most"
    )
    parser.add_argument(
        "--postgres",
        default=os.environ.get(
            "PROVENA_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
        ),
    )
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="provena-faults-"))
    try:
        with (
            temporary_database(args.postgres, root) as database_url,
            stack(root, database_url) as running,
        ):
            totals, load, feed, missed = asyncio.run(run(args, running))
    except BaseException:
        # the processes' logs and data are what explain a failure: keep them
        print(f"the run failed; its logs and data are kept in {root}", file=sys.stderr)
        raise
    failed = bool(totals.problems or missed or len(feed.received) != len(set(feed.received)))
    if failed:
        print(f"logs and data kept in {root}", file=sys.stderr)
    else:
        shutil.rmtree(root, ignore_errors=True)
    for line in figures(totals, load, feed, missed):
        print(json.dumps(line))
    for problem in totals.problems:
        print(f"problem: {problem}", file=sys.stderr)
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
