"""Transactions: their status, and the signatures of people who sign in their browser."""

from __future__ import annotations

import base64
import binascii
from typing import Literal

from fastapi import APIRouter, HTTPException, Request, Response
from pydantic import BaseModel, Field

from provena.api.deps import CurrentPrincipal, SessionDep
from provena.api.problems import Problem
from provena.api.writes import (
    WRITE_RESPONSES,
    ActorDep,
    IdempotencyKey,
    LedgerDep,
    PreferWait,
    TransactionAccepted,
    WriteAnswer,
    settle_answer,
    signature_answer,
    transaction_answer,
)
from provena.db import LedgerTransaction
from provena.demo import Role
from provena.transactions import SignatureRejected

router = APIRouter(prefix="/api/v1/transactions", tags=["transactions"])


class Signature(BaseModel):
    """A signature over the `digest` the API handed out, with the bytes it came with."""

    stage: Literal["proposal", "transaction"]
    data: str = Field(description="The bytes as handed out, base64")
    signature: str = Field(
        description="ECDSA P-256 over the digest, base64: DER, or r||s as WebCrypto gives it"
    )


def _decode(value: str, what: str) -> bytes:
    try:
        return base64.b64decode(value, validate=True)
    except binascii.Error as exc:
        raise SignatureRejected(f"{what} is not base64") from exc


@router.get(
    "/{tx_id}",
    summary="A transaction's status: pending, committed (block) or invalid (reason)",
    responses={401: {"model": Problem}, 404: {"model": Problem}},
)
async def read_transaction(
    tx_id: str, request: Request, session: SessionDep, principal: CurrentPrincipal
) -> TransactionAccepted:
    row = await session.get(LedgerTransaction, tx_id)
    visible = row is not None and (
        Role.AUDITOR in principal.roles or row.submitter_msp_id == principal.msp_id
    )
    if row is None or not visible:
        raise HTTPException(404, f"no transaction {tx_id} that you may see")
    return transaction_answer(request, row)


@router.post(
    "/{tx_id}/signatures",
    status_code=202,
    summary="Send the signature of a proposal or transaction signed in the browser",
    responses=WRITE_RESPONSES,
)
async def sign_transaction(
    tx_id: str,
    body: Signature,
    request: Request,
    response: Response,
    ledger: LedgerDep,
    actor: ActorDep,
    idempotency_key: IdempotencyKey,
    wait: PreferWait,
) -> WriteAnswer:
    data = _decode(body.data, "data")
    signature = _decode(body.signature, "signature")
    transactions = ledger.transactions
    if body.stage == "proposal":
        to_sign = await transactions.endorse_signed(actor, data, signature)
        if to_sign.transaction_id != tx_id:
            raise SignatureRejected(f"the signed proposal is not transaction {tx_id}")
        return signature_answer(request, to_sign)
    row = await transactions.submit_signed(
        actor, data, signature, idempotency_key=idempotency_key, expected_tx_id=tx_id
    )
    return await settle_answer(request, response, ledger, row, wait)
