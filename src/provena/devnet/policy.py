"""Endorsement policies in Fabric's language, evaluated as Fabric evaluates them.

Two forms are accepted:

- signature policies, as `peer lifecycle chaincode approveformyorg --signature-policy` takes
  them: ``AND(...)``, ``OR(...)``, ``OutOf(n, ...)`` (also ``and``/``And``/``OUTOF``…), nested,
  with principals ``'MSPID.role'`` in single or double quotes, role one of member, admin,
  client, peer, orderer;
- implicit meta policies over the channel's organizations, ``ANY|ALL|MAJORITY <SubPolicy>``,
  where each organization's ``Endorsement`` is ``OR('<MSP>.peer')``, ``Admins`` is
  ``OR('<MSP>.admin')``, ``Writers`` is ``OR('<MSP>.admin', '<MSP>.client')`` and ``Readers``
  is ``OR('<MSP>.admin', '<MSP>.peer', '<MSP>.client')`` (the test network's definitions).

Evaluation follows Fabric's `cauthdsl`: identities are de-duplicated, and each identity is used
by at most one principal; an ``OutOf`` tries its branches in order and keeps an identity spent
only when the branch that spent it succeeds::

    OutOf(2, 'A.member', 'A.member')   needs two distinct members of A
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from fabric_protos.common import policies_pb2
from fabric_protos.msp import msp_principal_pb2

from provena.devnet.errors import PolicyError, PolicySyntaxError, UnsatisfiablePolicy

__all__ = ["DEFAULT_POLICY", "NOutOf", "Policy", "PolicyIdentity", "Rule", "SignedBy"]

DEFAULT_POLICY = "ANY Endorsement"
"""One endorsement, from any organization's peer."""

_ROLES = ("member", "admin", "client", "peer", "orderer")
_PROTO_ROLES = {
    "member": msp_principal_pb2.MSPRole.MEMBER,
    "admin": msp_principal_pb2.MSPRole.ADMIN,
    "client": msp_principal_pb2.MSPRole.CLIENT,
    "peer": msp_principal_pb2.MSPRole.PEER,
    "orderer": msp_principal_pb2.MSPRole.ORDERER,
}
_GATES = {
    **dict.fromkeys(("AND", "And", "and"), "and"),
    **dict.fromkeys(("OR", "Or", "or"), "or"),
    **dict.fromkeys(("OutOf", "OUTOF", "outof"), "outof"),
}
_PRINCIPAL = re.compile(r"^([A-Za-z0-9.-]+)\.(" + "|".join(_ROLES) + r")$")
_IMPLICIT = re.compile(r"^\s*(ANY|ALL|MAJORITY)\s+(\w+)\s*$")
_ORG_POLICIES = {
    "Endorsement": ("peer",),
    "Admins": ("admin",),
    "Writers": ("admin", "client"),
    "Readers": ("admin", "peer", "client"),
}
_TOKEN = re.compile(
    r"\s*(?:(?P<name>[A-Za-z_][\w.-]*)|(?P<number>\d+)|'(?P<sq>[^']*)'|\"(?P<dq>[^\"]*)\"|(?P<punct>[(),]))"
)


class PolicyIdentity(Protocol):
    """What evaluation needs of a verified identity (`provena.devnet.msp.Identity` is one)."""

    @property
    def msp_id(self) -> str: ...

    @property
    def role(self) -> str | None: ...

    @property
    def identifier(self) -> bytes:
        """What makes two identities one: the MSP and the certificate, not its spelling."""
        ...


@dataclass(frozen=True, slots=True)
class SignedBy:
    """A principal: a member of `msp_id` in `role` ('member' is any role)."""

    msp_id: str
    role: str

    def matches(self, identity: PolicyIdentity) -> bool:
        return identity.msp_id == self.msp_id and self.role in ("member", identity.role)

    def __str__(self) -> str:
        return f"'{self.msp_id}.{self.role}'"


@dataclass(frozen=True, slots=True)
class NOutOf:
    """At least `n` of `rules`."""

    n: int
    rules: tuple[Rule, ...]

    def __str__(self) -> str:
        return f"OutOf({self.n}, {', '.join(map(str, self.rules))})"


Rule = SignedBy | NOutOf


def _evaluate(rule: Rule, identities: Sequence[PolicyIdentity], used: list[bool]) -> bool:
    if isinstance(rule, SignedBy):
        for i, identity in enumerate(identities):
            if not used[i] and rule.matches(identity):
                used[i] = True
                return True
        return False
    satisfied = 0
    for child in rule.rules:
        trial = list(used)
        if _evaluate(child, identities, trial):
            satisfied += 1
            used[:] = trial
    return satisfied >= rule.n


class _Parser:
    """Recursive descent over Fabric's policy grammar, with positions in errors."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens: list[tuple[str, str, int]] = []
        pos = 0
        while pos < len(text):
            if text[pos:].strip() == "":
                break
            match = _TOKEN.match(text, pos)
            if match is None or match.end() == pos:
                start = len(text) - len(text[pos:].lstrip())
                what = "an unterminated quote" if text[start] in "'\"" else "unexpected character"
                raise PolicySyntaxError(f"{what} {text[start]!r}", text, start)
            kind = match.lastgroup or ""
            value = match.group(kind)
            start = match.start(kind) - (1 if kind in ("sq", "dq") else 0)
            self.tokens.append(("string" if kind in ("sq", "dq") else kind, value, start))
            pos = match.end()
        self.index = 0

    def fail(self, message: str) -> PolicySyntaxError:
        position = self.tokens[self.index][2] if self.index < len(self.tokens) else len(self.text)
        return PolicySyntaxError(message, self.text, position)

    def peek(self) -> tuple[str, str, int] | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self, kind: str, value: str | None = None) -> str:
        token = self.peek()
        if token is None or token[0] != kind or (value is not None and token[1] != value):
            want = repr(value) if value else kind
            got = "the end" if token is None else repr(token[1])
            raise self.fail(f"expected {want}, found {got}")
        self.index += 1
        return token[1]

    def policy(self) -> Rule:
        token = self.peek()
        if token is None or token[0] != "name":
            raise self.fail("a policy starts with AND(, OR( or OutOf(")
        rule = self.gate()
        if self.peek() is not None:
            raise self.fail("unexpected text after the policy")
        return rule

    def at(self, punct: str) -> bool:
        token = self.peek()
        return token is not None and token[0] == "punct" and token[1] == punct

    def gate(self) -> NOutOf:
        name = self.take("name")
        gate = _GATES.get(name)
        if gate is None:
            self.index -= 1
            raise self.fail(f"unknown function {name!r} (use AND, OR or OutOf)")
        self.take("punct", "(")
        threshold = self.threshold() if gate == "outof" else 0
        rules = [self.argument()]
        while self.at(","):
            self.index += 1
            rules.append(self.argument())
        closing = self.peek_pos()
        self.take("punct", ")")
        n = len(rules) if gate == "and" else 1 if gate == "or" else threshold
        if not 1 <= n <= len(rules):
            raise PolicySyntaxError(
                f"OutOf({n}, …) has {len(rules)} policies: n must be between 1 and {len(rules)}",
                self.text,
                closing,
            )
        return NOutOf(n, tuple(rules))

    def peek_pos(self) -> int:
        token = self.peek()
        return token[2] if token else len(self.text)

    def threshold(self) -> int:
        token = self.peek()
        if token is not None and token[0] in ("number", "string") and token[1].isdigit():
            self.index += 1
            self.take("punct", ",")
            return int(token[1])
        raise self.fail("OutOf needs a number of policies first, as in OutOf(2, 'A.peer', …)")

    def argument(self) -> Rule:
        token = self.peek()
        if token is None:
            raise self.fail("expected a principal or a policy, found the end")
        kind, value, _ = token
        if kind == "name":
            following = self.tokens[self.index + 1] if self.index + 1 < len(self.tokens) else None
            if following is None or following[1] != "(":
                raise self.fail(f"principal {value} must be in quotes: '{value}'")
            return self.gate()
        if kind == "string":
            match = _PRINCIPAL.match(value)
            if match is None:
                raise self.fail(
                    f"{value!r} is not a principal 'MSPID.role' (role: {', '.join(_ROLES)})"
                )
            self.index += 1
            return SignedBy(match.group(1), match.group(2))
        raise self.fail(f"expected a principal in quotes or a policy, found {value!r}")


def _implicit(rule: str, sub_policy: str, msp_ids: Sequence[str], text: str) -> Rule:
    roles = _ORG_POLICIES.get(sub_policy)
    if roles is None:
        raise PolicySyntaxError(
            f"unknown sub-policy {sub_policy!r} (organizations define {', '.join(_ORG_POLICIES)})",
            text,
            text.index(sub_policy),
        )
    if not msp_ids:
        raise PolicyError(f"{text!r} needs the channel's organizations")
    orgs = tuple(NOutOf(1, tuple(SignedBy(m, r) for r in roles)) for m in msp_ids)
    n = {"ANY": 1, "ALL": len(orgs), "MAJORITY": len(orgs) // 2 + 1}[rule]
    return NOutOf(n, orgs)


def _principals(rule: Rule) -> list[SignedBy]:
    if isinstance(rule, SignedBy):
        return [rule]
    return [p for child in rule.rules for p in _principals(child)]


@dataclass(frozen=True, slots=True)
class Policy:
    """A parsed endorsement policy over the channel's organizations."""

    text: str
    rule: Rule
    msp_ids: tuple[str, ...]
    _plans: dict[tuple[str, ...], list[str]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @classmethod
    def parse(cls, text: str, msp_ids: Sequence[str]) -> Policy:
        """Parse `text`; `msp_ids` are the channel's organizations (implicit meta policies
        range over them, and a principal naming another MSP is an error)."""
        implicit = _IMPLICIT.match(text)
        if implicit:
            rule = _implicit(implicit.group(1), implicit.group(2), msp_ids, text)
        else:
            rule = _Parser(text).policy()
            unknown = sorted({p.msp_id for p in _principals(rule)} - set(msp_ids))
            if unknown:
                raise PolicyError(
                    f"policy {text!r} names {', '.join(unknown)}, not in the channel "
                    f"({', '.join(msp_ids)})"
                )
        return cls(text, rule, tuple(msp_ids))

    def __str__(self) -> str:
        return self.text

    def satisfied_by(self, identities: Sequence[PolicyIdentity]) -> bool:
        """Whether these verified identities (signers) satisfy the policy; an identity that
        appears twice counts once, however its certificate is spelled (Fabric de-duplicates by
        MSP id and certificate hash)."""
        unique = list({i.identifier: i for i in identities}.values())
        return _evaluate(self.rule, unique, [False] * len(unique))

    def endorsing_orgs(self, preferred: Sequence[str] = ()) -> list[str]:
        """A smallest set of organizations whose peers (one each) satisfy the policy; among
        sets of that size, the one using `preferred` organizations first (worked out once for
        each preference)."""
        key = tuple(preferred)
        plan = self._plans.get(key)
        if plan is None:
            plan = self._plans[key] = self._plan(preferred)
        return list(plan)

    def _plan(self, preferred: Sequence[str]) -> list[str]:
        candidates = list(dict.fromkeys([*preferred, *self.msp_ids]))
        candidates = [m for m in candidates if m in self.msp_ids]
        peers = {m: _Peer(m) for m in candidates}
        for size in range(1, len(candidates) + 1):
            for orgs in itertools.combinations(candidates, size):
                if self.satisfied_by([peers[m] for m in orgs]):
                    return list(orgs)
        raise UnsatisfiablePolicy(
            f"no set of the channel's peers ({', '.join(self.msp_ids)}) satisfies {self.text!r}"
        )

    def to_envelope(self) -> policies_pb2.SignaturePolicyEnvelope:
        """The policy as Fabric stores it in a chaincode definition."""
        principals = list(dict.fromkeys(_principals(self.rule)))
        index = {p: i for i, p in enumerate(principals)}

        def convert(rule: Rule) -> policies_pb2.SignaturePolicy:
            if isinstance(rule, SignedBy):
                return policies_pb2.SignaturePolicy(signed_by=index[rule])
            return policies_pb2.SignaturePolicy(
                n_out_of=policies_pb2.SignaturePolicy.NOutOf(
                    n=rule.n, rules=[convert(r) for r in rule.rules]
                )
            )

        return policies_pb2.SignaturePolicyEnvelope(
            version=0,
            rule=convert(self.rule),
            identities=[
                msp_principal_pb2.MSPPrincipal(
                    principal_classification=msp_principal_pb2.MSPPrincipal.ROLE,
                    principal=msp_principal_pb2.MSPRole(
                        msp_identifier=p.msp_id, role=_PROTO_ROLES[p.role]
                    ).SerializeToString(),
                )
                for p in principals
            ],
        )


@dataclass(frozen=True, slots=True)
class _Peer:
    """An organization's endorsing peer, as endorsement planning imagines it."""

    msp_id: str
    role: str = "peer"

    @property
    def identifier(self) -> bytes:
        return self.msp_id.encode()
