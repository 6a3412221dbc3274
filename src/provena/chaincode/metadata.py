"""`org.hyperledger.fabric:GetMetadata`: the contracts described in Fabric's contract schema.

The shape follows the contract-schema.json of Fabric's contract APIs, so tools that read
Node or Go chaincode metadata read ours: ``info``, ``contracts`` (each with its
transactions, their parameters' JSON schemas and a SUBMIT or EVALUATE tag) and
``components.schemas`` holding every pydantic model the parameters and results refer to.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import Any

import pydantic
from pydantic.json_schema import GenerateJsonSchema

from provena.chaincode.contract import Contract
from provena.chaincode.transactions import TransactionSpec

__all__ = ["SCHEMA_URL", "SYSTEM_CONTRACT", "build_metadata"]

SYSTEM_CONTRACT = "org.hyperledger.fabric"
SCHEMA_URL = "https://hyperledger.github.io/fabric-chaincode-node/main/api/contract-schema.json"
_REF_TEMPLATE = "#/components/schemas/{model}"


def _tags(spec: TransactionSpec) -> list[str]:
    return ["EVALUATE"] if spec.evaluate else ["SUBMIT", "submitTx"]


def build_metadata(
    contracts: Mapping[str, tuple[Contract, Mapping[str, TransactionSpec]]],
    *,
    title: str,
    version: str,
) -> dict[str, Any]:
    """The metadata document for these contracts (plus the system contract)."""
    inputs: list[tuple[Any, Any, Any]] = []
    for name, (_, transactions) in contracts.items():
        for spec in transactions.values():
            for parameter in spec.parameters:
                key = (name, spec.name, parameter.name)
                inputs.append((key, "validation", parameter.adapter.core_schema))
            if spec.returns not in (inspect.Signature.empty, None, type(None)):
                returns = pydantic.TypeAdapter(spec.returns)
                inputs.append(((name, spec.name, None), "serialization", returns.core_schema))
    generator = GenerateJsonSchema(ref_template=_REF_TEMPLATE)
    schemas, definitions = generator.generate_definitions(inputs) if inputs else ({}, {})

    described: dict[str, Any] = {}
    for name, (contract, transactions) in contracts.items():
        entries = []
        for spec in transactions.values():
            entry: dict[str, Any] = {"name": spec.name, "tag": _tags(spec)}
            if spec.parameters:
                entry["parameters"] = [
                    {
                        "name": p.name,
                        "required": p.required,
                        "schema": schemas[((name, spec.name, p.name), "validation")],
                    }
                    for p in spec.parameters
                ]
            returned = schemas.get(((name, spec.name, None), "serialization"))
            if returned is not None:
                entry["returns"] = returned
            entries.append(entry)
        info = {"title": contract.title or name, "version": contract.version}
        described[name] = {"name": name, "info": info, "transactions": entries}
    described[SYSTEM_CONTRACT] = {
        "name": SYSTEM_CONTRACT,
        "info": {"title": "Fabric system contract", "version": ""},
        "transactions": [{"name": "GetMetadata", "tag": ["EVALUATE"]}],
    }
    return {
        "$schema": SCHEMA_URL,
        "info": {"title": title, "version": version},
        "contracts": described,
        "components": {"schemas": definitions},
    }
