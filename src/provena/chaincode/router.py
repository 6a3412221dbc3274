"""`Contracts`: a chaincode made of contract classes, dispatching `Contract:Function` names.

The first argument names the transaction: ``Registry:Bootstrap`` runs Bootstrap of the
contract named Registry; a bare ``Bootstrap`` runs it on the default contract (the first one
given); ``org.hyperledger.fabric:GetMetadata`` returns the metadata document. The rest of
the arguments are the transaction's. Each run goes::

    convert arguments → before_transaction → the transaction → after_transaction → result
"""

from __future__ import annotations

import inspect
from typing import Any

from provena.chaincode.contract import Contract
from provena.chaincode.conversion import canonical_json, convert_arguments, serialize_result
from provena.chaincode.errors import DefinitionError, UnknownFunctionError
from provena.chaincode.metadata import SYSTEM_CONTRACT, build_metadata
from provena.chaincode.response import Response
from provena.chaincode.stub import ChaincodeStub
from provena.chaincode.transactions import TransactionSpec, describe

__all__ = ["Contracts", "split_function_name"]


async def _settle(value: Any) -> Any:
    """Await what hooks and transactions return when they are coroutines (async methods)."""
    return await value if inspect.isawaitable(value) else value


def split_function_name(text: str) -> tuple[str, str]:
    """(contract, function) of ``Contract:Function``; the contract is "" for a bare name."""
    contract, sep, function = text.partition(":")
    return (contract, function) if sep else ("", text)


class Contracts:
    """A `Chaincode` serving contract instances; the first is the default contract."""

    def __init__(self, *contracts: Contract, title: str = "", version: str = "") -> None:
        if not contracts:
            raise DefinitionError("a chaincode needs at least one contract")
        self._contracts: dict[str, tuple[Contract, dict[str, TransactionSpec]]] = {}
        for contract in contracts:
            if not isinstance(contract, Contract):
                raise DefinitionError(f"{contract!r} is not a Contract instance")
            name = contract.name
            if not name or ":" in name or name == SYSTEM_CONTRACT:
                raise DefinitionError(f"{type(contract).__qualname__}: invalid name {name!r}")
            if name in self._contracts:
                raise DefinitionError(f"two contracts are named {name}")
            self._contracts[name] = (contract, describe(type(contract)))
        self._default = contracts[0].name
        self._metadata = canonical_json(
            build_metadata(self._contracts, title=title, version=version)
        )

    @property
    def metadata(self) -> bytes:
        """The GetMetadata document (JSON)."""
        return self._metadata

    async def init(self, stub: ChaincodeStub) -> Response:
        """INIT runs a named transaction like any other, as Fabric's contract APIs do."""
        return await self.invoke(stub)

    async def invoke(self, stub: ChaincodeStub) -> Response:
        args = stub.get_args()
        if not args:
            raise UnknownFunctionError("no function name given: the first argument names it")
        try:
            requested = args[0].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise UnknownFunctionError("the function name is not UTF-8 text") from exc
        contract_name, function = split_function_name(requested)
        if contract_name == SYSTEM_CONTRACT:
            if function != "GetMetadata":
                raise UnknownFunctionError(
                    f"Function {function} not found in contract {SYSTEM_CONTRACT}"
                )
            return Response.success(self._metadata)
        entry = self._contracts.get(contract_name or self._default)
        if entry is None:
            raise UnknownFunctionError(f"Contract {contract_name} not found")
        contract, transactions = entry
        ctx = contract.create_context(stub)
        spec = transactions.get(function)
        if spec is None:
            result = await _settle(contract.unknown_transaction(ctx, function))
            return Response.success(serialize_result(result))
        values = convert_arguments(spec.parameters, args[1:])
        await _settle(contract.before_transaction(ctx))
        result = await _settle(spec.method(contract, ctx, *values))
        await _settle(contract.after_transaction(ctx, result))
        return Response.success(serialize_result(result))
