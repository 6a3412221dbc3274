"""Every module of `provena.db` declares `__all__`; the package re-exports them sorted."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import provena.db


def isort_order(name: str) -> tuple[int, str]:
    """The order ruff keeps `__all__` in: CONSTANTS, then Classes, then functions."""
    return (0 if name.isupper() else 1 if name[:1].isupper() else 2, name)


MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(provena.db.__path__, "provena.db.")
    if ".migrations" not in info.name
)


def test_package_exports_are_sorted_and_resolve() -> None:
    names = provena.db.__all__
    assert names == sorted(names, key=isort_order)
    assert len(names) == len(set(names))
    for name in names:
        assert getattr(provena.db, name) is not None, name


@pytest.mark.parametrize("module_name", MODULES)
def test_modules_declare_sorted_exports(module_name: str) -> None:
    module = importlib.import_module(module_name)
    names = module.__all__
    assert names == sorted(names, key=isort_order), module_name
    for name in names:
        assert hasattr(module, name), f"{module_name}.{name}"


def test_package_docstring_reads_like_a_readme() -> None:
    assert provena.db.__doc__ is not None
    assert "await upgrade(url)" in provena.db.__doc__
