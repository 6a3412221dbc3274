"""Signed read requests as clients build them, with a way to spoil each part: the envelope of a
Deliver seek, and the signed requests of the Gateway's CommitStatus and ChaincodeEvents."""

from __future__ import annotations

import time

import grpc
from fabric_protos.common import common_pb2
from fabric_protos.gateway import gateway_pb2
from fabric_protos.orderer import ab_pb2
from google.protobuf.timestamp_pb2 import Timestamp

from provena.devnet.identity import SigningIdentity

__all__ = [
    "NEWEST",
    "NEXT_COMMIT",
    "OLDEST",
    "chaincode_events_request",
    "commit_status_request",
    "rpc_error",
    "seek_envelope",
    "specified",
]

OLDEST = ab_pb2.SeekPosition(oldest=ab_pb2.SeekOldest())
NEWEST = ab_pb2.SeekPosition(newest=ab_pb2.SeekNewest())
NEXT_COMMIT = ab_pb2.SeekPosition(next_commit=ab_pb2.SeekNextCommit())


def specified(number: int) -> ab_pb2.SeekPosition:
    return ab_pb2.SeekPosition(specified=ab_pb2.SeekSpecified(number=number))


def seek_envelope(
    signer: SigningIdentity,
    channel: str,
    start: ab_pb2.SeekPosition | None,
    stop: ab_pb2.SeekPosition | None,
    *,
    behavior: int = ab_pb2.SeekInfo.BLOCK_UNTIL_READY,
    content_type: int = ab_pb2.SeekInfo.BLOCK,
    sent: float | None = None,
    creator: bytes | None = None,
    signed_by: SigningIdentity | None = None,
) -> common_pb2.Envelope:
    """A DELIVER_SEEK_INFO envelope sent at `sent` (default now) by `creator` (default the
    signer's identity), signed by `signed_by` (default the signer)."""
    channel_header = common_pb2.ChannelHeader(
        type=common_pb2.DELIVER_SEEK_INFO, channel_id=channel, timestamp=_timestamp(sent)
    )
    seek = ab_pb2.SeekInfo(behavior=behavior, content_type=content_type)
    if start is not None:
        seek.start.CopyFrom(start)
    if stop is not None:
        seek.stop.CopyFrom(stop)
    payload = common_pb2.Payload(
        header=common_pb2.Header(
            channel_header=channel_header.SerializeToString(),
            signature_header=common_pb2.SignatureHeader(
                creator=signer.serialized() if creator is None else creator, nonce=b"n" * 24
            ).SerializeToString(),
        ),
        data=seek.SerializeToString(),
    ).SerializeToString()
    return common_pb2.Envelope(payload=payload, signature=(signed_by or signer).sign(payload))


def _timestamp(sent: float | None) -> Timestamp:
    timestamp = Timestamp()
    timestamp.FromNanoseconds(int((time.time() if sent is None else sent) * 1e9))
    return timestamp


def commit_status_request(
    signer: SigningIdentity,
    channel: str,
    transaction_id: str,
    *,
    identity: bytes | None = None,
    signed_by: SigningIdentity | None = None,
) -> gateway_pb2.SignedCommitStatusRequest:
    """A commit status request naming `identity` (default the signer's), signed by
    `signed_by` (default the signer)."""
    request = gateway_pb2.CommitStatusRequest(
        channel_id=channel,
        transaction_id=transaction_id,
        identity=signer.serialized() if identity is None else identity,
    ).SerializeToString()
    return gateway_pb2.SignedCommitStatusRequest(
        request=request, signature=(signed_by or signer).sign(request)
    )


def chaincode_events_request(
    signer: SigningIdentity,
    channel: str,
    chaincode: str,
    *,
    start: ab_pb2.SeekPosition | None = None,
    after_transaction_id: str = "",
    signed_by: SigningIdentity | None = None,
) -> gateway_pb2.SignedChaincodeEventsRequest:
    request = gateway_pb2.ChaincodeEventsRequest(
        channel_id=channel,
        chaincode_id=chaincode,
        identity=signer.serialized(),
        after_transaction_id=after_transaction_id,
    )
    if start is not None:
        request.start_position.CopyFrom(start)
    data = request.SerializeToString()
    return gateway_pb2.SignedChaincodeEventsRequest(
        request=data, signature=(signed_by or signer).sign(data)
    )


def rpc_error(error: BaseException) -> tuple[grpc.StatusCode, str]:
    """The status code and message of a failed gRPC call."""
    assert isinstance(error, grpc.aio.AioRpcError)
    return error.code(), error.details() or ""
