"""Contracts: classes whose `@transaction` methods are a chaincode's functions.

Only methods marked with `@transaction` are transactions; other methods, public or not,
are helpers a client can never call. (Fabric's Node and Go contract APIs expose every public
method; being explicit keeps a helper from turning into an entry point by accident.)

The first parameter after `self` receives the transaction `Context`, whatever its name or
annotation; the others are the transaction's arguments, converted from the wire by their
type hints (see `provena.chaincode.conversion`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar, overload

from provena.chaincode.errors import UnknownFunctionError
from provena.chaincode.identity import ClientIdentity
from provena.chaincode.stub import ChaincodeStub

__all__ = ["Context", "Contract", "TransactionMark", "marked", "transaction"]

F = TypeVar("F", bound=Callable[..., Any])
_MARK = "__provena_transaction__"


class Context:
    """The first argument of every transaction: the stub and the caller's identity."""

    def __init__(self, stub: ChaincodeStub) -> None:
        self.stub = stub

    @property
    def client_identity(self) -> ClientIdentity:
        return self.stub.client_identity


@dataclass(frozen=True, slots=True)
class TransactionMark:
    """How `@transaction` marked a method: its public name and whether it only reads."""

    name: str | None
    evaluate: bool


@overload
def transaction(function: F, /) -> F: ...
@overload
def transaction(*, evaluate: bool = False, name: str | None = None) -> Callable[[F], F]: ...
def transaction(
    function: F | None = None, /, *, evaluate: bool = False, name: str | None = None
) -> F | Callable[[F], F]:
    """Mark a method as a transaction; ``evaluate=True`` tags it as a query (EVALUATE)."""

    def mark(target: F) -> F:
        setattr(target, _MARK, TransactionMark(name=name, evaluate=evaluate))
        return target

    return mark if function is None else mark(function)


def marked(function: object) -> TransactionMark | None:
    mark = getattr(function, _MARK, None)
    return mark if isinstance(mark, TransactionMark) else None


class Contract:
    """Base class of contracts. `name` defaults to the class name; `info` feeds metadata."""

    name: ClassVar[str] = ""
    title: ClassVar[str] = ""
    version: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "name" not in cls.__dict__:
            cls.name = cls.__name__

    def create_context(self, stub: ChaincodeStub) -> Context:
        """The context handed to each transaction; override to give it helpers of your own."""
        return Context(stub)

    async def before_transaction(self, ctx: Context) -> None:
        """Runs before every transaction of this contract (after its arguments converted)."""

    async def after_transaction(self, ctx: Context, result: Any) -> None:
        """Runs after every transaction of this contract that did not raise."""

    async def unknown_transaction(self, ctx: Context, function: str) -> Any:
        """Runs for a function this contract lacks; if it returns, its result is the answer."""
        raise UnknownFunctionError(f"Function {function} not found in contract {self.name}")
