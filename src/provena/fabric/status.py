"""The commit status of a transaction, with Fabric's validation code by name."""

from __future__ import annotations

from dataclasses import dataclass

from fabric_protos.peer import transaction_pb2

__all__ = ["Status", "validation_code_name"]

_VALID: int = transaction_pb2.TxValidationCode.Value("VALID")


def validation_code_name(code: int) -> str:
    """`peer.TxValidationCode` name for `code`, e.g. 11 → MVCC_READ_CONFLICT."""
    try:
        return str(transaction_pb2.TxValidationCode.Name(code))
    except ValueError:
        return f"UNKNOWN_CODE_{code}"


@dataclass(frozen=True, slots=True)
class Status:
    """Where and how a transaction was committed."""

    transaction_id: str
    block_number: int
    code: int

    @property
    def code_name(self) -> str:
        return validation_code_name(self.code)

    @property
    def successful(self) -> bool:
        return self.code == _VALID
