"""Every public name of the ledger core is declared in `__all__` and exists."""

from __future__ import annotations

import importlib

import pytest

MODULES = [
    "provena.devnet.ledger",
    "provena.devnet.ledger.blocks",
    "provena.devnet.ledger.errors",
    "provena.devnet.ledger.genesis",
    "provena.devnet.ledger.mvcc",
    "provena.devnet.ledger.seams",
    "provena.devnet.ledger.simulator",
    "provena.devnet.ledger.store",
    "provena.devnet.ledger.transaction",
    "provena.devnet.ledger.validator",
    "provena.devnet.endorser",
    "provena.devnet.notifier",
    "provena.devnet.orderer",
    "provena.devnet.verify",
]


@pytest.mark.parametrize("name", MODULES)
def test_all_is_sorted_and_resolves(name: str) -> None:
    module = importlib.import_module(name)
    exported = module.__all__
    assert exported == sorted(exported)
    for attribute in exported:
        assert hasattr(module, attribute), f"{name}.{attribute}"
    public = {
        n
        for n, v in vars(module).items()
        if not n.startswith("_") and getattr(v, "__module__", None) == name
    }
    assert public <= set(exported), public - set(exported)
