"""What a contract class offers: its transactions, read once from the class and its hints."""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from provena.chaincode.contract import Contract, TransactionMark, marked
from provena.chaincode.conversion import Parameter
from provena.chaincode.errors import DefinitionError

__all__ = ["TransactionSpec", "describe"]


@dataclass(frozen=True, slots=True)
class TransactionSpec:
    """One transaction: public name, method, parameters after the context, evaluate tag."""

    name: str
    method: Callable[..., Any]
    parameters: tuple[Parameter, ...]
    returns: Any
    evaluate: bool
    description: str


def _spec(
    contract: type[Contract], attribute: str, method: Callable[..., Any], mark: TransactionMark
) -> TransactionSpec:
    where = f"{contract.__qualname__}.{attribute}"
    try:
        hints = typing.get_type_hints(method, include_extras=True)
    except (NameError, TypeError) as exc:
        raise DefinitionError(f"{where}: cannot resolve its type hints: {exc}") from exc
    signature = inspect.signature(method)
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    params = list(signature.parameters.values())
    for param in params:
        if param.kind not in positional:
            raise DefinitionError(
                f"{where}: parameter {param.name} must be positional (no *args, **kwargs "
                "or keyword-only parameters in a transaction)"
            )
    if len(params) < 2:
        raise DefinitionError(
            f"{where}: a transaction takes the context as its first parameter after self"
        )
    parameters = []
    for param in params[2:]:
        try:
            parameters.append(
                Parameter.of(param.name, hints.get(param.name, param.annotation), param.default)
            )
        except Exception as exc:  # pydantic refuses types it cannot validate
            raise DefinitionError(f"{where}: parameter {param.name}: {exc}") from exc
    return TransactionSpec(
        name=mark.name or attribute,
        method=method,
        parameters=tuple(parameters),
        returns=hints.get("return", inspect.Signature.empty),
        evaluate=mark.evaluate,
        description=inspect.getdoc(method) or "",
    )


def describe(contract: type[Contract]) -> dict[str, TransactionSpec]:
    """The transactions of a contract class (its own and inherited ones) by public name."""
    found: dict[str, TransactionSpec] = {}
    seen: set[str] = set()
    for klass in contract.__mro__:
        for attribute, value in vars(klass).items():
            if attribute in seen:
                continue
            seen.add(attribute)
            mark = marked(value)
            if mark is None:
                continue
            if not inspect.isfunction(value):
                raise DefinitionError(
                    f"{contract.__qualname__}.{attribute}: @transaction marks plain methods only"
                )
            spec = _spec(contract, attribute, value, mark)
            if spec.name in found:
                raise DefinitionError(
                    f"{contract.__qualname__}: two transactions are named {spec.name}"
                )
            found[spec.name] = spec
    return found
