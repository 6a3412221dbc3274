"""The memo of good signatures: each is checked once per process, and nothing else passes."""

from __future__ import annotations

from collections.abc import Callable

from cryptography.hazmat.primitives.asymmetric import ec

from provena.devnet.identity import SIGNATURES, SignatureMemo, SigningIdentity
from provena.devnet.msp import MspManager
from provena.devnet.pki import Pki


def _counting(result: bool) -> tuple[list[int], Callable[[], bool]]:
    """A verification that answers `result` and counts its calls."""
    calls: list[int] = []

    def verify() -> bool:
        calls.append(1)
        return result

    return calls, verify


def test_a_good_signature_is_checked_once() -> None:
    memo = SignatureMemo()
    calls, verify = _counting(True)
    assert memo.check(b"id", b"message", b"sig", verify)
    assert memo.check(b"id", b"message", b"sig", verify)
    assert len(calls) == 1


def test_a_bad_signature_is_never_remembered() -> None:
    memo = SignatureMemo()
    calls, verify = _counting(False)
    assert not memo.check(b"id", b"message", b"sig", verify)
    assert not memo.check(b"id", b"message", b"sig", verify)
    assert len(calls) == 2


def test_only_the_same_signer_message_and_signature_are_known() -> None:
    memo = SignatureMemo()
    memo.remember(b"id", b"message", b"sig")
    for other in [
        (b"id2", b"message", b"sig"),
        (b"id", b"message!", b"sig"),
        (b"id", b"message", b"sig2"),
    ]:
        calls, verify = _counting(False)
        assert not memo.check(*other, verify)
        assert calls == [1]


def test_the_oldest_are_forgotten() -> None:
    memo = SignatureMemo(size=2)
    for n in range(3):
        memo.remember(b"id", str(n).encode(), b"sig")
    _, verify = _counting(False)
    assert not memo.check(b"id", b"0", b"sig", verify)
    assert memo.check(b"id", b"2", b"sig", verify)


def test_msp_identities_still_refuse_what_does_not_verify(pki: Pki, msps: MspManager) -> None:
    signer = pki.signer("Org1MSP")
    identity = msps.deserialize(signer.serialized())
    signature = signer.sign(b"endorsed payload")  # remembered: our own, with a matching key
    assert identity.verify(b"endorsed payload", signature)
    assert not identity.verify(b"another payload", signature)
    other = msps.deserialize(pki.signer("Org2MSP").serialized())
    assert not other.verify(b"endorsed payload", signature)


def test_a_key_that_is_not_the_certificates_signs_but_is_not_remembered(
    pki: Pki, msps: MspManager
) -> None:
    genuine = pki.signer("Org1MSP")
    impostor = SigningIdentity(
        genuine.msp_id, genuine.certificate_pem, ec.generate_private_key(ec.SECP256R1())
    )
    signature = impostor.sign(b"forged payload")
    assert not SIGNATURES.check(genuine.serialized(), b"forged payload", signature, lambda: False)
    assert not msps.deserialize(genuine.serialized()).verify(b"forged payload", signature)
