"""The chaincode definitions of the channel, remembered in `<data>/chaincodes.json`.

Defining a chaincode again with the same facts changes nothing; changing its address, TLS
files or version is an upgrade and bumps its sequence, as Fabric's lifecycle requires. The
package id is `provena.devnet.chaincode.package_id_for(name, address)`: Fabric hashes the
installed package, and a devnet chaincode-as-a-service package is nothing but its name and
address, so that is what is hashed (deterministically).

Only one process writes the file: the running devnet (through its admin socket), or the
`provena devnet chaincode deploy` command when no devnet runs.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from provena.devnet.chaincode.definition import ChaincodeDefinition, package_id_for
from provena.devnet.errors import ConfigError

__all__ = ["ChaincodeRegistry"]


class ChaincodeRegistry:
    """The persisted definitions, by name."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._definitions = self._read()

    def _read(self) -> dict[str, ChaincodeDefinition]:
        if not self._path.exists():
            return {}
        try:
            items = json.loads(self._path.read_text())
            definitions = [ChaincodeDefinition.from_json(item) for item in items]
        except (OSError, ValueError, TypeError) as exc:
            raise ConfigError(f"cannot read chaincode definitions {self._path}: {exc}") from exc
        return {d.name: d for d in definitions}

    @property
    def definitions(self) -> list[ChaincodeDefinition]:
        return sorted(self._definitions.values(), key=lambda d: d.name)

    def get(self, name: str) -> ChaincodeDefinition | None:
        return self._definitions.get(name)

    def define(
        self,
        name: str,
        address: str,
        *,
        version: str | None = None,
        tls_ca: Path | None = None,
        client_cert: Path | None = None,
        client_key: Path | None = None,
    ) -> tuple[ChaincodeDefinition, bool]:
        """Define or upgrade `name`; returns the definition and whether it changed."""
        previous = self._definitions.get(name)
        try:
            candidate = ChaincodeDefinition(
                name=name,
                version=version or (previous.version if previous else "1.0"),
                sequence=previous.sequence if previous else 1,
                package_id=package_id_for(name, address),
                address=address,
                tls_ca=_absolute(tls_ca),
                client_cert=_absolute(client_cert),
                client_key=_absolute(client_key),
            )
        except ValueError as exc:
            raise ConfigError(str(exc)) from exc
        if candidate == previous:
            return candidate, False
        if previous is not None:
            candidate = replace(candidate, sequence=previous.sequence + 1)
        self._definitions[name] = candidate
        self._write()
        return candidate, True

    def _write(self) -> None:
        self._path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self._path.with_name(f".{self._path.name}.tmp")
        items = [d.to_json() for d in self.definitions]
        tmp.write_text(json.dumps(items, indent=2) + "\n")
        tmp.replace(self._path)


def _absolute(path: Path | None) -> Path | None:
    """Paths are kept absolute: the devnet may run from another directory than the CLI."""
    if path is None:
        return None
    if not path.is_file():
        raise ConfigError(f"no such file: {path}")
    return path.resolve()
