"""Cold-chain metrics of a shipment, from its checkpoints' sensor readings.

A reading holds from its checkpoint's time until the next reading of the same type (a
step function: nothing is assumed past the last one). For each type of reading:
minutes above the upper limit and below the lower one, and minutes out of range while
the shipment was in transit (the reading's checkpoint has disposition `in_transit`).
Dwell: how long the shipment stayed at each location, from the first checkpoint there
to the first one elsewhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from itertools import pairwise

from provena.db import Checkpoint

__all__ = ["Dwell", "Limits", "Series", "dwell", "series"]


@dataclass(frozen=True, slots=True)
class Limits:
    """The range a reading type must stay in (either bound may be open)."""

    type: str
    low: Decimal | None = None
    high: Decimal | None = None


@dataclass(slots=True)
class Series:
    type: str
    uom: str
    low: Decimal | None
    high: Decimal | None
    readings: int = 0
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    minutes_above: float = 0.0
    minutes_below: float = 0.0
    minutes_out_of_range_in_transit: float = 0.0
    first_at: datetime | None = None
    last_at: datetime | None = None
    points: list[tuple[datetime, Decimal, bool]] = field(default_factory=list, repr=False)
    """(time, value, in transit) of each reading, in time order."""


@dataclass(frozen=True, slots=True)
class Dwell:
    location: str
    arrived_at: datetime
    left_at: datetime | None
    """None: the shipment is still there (as far as its checkpoints say)."""

    @property
    def minutes(self) -> float | None:
        return (
            None if self.left_at is None else (self.left_at - self.arrived_at).total_seconds() / 60
        )


def _value(raw: object) -> Decimal | None:
    try:
        return Decimal(str(raw))
    except InvalidOperation:
        return None


def series(checkpoints: Sequence[Checkpoint], limits: Sequence[Limits]) -> list[Series]:
    """One series per (reading type, unit) found, measured against its type's limits."""
    bounds = {limit.type: limit for limit in limits}
    found: dict[tuple[str, str], Series] = {}
    for checkpoint in sorted(checkpoints, key=lambda c: (c.event_time, c.seq)):
        in_transit = checkpoint.disposition in (
            "in_transit",
            "https://ref.gs1.org/cbv/Disp-in_transit",
        )
        for reading in checkpoint.sensor_readings:
            value = _value(reading.get("value"))
            if value is None:
                continue
            kind, uom = str(reading.get("type")), str(reading.get("uom"))
            limit = bounds.get(kind) or bounds.get(kind.removeprefix("gs1:")) or Limits(kind)
            line = found.setdefault((kind, uom), Series(kind, uom, limit.low, limit.high))
            line.points.append((checkpoint.event_time, value, in_transit))
    for line in found.values():
        _measure(line)
    return sorted(found.values(), key=lambda line: (line.type, line.uom))


def _measure(line: Series) -> None:
    points = line.points
    line.readings = len(points)
    line.minimum = min(value for _, value, _ in points)
    line.maximum = max(value for _, value, _ in points)
    line.first_at, line.last_at = points[0][0], points[-1][0]
    for (start, value, in_transit), (end, _, _) in pairwise(points):
        minutes = (end - start).total_seconds() / 60
        above = line.high is not None and value > line.high
        below = line.low is not None and value < line.low
        line.minutes_above += minutes if above else 0.0
        line.minutes_below += minutes if below else 0.0
        if in_transit and (above or below):
            line.minutes_out_of_range_in_transit += minutes


def dwell(checkpoints: Sequence[Checkpoint]) -> list[Dwell]:
    """The stays at each location in order (a location: the business location, else the
    read point)."""
    stays: list[Dwell] = []
    here: str | None = None
    since: datetime | None = None
    for checkpoint in sorted(checkpoints, key=lambda c: (c.event_time, c.seq)):
        place = checkpoint.biz_location or checkpoint.read_point
        if place is None or place == here:
            continue
        if here is not None and since is not None:
            stays.append(Dwell(here, since, checkpoint.event_time))
        here, since = place, checkpoint.event_time
    if here is not None and since is not None:
        stays.append(Dwell(here, since, None))
    return stays
