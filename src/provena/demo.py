"""The demo world: four organizations and their people, as in DESIGN.md.

This module is plain data. The development issuer signs people in from it, the
database seeds organizations from it, and later the devnet creates one MSP per
organization from it, so the three always agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["ORGANIZATIONS", "PEOPLE", "DemoOrganization", "DemoPerson", "OrgKind", "Role"]


class Role(StrEnum):
    """What a person may do; travels as OIDC groups and as the `provena.role` attribute."""

    ADMIN = "admin"
    CERTIFIER = "certifier"
    PRODUCER = "producer"
    CARRIER = "carrier"
    RECEIVER = "receiver"
    AUDITOR = "auditor"


class OrgKind(StrEnum):
    """The part an organization plays in the supply chain."""

    CERTIFICATION_BODY = "certification_body"
    PRODUCER = "producer"
    CARRIER = "carrier"
    RETAILER = "retailer"


@dataclass(frozen=True, slots=True)
class DemoOrganization:
    msp_id: str
    name: str
    kind: OrgKind
    domain: str


@dataclass(frozen=True, slots=True)
class DemoPerson:
    username: str
    display_name: str
    email: str
    msp_id: str
    roles: tuple[Role, ...]


ORGANIZATIONS: tuple[DemoOrganization, ...] = (
    DemoOrganization(
        "CertifierMSP",
        "Veritas Organic Certification",
        OrgKind.CERTIFICATION_BODY,
        "certifier.provena.test",
    ),
    DemoOrganization(
        "ProducerMSP",
        "Green Valley Farmers Cooperative",
        OrgKind.PRODUCER,
        "producer.provena.test",
    ),
    DemoOrganization(
        "CarrierMSP", "Polar Freight Cold Chain", OrgKind.CARRIER, "carrier.provena.test"
    ),
    DemoOrganization(
        "RetailerMSP", "Harbor Street Grocers", OrgKind.RETAILER, "retailer.provena.test"
    ),
)


def _person(username: str, name: str, msp_id: str, *roles: Role) -> DemoPerson:
    org = next(o for o in ORGANIZATIONS if o.msp_id == msp_id)
    return DemoPerson(username, name, f"{username}@{org.domain}", msp_id, roles)


PEOPLE: tuple[DemoPerson, ...] = (
    _person("ines.moreau", "Inès Moreau", "CertifierMSP", Role.ADMIN),
    _person("david.okafor", "David Okafor", "CertifierMSP", Role.CERTIFIER),
    _person("mei.tanaka", "Mei Tanaka", "CertifierMSP", Role.CERTIFIER),
    _person("lars.nilsson", "Lars Nilsson", "CertifierMSP", Role.AUDITOR),
    _person("rosa.alvarez", "Rosa Álvarez", "ProducerMSP", Role.ADMIN),
    _person("tomas.herrera", "Tomás Herrera", "ProducerMSP", Role.PRODUCER),
    _person("anna.kowalski", "Anna Kowalski", "CarrierMSP", Role.ADMIN),
    _person("sam.carter", "Sam Carter", "CarrierMSP", Role.CARRIER),
    _person("priya.shah", "Priya Shah", "RetailerMSP", Role.ADMIN),
    _person("jonas.berg", "Jonas Berg", "RetailerMSP", Role.RECEIVER),
    _person("fatima.haddad", "Fatima Haddad", "RetailerMSP", Role.AUDITOR),
)
