"""Block 0: the channel's genesis config block, as configtxgen would shape it.

    Envelope(CONFIG, ConfigEnvelope(Config(channel_group)))
      Channel     values: HashingAlgorithm SHA256, BlockDataHashingStructure, Capabilities
                  policies: Readers/Writers ANY, Admins MAJORITY (implicit meta)
        Application  groups: one per organization  values: Capabilities
        Orderer      groups: the orderer organization  values: BatchSize, BatchTimeout,
                                                               ConsensusType
          <Org>   values: MSP (FabricMSPConfig, NodeOUs)
                  policies: Readers/Writers (member), Admins (admin), Endorsement (peer)

The devnet never updates its configuration, so this block is all the config the chain
holds; it records the MSPs that `verify` and other tools can rebuild the channel from.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from fabric_protos.common import (
    common_pb2,
    configtx_pb2,
    configuration_pb2,
    policies_pb2,
)
from fabric_protos.msp import msp_config_pb2, msp_principal_pb2
from fabric_protos.orderer import configuration_pb2 as orderer_config_pb2
from fabric_protos.peer import transaction_pb2

from provena.devnet.ledger.blocks import new_block, sign_block
from provena.devnet.ledger.seams import Signer
from provena.devnet.ledger.store import TxRecord
from provena.devnet.ledger.transaction import tx_id_for

__all__ = ["OrgMsp", "genesis_block", "genesis_record"]

_ROLE = msp_principal_pb2.MSPRole


@dataclass(frozen=True, slots=True)
class OrgMsp:
    """An organization's MSP as the channel config records it (PEM certificates)."""

    msp_id: str
    root_certs: Sequence[bytes]
    tls_root_certs: Sequence[bytes] = field(default_factory=tuple)
    orderer: bool = False


def _value(message: object, mod_policy: str = "Admins") -> configtx_pb2.ConfigValue:
    return configtx_pb2.ConfigValue(
        value=message.SerializeToString(),  # type: ignore[attr-defined]
        mod_policy=mod_policy,
    )


def _implicit(sub_policy: str, rule: int) -> configtx_pb2.ConfigPolicy:
    meta = policies_pb2.ImplicitMetaPolicy(sub_policy=sub_policy, rule=rule)
    return configtx_pb2.ConfigPolicy(
        policy=policies_pb2.Policy(
            type=policies_pb2.Policy.IMPLICIT_META, value=meta.SerializeToString()
        ),
        mod_policy="Admins",
    )


def _signed_by(msp_id: str, role: int) -> configtx_pb2.ConfigPolicy:
    principal = msp_principal_pb2.MSPPrincipal(
        principal_classification=msp_principal_pb2.MSPPrincipal.ROLE,
        principal=_ROLE(msp_identifier=msp_id, role=role).SerializeToString(),
    )
    envelope = policies_pb2.SignaturePolicyEnvelope(
        version=0, rule=policies_pb2.SignaturePolicy(signed_by=0), identities=[principal]
    )
    return configtx_pb2.ConfigPolicy(
        policy=policies_pb2.Policy(
            type=policies_pb2.Policy.SIGNATURE, value=envelope.SerializeToString()
        ),
        mod_policy="Admins",
    )


def _standard_policies(group: configtx_pb2.ConfigGroup) -> None:
    group.policies["Readers"].CopyFrom(_implicit("Readers", policies_pb2.ImplicitMetaPolicy.ANY))
    group.policies["Writers"].CopyFrom(_implicit("Writers", policies_pb2.ImplicitMetaPolicy.ANY))
    group.policies["Admins"].CopyFrom(_implicit("Admins", policies_pb2.ImplicitMetaPolicy.MAJORITY))
    group.mod_policy = "Admins"


def _org_group(org: OrgMsp) -> configtx_pb2.ConfigGroup:
    root = org.root_certs[0]
    ous = msp_config_pb2.FabricNodeOUs(enable=True)
    for slot, ou in (
        (ous.client_ou_identifier, "client"),
        (ous.peer_ou_identifier, "peer"),
        (ous.admin_ou_identifier, "admin"),
        (ous.orderer_ou_identifier, "orderer"),
    ):
        slot.certificate = root
        slot.organizational_unit_identifier = ou
    fabric = msp_config_pb2.FabricMSPConfig(
        name=org.msp_id,
        root_certs=list(org.root_certs),
        tls_root_certs=list(org.tls_root_certs),
        crypto_config=msp_config_pb2.FabricCryptoConfig(
            signature_hash_family="SHA2", identity_identifier_hash_function="SHA256"
        ),
        fabric_node_ous=ous,
    )
    group = configtx_pb2.ConfigGroup(mod_policy="Admins")
    group.values["MSP"].CopyFrom(
        _value(msp_config_pb2.MSPConfig(type=0, config=fabric.SerializeToString()))
    )
    member = _ROLE.ORDERER if org.orderer else _ROLE.MEMBER
    group.policies["Readers"].CopyFrom(_signed_by(org.msp_id, member))
    group.policies["Writers"].CopyFrom(_signed_by(org.msp_id, member))
    group.policies["Admins"].CopyFrom(_signed_by(org.msp_id, _ROLE.ADMIN))
    if not org.orderer:
        group.policies["Endorsement"].CopyFrom(_signed_by(org.msp_id, _ROLE.PEER))
    return group


def _duration(seconds: float) -> str:
    """A Go duration, as Fabric's channel config writes it: whole milliseconds as "2ms",
    anything finer in microseconds ("500us")."""
    micros = round(seconds * 1_000_000)
    return f"{micros // 1000}ms" if micros % 1000 == 0 else f"{micros}us"


def _config(orgs: Sequence[OrgMsp], batch_size: int, batch_timeout: float) -> configtx_pb2.Config:
    channel = configtx_pb2.ConfigGroup()
    _standard_policies(channel)
    channel.values["HashingAlgorithm"].CopyFrom(
        _value(configuration_pb2.HashingAlgorithm(name="SHA256"))
    )
    channel.values["BlockDataHashingStructure"].CopyFrom(
        _value(configuration_pb2.BlockDataHashingStructure(width=0xFFFFFFFF))
    )
    channel.values["Capabilities"].CopyFrom(
        _value(
            configuration_pb2.Capabilities(capabilities={"V2_0": configuration_pb2.Capability()})
        )
    )
    application = channel.groups["Application"]
    _standard_policies(application)
    application.values["Capabilities"].CopyFrom(
        _value(
            configuration_pb2.Capabilities(capabilities={"V2_5": configuration_pb2.Capability()})
        )
    )
    orderer = channel.groups["Orderer"]
    _standard_policies(orderer)
    orderer.values["BatchSize"].CopyFrom(
        _value(
            orderer_config_pb2.BatchSize(
                max_message_count=batch_size,
                absolute_max_bytes=100 * 1024 * 1024,
                preferred_max_bytes=2 * 1024 * 1024,
            )
        )
    )
    orderer.values["BatchTimeout"].CopyFrom(
        _value(orderer_config_pb2.BatchTimeout(timeout=_duration(batch_timeout)))
    )
    orderer.values["ConsensusType"].CopyFrom(_value(orderer_config_pb2.ConsensusType(type="solo")))
    for org in orgs:
        parent = orderer if org.orderer else application
        parent.groups[org.msp_id].CopyFrom(_org_group(org))
    return configtx_pb2.Config(sequence=0, channel_group=channel)


def genesis_block(
    *,
    channel: str,
    orgs: Sequence[OrgMsp],
    orderer: Signer,
    batch_size: int,
    batch_timeout: float,
) -> common_pb2.Block:
    """A signed block 0 holding the channel's config envelope."""
    creator = orderer.serialized()
    nonce = os.urandom(24)
    now = time.time_ns()
    channel_header = common_pb2.ChannelHeader(
        type=common_pb2.CONFIG, channel_id=channel, tx_id=tx_id_for(nonce, creator), epoch=0
    )
    channel_header.timestamp.FromNanoseconds(now)
    payload = common_pb2.Payload(
        header=common_pb2.Header(
            channel_header=channel_header.SerializeToString(),
            signature_header=common_pb2.SignatureHeader(
                creator=creator, nonce=nonce
            ).SerializeToString(),
        ),
        data=configtx_pb2.ConfigEnvelope(
            config=_config(orgs, batch_size, batch_timeout)
        ).SerializeToString(),
    ).SerializeToString()
    envelope = common_pb2.Envelope(payload=payload, signature=orderer.sign(payload))
    block = new_block(0, b"", [envelope.SerializeToString()])
    sign_block(block, orderer, last_config=0)
    block.metadata.metadata[common_pb2.TRANSACTIONS_FILTER] = bytes([transaction_pb2.VALID])
    return block


def genesis_record(block: common_pb2.Block) -> TxRecord:
    """The genesis block's one transaction outcome, to commit it with."""
    envelope = common_pb2.Envelope.FromString(block.data.data[0])
    payload = common_pb2.Payload.FromString(envelope.payload)
    header = common_pb2.ChannelHeader.FromString(payload.header.channel_header)
    return TxRecord(header.tx_id, int(transaction_pb2.VALID), header.timestamp)
