"""`provena.devnet` exports what it lists, and every devnet module of this layer has `__all__`."""

from __future__ import annotations

import importlib

import pytest

import provena.devnet

MODULES = (
    "admin",
    "ca",
    "chaincodes",
    "cli",
    "config",
    "errors",
    "identity",
    "msp",
    "network",
    "pki",
    "policy",
)


def test_all_names_exist_and_are_sorted() -> None:
    for name in provena.devnet.__all__:
        assert hasattr(provena.devnet, name), name
    assert provena.devnet.__all__ == sorted(
        provena.devnet.__all__, key=lambda n: (not n.isupper(), n)
    )


@pytest.mark.parametrize("module", MODULES)
def test_modules_declare_their_exports(module: str) -> None:
    loaded = importlib.import_module(f"provena.devnet.{module}")
    assert loaded.__all__
    for name in loaded.__all__:
        assert hasattr(loaded, name), f"{module}.{name}"
