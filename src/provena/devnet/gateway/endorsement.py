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


def _failure(
    response: proposal_response_pb2.ProposalResponse,
) -> tuple[grpc.StatusCode, str] | None:
    """The gRPC code and message for an unsuccessful proposal response, None on success.

    A 500 without payload means the peer could not run the proposal at all (Aborted); a
    chaincode error response carries a payload and is the chaincode's answer (Unknown).
    """
    status = response.response.status
    if 200 <= status < 400:
        return None
    if not response.payload and status == 500:
        return grpc.StatusCode.ABORTED, response.response.message
    return grpc.StatusCode.UNKNOWN, f"chaincode response {status}, {response.response.message}"


async def _process(
    services: NetworkServices,
    msp_id: str,
    endorser: Endorser,
    signed: proposal_pb2.SignedProposal,
    timeout: float,
) -> Endorsement | tuple[grpc.StatusCode, gateway_pb2.ErrorDetail]:
    try:
        async with asyncio.timeout(timeout):
            response = await endorser.process(signed)
    except TimeoutError:
        return grpc.StatusCode.UNAVAILABLE, error_detail(
            services.endpoint, msp_id, "endorsement timeout expired"
        )
    failure = _failure(response)
    if failure is not None:
        code, message = failure
        return code, error_detail(services.endpoint, msp_id, message)
    return Endorsement(msp_id, response)


def _first_org(services: NetworkServices, proposal: UnpackedProposal) -> str:
    if services.endorser(proposal.creator_msp_id) is not None:
        return proposal.creator_msp_id
    try:  # a plan is never empty: an unsatisfiable policy is refused when the network starts
        return services.endorsing_orgs(proposal.chaincode)[0]
    except LookupError as exc:
        raise RpcError(grpc.StatusCode.FAILED_PRECONDITION, str(exc)) from exc


def _endorser(services: NetworkServices, msp_id: str, code: grpc.StatusCode) -> Endorser:
    endorser = services.endorser(msp_id)
    if endorser is None:
        raise RpcError(code, f"failed to find any endorsing peers for org(s): {msp_id}")
    return endorser


async def evaluate(
    services: NetworkServices,
    proposal: UnpackedProposal,
    signed: proposal_pb2.SignedProposal,
    target_orgs: Sequence[str],
    timeout: float,
) -> proposal_response_pb2.ProposalResponse:
    """Run the proposal on one organization's peer: the target, else the client's own."""
    msp_id = target_orgs[0] if target_orgs else _first_org(services, proposal)
    endorser = _endorser(services, msp_id, grpc.StatusCode.FAILED_PRECONDITION)
    outcome = await _process(services, msp_id, endorser, signed, timeout)
    if isinstance(outcome, tuple):
        code, detail = outcome
        if code == grpc.StatusCode.UNKNOWN:  # the chaincode's own error: no point retrying
            message = f"evaluate call to endorser returned error: {detail.message}"
        else:
            message = "failed to evaluate transaction, see attached details for more info"
        raise RpcError(code, message, [detail])
    response = proposal_response_pb2.ProposalResponse()
    response.CopyFrom(outcome.response)
    payload = proposal_response_pb2.ProposalResponsePayload.FromString(response.payload)
    action = proposal_pb2.ChaincodeAction.FromString(payload.extension)
    response.response.payload = action.response.payload
    return response


async def _collect(
    services: NetworkServices,
    orgs: Sequence[str],
    signed: proposal_pb2.SignedProposal,
    timeout: float,
) -> tuple[list[Endorsement], list[tuple[grpc.StatusCode, gateway_pb2.ErrorDetail]]]:
    endorsers = [(org, _endorser(services, org, grpc.StatusCode.UNAVAILABLE)) for org in orgs]
    outcomes = await asyncio.gather(
        *(_process(services, org, endorser, signed, timeout) for org, endorser in endorsers)
    )
    endorsements = [o for o in outcomes if isinstance(o, Endorsement)]
    failures = [o for o in outcomes if isinstance(o, tuple)]
    return endorsements, failures


async def endorse(
    services: NetworkServices,
    proposal: UnpackedProposal,
    signed: proposal_pb2.SignedProposal,
    endorsing_orgs: Sequence[str],
    timeout: float,
) -> list[Endorsement]:
    """Endorsements from `endorsing_orgs`, or from a set chosen by the chaincode's policy."""
    if endorsing_orgs:
        endorsements, failures = await _collect(services, endorsing_orgs, signed, timeout)
    else:
        first = _first_org(services, proposal)
        endorsements, failures = await _collect(services, [first], signed, timeout)
        if failures:
            raise RpcError(
                grpc.StatusCode.ABORTED,
                "failed to endorse transaction, see attached details for more info",
                [detail for _, detail in failures],
            )
        # The first endorser ran the chaincode, so it is defined and has a plan.
        plan = services.endorsing_orgs(proposal.chaincode, preferred=[first])
        rest = [org for org in plan if org != first]
        more, failures = await _collect(services, rest, signed, timeout)
        endorsements += more
    details = [detail for _, detail in failures]
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
