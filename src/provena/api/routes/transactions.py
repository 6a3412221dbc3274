"""Transactions: the organization's list, each one's status, and the signatures of people
who sign in their browser."""

from __future__ import annotations

import base64
import uuid
from typing import Literal

from fastapi import APIRouter, HTTPException, Query, Request, Response
from pydantic import BaseModel, Field

from provena.api.deps import CurrentPrincipal, SessionDep, StateDep, ViewerDep
from provena.api.problems import Problem
from provena.api.reads import (
    READ_RESPONSES,
    Cursor,
    Limit,
    Page,
    TransactionView,
    decode_cursor,
    page_of,
)
from provena.api.writes import (
    TRANSACTIONS_PATH,
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
from provena.db import LedgerTransaction, LedgerTxStatus
from provena.demo import Role
from provena.transactions import SignatureRejected
from provena.verification import InvalidQuery
from provena.verification.transactions import TransactionFilter, list_transactions

router = APIRouter(prefix=TRANSACTIONS_PATH, tags=["transactions"])


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
    except ValueError as exc:  # binascii.Error, or characters outside ASCII
        raise SignatureRejected(f"{what} is not base64") from exc


@router.get(
    "/{tx_id}",
    summary="A transaction's status: pending, committed (block) or invalid (reason)",
    responses={401: {"model": Problem}, 404: {"model": Problem}},
)
async def read_transaction(
    tx_id: str, session: SessionDep, principal: CurrentPrincipal
) -> TransactionAccepted:
    row = await session.get(LedgerTransaction, tx_id)
    visible = row is not None and (
        Role.AUDITOR in principal.roles or row.submitter_msp_id == principal.msp_id
    )
    if row is None or not visible:
        raise HTTPException(404, f"no transaction {tx_id} that you may see")
    return transaction_answer(row)


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
        return signature_answer(to_sign)
    row = await transactions.submit_signed(
        actor, data, signature, idempotency_key=idempotency_key, expected_tx_id=tx_id
    )
    return await settle_answer(request, response, ledger, row, wait)


@router.get(
    "",
    summary="Transactions your organization submitted (auditors: all), newest first",
    responses=READ_RESPONSES,
)
async def list_transactions_page(
    session: SessionDep,
    state: StateDep,
    principal: CurrentPrincipal,
    viewer: ViewerDep,
    status: LedgerTxStatus | None = None,
    kind: str | None = Query(
        default=None,
        max_length=255,
        description="`Contract:Function`, or a function name in any contract",
        examples=["IssueCertificate"],
    ),
    who: str | None = Query(default=None, description="The submitter's user id, or `me`"),
    record_id: str | None = Query(default=None, max_length=64),
    cursor: Cursor = None,
    limit: Limit = 50,
) -> Page[TransactionView]:
    submitter = None
    if who == "me":
        submitter = (await state.directory.record(principal)).user_id
    elif who is not None:
        try:
            submitter = uuid.UUID(who)
        except ValueError as exc:
            raise InvalidQuery("who must be a user id or `me`") from exc
    filters = TransactionFilter(
        status=status, kind=kind, submitter_id=submitter, record_id=record_id
    )
    rows = await list_transactions(
        session, viewer, filters, after=decode_cursor(cursor), limit=limit + 1
    )
    return page_of(rows, limit, lambda r: (r.submitted_at, r.tx_id), TransactionView.of)
