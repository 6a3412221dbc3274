"""provena.tracking: shipments, custody and checkpoints, as the API sees them.

The `Shipments` contract on the ledger decides; this package keeps the database's view
of it. `projection.apply(session, event)` takes one committed chaincode event
(`ShipmentCreated`, `TransferProposed`, `TransferAccepted`, `TransferRejected`,
`TransferCancelled`, `ShipmentDelivered`, `CheckpointRecorded`) and writes the
`shipments`, `shipment_items`, `shipment_documents`, `custody_transfers` and
`checkpoints` rows it implies, then returns what the live feed should say
(`shipment.created`, `transfer.proposed`, ..., `checkpoint.recorded`) and to whom: the
owner, every custodian so far, the destination and any proposed recipient.

The event listener (`provena.events`) runs `apply` exactly once per event; `provena
projections rebuild` runs it again from block 0.
"""

from provena.tracking.projection import EVENTS, apply

__all__ = ["EVENTS", "apply"]
