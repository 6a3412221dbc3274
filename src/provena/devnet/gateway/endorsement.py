"""Choosing endorsers, collecting their responses, and assembling the prepared transaction.

As a Fabric gateway: the first endorser is the client's own organization (when it has a peer),
so transient data stays in the organization where possible; the rest of the plan comes from
the chaincode's endorsement policy and runs concurrently. Every response must carry the same
`ProposalResponsePayload`, or the endorsements could not be valid together.

    Payload(header = proposal header,
            data   = Transaction([TransactionAction(header = signature header,
                       payload = ChaincodeActionPayload(
                         chaincode_proposal_payload = proposal payload without TransientMap,
                         action = ChaincodeEndorsedAction(response payload, endorsements)))]))
"""

# A timeout here bounds one endorser's work on the server side, applied with asyncio.timeout.
# ruff: noqa: ASYNC109

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

import grpc
from fabric_protos.common import common_pb2
from fabric_protos.gateway import gateway_pb2
from fabric_protos.peer import proposal_pb2, proposal_response_pb2, transaction_pb2

from provena.devnet.gateway.proposals import UnpackedProposal
from provena.devnet.gateway.rpcerror import RpcError, error_detail
from provena.devnet.gateway.services import Endorser, NetworkServices

__all__ = ["Endorsement", "endorse", "evaluate", "prepare_transaction"]


@dataclass(frozen=True, slots=True)
class Endorsement:
    msp_id: str
    response: proposal_response_pb2.ProposalResponse


@dataclass(frozen=True, slots=True)
class Failure:
    """An endorser's failed answer: the gRPC code, the detail, and whether Fabric's gateway
    goes on to another peer after it (`retry`)."""

    code: grpc.StatusCode
    detail: gateway_pb2.ErrorDetail
    retry: bool


def _failure(
    response: proposal_response_pb2.ProposalResponse,
) -> tuple[grpc.StatusCode, str, bool] | None:
    """The gRPC code, message and retry for an unsuccessful proposal response, None on success.

    A 500 without payload means the peer could not run the proposal at all (Aborted, another
    peer may); a chaincode error response carries a payload and is the chaincode's answer
    (Unknown, final).
    """
    status = response.response.status
    if 200 <= status < 400:
        return None
    if not response.payload and status == 500:
        return grpc.StatusCode.ABORTED, response.response.message, True
    return (
        grpc.StatusCode.UNKNOWN,
        f"chaincode response {status}, {response.response.message}",
        False,
    )


def _local_org(services: NetworkServices, proposal: UnpackedProposal) -> str | None:
    """The gateway's own organization: each client is served as by its organization's peer."""
    return proposal.creator_msp_id if services.endorser(proposal.creator_msp_id) else None


async def _process(
    services: NetworkServices,
    msp_id: str,
    endorser: Endorser,
    signed: proposal_pb2.SignedProposal,
    timeout: float,
    *,
    local: bool,
) -> Endorsement | Failure:
    """One endorser's answer, classified as Fabric's gateway does (`responseStatus`).

    A refusal that came with a 500 answer is the client's fault (FAILED_PRECONDITION) when the
    gateway's own peer gave it. Over gRPC only the error travels, so a remote peer's refusal,
    like a filter's that answers nothing, reads as a peer that is unavailable.
    """
    try:
        async with asyncio.timeout(timeout):
            response = await endorser.process(signed)
    except TimeoutError:
        detail = error_detail(services.endpoint, msp_id, "endorsement timeout expired")
        return Failure(grpc.StatusCode.UNAVAILABLE, detail, retry=True)
    except ValueError as exc:  # refused (services.Endorser): with or without a 500 answer
        if local and getattr(exc, "answered", True):
            detail = error_detail(services.endpoint, msp_id, str(exc))
            return Failure(grpc.StatusCode.FAILED_PRECONDITION, detail, retry=False)
        message = str(exc) if local else f"rpc error: code = Unknown desc = {exc}"
        detail = error_detail(services.endpoint, msp_id, message)
        return Failure(grpc.StatusCode.UNAVAILABLE, detail, retry=True)
    failure = _failure(response)
    if failure is not None:
        code, message, retry = failure
        return Failure(code, error_detail(services.endpoint, msp_id, message), retry)
    return Endorsement(msp_id, response)


def _endorser(services: NetworkServices, msp_id: str) -> Endorser:
    endorser = services.endorser(msp_id)
    if endorser is None:  # pragma: no cover - the plans only hold organizations with peers
        raise AssertionError(f"{msp_id} has no peer")
    return endorser


def _evaluators(
    services: NetworkServices,
    proposal: UnpackedProposal,
    target_orgs: Sequence[str],
    local: str | None,
) -> list[str]:
    """Fabric's evaluator plan: the peers running the chaincode in the target organizations
    (any, when none are named), the gateway's own organization (`local`) first."""
    peers = services.endorsing_peers(proposal.chaincode)
    orgs = [org for org in (target_orgs or peers) if org in peers]
    orgs.sort(key=lambda org: org != local)
    if not orgs:
        raise RpcError(
            grpc.StatusCode.FAILED_PRECONDITION,
            f"no peers available to evaluate chaincode {proposal.chaincode} "
            f"in channel {proposal.channel}",
        )
    return orgs


async def evaluate(
    services: NetworkServices,
    proposal: UnpackedProposal,
    signed: proposal_pb2.SignedProposal,
    target_orgs: Sequence[str],
    timeout: float,
) -> proposal_response_pb2.ProposalResponse:
    """Run the proposal on one peer, trying the next while the failures say another may do."""
    if proposal.channel != services.channel:
        raise RpcError(
            grpc.StatusCode.UNAVAILABLE,
            f"failed to get config for channel [{proposal.channel}]: "
            f"could not get last config for channel {proposal.channel}",
        )
    local = _local_org(services, proposal)
    details: list[gateway_pb2.ErrorDetail] = []
    code = grpc.StatusCode.UNAVAILABLE
    for msp_id in _evaluators(services, proposal, target_orgs, local):
        outcome = await _process(
            services, msp_id, _endorser(services, msp_id), signed, timeout, local=msp_id == local
        )
        if isinstance(outcome, Endorsement):
            return _with_result(outcome.response)
        details.append(outcome.detail)
        code = outcome.code
        if not outcome.retry:
            message = f"evaluate call to endorser returned error: {outcome.detail.message}"
            raise RpcError(code, message, details)
    raise RpcError(
        code, "failed to evaluate transaction, see attached details for more info", details
    )


def _with_result(
    endorsed: proposal_response_pb2.ProposalResponse,
) -> proposal_response_pb2.ProposalResponse:
    """The response with the transaction's result as its payload, as a gateway returns it."""
    response = proposal_response_pb2.ProposalResponse()
    response.CopyFrom(endorsed)
    payload = proposal_response_pb2.ProposalResponsePayload.FromString(response.payload)
    action = proposal_pb2.ChaincodeAction.FromString(payload.extension)
    response.response.payload = action.response.payload
    return response


async def _collect(
    services: NetworkServices,
    orgs: Sequence[str],
    signed: proposal_pb2.SignedProposal,
    timeout: float,
    local: str | None,
) -> tuple[list[Endorsement], list[Failure]]:
    outcomes = await asyncio.gather(
        *(
            _process(services, org, _endorser(services, org), signed, timeout, local=org == local)
            for org in orgs
        )
    )
    endorsements = [o for o in outcomes if isinstance(o, Endorsement)]
    failures = [o for o in outcomes if isinstance(o, Failure)]
    return endorsements, failures


async def endorse(
    services: NetworkServices,
    proposal: UnpackedProposal,
    signed: proposal_pb2.SignedProposal,
    endorsing_orgs: Sequence[str],
    timeout: float,
) -> list[Endorsement]:
    """Endorsements from `endorsing_orgs`, or from a set chosen by the chaincode's policy."""
    known = proposal.channel == services.channel
    peers = services.endorsing_peers(proposal.chaincode) if known else ()
    local = _local_org(services, proposal)
    if endorsing_orgs:
        missing = [org for org in endorsing_orgs if org not in peers]
        if missing:
            raise RpcError(
                grpc.StatusCode.UNAVAILABLE,
                f"failed to find any endorsing peers for org(s): {', '.join(missing)}",
            )
        endorsements, failures = await _collect(services, endorsing_orgs, signed, timeout, local)
    else:
        if not peers:  # discovery knows no such chaincode (or channel)
            raise RpcError(
                grpc.StatusCode.FAILED_PRECONDITION,
                "no combination of peers can be derived which satisfy the endorsement policy: "
                f"No metadata was found for chaincode {proposal.chaincode} "
                f"in channel {proposal.channel}",
            )
        # The first endorser: the gateway's own organization's peer, else the policy's choice.
        first = local if local is not None else services.endorsing_orgs(proposal.chaincode)[0]
        endorsements, failures = await _collect(services, [first], signed, timeout, local)
        if failures:
            raise RpcError(
                grpc.StatusCode.ABORTED,
                "failed to endorse transaction, see attached details for more info",
                [failure.detail for failure in failures],
            )
        plan = services.endorsing_orgs(proposal.chaincode, preferred=[first])
        rest = [org for org in plan if org != first]
        more, failures = await _collect(services, rest, signed, timeout, local)
        endorsements += more
    details = [failure.detail for failure in failures]
    reference = endorsements[0].response.payload if endorsements else b""
    for endorsement in endorsements[1:]:
        if endorsement.response.payload != reference:
            details.append(
                error_detail(
                    services.endpoint,
                    endorsement.msp_id,
                    "ProposalResponsePayloads do not match",
                )
            )
    if details:
        raise RpcError(
            grpc.StatusCode.ABORTED,
            "failed to collect enough transaction endorsements, see attached details for more info",
            details,
        )
    return endorsements


def prepare_transaction(
    proposal: UnpackedProposal, endorsements: Sequence[Endorsement]
) -> common_pb2.Envelope:
    """The unsigned transaction envelope the client signs and submits."""
    unique: dict[bytes, proposal_response_pb2.Endorsement] = {}
    for endorsement in endorsements:
        unique.setdefault(
            endorsement.response.endorsement.endorser, endorsement.response.endorsement
        )
    action_payload = transaction_pb2.ChaincodeActionPayload(
        chaincode_proposal_payload=proposal_pb2.ChaincodeProposalPayload(
            input=proposal.payload.input
        ).SerializeToString(),
        action=transaction_pb2.ChaincodeEndorsedAction(
            proposal_response_payload=endorsements[0].response.payload,
            endorsements=list(unique.values()),
        ),
    )
    transaction = transaction_pb2.Transaction(
        actions=[
            transaction_pb2.TransactionAction(
                header=proposal.header.signature_header,
                payload=action_payload.SerializeToString(),
            )
        ]
    )
    payload = common_pb2.Payload(header=proposal.header, data=transaction.SerializeToString())
    return common_pb2.Envelope(payload=payload.SerializeToString())
