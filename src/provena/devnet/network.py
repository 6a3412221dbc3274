"""`Devnet`: a whole Fabric network for one channel, in one process, behind one gRPC listener.

::

    Devnet.start(config)
      ├── Pki            <data>/organizations (created on first start)
      ├── MspManager     the orgs' and the orderer's CAs, NodeOUs
      ├── Policies       each chaincode's own (deploy --signature-policy), else the
      │                  channel's default (--endorsement-policy)
      ├── LedgerStore    <data>/ledger/<channel>.sqlite (genesis block on first start)
      ├── Orderer ─► Validator ─► store ─► CommitNotifier
      ├── Endorser per org (its peer0 signs)
      ├── Launcher per org: each peer its own chaincode connection, as in Fabric, so one
      │                     transaction can run on several orgs' peers at once
      │                     (definitions re-deployed on start)
      ├── grpc.aio server: gateway.Gateway + protos.Deliver (TLS by the gateway peer's TLS CA)
      ├── FabricCaServer every org's CA over the Fabric CA REST protocol (same TLS); what it
      │                  revokes, the MspManager refuses
      ├── AdminServer    <data>/admin.sock (chaincode deploy/list while running)
      └── DataLock       <data>/devnet.lock, held from start to close: one devnet per directory

`Devnet` is the `NetworkServices` the gateway and deliver services are written against.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import grpc

from provena.devnet.admin import AdminServer
from provena.devnet.chaincode import ChaincodeDefinition, Launcher
from provena.devnet.chaincodes import ChaincodePolicies, ChaincodeRegistry
from provena.devnet.config import DevnetConfig
from provena.devnet.datalock import DataLock
from provena.devnet.endorser import Endorser
from provena.devnet.errors import ConfigError
from provena.devnet.fabricca import CaStore, FabricCaServer
from provena.devnet.gateway import add_gateway_services
from provena.devnet.ledger import LedgerStore, OrgMsp, Validator, genesis_block, genesis_record
from provena.devnet.msp import MspManager
from provena.devnet.notifier import CommitNotifier
from provena.devnet.orderer import Orderer
from provena.devnet.pki import Pki
from provena.devnet.policy import Policy

__all__ = ["Devnet"]

_log = logging.getLogger(__name__)
_MAX_MESSAGE = 100 * 1024 * 1024  # a Fabric peer's default
_STOP_GRACE = 1.0
_LOCK_WAIT = 2.0


@dataclass(frozen=True, slots=True)
class _Parts:
    pki: Pki
    msp: MspManager
    policies: ChaincodePolicies
    store: LedgerStore
    notifier: CommitNotifier
    orderer: Orderer
    endorsers: dict[str, Endorser]
    registry: ChaincodeRegistry
    ca_store: CaStore


class Devnet:
    """A running devnet. Build it with `start`, stop it with `aclose`."""

    def __init__(self, config: DevnetConfig) -> None:
        self._config = config
        self._launchers: dict[str, Launcher] = {}
        self._parts: _Parts | None = None
        self._server: Any = None
        self._admin: AdminServer | None = None
        self._ca: FabricCaServer | None = None
        self._lock = DataLock(config.lock_file)

    @classmethod
    async def start(cls, config: DevnetConfig) -> Devnet:
        """Create or reopen everything under `config.data_dir` and start serving; the
        configuration (with the port actually bound) is recorded for the other commands."""
        devnet = cls(config)
        try:
            await devnet._start()
        except BaseException:
            await devnet.aclose()
            raise
        return devnet

    async def _start(self) -> None:
        config = self._config
        config.data_dir.mkdir(parents=True, exist_ok=True)
        # a moment's wait: `chaincode deploy` holds the lock while it writes with no devnet up
        if not await asyncio.to_thread(self._lock.acquire, _LOCK_WAIT):
            raise ConfigError(f"another devnet is running with data directory {config.data_dir}")
        pki = Pki.load_or_create(config.organizations_dir, config.orgs, config.users)
        ca_store = CaStore.open(config.ca_dir / "ca.sqlite")
        msp = MspManager(pki.msp_configs(), revoked=ca_store.is_revoked)
        default = Policy.parse(config.endorsement_policy, pki.msp_ids)
        default.endorsing_orgs()  # an unsatisfiable policy is refused before anything runs
        registry = ChaincodeRegistry(config.chaincodes_file)
        policies = ChaincodePolicies(registry, default)
        config.ledger_file.parent.mkdir(parents=True, exist_ok=True)
        store = LedgerStore.open(config.ledger_file)
        orderer_signer = pki.orderer_signer()
        if store.height == 0:
            block = genesis_block(
                channel=config.channel,
                orgs=self._channel_orgs(pki),
                orderer=orderer_signer,
                batch_size=config.batch_size,
                batch_timeout=config.batch_timeout,
            )
            store.commit(block, [genesis_record(block)])
        notifier = CommitNotifier(store)
        validator = Validator(channel=config.channel, store=store, msps=msp, policies=policies.at)
        orderer = Orderer(
            channel=config.channel,
            store=store,
            validator=validator,
            notifier=notifier,
            signer=orderer_signer,
            msps=msp,
            batch_size=config.batch_size,
            batch_timeout=config.batch_timeout,
        )
        endorsers = {
            msp_id: Endorser(
                channel=config.channel,
                signer=pki.signer(msp_id),
                store=store,
                msps=msp,
                launcher=self._launchers.setdefault(msp_id, Launcher()),
                chaincode_version=self._version,
            )
            for msp_id in pki.msp_ids
        }
        self._parts = _Parts(
            pki, msp, policies, store, notifier, orderer, endorsers, registry, ca_store
        )
        for definition in registry.definitions:
            await self._deploy(definition)
        await self._serve(pki)
        self._ca = await FabricCaServer.start(
            pki,
            ca_store,
            registrars=self._config.ca_dir / "registrars",
            host=config.ca_host,
            port=config.ca_listen_port,
            tls=config.tls,
        )
        self._config = replace(self._config, ca_port=int(self._ca.url.rsplit(":", 1)[1]))
        self._admin = await AdminServer.start(config.admin_socket, self._admin_request)
        self._config.save()

    @staticmethod
    def _channel_orgs(pki: Pki) -> list[OrgMsp]:
        orgs = []
        for msp_id in (*pki.msp_ids, pki.orderer_msp_id):
            ca, tlsca = pki.root_certificates(msp_id)
            orgs.append(OrgMsp(msp_id, (ca,), (tlsca,), orderer=msp_id == pki.orderer_msp_id))
        return orgs

    async def _serve(self, pki: Pki) -> None:
        config = self._config
        self._server = grpc.aio.server(
            options=[
                ("grpc.max_receive_message_length", _MAX_MESSAGE),
                ("grpc.max_send_message_length", _MAX_MESSAGE),
            ]
        )
        add_gateway_services(self._server, self)
        host = f"[{config.host}]" if ":" in config.host else config.host
        address = f"{host}:{config.port}"
        try:
            if config.tls:
                credentials = grpc.ssl_server_credentials(
                    pki.tls_server_pairs(config.host),  # each organization's peer, by SNI
                    root_certificates=pki.tls_client_roots() if config.client_auth else None,
                    require_client_auth=config.client_auth,
                )
                port = self._server.add_secure_port(address, credentials)
            else:
                port = self._server.add_insecure_port(address)
        except RuntimeError:  # grpc's words for a port in use or an address not here
            port = 0
        if port == 0:
            raise ConfigError(f"cannot listen on {address}: in use, or not an address of this host")
        await self._server.start()
        self._config = replace(config, port=port)

    async def aclose(self) -> None:
        """Stop serving, write what the orderer holds, close the ledger."""
        if self._admin is not None:
            await self._admin.aclose()
            self._admin = None
        if self._ca is not None:
            await self._ca.aclose()
            self._ca = None
        if self._server is not None:
            await self._server.stop(_STOP_GRACE)
            self._server = None
        for launcher in self._launchers.values():
            await launcher.close()
        if self._parts is not None:
            await self._parts.orderer.aclose()
            self._parts.store.close()
            self._parts.ca_store.close()
            self._parts = None
        self._lock.release()

    async def wait_closed(self) -> None:
        """Serve until the gRPC server terminates."""
        if self._server is not None:
            await self._server.wait_for_termination()

    @property
    def config(self) -> DevnetConfig:
        """The configuration in effect (with the port actually bound)."""
        return self._config

    @property
    def _running(self) -> _Parts:
        if self._parts is None:
            raise RuntimeError("the devnet is not running")
        return self._parts

    # NetworkServices

    @property
    def channel(self) -> str:
        return self._config.channel

    @property
    def endpoint(self) -> str:
        return self._config.endpoint

    @property
    def msp(self) -> MspManager:
        return self._running.msp

    @property
    def orderer(self) -> Orderer:
        return self._running.orderer

    @property
    def notifier(self) -> CommitNotifier:
        return self._running.notifier

    @property
    def store(self) -> LedgerStore:
        return self._running.store

    @property
    def pki(self) -> Pki:
        return self._running.pki

    def endorser(self, msp_id: str) -> Endorser | None:
        return self._running.endorsers.get(msp_id)

    def endorsing_peers(self, chaincode: str) -> Sequence[str]:
        defined = self._running.registry.get(chaincode) is not None
        return list(self._running.endorsers) if defined else []

    def endorsing_orgs(self, chaincode: str, preferred: Sequence[str] = ()) -> Sequence[str]:
        policy = self._running.policies.current(chaincode)
        if policy is None:
            raise LookupError(f"chaincode {chaincode} is not defined on channel {self.channel}")
        return policy.endorsing_orgs(preferred)

    # definitions

    def _version(self, chaincode: str) -> str | None:
        definition = self._running.registry.get(chaincode)
        return definition.version if definition else None

    @property
    def definitions(self) -> list[ChaincodeDefinition]:
        return self._running.registry.definitions

    async def define_chaincode(
        self,
        name: str,
        address: str,
        *,
        version: str | None = None,
        tls_ca: Path | None = None,
        client_cert: Path | None = None,
        client_key: Path | None = None,
        endorsement_policy: str | None = None,
    ) -> tuple[ChaincodeDefinition, bool]:
        """Define or upgrade a chaincode and connect to it; returns (definition, changed).

        `endorsement_policy` is a signature policy (None: the channel's default); it applies
        from the next block on, and a policy that names another organization or that no set
        of the channel's peers can satisfy is refused (PolicyError)."""
        parts = self._running
        parts.policies.check(endorsement_policy)  # None is the channel's default
        definition, changed = parts.registry.define(
            name,
            address,
            version=version,
            tls_ca=tls_ca,
            client_cert=client_cert,
            client_key=client_key,
            endorsement_policy=endorsement_policy,
            from_block=parts.store.height,
        )
        if changed:
            await self._deploy(definition)
            _log.info("chaincode %s defined: sequence %d, %s", name, definition.sequence, address)
        return definition, changed

    def chaincode_ready(self, name: str) -> bool:
        """Whether every organization's peer is connected to chaincode `name`."""
        definition = self._running.registry.get(name)
        return definition is not None and bool(self._chaincode_status(definition).get("ready"))

    async def _deploy(self, definition: ChaincodeDefinition) -> None:
        for launcher in self._launchers.values():
            await launcher.deploy(definition)

    def _chaincode_status(self, definition: ChaincodeDefinition) -> dict[str, Any]:
        """The definition, ready when every org's peer is connected to it."""
        statuses = [
            launcher.status()[definition.name]
            for launcher in self._launchers.values()
            if definition.name in launcher.status()
        ]
        if not statuses:
            return definition.to_json()
        errors = [s.last_error for s in statuses if s.last_error]
        return {
            **definition.to_json(),
            "ready": all(s.ready for s in statuses),
            "error": errors[0] if errors else None,
        }

    async def _admin_request(self, request: dict[str, Any]) -> dict[str, Any]:
        op = request.get("op")
        if op == "ping":
            return {"endpoint": self.endpoint, "channel": self.channel}
        if op == "list":
            return {"chaincodes": [self._chaincode_status(d) for d in self.definitions]}
        if op == "deploy":
            paths = {k: Path(request[k]) if request.get(k) else None for k in _TLS_FILES}
            definition, changed = await self.define_chaincode(
                str(request.get("name", "")),
                str(request.get("address", "")),
                version=request.get("version") or None,
                endorsement_policy=request.get("signature_policy") or None,
                **paths,
            )
            return {**definition.to_json(), "changed": changed}
        raise ConfigError(f"unknown admin request {op!r}")


_TLS_FILES = ("tls_ca", "client_cert", "client_key")
