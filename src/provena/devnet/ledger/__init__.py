"""provena.devnet.ledger: a channel's ledger as a Fabric peer keeps it.

`LedgerStore` holds blocks, world state, history and the tx index in one SQLite file;
`TxSimulator` records a transaction's reads and writes; `Validator` gives each transaction
of a block its Fabric `TxValidationCode`; `blocks` hashes, chains and signs blocks as
Fabric does; `genesis_block` makes block 0.
"""

from provena.devnet.ledger.blocks import block_data_hash, block_header_bytes, block_header_hash
from provena.devnet.ledger.errors import (
    BroadcastRejected,
    InvalidTransaction,
    LedgerError,
    OrdererStopped,
    ProposalRejected,
    SimulationError,
    StoreError,
)
from provena.devnet.ledger.genesis import OrgMsp, genesis_block, genesis_record
from provena.devnet.ledger.simulator import RangeScan, TxSimulator
from provena.devnet.ledger.store import Height, LedgerStore, TxLocation, TxRecord, Write
from provena.devnet.ledger.validator import Validator

__all__ = [
    "BroadcastRejected",
    "Height",
    "InvalidTransaction",
    "LedgerError",
    "LedgerStore",
    "OrdererStopped",
    "OrgMsp",
    "ProposalRejected",
    "RangeScan",
    "SimulationError",
    "StoreError",
    "TxLocation",
    "TxRecord",
    "TxSimulator",
    "Validator",
    "Write",
    "block_data_hash",
    "block_header_bytes",
    "block_header_hash",
    "genesis_block",
    "genesis_record",
]
