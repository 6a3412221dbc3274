"""A typer command group whose sub-groups are imported only when a command line uses them.

Each sub-group pulls in its library (gRPC, FastAPI, SQLAlchemy, the OCI SDK, ...), so
importing them all at start made `provena version` and `provena --help` take a second. A
lazy entry is `name -> ("module:attribute", help)`; the help is given here so that listing
the commands imports nothing.

Typer also builds a pydantic adapter for any flag whose parsed value is not yet a bool, and
its `--help` flag parses as None when absent: that alone imports pydantic (a quarter of a
second). `QuickHelp` gives the flag a False default, so the quick commands skip it.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import import_module
from typing import Any, ClassVar

import typer
from typer.core import TyperCommand, TyperGroup

__all__ = ["LazyGroup", "QuickCommand"]


class QuickHelp:
    """Mixin for typer commands: the help flag defaults to False instead of None."""

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.default = False
        return option


class QuickCommand(QuickHelp, TyperCommand):
    """A command that answers without importing pydantic (when its options allow)."""


class _LazyCommand(TyperGroup):
    """Stands for a sub-group in help listings; parsing a command line loads the real one."""

    def __init__(self, name: str, target: str, help: str) -> None:
        super().__init__(name=name, help=help)
        self._target = target

    def _load(self) -> Any:
        module, _, attribute = self._target.partition(":")
        # get_group, not get_command: a sub-group with one command stays a group
        # (`provena chaincode package`), as `add_typer` would have made it.
        command = typer.main.get_group(getattr(import_module(module), attribute))
        command.name = self.name
        return command

    def make_context(
        self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any
    ) -> Any:
        return self._load().make_context(info_name, args, parent, **extra)


class LazyGroup(QuickHelp, TyperGroup):
    """A TyperGroup with `lazy` sub-groups besides its own commands (subclass to set them)."""

    lazy: ClassVar[Mapping[str, tuple[str, str]]] = {}

    def list_commands(self, ctx: Any) -> list[str]:
        return [*super().list_commands(ctx), *self.lazy]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in self.lazy:
            return _LazyCommand(cmd_name, *self.lazy[cmd_name])
        return super().get_command(ctx, cmd_name)
