"""Arguments from the wire to Python, and results back, driven by type hints (pydantic).

Arguments arrive as bytes. A parameter typed `bytes` takes them as they are; one whose JSON
schema is a string (str, constrained str, str enums and literals, dates) takes the UTF-8 text;
every other type (int, bool, lists, dicts, pydantic models …) is parsed from JSON, as
Fabric's contract APIs do. An unannotated parameter is a str.

Results go back as: bytes as they are, str as UTF-8, None as nothing, anything else as JSON
with sorted keys and no whitespace, so every endorser returns the same bytes.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pydantic
import pydantic_core

from provena.chaincode.errors import ArgumentError

__all__ = ["Parameter", "canonical_json", "convert_arguments", "serialize_result"]


def _is_text(adapter: pydantic.TypeAdapter[Any]) -> bool:
    try:
        schema = adapter.json_schema()
    except pydantic.errors.PydanticInvalidForJsonSchema:
        return False
    return schema.get("type") == "string" and schema.get("format") != "binary"


@dataclass(frozen=True, slots=True)
class Parameter:
    """One transaction parameter: its name, how it converts, and its default if any."""

    name: str
    annotation: Any
    adapter: pydantic.TypeAdapter[Any]
    mode: str  # "bytes", "text" or "json"
    default: Any = inspect.Parameter.empty

    @classmethod
    def of(cls, name: str, annotation: Any, default: Any) -> Parameter:
        annotation = str if annotation is inspect.Parameter.empty else annotation
        adapter: pydantic.TypeAdapter[Any] = pydantic.TypeAdapter(annotation)
        mode = "bytes" if annotation is bytes else "text" if _is_text(adapter) else "json"
        return cls(name, annotation, adapter, mode, default)

    @property
    def required(self) -> bool:
        return self.default is inspect.Parameter.empty

    def convert(self, raw: bytes) -> Any:
        try:
            if self.mode == "bytes":
                return raw
            if self.mode == "text":
                return self.adapter.validate_python(raw.decode("utf-8"))
            return self.adapter.validate_json(raw)
        except UnicodeDecodeError as exc:
            raise ArgumentError(f"argument {self.name} is not UTF-8 text") from exc
        except pydantic.ValidationError as exc:
            raise ArgumentError(f"argument {self.name}: {_describe(exc)}") from exc


def _describe(error: pydantic.ValidationError) -> str:
    parts = []
    for detail in error.errors(include_url=False, include_input=False):
        where = ".".join(str(part) for part in detail["loc"])
        parts.append(f"{where}: {detail['msg']}" if where else detail["msg"])
    return "; ".join(parts)


def convert_arguments(parameters: Sequence[Parameter], raw: Sequence[bytes]) -> list[Any]:
    """Each argument converted to its parameter's type; defaults fill trailing gaps."""
    if len(raw) > len(parameters):
        raise ArgumentError(f"expected at most {len(parameters)} arguments, got {len(raw)}")
    values = [parameter.convert(data) for parameter, data in zip(parameters, raw, strict=False)]
    for parameter in parameters[len(raw) :]:
        if parameter.required:
            names = ", ".join(p.name for p in parameters if p.required)
            raise ArgumentError(
                f"missing argument {parameter.name}: expected {len(parameters)} "
                f"({names} required), got {len(raw)}"
            )
        values.append(parameter.default)
    return values


def canonical_json(value: Any) -> bytes:
    """JSON with sorted keys and no insignificant whitespace."""
    plain = pydantic_core.to_jsonable_python(value)
    return json.dumps(plain, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def serialize_result(result: Any) -> bytes:
    """A transaction's return value as the response payload."""
    if result is None:
        return b""
    if isinstance(result, bytes | bytearray):
        return bytes(result)
    if isinstance(result, str):
        return result.encode("utf-8")
    return canonical_json(result)
