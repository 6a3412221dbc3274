"""What happened in the demo world, told as the requests its people make.

The certification body governs the registry and certifies the cooperative, a packhouse and
three lots under EU-ORGANIC, GLOBALG.A.P. and FAIRTRADE (one certificate expires within
30 days, one is later suspended, one revoked). The cooperative ships lots to the retailer
through the cold-chain carrier: one shipment is still at the packhouse, one waits for the
carrier to accept, one is on the road (with a temperature excursion), one was delivered,
and one the carrier refused.

Every moment is an offset from the seed's epoch, fixed on the first run, so a run that
starts again sends the very same requests.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from provena.contracts.fields import format_timestamp
from provena.demo import ORGANIZATIONS, PEOPLE
from provena.demo_world.artwork import CertificateSheet, certificate_pdf, field_photo
from provena.demo_world.client import LedgerNotEmpty, StepRefused, WorldClient

__all__ = ["CERTIFICATES", "SHIPMENTS", "Chapter", "chapters"]

ADMIN = "ines.moreau"
PRODUCER = "tomas.herrera"
CARRIER = "sam.carter"
RECEIVER = "jonas.berg"
SCHEMES = ("EU-ORGANIC", "GLOBALG.A.P.", "FAIRTRADE")

_BODY = next(o.name for o in ORGANIZATIONS if o.msp_id == "CertifierMSP")
_NAMES = {p.username: p.display_name for p in PEOPLE}
_TOMATO, _STRAWBERRY, _COURGETTE = (204, 40, 36), (222, 30, 70), (70, 110, 30)


@dataclass(frozen=True, slots=True)
class _Certificate:
    id: str
    scheme: str
    certifier: str
    subject: dict[str, str]
    scope: str
    days: tuple[int, int]
    """Valid from and until, in days from the epoch."""
    crop: tuple[int, int, int] | None = None
    """The colour of the crop in the field photo attached, if any."""


CERTIFICATES: tuple[_Certificate, ...] = (
    _Certificate(
        "VOC-EUORG-2026-0101",
        "EU-ORGANIC",
        "david.okafor",
        {"kind": "organization", "id": "GVFC", "name": "Green Valley Farmers Cooperative"}
        | {"msp_id": "ProducerMSP"},
        "Organic production of field vegetables: tomatoes, peppers, courgettes",
        (-180, 185),
        _TOMATO,
    ),
    _Certificate(
        "VOC-GGAP-2026-0102",
        "GLOBALG.A.P.",
        "mei.tanaka",
        {"kind": "facility", "id": "GVFC-PACKHOUSE-1", "name": "Green Valley packhouse"}
        | {"msp_id": "ProducerMSP"},
        "Integrated Farm Assurance: fruit and vegetables, produce handling",
        (-345, 21),
    ),
    _Certificate(
        "VOC-FT-2026-0103",
        "FAIRTRADE",
        "david.okafor",
        {"kind": "lot", "id": "LOT-TOM-2026-014", "name": "Vine tomatoes, lot 14"},
        "Fairtrade vine tomatoes, harvest week 14",
        (-30, 150),
        _TOMATO,
    ),
    _Certificate(
        "VOC-EUORG-2026-0104",
        "EU-ORGANIC",
        "mei.tanaka",
        {"kind": "lot", "id": "LOT-STR-2026-003", "name": "Strawberries, lot 3"},
        "Organic strawberries, greenhouse 3",
        (-60, 120),
        _STRAWBERRY,
    ),
    _Certificate(
        "VOC-GGAP-2026-0105",
        "GLOBALG.A.P.",
        "david.okafor",
        {"kind": "product", "id": "GV-PEP-RED-5KG", "name": "Red peppers, 5 kg case"},
        "Red peppers, packed in 5 kg cases",
        (-200, 165),
    ),
    _Certificate(
        "VOC-EUORG-2026-0106",
        "EU-ORGANIC",
        "mei.tanaka",
        {"kind": "lot", "id": "LOT-CRG-2026-007", "name": "Courgettes, lot 7"},
        "Organic courgettes, open field 7",
        (-20, 200),
        _COURGETTE,
    ),
)

SUSPENDED = (
    "VOC-EUORG-2026-0104",
    "Unannounced inspection: a residue sample is at the laboratory; suspended until the "
    "results are in",
)
REVOKED = (
    "VOC-GGAP-2026-0105",
    "Major non-conformity not closed: irrigation water analyses missing for two audit cycles",
)

_ORG_CERT, _TOMATO_CERT, _STRAWBERRY_CERT, _COURGETTE_CERT = (
    "VOC-EUORG-2026-0101",
    "VOC-FT-2026-0103",
    "VOC-EUORG-2026-0104",
    "VOC-EUORG-2026-0106",
)
_TOMATOES = {
    "sku": "GV-TOM-VINE-6KG",
    "gtin": "8437001001019",
    "description": "Vine tomatoes, 6 kg case",
    "unit": "CS",
    "lot": "LOT-TOM-2026-014",
    "certificate_ids": [_ORG_CERT, _TOMATO_CERT],
}
_COURGETTES = {
    "sku": "GV-CRG-5KG",
    "gtin": "8437001001026",
    "description": "Courgettes, 5 kg case",
    "unit": "CS",
    "lot": "LOT-CRG-2026-007",
    "certificate_ids": [_ORG_CERT, _COURGETTE_CERT],
}
_STRAWBERRIES = {
    "sku": "GV-STR-250G-12",
    "gtin": "8437001001033",
    "description": "Strawberries, 12 x 250 g punnets",
    "unit": "CS",
    "lot": "LOT-STR-2026-003",
    "certificate_ids": [_STRAWBERRY_CERT],
}

#: What the packhouse presses part of the tomatoes into, under the organic certificate of
#: the cooperative itself.
_PASSATA = {
    "sku": "GV-PAS-700G-12",
    "gtin": "8437001001040",
    "description": "Tomato passata, 12 x 700 g jars",
    "unit": "CS",
    "lot": "LOT-PAS-2026-001",
    "certificate_ids": [_ORG_CERT],
}
PASSATA_RUN = "TR-2026-0301"

PACKHOUSE = "urn:epc:id:sgln:8437001.00001.0"
PACKHOUSE_DOCK = "urn:epc:id:sgln:8437001.00001.DOCK2"
ROAD = "urn:epc:id:sgln:7350012.00001.REEFER-17"
CARRIER_HUB = "urn:epc:id:sgln:7350012.00010.0"
RETAIL_DC = "urn:epc:id:sgln:8712345.00020.0"
RETAIL_DOCK = "urn:epc:id:sgln:8712345.00020.DOCK5"


@dataclass(slots=True)
class _Shipment:
    """A shipment being told: its id, and how many checkpoints and transfers it has had."""

    id: str
    checkpoints: int = 0
    transfers: int = 0


SHIPMENTS = (
    "SHP-2026-0201",  # created, at the packhouse
    "SHP-2026-0202",  # transfer to the carrier proposed
    "SHP-2026-0203",  # in transit with the carrier (one excursion)
    "SHP-2026-0204",  # delivered to the retailer
    "SHP-2026-0205",  # the carrier rejected the transfer
)


class _Teller:
    """Writes of one story line, with moments relative to the epoch."""

    def __init__(self, world: WorldClient, epoch: datetime) -> None:
        self.world = world
        self.epoch = epoch

    def at(self, *, days: float = 0, hours: float = 0) -> str:
        return format_timestamp(self.epoch + timedelta(days=days, hours=hours))

    # --- certificates -----------------------------------------------------------------

    async def certify(self, spec: _Certificate) -> None:
        valid_from = self.epoch + timedelta(days=spec.days[0])
        valid_until = self.epoch + timedelta(days=spec.days[1])
        sheet = CertificateSheet(
            number=spec.id,
            scheme=spec.scheme,
            body=_BODY,
            holder="Green Valley Farmers Cooperative",
            subject=f"{spec.subject['kind'].capitalize()}: {spec.subject['name']}",
            scope=spec.scope,
            valid_from=valid_from,
            valid_until=valid_until,
            certifier=_NAMES[spec.certifier],
        )
        pdf = await self.world.upload(
            spec.certifier, f"{spec.id}.pdf", "application/pdf", certificate_pdf(sheet)
        )
        documents = [pdf]
        if spec.crop is not None:
            photo = field_photo(spec.crop)
            name = f"{spec.id}-field.png"
            documents.append(await self.world.upload(spec.certifier, name, "image/png", photo))
        body = {
            "id": spec.id,
            "scheme": spec.scheme,
            "subject": spec.subject,
            "scope": spec.scope,
            "valid_from": format_timestamp(valid_from),
            "valid_until": format_timestamp(valid_until),
            "documents": documents,
        }
        await self.world.write(
            spec.certifier, f"certificate:{spec.id}:issue", "/api/v1/certificates", body
        )

    async def change_status(self, certifier: str, action: str, change: tuple[str, str]) -> None:
        id, reason = change
        await self.world.write(
            certifier,
            f"certificate:{id}:{action}",
            f"/api/v1/certificates/{id}/{action}",
            {"reason": reason},
        )

    # --- shipments --------------------------------------------------------------------

    async def create(
        self, id: str, *lines: tuple[dict[str, Any], str], sscc: str | None = None
    ) -> _Shipment:
        items = [line | {"quantity": quantity} for line, quantity in lines]
        body: dict[str, Any] = {"sscc": sscc} if sscc else {}
        body |= {
            "id": id,
            "items": items,
            "origin": "Green Valley packhouse, Almeria, ES",
            "destination": {
                "msp_id": "RetailerMSP",
                "location": "Harbor Street Grocers distribution centre, Rotterdam, NL",
            },
        }
        await self.world.write(PRODUCER, f"shipment:{id}:create", "/api/v1/shipments", body)
        return _Shipment(id)

    async def checkpoint(
        self,
        shipment: _Shipment,
        by: str,
        *,
        hours: float,
        step: str,
        disposition: str,
        read_point: str,
        location: str,
        celsius: tuple[str, ...],
    ) -> None:
        body = {
            "event_time": self.at(hours=hours),
            "event_time_zone_offset": "+01:00",
            "biz_step": step,
            "disposition": disposition,
            "read_point": read_point,
            "biz_location": location,
            "sensor_readings": [
                {"type": "gs1:Temperature", "value": value, "uom": "CEL"} for value in celsius
            ],
        }
        step_key = f"shipment:{shipment.id}:checkpoint:{shipment.checkpoints}"
        shipment.checkpoints += 1
        await self.world.write(by, step_key, f"/api/v1/shipments/{shipment.id}/checkpoints", body)

    async def propose(self, shipment: _Shipment, by: str, to_msp: str) -> None:
        shipment.transfers += 1
        await self.world.write(
            by,
            f"shipment:{shipment.id}:transfer:{shipment.transfers}",
            f"/api/v1/shipments/{shipment.id}/transfer",
            {"to_msp": to_msp},
        )

    async def answer(self, shipment: _Shipment, by: str, reason: str | None = None) -> None:
        """Accept the pending transfer, or reject it for `reason`."""
        action = "accept" if reason is None else "reject"
        await self.world.write(
            by,
            f"shipment:{shipment.id}:transfer:{shipment.transfers}:{action}",
            f"/api/v1/shipments/{shipment.id}/transfer/{action}",
            None if reason is None else {"reason": reason},
        )

    async def deliver(self, shipment: _Shipment) -> None:
        await self.world.write(
            RECEIVER,
            f"shipment:{shipment.id}:delivery",
            f"/api/v1/shipments/{shipment.id}/delivery",
        )


# --- the story lines: each one sequential, the lines of a chapter side by side ----------


async def _registry(t: _Teller) -> None:
    try:
        await t.world.write(
            ADMIN,
            "registry:bootstrap",
            "/api/v1/registry/bootstrap",
            {"governance_msps": ["CertifierMSP"]},
        )
    except StepRefused as exc:  # not the seed's first run answered again: someone else's
        if exc.status == 409:
            raise LedgerNotEmpty("the registry was bootstrapped before the seed ran") from exc
        raise
    await t.world.write(
        ADMIN,
        "registry:accredit:CertifierMSP",
        "/api/v1/registry/accreditations",
        {"msp_id": "CertifierMSP", "schemes": list(SCHEMES)},
    )


async def _revoked(t: _Teller) -> None:
    spec = next(c for c in CERTIFICATES if c.id == REVOKED[0])
    await t.certify(spec)
    await t.change_status(spec.certifier, "revoke", REVOKED)


async def _at_packhouse(t: _Teller) -> None:
    s = await t.create("SHP-2026-0201", (_TOMATOES, "96"), (_COURGETTES, "40"))
    await t.checkpoint(
        s, PRODUCER, hours=-3, step="packing", disposition="in_progress",
        read_point=PACKHOUSE, location=PACKHOUSE, celsius=("5.2",),
    )  # fmt: skip


async def _awaiting_carrier(t: _Teller) -> None:
    s = await t.create("SHP-2026-0202", (_TOMATOES, "120"))
    await t.checkpoint(
        s, PRODUCER, hours=-2, step="staging_outbound", disposition="in_progress",
        read_point=PACKHOUSE_DOCK, location=PACKHOUSE, celsius=("4.6",),
    )  # fmt: skip
    await t.propose(s, PRODUCER, "CarrierMSP")


async def _on_the_road(t: _Teller) -> None:
    s = await t.create("SHP-2026-0203", (_COURGETTES, "64"))
    await t.checkpoint(
        s, PRODUCER, hours=-30, step="shipping", disposition="in_transit",
        read_point=PACKHOUSE_DOCK, location=PACKHOUSE, celsius=("4.2",),
    )  # fmt: skip
    await t.propose(s, PRODUCER, "CarrierMSP")
    await t.answer(s, CARRIER)
    for hours, celsius in ((-20, ("3.9", "4.1")), (-12, ("7.8", "8.4")), (-4, ("5.6", "4.9"))):
        await t.checkpoint(
            s, CARRIER, hours=hours, step="transporting", disposition="in_transit",
            read_point=ROAD, location=CARRIER_HUB, celsius=celsius,
        )  # fmt: skip


async def _delivered(t: _Teller) -> None:
    s = await t.create("SHP-2026-0204", (_TOMATOES, "80"), (_STRAWBERRIES, "60"))
    await t.checkpoint(
        s, PRODUCER, hours=-70, step="shipping", disposition="in_transit",
        read_point=PACKHOUSE_DOCK, location=PACKHOUSE, celsius=("4.0",),
    )  # fmt: skip
    await t.propose(s, PRODUCER, "CarrierMSP")
    await t.answer(s, CARRIER)
    for hours, celsius in ((-60, ("3.6", "3.8")), (-40, ("4.4", "4.2"))):
        await t.checkpoint(
            s, CARRIER, hours=hours, step="transporting", disposition="in_transit",
            read_point=ROAD, location=CARRIER_HUB, celsius=celsius,
        )  # fmt: skip
    await t.propose(s, CARRIER, "RetailerMSP")
    await t.answer(s, RECEIVER)
    await t.checkpoint(
        s, RECEIVER, hours=-26, step="receiving", disposition="in_progress",
        read_point=RETAIL_DOCK, location=RETAIL_DC, celsius=("4.8",),
    )  # fmt: skip
    await t.deliver(s)
    # After delivery, an inspection puts the strawberry lot's certificate on hold.
    await t.change_status("mei.tanaka", "suspend", SUSPENDED)


def _lot(item: dict[str, Any]) -> str:
    return f"https://id.gs1.org/01/0{item['gtin']}/10/{item['lot']}"


async def _processed(t: _Teller) -> None:
    """Tomatoes pressed into passata, staged on a pallet with an SSCC: a trace two deep."""
    run = {
        "id": PASSATA_RUN,
        "inputs": [{"epc_class": _lot(_TOMATOES), "quantity": "400", "uom": "KGM"}],
        "outputs": [{"epc_class": _lot(_PASSATA), "quantity": "250", "uom": "LTR"}],
        "location": PACKHOUSE,
    }
    await t.world.write(PRODUCER, f"transformation:{PASSATA_RUN}", "/api/v1/transformations", run)
    s = await t.create("SHP-2026-0206", (_PASSATA, "30"), sscc="084370010000000012")
    await t.checkpoint(
        s, PRODUCER, hours=-1, step="staging_outbound", disposition="in_progress",
        read_point=PACKHOUSE_DOCK, location=PACKHOUSE, celsius=("4.4",),
    )  # fmt: skip


async def _refused(t: _Teller) -> None:
    s = await t.create("SHP-2026-0205", (_TOMATOES, "48"))
    await t.propose(s, PRODUCER, "CarrierMSP")
    await t.answer(
        s, CARRIER, "Reefer trailer failed its pre-trip check: cannot hold 2-6 C for this pickup"
    )


Line = Callable[[_Teller], Coroutine[Any, Any, None]]


@dataclass(frozen=True, slots=True)
class Chapter:
    """Story lines told side by side; each touches records no other line of it touches."""

    name: str
    lines: tuple[Line, ...]

    async def tell(self, world: WorldClient, epoch: datetime) -> None:
        teller = _Teller(world, epoch)
        async with asyncio.TaskGroup() as group:
            for line in self.lines:
                group.create_task(line(teller))


def _certify(spec: _Certificate) -> Line:
    async def line(t: _Teller) -> None:
        await t.certify(spec)

    return line


def chapters() -> tuple[Chapter, ...]:
    """The whole story, in order: each chapter needs what the ones before it wrote."""
    plain = tuple(_certify(c) for c in CERTIFICATES if c.id != REVOKED[0])
    return (
        Chapter("registry", (_registry,)),
        Chapter("certificates", (*plain, _revoked)),
        Chapter(
            "shipments",
            (_at_packhouse, _awaiting_carrier, _on_the_road, _delivered, _refused, _processed),
        ),
    )
