"""Where an event stream starts: the checkpoint, else the start block, else the next commit."""

from __future__ import annotations

from fabric_protos.orderer import ab_pb2

from provena.fabric.checkpoint import Checkpoint

__all__ = ["start_position"]


def start_position(start_block: int | None, checkpoint: Checkpoint | None) -> ab_pb2.SeekPosition:
    block = checkpoint.block_number if checkpoint is not None else None
    if block is None:
        block = start_block
    if block is None:
        return ab_pb2.SeekPosition(next_commit=ab_pb2.SeekNextCommit())
    if block < 0:
        raise ValueError(f"start block must not be negative, got {block}")
    return ab_pb2.SeekPosition(specified=ab_pb2.SeekSpecified(number=block))
