"""Every module of provena.chaincode and provena.devnet.chaincode declares a sorted `__all__`."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import provena.chaincode
import provena.devnet.chaincode

PACKAGES = (provena.chaincode, provena.devnet.chaincode)


def isort_order(name: str) -> tuple[int, str]:
    return (0 if name.isupper() else 1 if name[:1].isupper() else 2, name)


MODULES = sorted(
    info.name
    for package in PACKAGES
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + ".")
)


@pytest.mark.parametrize("module_name", [*MODULES, *(p.__name__ for p in PACKAGES)])
def test_modules_declare_sorted_exports(module_name: str) -> None:
    module = importlib.import_module(module_name)
    names = module.__all__
    assert names == sorted(names, key=isort_order), module_name
    assert len(names) == len(set(names))
    for name in names:
        assert hasattr(module, name), f"{module_name}.{name}"


def test_the_runtime_does_not_import_the_devnet() -> None:
    """The chaincode container carries provena.chaincode only."""
    for name in MODULES:
        if name.startswith("provena.chaincode."):
            source = importlib.import_module(name).__file__
            assert source is not None
            with open(source) as file:
                assert "provena.devnet" not in file.read(), name
