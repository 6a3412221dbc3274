"""`provena devnet`: start the embedded network, and manage its identities and chaincodes.

Commands other than the start itself read the configuration the devnet recorded in its data
directory; `chaincode deploy` and `chaincode list` talk to the running devnet through its
admin socket, or work on the recorded definitions when none runs.
"""

from __future__ import annotations

import asyncio
import json
import logging
import signal
import time
from pathlib import Path
from typing import Annotated, Any

import typer

from provena.devnet.admin import NotRunning, call
from provena.devnet.chaincodes import ChaincodePolicies, ChaincodeRegistry
from provena.devnet.config import DEFAULT_DATA_DIR, DevnetConfig, parse_listen, parse_orgs
from provena.devnet.datalock import DataLock
from provena.devnet.errors import DevnetError
from provena.devnet.fabricca import CaEndpoint, ca_endpoints
from provena.devnet.ledger import LedgerError, LedgerStore
from provena.devnet.msp import MspManager
from provena.devnet.pki import Pki
from provena.devnet.policy import Policy
from provena.devnet.sidecar import CONTRACTS_CHAINCODE, devnet_with_contracts
from provena.devnet.verify import verify_chain

__all__ = ["devnet_app"]

devnet_app = typer.Typer(
    help="The embedded Fabric-compatible network (run without a command to start it).",
    invoke_without_command=True,
)
chaincode_app = typer.Typer(help="Chaincode definitions (chaincode as a service).")
devnet_app.add_typer(chaincode_app, name="chaincode")

DataDir = Annotated[
    Path | None,
    typer.Option("--data-dir", help=f"The devnet's data directory [default: {DEFAULT_DATA_DIR}]"),
]
_log = logging.getLogger("provena.devnet")


def _fail(message: str, code: int = 2) -> typer.Exit:
    typer.secho(f"error: {message}", err=True, fg="red")
    return typer.Exit(code)


def _data_dir(ctx: typer.Context, data_dir: Path | None) -> Path:
    """The command's --data-dir, else the one given before it (`provena devnet --data-dir D …`)."""
    chosen: Path | None = data_dir or (ctx.obj or {}).get("data_dir")
    return chosen or DEFAULT_DATA_DIR


def _load(data_dir: Path, **overrides: Any) -> DevnetConfig:
    try:
        return DevnetConfig.load(data_dir, **overrides)
    except DevnetError as exc:
        raise _fail(str(exc)) from exc


def _pki(config: DevnetConfig) -> Pki:
    try:
        return Pki.load_or_create(config.organizations_dir, config.orgs, config.users)
    except DevnetError as exc:
        raise _fail(str(exc)) from exc


@devnet_app.callback()
def start(
    ctx: typer.Context,
    data_dir: DataDir = None,
    listen: Annotated[
        str | None, typer.Option(help="host:port to serve on [default: 127.0.0.1:7051]")
    ] = None,
    tls: Annotated[
        bool | None, typer.Option("--tls/--no-tls", help="Serve TLS with the devnet's TLS CA")
    ] = None,
    client_auth: Annotated[
        bool | None,
        typer.Option(
            "--client-auth/--no-client-auth",
            help="Mutual TLS: require a client certificate from an organization's TLS CA "
            "(users' certificates: organizations/…/users/NAME@DOMAIN/tls) [default: off]",
        ),
    ] = None,
    orgs: Annotated[
        str | None,
        typer.Option(help="Organizations, MSPID[=domain],… [default: the demo world's four]"),
    ] = None,
    batch_size: Annotated[
        int | None, typer.Option(help="Transactions per block at most [default: 100]")
    ] = None,
    batch_timeout: Annotated[
        float | None,
        typer.Option(help="Seconds a partial block waits [default: 0.0005]"),
    ] = None,
    endorsement_policy: Annotated[
        str | None,
        typer.Option(
            help="Fabric policy, e.g. \"AND('A.peer','B.peer')\" [default: ANY Endorsement]"
        ),
    ] = None,
    contracts: Annotated[
        str | None,
        typer.Option(
            help="Serve Provena's contracts as chaincode 'provena' at this host:port "
            "('off' to deploy nothing) [default: the listen port + 1]"
        ),
    ] = None,
    ca_listen: Annotated[
        str | None,
        typer.Option(
            help="host:port of the organizations' Fabric CA server [default: 127.0.0.1 and "
            "the listen port + 3, i.e. 7054]"
        ),
    ] = None,
) -> None:
    """Start the devnet (reusing what its data directory holds) and serve until interrupted."""
    if ctx.invoked_subcommand is not None:
        ctx.obj = {"data_dir": data_dir}
        return
    try:
        host, port = parse_listen(listen) if listen else (None, None)
        ca_host, ca_port = parse_listen(ca_listen) if ca_listen else (None, None)
        config = DevnetConfig.load(
            data_dir or DEFAULT_DATA_DIR,
            host=host,
            port=port,
            tls=tls,
            client_auth=client_auth,
            orgs=parse_orgs(orgs) if orgs else None,
            batch_size=batch_size,
            batch_timeout=batch_timeout,
            endorsement_policy=endorsement_policy,
            ca_host=ca_host,
            ca_port=ca_port,
        )
    except DevnetError as exc:
        raise _fail(str(exc)) from exc
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    try:
        asyncio.run(_serve(config, contracts))
    except (DevnetError, LedgerError) as exc:
        raise _fail(str(exc)) from exc


async def _serve(config: DevnetConfig, contracts: str | None) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with devnet_with_contracts(config, contracts) as ledger:
        devnet = ledger.devnet
        running = devnet.config
        tls = f"TLS, CA {devnet.pki.tls_ca_file}" if running.tls else "no TLS"
        typer.echo(f"devnet serving channel {running.channel} at {running.endpoint} ({tls})")
        typer.echo(f"identities: {running.organizations_dir}")
        typer.echo(f"Fabric CA: {running.ca_url} (registrars: {running.ca_dir / 'registrars'})")
        typer.echo("connection profile: provena devnet profile --org MSPID --user NAME")
        if ledger.contracts_address is not None:
            typer.echo(
                f"contracts: chaincode {CONTRACTS_CHAINCODE} at {ledger.contracts_address} "
                f"({ledger.package_id})"
            )
        await stop.wait()
    typer.echo("devnet stopped")


def _attrs(values: list[str]) -> dict[str, str]:
    attrs = {}
    for value in values:
        key, sep, val = value.partition("=")
        if not sep or not key:
            raise _fail(f"--attr takes key=value, not {value!r}")
        attrs[key] = val
    return attrs


@devnet_app.command()
def enroll(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The user's name (enrollment id)")],
    org: Annotated[str, typer.Option("--org", help="The user's MSP id")],
    attr: Annotated[
        list[str] | None, typer.Option("--attr", help="A Fabric CA attribute, key=value")
    ] = None,
    admin: Annotated[bool, typer.Option(help="Enroll an admin (OU admin), not a client")] = False,
    data_dir: DataDir = None,
) -> None:
    """Issue an identity for NAME in an organization, with Fabric CA attributes."""
    config = _load(_data_dir(ctx, data_dir))
    pki = _pki(config)
    try:
        msp_dir = pki.enroll(name, org, _attrs(attr or []), role="admin" if admin else "client")
    except DevnetError as exc:
        raise _fail(str(exc)) from exc
    typer.echo(str(msp_dir.resolve()))


@devnet_app.command()
def profile(
    ctx: typer.Context,
    org: Annotated[str, typer.Option("--org", help="The MSP id")],
    user: Annotated[str, typer.Option("--user", help="The user's name")] = "Admin",
    data_dir: DataDir = None,
) -> None:
    """Print a connection profile (JSON) for a user, as `provena ledger --profile` reads it."""
    config = _load(_data_dir(ctx, data_dir))
    pki = _pki(config)
    try:
        cert, key = pki.user_files(org, user)
    except DevnetError as exc:
        raise _fail(str(exc)) from exc
    ca = _cas(config, pki).get(org)
    server_name, tls_ca = pki.peer_tls(org)  # the user's own organization's peer
    document = {
        "endpoint": config.endpoint,
        "server_name": server_name if config.tls else None,
        "tls_ca": str(tls_ca.resolve()) if config.tls else None,
        "channel": config.channel,
        "msp_id": org,
        "cert": str(cert.resolve()),
        "key": str(key.resolve()),
        "certificate_authority": ca.to_json() if ca is not None else None,
    }
    if config.client_auth:
        client_cert, client_key = pki.tls_client_files(org, user)
        document |= {
            "tls_client_cert": str(client_cert.resolve()),
            "tls_client_key": str(client_key.resolve()),
        }
    typer.echo(json.dumps(document, indent=2))


def _cas(config: DevnetConfig, pki: Pki) -> dict[str, CaEndpoint]:
    """Each organization's CA on the devnet's Fabric CA server, by MSP id."""
    endpoints = ca_endpoints(pki, config.ca_url, config.ca_dir / "registrars", tls=config.tls)
    return {ca.msp_id: ca for ca in endpoints}


def _running(config: DevnetConfig) -> bool:
    try:
        call(config.admin_socket, {"op": "ping"}, timeout=5.0)
    except NotRunning:
        return False
    except DevnetError as exc:
        raise _fail(str(exc)) from exc
    return True


@devnet_app.command()
def info(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
    data_dir: DataDir = None,
) -> None:
    """Endpoint, channel, organizations and the paths of every identity."""
    config = _load(_data_dir(ctx, data_dir))
    pki = _pki(config)
    document = {
        "data_dir": str(config.data_dir.resolve()),
        "running": _running(config),
        "endpoint": config.endpoint,
        "tls": config.tls,
        "tls_ca": str(pki.tls_ca_file.resolve()) if config.tls else None,
        "server_name": pki.server_name if config.tls else None,
        "channel": config.channel,
        "endorsement_policy": config.endorsement_policy,
        "batch_size": config.batch_size,
        "batch_timeout": config.batch_timeout,
        "ledger": str(config.ledger_file.resolve()),
        "organizations": pki.identity_paths(),
        "certificate_authorities": {m: ca.to_json() for m, ca in _cas(config, pki).items()},
        "chaincodes": [d.to_json() for d in _registry(config).definitions],
    }
    if as_json:
        typer.echo(json.dumps(document, indent=2))
        return
    state = "running" if document["running"] else "stopped"
    typer.echo(f"devnet {state}: channel {config.channel} at {config.endpoint}")
    typer.echo(f"TLS CA: {document['tls_ca'] or 'none (plaintext)'}")
    typer.echo(f"endorsement policy: {config.endorsement_policy}")
    for msp_id, org in pki.identity_paths().items():
        typer.echo(f"{msp_id}: {org['msp']}  users: {', '.join(org['users'])}")


def _registry(config: DevnetConfig) -> ChaincodeRegistry:
    try:
        return ChaincodeRegistry(config.chaincodes_file)
    except DevnetError as exc:
        raise _fail(str(exc)) from exc


def _file(path: Path | None) -> str | None:
    return str(path.resolve()) if path is not None else None


def _policies(config: DevnetConfig, registry: ChaincodeRegistry) -> ChaincodePolicies:
    pki = _pki(config)
    try:
        return ChaincodePolicies(registry, Policy.parse(config.endorsement_policy, pki.msp_ids))
    except DevnetError as exc:
        raise _fail(str(exc)) from exc


_STARTING_WAIT = 120.0
"""Seconds `chaincode deploy` waits for a starting devnet's admin socket."""


def _define_offline(
    config: DevnetConfig,
    name: str,
    address: str,
    version: str | None,
    signature_policy: str | None,
    **files: Path | None,
) -> dict[str, Any]:
    """Record a definition while no devnet runs (it is the only writer then); it applies
    from the ledger's next block."""
    registry = _registry(config)
    try:
        if signature_policy is not None:
            _policies(config, registry).check(signature_policy)
        height = 0
        if config.ledger_file.exists():
            store = LedgerStore.open(config.ledger_file)
            height = store.height
            store.close()
        definition, changed = registry.define(
            name,
            address,
            version=version,
            endorsement_policy=signature_policy,
            from_block=height,
            **files,
        )
    except (DevnetError, LedgerError) as exc:
        raise _fail(str(exc)) from exc
    return {**definition.to_json(), "changed": changed}


@chaincode_app.command("deploy")
def chaincode_deploy(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The chaincode's name on the channel")],
    address: Annotated[str, typer.Option(help="host:port of the chaincode server")],
    version: Annotated[str | None, typer.Option(help="Version label [default: 1.0]")] = None,
    tls_ca: Annotated[Path | None, typer.Option(help="CA of the server's TLS certificate")] = None,
    client_cert: Annotated[
        Path | None, typer.Option(help="Client certificate (mutual TLS)")
    ] = None,
    client_key: Annotated[Path | None, typer.Option(help="Client key (mutual TLS)")] = None,
    signature_policy: Annotated[
        str | None,
        typer.Option(
            help="Its endorsement policy, e.g. \"OutOf(2,'A.peer','B.peer','C.peer')\" "
            "[default: the devnet's --endorsement-policy]"
        ),
    ] = None,
    data_dir: DataDir = None,
) -> None:
    """Define (or upgrade) a chaincode as a service and print its package id.

    A running devnet connects to it at once; otherwise the definition is used on next start.
    A new endorsement policy applies to the blocks after the upgrade."""
    config = _load(_data_dir(ctx, data_dir))
    request = {
        "op": "deploy",
        "name": name,
        "address": address,
        "version": version,
        "tls_ca": _file(tls_ca),
        "client_cert": _file(client_cert),
        "client_key": _file(client_key),
        "signature_policy": signature_policy,
    }
    files = {"tls_ca": tls_ca, "client_cert": client_cert, "client_key": client_key}
    deadline = time.monotonic() + _STARTING_WAIT
    told = False
    while True:
        try:
            result = call(config.admin_socket, request)
            where = "the running devnet is connecting to it"
            break
        except NotRunning:
            with DataLock(config.lock_file) as lock:
                if lock.acquire():  # no devnet: it will read the definition when it starts
                    result = _define_offline(
                        config, name, address, version, signature_policy, **files
                    )
                    where = "the devnet connects to it when it starts"
                    break
            # a devnet holds the directory but does not answer yet: it is starting
            if time.monotonic() > deadline:
                raise _fail(
                    f"a devnet holds {config.data_dir} but its admin socket does not answer"
                ) from None
            if not told:
                typer.echo(f"waiting for the devnet starting in {config.data_dir}…", err=True)
                told = True
            time.sleep(0.1)
        except DevnetError as exc:
            raise _fail(str(exc)) from exc
    verb = "defined" if result["changed"] else "unchanged"
    typer.echo(
        f"chaincode {name} {verb}: version {result['version']}, sequence {result['sequence']}; "
        f"{where}",
        err=True,
    )
    typer.echo(result["package_id"])


@chaincode_app.command("list")
def chaincode_list(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
    data_dir: DataDir = None,
) -> None:
    """The defined chaincodes (with their connection state when the devnet runs)."""
    config = _load(_data_dir(ctx, data_dir))
    try:
        chaincodes: list[dict[str, Any]] = call(config.admin_socket, {"op": "list"})["chaincodes"]
    except NotRunning:
        chaincodes = [d.to_json() for d in _registry(config).definitions]
    except DevnetError as exc:
        raise _fail(str(exc)) from exc
    if as_json:
        typer.echo(json.dumps(chaincodes, indent=2))
        return
    for c in chaincodes:
        state = {True: "ready", False: "not connected", None: "stopped"}[c.get("ready")]
        policy = c.get("endorsement_policy") or f"{config.endorsement_policy} (default)"
        typer.echo(
            f"{c['name']}  version {c['version']}  sequence {c['sequence']}  {c['address']}  "
            f"{c['package_id']}  {state}  policy {policy}"
        )


@devnet_app.command()
def verify(ctx: typer.Context, data_dir: DataDir = None) -> None:
    """Re-check the whole chain: hashes, every signature, validation codes, world state."""
    config = _load(_data_dir(ctx, data_dir))
    if not config.ledger_file.exists():
        raise _fail(f"no ledger in {config.data_dir}")
    pki = _pki(config)
    policies = _policies(config, _registry(config))
    try:
        store = LedgerStore.open(config.ledger_file)
    except LedgerError as exc:
        raise _fail(str(exc)) from exc
    try:
        summary = verify_chain(
            store,
            msps=MspManager(pki.msp_configs()),
            policies=policies.at,
        )
    finally:
        store.close()
    typer.echo(json.dumps(summary.as_dict(), indent=2))
    if not summary.ok:
        raise typer.Exit(1)
