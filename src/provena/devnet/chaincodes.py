"""The chaincode definitions of the channel, remembered in `<data>/chaincodes.json`.

Defining a chaincode again with the same facts changes nothing; changing its address, TLS
files, version or endorsement policy is an upgrade and bumps its sequence, as Fabric's
lifecycle requires. Every sequence is kept, with the block it applies from, so a block is
always validated (and re-verified) against the definition that was in force for it. The
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
from provena.devnet.policy import Policy

__all__ = ["ChaincodePolicies", "ChaincodeRegistry"]


class ChaincodeRegistry:
    """The persisted definitions, by name, each with its earlier sequences."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._sequences = self._read()

    def _read(self) -> dict[str, list[ChaincodeDefinition]]:
        if not self._path.exists():
            return {}
        try:
            items = json.loads(self._path.read_text())
            definitions = [ChaincodeDefinition.from_json(item) for item in items]
        except (OSError, ValueError, TypeError) as exc:
            raise ConfigError(f"cannot read chaincode definitions {self._path}: {exc}") from exc
        sequences: dict[str, list[ChaincodeDefinition]] = {}
        for definition in sorted(definitions, key=lambda d: (d.name, d.sequence)):
            sequences.setdefault(definition.name, []).append(definition)
        return sequences

    @property
    def definitions(self) -> list[ChaincodeDefinition]:
        """The current definition of each chaincode, by name."""
        return [self._sequences[name][-1] for name in sorted(self._sequences)]

    def get(self, name: str) -> ChaincodeDefinition | None:
        """The current definition of `name`."""
        sequences = self._sequences.get(name)
        return sequences[-1] if sequences else None

    def in_force(self, name: str, block: int) -> ChaincodeDefinition | None:
        """The definition of `name` that applies to block number `block`, if any."""
        applicable = [d for d in self._sequences.get(name, ()) if d.defined_at <= block]
        return applicable[-1] if applicable else None

    def define(
        self,
        name: str,
        address: str,
        *,
        version: str | None = None,
        tls_ca: Path | None = None,
        client_cert: Path | None = None,
        client_key: Path | None = None,
        endorsement_policy: str | None = None,
        from_block: int = 0,
    ) -> tuple[ChaincodeDefinition, bool]:
        """Define or upgrade `name`, applying from block number `from_block` on; returns the
        definition and whether it changed. `endorsement_policy` must already be checked."""
        previous = self.get(name)
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
                endorsement_policy=endorsement_policy,
                defined_at=previous.defined_at if previous else from_block,
            )
        except ValueError as exc:
            raise ConfigError(str(exc)) from exc
        if previous is not None and candidate == previous:
            return previous, False
        if previous is not None:
            later = max(from_block, previous.defined_at)
            candidate = replace(candidate, sequence=previous.sequence + 1, defined_at=later)
        self._sequences.setdefault(name, []).append(candidate)
        self._write()
        return candidate, True

    def _write(self) -> None:
        self._path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self._path.with_name(f".{self._path.name}.tmp")
        items = [d.to_json() for name in sorted(self._sequences) for d in self._sequences[name]]
        tmp.write_text(json.dumps(items, indent=2) + "\n")
        tmp.replace(self._path)


def _absolute(path: Path | None) -> Path | None:
    """Paths are kept absolute: the devnet may run from another directory than the CLI."""
    if path is None:
        return None
    if not path.is_file():
        raise ConfigError(f"no such file: {path}")
    return path.resolve()


class ChaincodePolicies:
    """Each chaincode's endorsement policy, parsed once: its own, else the channel's default."""

    def __init__(self, registry: ChaincodeRegistry, default: Policy) -> None:
        self._registry = registry
        self._default = default
        self._parsed = {default.text: default}

    def check(self, text: str | None) -> Policy:
        """`text` parsed over the channel's organizations (None: the default); an unknown
        organization, bad syntax or a policy no set of peers can satisfy is a PolicyError."""
        if text is None:
            return self._default
        policy = self._parsed.get(text)
        if policy is None:
            policy = Policy.parse(text, self._default.msp_ids)
            policy.endorsing_orgs()
            self._parsed[text] = policy
        return policy

    def current(self, name: str) -> Policy | None:
        """The policy endorsements of `name` must satisfy now; None when it is not defined."""
        definition = self._registry.get(name)
        return None if definition is None else self.check(definition.endorsement_policy)

    def at(self, name: str, block: int) -> Policy | None:
        """The policy of `name` in force for block number `block` (a `PolicyLookup`)."""
        definition = self._registry.in_force(name, block)
        return None if definition is None else self.check(definition.endorsement_policy)
