"""Crash safety: SIGKILL a process committing blocks at random moments, reopen the store,
and check that the chain, the state, the history and the tx index agree."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from provena.devnet.ledger.blocks import block_data_hash, block_header_hash
from provena.devnet.ledger.store import LedgerStore
from tests.devnet.ledger.crashwriter import block_writes


def _check_consistent(store: LedgerStore) -> None:
    height = store.height
    assert height > 0
    previous = b""
    for number in range(height):
        block = store.block(number)
        assert block is not None
        assert block.header.previous_hash == previous
        assert block.header.data_hash == block_data_hash(block.data.data)
        previous = block_header_hash(block.header)
    assert store.last_hash == previous
    last = height - 1
    assert store.get_state("cc", "count") is not None
    assert store.get_state("cc", "count")[0] == str(last).encode()  # type: ignore[index]
    expected = {"count"}
    for number in range(height):
        for tx, _ in enumerate(block_writes(number)):
            expected.add(f"k{number}.{tx}")
            location = store.tx_location(f"tx{number}.{tx}")
            assert location is not None
            assert (location.block_number, location.tx_num) == (number, tx)
        if number > 3:
            expected.discard(f"k{number - 3}.0")
    assert {k for k, _, _ in store.range("cc", "", "")} == expected
    assert store.tx_location(f"tx{height}.0") is None
    assert len(store.history("cc", "count")) == sum(len(block_writes(n)) for n in range(height))


def test_sigkill_at_random_moments_leaves_a_consistent_ledger(tmp_path: Path) -> None:
    path = tmp_path / "crash.sqlite"
    rng = random.Random(7)
    heights = []
    for _ in range(5):
        writer = subprocess.Popen(
            [sys.executable, "-m", "tests.devnet.ledger.crashwriter", str(path)],
            stdout=subprocess.PIPE,
            text=True,
            cwd=Path(__file__).parents[3],
        )
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.05, 0.4))
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        writer.stdout.close()
        store = LedgerStore.open(path)
        try:
            _check_consistent(store)
            heights.append(store.height)
        finally:
            store.close()
    print("heights after each kill:", heights)
    assert heights == sorted(heights)
    assert heights[-1] > heights[0]  # each run resumed the chain where the last one stopped
