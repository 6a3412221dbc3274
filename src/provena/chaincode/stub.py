"""The chaincode stub: one transaction's view of the ledger and of its own proposal.

Every state call is one request/response exchange with the peer, keyed by (channel, tx id).
The peer serves one request per transaction at a time, so the stub serialises its calls:
``asyncio.gather(stub.get_state(a), stub.get_state(b))`` is safe and simply runs in turn.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from fabric_protos.peer import chaincode_event_pb2, chaincode_pb2, proposal_response_pb2
from fabric_protos.peer import chaincode_shim_pb2 as shim

from provena.chaincode import keys
from provena.chaincode.errors import InvalidKeyError, PeerError, ProtocolError
from provena.chaincode.identity import ClientIdentity
from provena.chaincode.iterators import (
    KV,
    KeyModification,
    PeerCall,
    QueryIterator,
    QueryResponseMetadata,
    decode,
    decode_key_modification,
    decode_kv,
)
from provena.chaincode.proposal import ProposalFacts, parse_creator
from provena.chaincode.response import Response

__all__ = ["ChaincodeStub"]

_Type = shim.ChaincodeMessage


def _check_key(key: str) -> None:
    if not key:
        raise InvalidKeyError("key must not be an empty string")


class ChaincodeStub:
    """State, queries, events and proposal facts of one running transaction."""

    def __init__(
        self,
        *,
        channel_id: str,
        tx_id: str,
        input: Any,
        proposal: ProposalFacts,
        call: PeerCall,
    ) -> None:
        self._channel_id = channel_id
        self._tx_id = tx_id
        self._args: list[bytes] = list(input.args)
        self._decorations: dict[str, bytes] = dict(input.decorations)
        self._is_init: bool = input.is_init
        self._proposal = proposal
        self._call_peer = call
        self._lock = asyncio.Lock()
        self._event: Any = None
        self._identity: ClientIdentity | None = None

    async def _call(self, kind: int, payload: bytes) -> bytes:
        async with self._lock:
            return await self._call_peer(kind, payload)

    # -- the invocation ------------------------------------------------------------------

    @property
    def tx_id(self) -> str:
        return self._tx_id

    @property
    def channel_id(self) -> str:
        return self._channel_id

    def get_args(self) -> list[bytes]:
        return list(self._args)

    def get_string_args(self) -> list[str]:
        return [arg.decode("utf-8") for arg in self._args]

    def get_function_and_parameters(self) -> tuple[str, list[str]]:
        """The first argument as the function name, the rest as text."""
        args = self.get_string_args()
        return (args[0], args[1:]) if args else ("", [])

    @property
    def is_init(self) -> bool:
        return self._is_init

    @property
    def decorations(self) -> Mapping[str, bytes]:
        return dict(self._decorations)

    # -- the proposal --------------------------------------------------------------------

    @property
    def signed_proposal(self) -> Any:
        """The `peer.SignedProposal` this transaction runs for."""
        return self._proposal.signed_proposal

    @property
    def creator(self) -> Any:
        """The submitter as an `msp.SerializedIdentity` (MSP id and PEM certificate)."""
        return parse_creator(self._proposal.creator)

    @property
    def client_identity(self) -> ClientIdentity:
        """The submitter's X.509 identity, decoded on first use."""
        if self._identity is None:
            self._identity = ClientIdentity(self._proposal.creator)
        return self._identity

    @property
    def transient(self) -> Mapping[str, bytes]:
        """Transient data of the proposal: passed to the chaincode, never written to the ledger."""
        return dict(self._proposal.transient)

    @property
    def binding(self) -> bytes:
        """SHA-256(nonce ‖ creator ‖ epoch): ties application data to this proposal."""
        return self._proposal.binding

    def get_tx_timestamp(self) -> datetime:
        """The client's timestamp from the channel header (UTC): the same on every endorser."""
        return self._proposal.timestamp

    # -- world state ---------------------------------------------------------------------

    async def get_state(self, key: str) -> bytes:
        """The value of `key`; empty when it does not exist (Fabric does not tell the two apart)."""
        _check_key(key)
        return await self._call(_Type.GET_STATE, shim.GetState(key=key).SerializeToString())

    async def put_state(self, key: str, value: bytes) -> None:
        _check_key(key)
        if not isinstance(value, bytes | bytearray):
            raise TypeError(f"put_state takes bytes, not {type(value).__name__}")
        request = shim.PutState(key=key, value=bytes(value))
        await self._call(_Type.PUT_STATE, request.SerializeToString())

    async def del_state(self, key: str) -> None:
        _check_key(key)
        await self._call(_Type.DEL_STATE, shim.DelState(key=key).SerializeToString())

    @staticmethod
    def _range_request(start: str, end: str, page_size: int = 0, bookmark: str = "") -> bytes:
        request = shim.GetStateByRange(startKey=start, endKey=end)
        if page_size or bookmark:
            metadata = shim.QueryMetadata(pageSize=page_size, bookmark=bookmark)
            request.metadata = metadata.SerializeToString()
        return bytes(request.SerializeToString())

    def get_state_by_range(self, start_key: str, end_key: str) -> QueryIterator[KV]:
        """Entries with start_key <= key < end_key in key order ("" for either end: unbounded)."""
        start = start_key or keys.EMPTY_KEY_SUBSTITUTE
        keys.validate_simple_key(start, end_key)
        request = (_Type.GET_STATE_BY_RANGE, self._range_request(start, end_key))
        return QueryIterator(self._call, decode_kv, open_request=request)

    async def _page(
        self, start: str, end: str, page_size: int, bookmark: str
    ) -> tuple[QueryIterator[KV], QueryResponseMetadata]:
        if page_size < 1:
            raise ValueError(f"page_size must be positive, not {page_size}")
        data = await self._call(
            _Type.GET_STATE_BY_RANGE, self._range_request(start, end, page_size, bookmark)
        )
        response = decode(shim.QueryResponse(), data, "query response")
        meta = decode(shim.QueryResponseMetadata(), response.metadata, "query metadata")
        metadata = QueryResponseMetadata(meta.fetched_records_count, meta.bookmark)
        return QueryIterator(self._call, decode_kv, first=response), metadata

    async def get_state_by_range_with_pagination(
        self, start_key: str, end_key: str, page_size: int, bookmark: str = ""
    ) -> tuple[QueryIterator[KV], QueryResponseMetadata]:
        """One page of a range query; pass the returned bookmark to get the next page."""
        start = start_key or keys.EMPTY_KEY_SUBSTITUTE
        keys.validate_simple_key(start, end_key)
        return await self._page(start, end_key, page_size, bookmark)

    # -- composite keys ------------------------------------------------------------------

    @staticmethod
    def create_composite_key(object_type: str, attributes: Sequence[str]) -> str:
        return keys.create_composite_key(object_type, attributes)

    @staticmethod
    def split_composite_key(composite_key: str) -> tuple[str, list[str]]:
        return keys.split_composite_key(composite_key)

    def get_state_by_partial_composite_key(
        self, object_type: str, attributes: Sequence[str]
    ) -> QueryIterator[KV]:
        """Every entry whose composite key starts with these parts, in key order."""
        start, end = keys.partial_key_range(object_type, attributes)
        request = (_Type.GET_STATE_BY_RANGE, self._range_request(start, end))
        return QueryIterator(self._call, decode_kv, open_request=request)

    async def get_state_by_partial_composite_key_with_pagination(
        self, object_type: str, attributes: Sequence[str], page_size: int, bookmark: str = ""
    ) -> tuple[QueryIterator[KV], QueryResponseMetadata]:
        start, end = keys.partial_key_range(object_type, attributes)
        return await self._page(start, end, page_size, bookmark)

    # -- history, events, other chaincode -------------------------------------------------

    def get_history_for_key(self, key: str) -> QueryIterator[KeyModification]:
        """Every committed change of `key`, newest first (as Fabric 2.x returns them)."""
        _check_key(key)
        request = shim.GetHistoryForKey(key=key).SerializeToString()
        return QueryIterator(
            self._call,
            decode_key_modification,
            open_request=(_Type.GET_HISTORY_FOR_KEY, request),
        )

    def set_event(self, name: str, payload: bytes) -> None:
        """Set the transaction's chaincode event (the last call wins, as in Fabric)."""
        if not name:
            raise ValueError("event name can not be empty string")
        self._event = chaincode_event_pb2.ChaincodeEvent(event_name=name, payload=payload)

    @property
    def event(self) -> Any:
        """The `peer.ChaincodeEvent` set by this transaction, or None."""
        return self._event

    async def invoke_chaincode(
        self, name: str, args: Sequence[bytes | str], channel: str = ""
    ) -> Response:
        """Run another chaincode inside this transaction (its writes join this one's).

        Failures come back as an error `Response`, never as an exception, as in Go's shim.
        """
        target = f"{name}/{channel}" if channel else name
        spec = chaincode_pb2.ChaincodeSpec(
            chaincode_id=chaincode_pb2.ChaincodeID(name=target),
            input=chaincode_pb2.ChaincodeInput(
                args=[a.encode("utf-8") if isinstance(a, str) else a for a in args]
            ),
        )
        try:
            data = await self._call(_Type.INVOKE_CHAINCODE, spec.SerializeToString())
        except PeerError as exc:  # the call could not run: an error response, as in Go's shim
            return Response.error(str(exc))
        message = decode(shim.ChaincodeMessage(), data, "chaincode-to-chaincode reply")
        if message.type == _Type.COMPLETED:
            reply = proposal_response_pb2.Response()
            return Response.from_proto(decode(reply, message.payload, "chaincode response"))
        if message.type == _Type.ERROR:
            return Response.error(message.payload.decode("utf-8", "replace"))
        raise ProtocolError(f"unexpected {_Type.Type.Name(message.type)} from {name}")
