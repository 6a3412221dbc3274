"""Contract inputs: every rule on ids, hashes, CIDs, sizes, vocabularies and times."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from pydantic import ValidationError

from provena.contracts.cid import InvalidCid, check_cid
from provena.contracts.model import (
    CertificateInput,
    CheckpointEvent,
    DocumentRef,
    Item,
    ShipmentInput,
)

CID_V0 = "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG"
CID_V1_RAW = "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy"
CID_V1_DAGPB = "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi"
SHA = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def document(**overrides: Any) -> dict[str, Any]:
    base = {"cid": CID_V1_RAW, "sha256": SHA, "size": 1024, "media_type": "application/pdf"}
    return base | {"name": "audit-report.pdf"} | overrides


def certificate(**overrides: Any) -> dict[str, Any]:
    return {
        "id": "CERT-2026-0001",
        "scheme": "EU-ORGANIC",
        "subject": {"kind": "organization", "id": "ProducerMSP", "name": "Green Valley"},
        "scope": "Fresh vegetables",
        "valid_from": "2026-01-01T00:00:00Z",
        "valid_until": "2027-01-01T00:00:00+01:00",
        "documents": [document()],
    } | overrides


@pytest.mark.parametrize(
    "cid", [CID_V0, CID_V1_RAW, CID_V1_DAGPB, "zb2rhe5P4gXftAwvA4eXQ5HJwsER2owDyS9sKaQRRVQPn93bA"]
)
def test_valid_cids(cid: str) -> None:
    assert check_cid(cid) == cid


@pytest.mark.parametrize(
    "cid",
    [
        "",
        "Qm",
        CID_V0[:-1] + "0",  # "0" is not base58
        CID_V0[:-2],
        CID_V1_RAW[:-2],
        "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zyaa",
        "xafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy",
        "../../etc/passwd",
        "b" + "a" * 200,
    ],
)
def test_invalid_cids(cid: str) -> None:
    with pytest.raises(InvalidCid):
        check_cid(cid)


def test_certificate_normalises_times_to_utc() -> None:
    cert = CertificateInput.model_validate(certificate())
    dumped = cert.model_dump(mode="json")
    assert dumped["valid_until"] == "2026-12-31T23:00:00Z"
    assert cert.canonical() == CertificateInput.model_validate(dumped).canonical()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"id": ""}, "id"),
        ({"id": "x" * 65}, "id"),
        ({"id": "has space"}, "id"),
        ({"id": "emoji-\u2603"}, "id"),
        ({"valid_until": "2025-01-01T00:00:00Z"}, "valid_from must be before valid_until"),
        ({"valid_from": "2026-01-01T00:00:00"}, "timezone"),
        ({"subject": {"kind": "planet", "id": "x", "name": "x"}}, "kind"),
        ({"scope": ""}, "scope"),
        ({"scope": "x" * 2001}, "scope"),
        ({"documents": [document(sha256=SHA.upper())]}, "sha256"),
        ({"documents": [document(sha256=SHA[:-1])]}, "sha256"),
        ({"documents": [document(size=0)]}, "size"),
        ({"documents": [document(size=-5)]}, "size"),
        ({"documents": [document(cid="not-a-cid")]}, "cid"),
        ({"documents": [document(name="../secret")]}, "name"),
        ({"documents": [document(media_type="PDF")]}, "media_type"),
        ({"documents": [document(), document()]}, "must not repeat"),
        (
            {"documents": [document(cid=CID_V0 if i % 2 else CID_V1_RAW) for i in range(21)]},
            "documents",
        ),
        ({"metadata_cid": "nope"}, "metadata_cid"),
        ({"issuer_msp": "CertifierMSP"}, "Extra inputs"),
    ],
)
def test_certificate_rules(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        CertificateInput.model_validate(certificate(**overrides))


def item(**overrides: Any) -> dict[str, Any]:
    base = {"sku": "TOM-RED-5KG", "description": "Red tomatoes, 5 kg crate"}
    return base | {"quantity": "120.5", "unit": "KGM", "gtin": "09506000134352"} | overrides


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"gtin": "09506000134353"}, "check digit"),
        ({"gtin": "123"}, "gtin"),
        ({"quantity": "0"}, "greater than zero"),
        ({"quantity": "0.000"}, "greater than zero"),
        ({"quantity": "-1"}, "greater than zero"),
        ({"quantity": "1e3"}, "quantity"),
        ({"quantity": 1.5}, "quantity"),
        ({"quantity": "01"}, "quantity"),
        ({"unit": "kg m"}, "unit"),
        ({"certificate_ids": ["a", "a"]}, "must not repeat"),
    ],
)
def test_item_rules(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Item.model_validate(item(**overrides))


def test_shipment_needs_items() -> None:
    with pytest.raises(ValidationError, match="items"):
        ShipmentInput.model_validate(
            {
                "id": "SHP-1",
                "items": [],
                "origin": "Packing house",
                "destination": {"msp_id": "RetailerMSP", "location": "Store 4"},
            }
        )


def test_checkpoint_event_vocabularies_and_canonical_hash() -> None:
    event = CheckpointEvent.model_validate(
        {
            "event_time": datetime(2026, 3, 1, 10, tzinfo=timezone(timedelta(hours=2))),
            "event_time_zone_offset": "+02:00",
            "biz_step": "https://ref.gs1.org/cbv/BizStep-departing",
            "disposition": "urn:epcglobal:cbv:disp:in_transit",
            "read_point": "urn:epc:id:sgln:0614141.07346.1234",
            "sensor_readings": [{"type": "gs1:Temperature", "value": "4.5", "uom": "CEL"}],
        }
    )
    assert event.biz_step == "departing"
    assert event.disposition == "in_transit"
    assert event.canonical().startswith(b'{"biz_location":null,"biz_step":"departing"')
    assert b" " not in event.canonical()
    with pytest.raises(ValidationError, match="biz_step"):
        CheckpointEvent.model_validate(event.model_dump() | {"biz_step": "teleporting"})
    with pytest.raises(ValidationError, match="event_time_zone_offset"):
        CheckpointEvent.model_validate(event.model_dump() | {"event_time_zone_offset": "+2"})
    with pytest.raises(ValidationError, match="value"):
        CheckpointEvent.model_validate(
            event.model_dump()
            | {"sensor_readings": [{"type": "gs1:Temperature", "value": 4.5, "uom": "CEL"}]}
        )


def test_document_ref_roundtrip_is_byte_identical() -> None:
    ref = DocumentRef.model_validate(document())
    again = DocumentRef.model_validate_json(ref.canonical())
    assert again.canonical() == ref.canonical()
    assert ref.canonical() == (
        b'{"cid":"' + CID_V1_RAW.encode() + b'","media_type":"application/pdf",'
        b'"name":"audit-report.pdf","sha256":"' + SHA.encode() + b'","size":1024}'
    )
