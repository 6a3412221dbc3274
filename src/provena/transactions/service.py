"""Writes to the ledger: endorse, record as pending, submit, and settle from commit status.

Every write answers at once with its transaction id. The row in `ledger_transactions` is
written *before* the transaction goes to the orderer, holding the signed envelope, so
nothing acknowledged can be lost: a process that dies right after the orderer took the
transaction finds the row pending on its next start and settles it (resubmitting the same
envelope is harmless: the ledger refuses a second copy of a transaction id).

    endorse ──► row pending (envelope) ──► commit ──► orderer ──► status: committed | invalid
       │                                                               (background task)
       └─ contract said no: Refused (nothing recorded)

Two ways to sign. With server custody the person's key signs in the API (`Actor.signer`).
With browser custody `prepare` hands out the proposal to sign, `endorse_signed` takes its
signature and hands out the transaction to sign, and `submit_signed` takes that one; the
API never holds the key, and checks whose the bytes are and that the signatures verify.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import re
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Literal, cast

import grpc
from fabric_protos.gateway import gateway_pb2
from opentelemetry import trace
from sqlalchemy import Table, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from provena.db import Database, GroupCommit, LedgerTransaction, LedgerTxStatus, utcnow
from provena.fabric import (
    EndorseError,
    Gateway,
    GatewayError,
    Identity,
    Signer,
    Status,
    Transaction,
)
from provena.fabric.signingidentity import SigningIdentity
from provena.transactions.errors import (
    IdempotencyMismatch,
    LedgerUnavailable,
    NoLedgerIdentity,
    Refused,
    SignatureRejected,
)
from provena.transactions.ledger import LedgerConnection
from provena.transactions.signed import Call, read_prepared, read_proposed, record_of, verify

__all__ = ["Actor", "OnSettled", "ToSign", "TransactionService", "Write"]

log = logging.getLogger(__name__)

_CHAINCODE_ANSWER = re.compile(r"chaincode response (\d{3}), (.*)", re.DOTALL)
# The contracts' error kinds (provena.contracts.errors) and the statuses the API answers.
_REFUSAL_STATUS = {400: 422, 403: 403, 404: 404, 409: 409}
_UNREACHABLE = {grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED}
_EXPIRED = "proposal client identity expired"  # Fabric's words, from a remote peer or not
_tracer = trace.get_tracer("provena.transactions")
_RECHECK_SECONDS = 0.5  # how often a waiter reads a row another process may settle


@dataclass(frozen=True, slots=True)
class Actor:
    """A person acting on the ledger, and the Fabric identity that signs for them.

    `signer` is None when the person keeps their key in the browser and signs each digest.
    `label` names the signing identity on every transaction record (enrollment id, subject).
    """

    user_id: uuid.UUID
    identity: Identity
    signer: Signer | None
    label: str


@dataclass(frozen=True, slots=True)
class Write:
    """One contract function call: `Certificates:IssueCertificate(args...)`."""

    contract: str
    function: str
    args: tuple[str, ...]
    record_id: str | None = None
    derived: tuple[str, ...] = ()
    """Arguments computed from the request (its EPCIS events, stamped with the time of
    sending): sent after `args`, but not part of what an Idempotency-Key compares."""

    @property
    def qualified(self) -> str:
        return f"{self.contract}:{self.function}"

    @property
    def arguments(self) -> tuple[str, ...]:
        """Everything the contract function receives."""
        return self.args + self.derived


@dataclass(frozen=True, slots=True)
class ToSign:
    """Bytes the person must sign: `message`, whose SHA-256 is `digest`, with ECDSA P-256.

    `data` is the whole protobuf they send back; `message` is the part inside it that the
    signature covers, for signers (WebCrypto) that hash what they sign themselves.
    """

    stage: Literal["proposal", "transaction"]
    transaction_id: str
    data: bytes
    digest: bytes
    message: bytes


OnSettled = Callable[[AsyncSession, LedgerTransaction], Awaitable[None]]
"""Called in the transaction that changes a row's status (pending, committed, invalid)."""


def _request_hash(call: str, args: Sequence[str]) -> str:
    return hashlib.sha256(json.dumps([call, *args]).encode()).hexdigest()


def _refusal(exc: EndorseError) -> Refused | LedgerUnavailable | NoLedgerIdentity:
    """What the contract (or the peer) said, as the error the API answers with."""
    for message in (detail.message for detail in exc.details):
        answer = _CHAINCODE_ANSWER.match(message)
        if answer:
            status = _REFUSAL_STATUS.get(int(answer.group(1)), 422)
            return Refused(answer.group(2), status=status)
        if message.endswith(_EXPIRED):  # the peers' expiration filter
            return NoLedgerIdentity(
                "the ledger certificate that signs for you has expired: enroll again for a new one"
            )
    if exc.code in _UNREACHABLE:
        return LedgerUnavailable(f"the ledger did not endorse the transaction: {exc.message}")
    return Refused(exc.message, status=422)


class TransactionService:
    """Submits writes for people and tracks each one until the ledger settles it.

    `reader` is a gateway with a signer that asks for commit statuses (a read, never a
    write): it settles transactions whose signer is not in this process.
    """

    def __init__(
        self,
        *,
        database: Database,
        ledger: LedgerConnection,
        reader: tuple[Identity, Signer],
        on_settled: OnSettled | None = None,
        on_outcome: Callable[[LedgerTransaction], None] | None = None,
        commit_timeout: float = 60.0,
    ) -> None:
        self._database = database
        self._group = GroupCommit(database)  # concurrent writes' rows share transactions
        self._ledger = ledger
        self._reader = reader
        self._on_settled = on_settled
        self._on_outcome = on_outcome  # after the outcome is committed, once per transaction
        self._commit_timeout = commit_timeout
        self._tasks: set[asyncio.Task[None]] = set()
        self._reader_gateway: Gateway | None = None
        # the settled row, for each transaction this process watches until it settles
        self._settling: dict[str, asyncio.Future[LedgerTransaction | None]] = {}

    # --- writes signed by the API (server custody) -------------------------------------

    async def submit(
        self, actor: Actor, write: Write, *, idempotency_key: str | None = None
    ) -> LedgerTransaction:
        """Endorse and submit `write` as `actor`; returns the pending (or earlier) row."""
        request_hash = _request_hash(write.qualified, write.args)
        earlier = await self._earlier(actor, idempotency_key, request_hash)
        if earlier is not None:
            return earlier
        gateway = self._ledger.gateway(actor.identity, actor.signer)
        contract = self._ledger.contract(gateway, write.contract)
        proposal = contract.new_proposal(write.function, args=write.arguments)
        try:
            with _tracer.start_as_current_span(
                "ledger.endorse",
                attributes={
                    "provena.function": write.qualified,
                    "provena.tx_id": proposal.transaction_id,
                },
            ):
                transaction = await self._endorse(proposal.endorse())
        except Refused:
            # A twin request with the same key may have committed meanwhile, so that the
            # contract now refuses this one ("already exists"): the twin's answer stands.
            earlier = await self._earlier(actor, idempotency_key, request_hash)
            if earlier is not None:
                return earlier
            raise
        signature = await SigningIdentity(actor.identity, actor.signer).sign(transaction.digest)
        signed = gateway.new_signed_transaction(transaction.to_bytes(), signature)
        return await self._record_and_submit(
            actor,
            signed,
            function=write.qualified,
            record_id=write.record_id,
            idempotency_key=idempotency_key,
            request_hash=request_hash,
        )

    # --- writes signed in the browser (browser custody) -------------------------------

    def prepare(self, actor: Actor, write: Write) -> ToSign:
        """The proposal for `write`, for `actor` to sign."""
        gateway = self._ledger.gateway(actor.identity, None)
        proposal = self._ledger.contract(gateway, write.contract).new_proposal(
            write.function, args=write.arguments
        )
        data = proposal.to_bytes()
        _, message = read_proposed(data)
        return ToSign("proposal", proposal.transaction_id, data, proposal.digest, message)

    async def endorse_signed(self, actor: Actor, data: bytes, signature: bytes) -> ToSign:
        """Endorse a proposal `actor` signed; returns the transaction for them to sign."""
        call, message = read_proposed(data)
        self._check_target(call)
        der = verify(actor.identity, call, message, signature)
        gateway = self._ledger.gateway(actor.identity, None)
        transaction = await self._endorse(gateway.new_signed_proposal(data, der).endorse())
        data = transaction.to_bytes()
        _, message = read_prepared(data)
        return ToSign("transaction", transaction.transaction_id, data, transaction.digest, message)

    async def submit_signed(
        self,
        actor: Actor,
        data: bytes,
        signature: bytes,
        *,
        idempotency_key: str | None = None,
        expected_tx_id: str | None = None,
    ) -> LedgerTransaction:
        """Submit a transaction `actor` signed; returns its pending (or earlier) row."""
        call, message = read_prepared(data)
        self._check_target(call)
        if expected_tx_id is not None and call.transaction_id != expected_tx_id:
            raise SignatureRejected(f"the signed transaction is not {expected_tx_id}")
        request_hash = _request_hash(call.function, call.args)
        earlier = await self._earlier(actor, idempotency_key, request_hash)
        if earlier is not None:
            return earlier
        der = verify(actor.identity, call, message, signature)
        signed = self._ledger.gateway(actor.identity, None).new_signed_transaction(data, der)
        return await self._record_and_submit(
            actor,
            signed,
            function=call.function,
            record_id=record_of(call),
            idempotency_key=idempotency_key,
            request_hash=request_hash,
        )

    def _check_target(self, call: Call) -> None:
        if call.channel != self._ledger.channel or call.chaincode != self._ledger.chaincode:
            raise SignatureRejected(
                f"the signed bytes address {call.chaincode!r} on {call.channel!r}, "
                f"not Provena's contracts"
            )

    # --- shared path -------------------------------------------------------------------

    async def _endorse(self, endorsing: Awaitable[Transaction]) -> Transaction:
        try:
            return await endorsing
        except EndorseError as exc:
            raise _refusal(exc) from exc
        except GatewayError as exc:
            raise LedgerUnavailable(f"the ledger could not be reached: {exc.message}") from exc

    async def _earlier(
        self, actor: Actor, idempotency_key: str | None, request_hash: str
    ) -> LedgerTransaction | None:
        """The row an earlier request with this Idempotency-Key made, if any."""
        if idempotency_key is None:
            return None
        async with self._database.session() as session:
            row = await session.scalar(
                select(LedgerTransaction).where(
                    LedgerTransaction.submitter_id == actor.user_id,
                    LedgerTransaction.idempotency_key == idempotency_key,
                )
            )
        if row is not None and row.request_hash != request_hash:
            raise IdempotencyMismatch(
                "this Idempotency-Key was already used for a different request"
            )
        return row

    async def _record_and_submit(
        self,
        actor: Actor,
        transaction: Transaction,
        *,
        function: str,
        record_id: str | None,
        idempotency_key: str | None,
        request_hash: str,
    ) -> LedgerTransaction:
        row = LedgerTransaction(
            tx_id=transaction.transaction_id,
            channel=self._ledger.channel,
            chaincode=self._ledger.chaincode,
            function=function,
            submitter_id=actor.user_id,
            submitter_msp_id=actor.identity.msp_id,
            status=LedgerTxStatus.PENDING,
            signer=actor.label,
            record_id=record_id,
            idempotency_key=idempotency_key,
            request_hash=request_hash,
            envelope=transaction.to_bytes(),
            submitted_at=utcnow(),
        )

        async def insert(session: AsyncSession) -> None:
            session.add(row)
            await self._announce(session, row)

        try:
            with _tracer.start_as_current_span(
                "ledger.record", attributes={"provena.tx_id": row.tx_id}
            ):
                await self._group.run(insert)
        except IntegrityError as exc:
            earlier = await self._earlier(actor, idempotency_key, request_hash)
            if earlier is not None:  # the same request, racing itself
                return earlier
            raise SignatureRejected(f"transaction {row.tx_id} was already submitted") from exc
        try:
            with _tracer.start_as_current_span(
                "ledger.submit", attributes={"provena.tx_id": row.tx_id}
            ):
                await transaction.submit()
            submitted = True
        except GatewayError as exc:
            # The orderer may or may not have it: the row stays pending and is settled by
            # resubmitting the same envelope, so the outcome is never guessed.
            log.warning("submit of %s failed, settling later: %s", row.tx_id, exc.message)
            submitted = False
        self._watch(row.tx_id, resubmit=not submitted)
        return row

    # --- settling ----------------------------------------------------------------------

    def _watch(self, tx_id: str, *, resubmit: bool) -> None:
        self._settling[tx_id] = asyncio.get_running_loop().create_future()
        task = asyncio.create_task(self._settle(tx_id, resubmit=resubmit), name=f"settle {tx_id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _reading(self) -> Gateway:
        if self._reader_gateway is None:
            self._reader_gateway = self._ledger.gateway(*self._reader)
        return self._reader_gateway

    async def _settle(self, tx_id: str, *, resubmit: bool) -> None:
        network = self._reading().get_network(self._ledger.channel)
        delay = 0.5
        with _tracer.start_as_current_span(
            "ledger.commit", attributes={"provena.tx_id": tx_id}
        ) as span:
            while True:
                try:
                    if resubmit:
                        await self._resubmit(tx_id)
                    commit = network.new_commit(tx_id)
                    status = await commit.get_status(timeout=self._commit_timeout)
                    break
                except GatewayError as exc:
                    log.warning("commit status of %s unknown, retrying: %s", tx_id, exc.message)
                    resubmit = True
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, 10.0)
            span.set_attribute("provena.validation_code", status.code_name)
            span.set_attribute("provena.block_number", status.block_number)
            await self._record_status(tx_id, status)

    async def _resubmit(self, tx_id: str) -> None:
        """Send a pending row's envelope again; a copy the orderer already had is refused
        as a duplicate by the ledger, and its first outcome stands."""
        async with self._database.session() as session:
            row = await session.get(LedgerTransaction, tx_id)
        if row is None or row.envelope is None:
            return
        prepared = gateway_pb2.PreparedTransaction.FromString(row.envelope)
        signed = self._reading().new_signed_transaction(
            row.envelope, bytes(prepared.envelope.signature)
        )
        try:
            await signed.submit()
        except GatewayError as exc:
            log.info("resubmit of %s: %s", tx_id, exc.message)

    async def _record_status(self, tx_id: str, status: Status) -> None:
        async def settle(session: AsyncSession) -> LedgerTransaction | None:
            # One statement, no read first; only a pending row changes, so of two processes
            # settling one transaction the second changes nothing and announces nothing.
            # Core, not the ORM: the row answers and announces, it is not kept in a session.
            table = cast(Table, LedgerTransaction.__table__)
            settled = (
                update(table)
                .where(table.c.tx_id == tx_id, table.c.status == LedgerTxStatus.PENDING)
                .values(
                    status=LedgerTxStatus.COMMITTED
                    if status.successful
                    else LedgerTxStatus.INVALID,
                    block_number=status.block_number,
                    validation_code=status.code_name,
                    committed_at=utcnow(),
                    envelope=None,
                )
                .returning(*table.c)
            )
            found = (await session.execute(settled)).mappings().one_or_none()
            if found is None:
                return None
            row = LedgerTransaction(**found)
            await self._announce(session, row)
            return row

        try:
            row = await self._group.run(settle)
        except BaseException:
            self._settle_watchers(tx_id, None)  # they read the row themselves
            raise
        self._settle_watchers(tx_id, row)
        if row is None:
            return
        if self._on_outcome is not None:
            self._on_outcome(row)
        log.info("transaction %s %s in block %d", tx_id, status.code_name, status.block_number)

    def _settle_watchers(self, tx_id: str, row: LedgerTransaction | None) -> None:
        settling = self._settling.pop(tx_id, None)
        if settling is not None and not settling.done():
            settling.set_result(row)

    async def _announce(self, session: AsyncSession, row: LedgerTransaction) -> None:
        if self._on_settled is not None:
            await self._on_settled(session, row)

    async def resume(self) -> int:
        """Settle every row left pending by an earlier process; returns how many."""
        async with self._database.session() as session:
            pending = list(
                await session.scalars(
                    select(LedgerTransaction.tx_id).where(
                        LedgerTransaction.status == LedgerTxStatus.PENDING
                    )
                )
            )
        for tx_id in pending:
            self._watch(tx_id, resubmit=True)
        return len(pending)

    async def wait_settled(self, tx_id: str) -> LedgerTransaction:
        """The row once it is no longer pending (bound it with `asyncio.timeout`).

        A transaction this process submitted is handed over by the task that settles it,
        with no read; any other (or one whose settling failed here) is read now and then,
        which catches an outcome another process recorded.
        """
        while True:
            settling = self._settling.get(tx_id)
            if settling is not None:
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(_RECHECK_SECONDS):
                        settled = await asyncio.shield(settling)
                        if settled is not None:
                            return settled
            async with self._database.session() as session:
                row = await session.get(LedgerTransaction, tx_id)
            if row is None:
                raise LookupError(f"no transaction {tx_id}")
            if row.status != LedgerTxStatus.PENDING:
                return row
            if tx_id not in self._settling:
                await asyncio.sleep(_RECHECK_SECONDS)

    async def aclose(self) -> None:
        """Stop settling; rows still pending are settled by the next start."""
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
