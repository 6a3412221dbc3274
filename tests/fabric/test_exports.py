"""Every module of `provena.fabric` and `provena.devnet.gateway` declares a sorted `__all__`."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import provena.devnet.gateway
import provena.fabric


def isort_order(name: str) -> tuple[int, str]:
    return (0 if name.isupper() else 1 if name[:1].isupper() else 2, name)


MODULES = sorted(
    info.name
    for package in (provena.fabric, provena.devnet.gateway)
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + ".")
)


@pytest.mark.parametrize("module_name", [*MODULES, "provena.fabric", "provena.devnet.gateway"])
def test_modules_declare_sorted_exports(module_name: str) -> None:
    module = importlib.import_module(module_name)
    names = module.__all__
    assert names == sorted(names, key=isort_order), module_name
    assert len(names) == len(set(names))
    for name in names:
        assert hasattr(module, name), f"{module_name}.{name}"
