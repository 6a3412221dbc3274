"""How every write endpoint answers: 202 with a transaction id, or bytes to sign.

A person whose key the API seals gets `202 Accepted` at once: the transaction id and the URL
of its status, which goes pending → committed (block number) or invalid (validation code).
A person who keeps their key in the browser gets `202` with the proposal to sign instead;
they post its signature to `/api/v1/transactions/{tx_id}/signatures`, get the transaction
to sign, post that, and then have the same answer as everyone else.

`Prefer: wait=N` (RFC 7240) waits up to N seconds (at most 30) for the ledger to settle the
transaction: committed answers 200, an MVCC conflict 409, any other invalid outcome 422.
A committed write is also waited for until the projections hold it, so a read right after
the answer sees what was written.
`Idempotency-Key` makes a retried request answer with the first request's transaction.
"""

from __future__ import annotations

import asyncio
import base64
import re
from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import Depends, Header, Request, Response
from pydantic import BaseModel, Field

from provena.api.deps import CurrentPrincipal, StateDep
from provena.api.ledger import LedgerServices
from provena.api.problems import Problem
from provena.db import LedgerTransaction, LedgerTxStatus
from provena.events import FeedHub
from provena.transactions import Actor, LedgerUnavailable, Refused, ToSign, Write, WriteConflict

__all__ = [
    "WRITE_RESPONSES",
    "ActorDep",
    "IdempotencyKey",
    "LedgerDep",
    "PreferWait",
    "SignatureRequired",
    "TransactionAccepted",
    "WriteAnswer",
    "Writer",
    "WriterDep",
    "acting",
    "settle_answer",
    "signature_answer",
    "transaction_answer",
]

WRITE_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {"description": "Committed (with `Prefer: wait`)"},
    202: {"description": "Accepted: pending, or a proposal to sign in the browser"},
    **{code: {"model": Problem} for code in (400, 401, 403, 404, 409, 422, 503)},
}

_PREFER_WAIT = re.compile(r"(?:^|[,;\s])wait=(\d+)")
_MAX_WAIT = 30


async def _ledger(state: StateDep) -> LedgerServices:
    if state.ledger is None:
        raise LedgerUnavailable("no ledger is configured for this API")
    return state.ledger


LedgerDep = Annotated[LedgerServices, Depends(_ledger)]


async def _idempotency_key(
    idempotency_key: Annotated[
        str | None,
        Header(
            max_length=255,
            description="Retrying a request with the same key answers with its first "
            "transaction instead of making another",
        ),
    ] = None,
) -> str | None:
    return idempotency_key


IdempotencyKey = Annotated[str | None, Depends(_idempotency_key)]


async def _prefer_wait(
    prefer: Annotated[
        str | None,
        Header(description="`wait=N`: wait up to N seconds (at most 30) for the commit"),
    ] = None,
) -> int:
    match = _PREFER_WAIT.search(prefer or "")
    return min(int(match.group(1)), _MAX_WAIT) if match else 0


PreferWait = Annotated[int, Depends(_prefer_wait)]


class TransactionAccepted(BaseModel):
    """A write the ledger has, or will soon have, settled."""

    tx_id: str
    status: LedgerTxStatus
    status_url: str
    function: str
    record_id: str | None
    signer: str | None
    block_number: int | None
    validation_code: str | None


class SignatureRequired(BaseModel):
    """Bytes the person must sign in their browser before the write can go on."""

    tx_id: str
    status: Literal["signature_required"] = "signature_required"
    stage: Literal["proposal", "transaction"]
    data: str = Field(description="The bytes to sign, base64 (send them back unchanged)")
    digest: str = Field(description="SHA-256 of what is signed, base64: sign it with P-256")
    message: str = Field(
        description="What is signed, base64: the part of `data` whose SHA-256 is `digest` "
        "(for signers that hash what they sign, such as WebCrypto's ECDSA with SHA-256)"
    )
    signature_url: str


WriteAnswer = TransactionAccepted | SignatureRequired


async def acting(state: StateDep, principal: CurrentPrincipal, ledger: LedgerDep) -> Actor:
    """The caller as an actor on the ledger, with their own identity."""
    seen = await state.directory.record(principal)
    return await ledger.actor(seen.user_id, principal)


ActorDep = Annotated[Actor, Depends(acting)]


TRANSACTIONS_PATH = "/api/v1/transactions"
"""Where each transaction's status (`/{tx_id}`) and signatures (`/{tx_id}/signatures`) are."""


def transaction_answer(row: LedgerTransaction) -> TransactionAccepted:
    return TransactionAccepted(
        tx_id=row.tx_id,
        status=row.status,
        status_url=f"{TRANSACTIONS_PATH}/{row.tx_id}",
        function=row.function,
        record_id=row.record_id,
        signer=row.signer,
        block_number=row.block_number,
        validation_code=row.validation_code,
    )


def signature_answer(to_sign: ToSign) -> SignatureRequired:
    return SignatureRequired(
        tx_id=to_sign.transaction_id,
        stage=to_sign.stage,
        data=base64.b64encode(to_sign.data).decode(),
        digest=base64.b64encode(to_sign.digest).decode(),
        message=base64.b64encode(to_sign.message).decode(),
        signature_url=f"{TRANSACTIONS_PATH}/{to_sign.transaction_id}/signatures",
    )


async def settle_answer(
    request: Request,
    response: Response,
    ledger: LedgerServices,
    row: LedgerTransaction,
    wait: int,
) -> TransactionAccepted:
    """The row as the answer, after waiting for it to settle if the caller prefers."""
    if wait:
        hub: FeedHub = request.app.state.feed_hub
        try:
            async with asyncio.timeout(wait):
                if row.status == LedgerTxStatus.PENDING:
                    row = await ledger.transactions.wait_settled(row.tx_id)
                if row.status == LedgerTxStatus.COMMITTED:
                    await hub.wait_announced(row.tx_id)
        except TimeoutError:
            pass
    if row.status == LedgerTxStatus.INVALID:
        message = f"transaction {row.tx_id} was invalid: {row.validation_code}"
        if row.validation_code == "MVCC_READ_CONFLICT":
            raise WriteConflict(message + " (the record changed meanwhile; retry)")
        raise Refused(message, status=422)
    # Without `Prefer: wait` the answer is always 202, whatever the row's status by now, so
    # a retried request (Idempotency-Key) gets the answer the first one got.
    committed = wait and row.status == LedgerTxStatus.COMMITTED
    response.status_code = 200 if committed else 202
    if response.status_code == 202:
        response.headers["Location"] = transaction_answer(row).status_url
    return transaction_answer(row)


@dataclass(slots=True)
class Writer:
    """Everything a write endpoint needs to answer: who acts, and how they asked."""

    request: Request
    response: Response
    ledger: LedgerServices
    actor: Actor
    idempotency_key: str | None
    wait: int

    async def send(self, write: Write) -> WriteAnswer:
        """Submit `write` (or hand out its proposal to sign) and answer."""
        transactions = self.ledger.transactions
        if self.actor.signer is None:
            self.response.status_code = 202
            return signature_answer(transactions.prepare(self.actor, write))
        row = await transactions.submit(self.actor, write, idempotency_key=self.idempotency_key)
        return await settle_answer(self.request, self.response, self.ledger, row, self.wait)


async def _writer(
    request: Request,
    response: Response,
    ledger: LedgerDep,
    actor: ActorDep,
    idempotency_key: IdempotencyKey,
    wait: PreferWait,
) -> Writer:
    return Writer(request, response, ledger, actor, idempotency_key, wait)


WriterDep = Annotated[Writer, Depends(_writer)]
"""The write endpoints' one dependency: `await writer.send(write)`."""
