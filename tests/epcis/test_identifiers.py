"""Identifiers and vocabulary in the event hash's canonical forms."""

from __future__ import annotations

import pytest

from provena.epcis.identifiers import (
    check_digit,
    digital_link,
    epc_to_digital_link,
    is_gs1_identifier,
    normalise_digital_link,
    vocabulary_uri,
)

DL = "https://id.gs1.org"


@pytest.mark.parametrize(
    ("urn", "uri"),
    [
        ("urn:epc:id:sgtin:4012345.011111.987", f"{DL}/01/04012345111118/21/987"),
        ("urn:epc:id:sgtin:0614141.112345.A%2FB", f"{DL}/01/10614141123459/21/A%2FB"),
        ("urn:epc:id:sgtin:4012345.011111.a(1)", f"{DL}/01/04012345111118/21/a%281%29"),
        ("urn:epc:id:sscc:4012345.0000000001", f"{DL}/00/040123450000000016"),
        ("urn:epc:id:sgln:4012345.00001.0", f"{DL}/414/4012345000016"),
        ("urn:epc:id:sgln:4012345.00001.12", f"{DL}/414/4012345000016/254/12"),
        ("urn:epc:class:lgtin:4012345.011111.L1", f"{DL}/01/04012345111118/10/L1"),
        ("urn:epc:id:grai:4012345.00022.S1", f"{DL}/8003/04012345000221S1"),
        ("urn:epc:id:giai:4012345.D1", f"{DL}/8004/4012345D1"),
        ("urn:epc:id:gsrn:4012345.0000000001", f"{DL}/8018/401234500000000012"),
        ("urn:epc:id:gdti:4012345.00001.77", f"{DL}/253/401234500001677"),
        ("urn:epc:id:pgln:4012345.00001", f"{DL}/417/4012345000016"),
        ("urn:epc:id:pgln:401234500001.", f"{DL}/417/4012345000016"),
        ("urn:epc:idpat:sgtin:4012345.011111.*", f"{DL}/01/04012345111118"),
        ("urn:epc:id:itip:4012345.011111.01.02.9", f"{DL}/8006/040123451111180102/21/9"),
        ("urn:epc:id:cpi:0614141.5PQ7%2FZ43.12345", f"{DL}/8010/06141415PQ7%2FZ43/8011/12345"),
    ],
)
def test_epc_urns_become_canonical_digital_link_uris(urn: str, uri: str) -> None:
    assert epc_to_digital_link(urn) == uri
    assert digital_link(uri) == uri  # and the canonical form is a fixed point


@pytest.mark.parametrize(
    ("given", "canonical"),
    [
        ("https://example.com/gtin/4012345111118/ser/987", f"{DL}/01/04012345111118/21/987"),
        ("http://id.gs1.org/01/4012345111118/10/L1/21/9?17=260101", f"{DL}/01/04012345111118/21/9"),
        (
            "https://example.com/a/b/01/04012345111118/22/V2/10/L1#x",
            f"{DL}/01/04012345111118/10/L1",
        ),
        ("https://example.com/01/012345678905", f"{DL}/01/00012345678905"),
        ("https://example.com/01/96385074", f"{DL}/01/00000096385074"),
        ("https://example.com/sscc/040123450000000016", f"{DL}/00/040123450000000016"),
        ("https://example.com/gln/4012345000016/glnx/12", f"{DL}/414/4012345000016/254/12"),
    ],
)
def test_digital_link_uris_are_normalised(given: str, canonical: str) -> None:
    assert normalise_digital_link(given) == canonical


def test_check_digits() -> None:
    assert check_digit("0401234511111") == 8
    assert check_digit("629104150021") == 3
    assert check_digit("40123450000000001") == 2
    assert check_digit("10614141123456789") == 7  # GS1's example SSCC
    with pytest.raises(ValueError, match="digits only"):
        check_digit("12a")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("urn:epc:id:sgtin:4012345.011111", "expected 3 dot-separated fields"),
        ("urn:epc:id:sgtin:40123.0111111.1", "company prefix must be 6 to 12 digits"),
        ("urn:epc:id:sgtin:4012345.01111.1", "must have 13 digits together"),
        ("urn:epc:id:sgtin:4012345.01111x.1", "must be digits"),
        ("urn:epc:id:sgtin:4012345.011111.", "serial is empty"),
        ("urn:epc:id:sgtin:4012345.011111.ab cd", "character set 82"),
        ("urn:epc:id:sgtin:4012345.011111." + "9" * 21, "longer than 20"),
        ("urn:epc:id:sgtin:4012345.011111.%zz", "malformed percent escape"),
        ("urn:epc:id:sscc:4012345.000000001", "must have 17 digits together"),
        ("urn:epc:id:bogus:4012345.1", "unsupported EPC scheme"),
        ("urn:epc:class:sgtin:4012345.011111.1", "unsupported EPC scheme"),
        ("urn:epc:idpat:sgtin:4012345.*.*", "must be digits"),
        ("urn:epc:whatever", "not an EPC URI"),
    ],
)
def test_malformed_epc_urns_are_refused(value: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        epc_to_digital_link(value)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("https://id.gs1.org/01/04012345111119", "check digit 9, expected 8"),
        ("https://id.gs1.org/01/04012345111", "8, 12, 13 or 14 digits"),
        ("https://id.gs1.org/00/040123450000000015", "check digit 5, expected 6"),
        ("https://id.gs1.org/414/401234500001", "must have 13 digits"),
        ("https://id.gs1.org/01/04012345111118/21", "without a value"),
        ("https://id.gs1.org/01/04012345111118/254/1", "does not qualify"),
        ("https://id.gs1.org/01/04012345111118/17/260101", "not a key qualifier"),
        ("https://example.com/about", "no GS1 primary key"),
        ("ftp://id.gs1.org/01/04012345111118", "not an http"),
    ],
)
def test_malformed_digital_link_uris_are_refused(value: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        normalise_digital_link(value)


def test_what_counts_as_a_gs1_identifier() -> None:
    assert is_gs1_identifier("urn:epc:id:sgtin:4012345.011111.1")
    assert not is_gs1_identifier("urn:epc:id:usdod:2S194.12345678901")
    assert is_gs1_identifier("https://example.com/01/04012345111118")
    assert not is_gs1_identifier("https://example.com/po/12345")


@pytest.mark.parametrize(
    ("value", "vocabulary", "uri"),
    [
        ("urn:epcglobal:cbv:bizstep:shipping", None, "https://ref.gs1.org/cbv/BizStep-shipping"),
        ("shipping", "BizStep", "https://ref.gs1.org/cbv/BizStep-shipping"),
        ("urn:epcglobal:cbv:disp:in_transit", None, "https://ref.gs1.org/cbv/Disp-in_transit"),
        ("in_transit", "Disp", "https://ref.gs1.org/cbv/Disp-in_transit"),
        ("urn:epcglobal:cbv:btt:po", None, "https://ref.gs1.org/cbv/BTT-po"),
        ("urn:epcglobal:cbv:sdt:owning_party", None, "https://ref.gs1.org/cbv/SDT-owning_party"),
        ("urn:epcglobal:cbv:er:incorrect_data", None, "https://ref.gs1.org/cbv/ER-incorrect_data"),
        ("Temperature", "gs1", "https://gs1.org/voc/Temperature"),
        ("gs1:Temperature", None, "https://gs1.org/voc/Temperature"),
        ("cbv:BizStep-receiving", None, "https://ref.gs1.org/cbv/BizStep-receiving"),
        ("urn:epcglobal:cbv:bt:4012345000009:PO1", None, "urn:epcglobal:cbv:bt:4012345000009:PO1"),
        ("https://example.com/step", "BizStep", "https://example.com/step"),
    ],
)
def test_vocabulary(value: str, vocabulary: str | None, uri: str) -> None:
    assert vocabulary_uri(value, vocabulary) == uri


def test_a_vocabulary_urn_needs_a_term() -> None:
    with pytest.raises(ValueError, match="no vocabulary term"):
        vocabulary_uri("urn:epcglobal:cbv:bizstep:")
