"""What the contract tests send: documents, certificates and shipments with sane defaults."""

from __future__ import annotations

from typing import Any

CID = "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy"
CID_2 = "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG"
SHA = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
DOC = {"cid": CID, "sha256": SHA, "size": 2048, "media_type": "application/pdf", "name": "a.pdf"}


def certificate(id: str, **overrides: Any) -> dict[str, Any]:
    """An EU-ORGANIC certificate for tomato lot 7, valid 2026 to 2036, with one document."""
    return {
        "id": id,
        "scheme": "EU-ORGANIC",
        "subject": {"kind": "lot", "id": "LOT-7", "name": "Tomato lot 7"},
        "scope": "Organic tomatoes",
        "valid_from": "2026-01-01T00:00:00Z",
        "valid_until": "2036-01-01T00:00:00Z",
        "documents": [DOC],
    } | overrides


def shipment(id: str, *items: dict[str, Any]) -> dict[str, Any]:
    """A shipment of `items` from the producer to the retailer."""
    return {
        "id": id,
        "items": list(items),
        "origin": "Green Valley packing house",
        "destination": {"msp_id": "RetailerMSP", "location": "Harbor Street store 4"},
    }


def item(*certificate_ids: str, **overrides: Any) -> dict[str, Any]:
    """A crate line of tomato lot 7, claiming `certificate_ids`."""
    return {
        "sku": "TOM-RED-5KG",
        "description": "Red tomatoes, 5 kg crate",
        "quantity": "120",
        "unit": "KGM",
        "lot": "LOT-7",
        "certificate_ids": list(certificate_ids),
    } | overrides
