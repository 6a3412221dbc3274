"""Endorsement policies: Fabric's syntax, cauthdsl evaluation, endorsement planning."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from fabric_protos.msp import msp_principal_pb2

from provena.devnet.errors import PolicyError, PolicySyntaxError, UnsatisfiablePolicy
from provena.devnet.identity import SigningIdentity
from provena.devnet.msp import MspManager
from provena.devnet.pki import Pki
from provena.devnet.policy import DEFAULT_POLICY, NOutOf, Policy, SignedBy

MSPS = ("A", "B", "C", "D")
_NESTED = "AND(OR(AND('S0.member', 'S1.member'), AND('S0.member', 'S0.member')), 'S0.member')"


@dataclass(frozen=True)
class Who:
    """A verified identity as the policy sees it."""

    msp_id: str
    role: str
    identifier: bytes


def who(spec: str) -> Who:
    """'A.peer' or 'A.peer#2' (a second, distinct identity)."""
    principal, _, _ = spec.partition("#")
    msp_id, role = principal.split(".")
    return Who(msp_id, role, spec.encode())


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("AND('A.peer', 'B.peer')", NOutOf(2, (SignedBy("A", "peer"), SignedBy("B", "peer")))),
        ("OR('A.member')", NOutOf(1, (SignedBy("A", "member"),))),
        ('or("A.admin","B.client")', NOutOf(1, (SignedBy("A", "admin"), SignedBy("B", "client")))),
        ("And('A.orderer')", NOutOf(1, (SignedBy("A", "orderer"),))),
        (
            "OUTOF(2,'A.peer','B.peer','C.peer')",
            NOutOf(2, tuple(SignedBy(m, "peer") for m in "ABC")),
        ),
        ("outof('1', 'A.peer')", NOutOf(1, (SignedBy("A", "peer"),))),
        (
            "  OutOf( 1 ,\n AND('A.peer','B.peer') , OR('C.member', 'D.member') )  ",
            NOutOf(
                1,
                (
                    NOutOf(2, (SignedBy("A", "peer"), SignedBy("B", "peer"))),
                    NOutOf(1, (SignedBy("C", "member"), SignedBy("D", "member"))),
                ),
            ),
        ),
        (
            "AND('A.peer', OR('B.peer', AND('C.peer', 'D.peer')))",
            NOutOf(
                2,
                (
                    SignedBy("A", "peer"),
                    NOutOf(
                        1,
                        (
                            SignedBy("B", "peer"),
                            NOutOf(2, (SignedBy("C", "peer"), SignedBy("D", "peer"))),
                        ),
                    ),
                ),
            ),
        ),
    ],
)
def test_parses_signature_policies(text: str, rule: NOutOf) -> None:
    assert Policy.parse(text, MSPS).rule == rule


def test_msp_ids_with_dots_and_dashes() -> None:
    policy = Policy.parse("OR('org1.example-com.peer')", ["org1.example-com"])
    assert policy.rule == NOutOf(1, (SignedBy("org1.example-com", "peer"),))


@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        ("", "a policy starts with AND(, OR( or OutOf(", 0),
        ("'A.peer'", "a policy starts with", 0),
        ("XOR('A.peer')", "unknown function 'XOR'", 0),
        ("AND('A.peer'", "expected ')', found the end", 12),
        ("AND('A.peer',)", "expected a principal in quotes or a policy, found ')'", 13),
        ("AND()", "expected a principal in quotes or a policy, found ')'", 4),
        ("AND(A.peer)", "principal A.peer must be in quotes: 'A.peer'", 4),
        ("AND('A.peer', B)", "principal B must be in quotes", 14),
        ("OR(NOPE('A.peer'))", "unknown function 'NOPE'", 3),
        ("AND('A.peer' 'B.peer')", "expected ')', found 'B.peer'", 13),
        ("AND('A.boss')", "'A.boss' is not a principal", 4),
        ("AND('A')", "'A' is not a principal", 4),
        ("AND('A.peer')) ", "unexpected text after the policy", 13),
        ("AND('A.peer') OR('B.peer')", "unexpected text after the policy", 14),
        ("OutOf('A.peer', 'B.peer')", "OutOf needs a number", 6),
        ("OutOf(3, 'A.peer', 'B.peer')", "n must be between 1 and 2", 27),
        ("OutOf(0, 'A.peer')", "n must be between 1 and 1", 17),
        ("AND('A.peer'; 'B.peer')", "unexpected character ';'", 12),
        ("AND('A.peer, 'B.peer')", "an unterminated quote", 20),
        ("MAJORITY Nonsense", "unknown sub-policy 'Nonsense'", 9),
    ],
)
def test_syntax_errors_say_what_and_where(text: str, message: str, position: int) -> None:
    with pytest.raises(PolicySyntaxError, match=re.escape(message)) as info:
        Policy.parse(text, MSPS)
    assert info.value.position == position
    assert f"at position {position}" in str(info.value)


def test_principal_outside_the_channel() -> None:
    with pytest.raises(PolicyError, match="names E, Z, not in the channel"):
        Policy.parse("OR('Z.peer', 'E.peer', 'A.peer')", MSPS)


def test_implicit_meta_needs_orgs() -> None:
    with pytest.raises(PolicyError, match="needs the channel's organizations"):
        Policy.parse("ANY Endorsement", [])


@pytest.mark.parametrize(
    ("text", "signers", "ok"),
    [
        ("AND('A.peer', 'B.peer')", ["A.peer", "B.peer"], True),
        ("AND('A.peer', 'B.peer')", ["A.peer"], False),
        ("AND('A.peer', 'B.peer')", ["A.peer", "A.peer", "B.client"], False),
        ("OR('A.peer', 'B.peer')", ["B.peer"], True),
        ("OR('A.peer', 'B.peer')", ["C.peer"], False),
        ("OR('A.member')", ["A.client"], True),
        ("OR('A.member')", ["A.admin"], True),
        ("OR('A.admin')", ["A.peer"], False),
        ("OR('A.client')", ["A.client"], True),
        ("OR('A.orderer')", ["A.orderer"], True),
        ("OR('A.orderer')", ["B.orderer"], False),
        # each identity counts once
        ("AND('A.member', 'A.member')", ["A.peer"], False),
        ("AND('A.member', 'A.member')", ["A.peer", "A.peer"], False),  # the same identity twice
        ("AND('A.member', 'A.member')", ["A.peer", "A.peer#2"], True),
        ("AND('A.member', 'A.peer')", ["A.peer", "A.client"], False),  # greedy, as Fabric
        ("AND('A.peer', 'A.member')", ["A.peer", "A.client"], True),
        ("OutOf(2, 'A.peer', 'B.peer', 'C.peer')", ["C.peer", "A.peer"], True),
        ("OutOf(2, 'A.peer', 'B.peer', 'C.peer')", ["C.peer"], False),
        ("OR(AND('A.peer', 'B.peer'), 'C.peer')", ["A.peer", "C.peer"], True),
        ("OR(AND('A.peer', 'B.peer'), 'C.peer')", ["A.peer", "D.peer"], False),
        # cauthdsl keeps what every satisfied branch spent: the first OR takes both peers
        ("AND(OR('A.peer', 'B.peer'), OR('A.peer', 'B.peer'))", ["A.peer", "B.peer"], False),
        ("AND(OR('A.peer', 'B.peer'), OR('C.peer', 'D.peer'))", ["A.peer", "D.peer"], True),
        ("AND(OR('A.peer', 'B.peer'), OR('A.peer', 'B.peer'))", ["A.peer"], False),
        ("ANY Endorsement", ["D.peer"], True),
        ("ANY Endorsement", ["D.client"], False),
        ("ANY Endorsement", [], False),
        ("MAJORITY Endorsement", ["A.peer", "B.peer"], False),
        ("MAJORITY Endorsement", ["A.peer", "B.peer", "D.peer"], True),
        ("ALL Endorsement", ["A.peer", "B.peer", "C.peer"], False),
        ("ALL Endorsement", ["A.peer", "B.peer", "C.peer", "D.peer"], True),
        ("ANY Admins", ["B.admin"], True),
        ("ANY Admins", ["B.peer"], False),
        ("ALL Writers", ["A.admin", "B.client", "C.client", "D.admin"], True),
        ("ALL Writers", ["A.admin", "B.client", "C.client", "D.peer"], False),
        ("MAJORITY Readers", ["A.peer", "B.client", "C.admin"], True),
    ],
)
def test_evaluation(text: str, signers: list[str], ok: bool) -> None:
    assert Policy.parse(text, MSPS).satisfied_by([who(s) for s in signers]) is ok


@pytest.mark.parametrize(
    ("case", "text", "signers", "ok"),
    [
        ("TestSimpleSignature", "OR('S0.member')", ["S0"], True),
        ("TestSimpleSignature", "OR('S0.member')", ["S1"], False),
        ("TestMultipleSignature", "AND('S0.member', 'S1.member')", ["S0", "S1"], True),
        ("TestMultipleSignature", "AND('S0.member', 'S1.member')", ["S0", "S0"], False),
        ("TestComplexNestedSignature", _NESTED, ["S0", "S1", "S0#2"], True),
        ("TestComplexNestedSignature", _NESTED, ["S0", "S0#2", "S0#3"], True),
        ("TestComplexNestedSignature", _NESTED, ["S0", "S1"], False),
        ("TestComplexNestedSignature", _NESTED, ["S0", "S1", "S1#2"], False),
    ],
)
def test_fabric_cauthdsl_cases(case: str, text: str, signers: list[str], ok: bool) -> None:
    """The cases of Fabric's common/cauthdsl/cauthdsl_test.go (v3.1). Its signers are mock
    identities, each satisfying the principal whose bytes it carries; here signer 'S0' is a
    member of MSP S0, and 'S0#2' a second, distinct member (Fabric's test passes the same
    bytes twice to the compiled evaluator, which real evaluation de-duplicates first)."""
    identities = [who(f"{s.split('#')[0]}.member#{s}") for s in signers]
    assert Policy.parse(text, ("S0", "S1")).satisfied_by(identities) is ok, case


def test_evaluates_real_identities(pki: Pki, msps: MspManager) -> None:
    policy = Policy.parse("AND('Org1MSP.peer', 'Org2MSP.member')", pki.msp_ids)
    peer1 = msps.deserialize(pki.signer("Org1MSP").serialized())
    admin2 = msps.deserialize(pki.signer("Org2MSP", "Admin").serialized())
    alice = msps.deserialize(pki.signer("Org1MSP", "alice").serialized())
    assert policy.satisfied_by([peer1, admin2])
    assert not policy.satisfied_by([alice, admin2])


@pytest.mark.parametrize(
    ("text", "preferred", "orgs"),
    [
        ("ANY Endorsement", [], ["A"]),
        ("ANY Endorsement", ["C"], ["C"]),
        ("ANY Endorsement", ["Z", "B"], ["B"]),  # an org outside the channel is ignored
        ("MAJORITY Endorsement", [], ["A", "B", "C"]),
        ("MAJORITY Endorsement", ["D"], ["D", "A", "B"]),
        ("ALL Endorsement", ["C"], ["C", "A", "B", "D"]),
        ("AND('B.peer', 'C.peer')", ["A"], ["B", "C"]),
        ("OR(AND('A.peer', 'B.peer'), 'C.member')", ["A"], ["C"]),
        ("OutOf(2, 'A.peer', 'B.peer', 'C.peer')", ["C"], ["C", "A"]),
        ("OR('A.admin', 'B.peer')", [], ["B"]),
    ],
)
def test_endorsing_orgs_is_minimal_and_prefers(
    text: str, preferred: list[str], orgs: list[str]
) -> None:
    assert Policy.parse(text, MSPS).endorsing_orgs(preferred) == orgs


@pytest.mark.parametrize(
    "text",
    ["OR('A.admin')", "AND('A.member', 'A.member')", "OR('B.client', 'C.orderer')", "ANY Admins"],
)
def test_unsatisfiable_by_peers(text: str) -> None:
    with pytest.raises(UnsatisfiablePolicy, match="no set of the channel's peers"):
        Policy.parse(text, MSPS).endorsing_orgs()


def test_default_is_one_endorsement_from_anyone() -> None:
    policy = Policy.parse(DEFAULT_POLICY, MSPS)
    for msp_id in MSPS:
        assert policy.satisfied_by([who(f"{msp_id}.peer")])
    assert len(policy.endorsing_orgs()) == 1


def test_envelope() -> None:
    envelope = Policy.parse("OutOf(2, 'A.peer', OR('B.admin', 'A.peer'))", MSPS).to_envelope()
    assert envelope.version == 0
    roles = []
    for principal in envelope.identities:
        assert principal.principal_classification == msp_principal_pb2.MSPPrincipal.ROLE
        role = msp_principal_pb2.MSPRole.FromString(principal.principal)
        roles.append((role.msp_identifier, role.role))
    assert roles == [("A", msp_principal_pb2.MSPRole.PEER), ("B", msp_principal_pb2.MSPRole.ADMIN)]
    rule = envelope.rule.n_out_of
    assert rule.n == 2
    assert rule.rules[0].signed_by == 0
    inner = rule.rules[1].n_out_of
    assert (inner.n, [r.signed_by for r in inner.rules]) == (1, [1, 0])


def test_str_is_the_text() -> None:
    text = "OR('A.peer', 'B.peer')"
    policy = Policy.parse(text, MSPS)
    assert str(policy) == text
    assert str(policy.rule) == "OutOf(1, 'A.peer', 'B.peer')"


def test_the_same_certificate_spelled_twice_is_one_identity(pki: Pki, msps: MspManager) -> None:
    peer = pki.signer("Org1MSP")
    respelled = SigningIdentity(peer.msp_id, peer.certificate_pem + b"\n", peer.private_key)
    identities = [msps.deserialize(s.serialized()) for s in (peer, respelled)]
    policy = Policy.parse("AND('Org1MSP.peer', 'Org1MSP.peer')", ("Org1MSP",))
    assert not policy.satisfied_by(identities)
