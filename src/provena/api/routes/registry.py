"""Administration of the accreditation registry (governing organizations' admins)."""

from __future__ import annotations

from fastapi import APIRouter

from provena.api.writes import WRITE_RESPONSES, WriteAnswer, WriterDep
from provena.certification import commands

router = APIRouter(prefix="/api/v1/registry", tags=["registry"])


@router.post(
    "/bootstrap",
    status_code=202,
    summary="Name the organizations that govern accreditation (once, by an admin)",
    responses=WRITE_RESPONSES,
)
async def bootstrap_registry(body: commands.BootstrapRegistry, writer: WriterDep) -> WriteAnswer:
    return await writer.send(commands.bootstrap(body))


@router.post(
    "/accreditations",
    status_code=202,
    summary="Accredit a certification body for schemes",
    responses=WRITE_RESPONSES,
)
async def accredit_certifier(body: commands.AccreditCertifier, writer: WriterDep) -> WriteAnswer:
    return await writer.send(commands.accredit(body))


@router.delete(
    "/accreditations/{msp_id}/{scheme}",
    status_code=202,
    summary="Withdraw a certification body's accreditation for one scheme",
    responses=WRITE_RESPONSES,
)
async def withdraw_accreditation(msp_id: str, scheme: str, writer: WriterDep) -> WriteAnswer:
    return await writer.send(commands.withdraw(msp_id, scheme))
