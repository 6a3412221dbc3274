"""A chaincode event, as committed in a valid transaction of a block."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ChaincodeEvent"]


@dataclass(frozen=True, slots=True)
class ChaincodeEvent:
    block_number: int
    transaction_id: str
    chaincode_name: str
    event_name: str
    payload: bytes
