"""The standard vocabularies of EPCIS 2.0 fields: CBV 2.0 terms and GS1 web vocabulary.

Each `Vocabulary` knows its terms and the three ways to write one: the bare term of
JSON-LD (`shipping`), the web URI (`https://ref.gs1.org/cbv/BizStep-shipping`, or
`https://gs1.org/voc/Temperature` for GS1 web vocabulary) with its compact form
(`cbv:BizStep-shipping`, `gs1:Temperature`), and, for the CBV vocabularies EPCIS 1.x
had, the URN of XML (`urn:epcglobal:cbv:bizstep:shipping`).
"""

from __future__ import annotations

from dataclasses import dataclass

from provena.epcis.identifiers import CBV, GS1_VOC

__all__ = [
    "BIZ_STEP",
    "BIZ_TRANSACTION_TYPE",
    "COMPONENT",
    "DISPOSITION",
    "ERROR_REASON",
    "MEASUREMENT_TYPE",
    "SENSOR_ALERT_TYPE",
    "SOURCE_DESTINATION_TYPE",
    "Vocabulary",
]


@dataclass(frozen=True)
class Vocabulary:
    """A standard vocabulary: `what` it names, its `terms`, how its URIs are spelt, and
    whether it is `closed` (CBV 2.0 defines every term of its namespace; the GS1 web
    vocabulary grows, so the terms here are those JSON-LD may write bare)."""

    what: str
    terms: frozenset[str]
    web_prefix: str  # the web URI of a term is web_prefix + term
    compact_prefix: str  # ... and its compact URI compact_prefix + term
    urn_prefix: str | None = None  # ... and its EPCIS 1.x URN urn_prefix + term
    closed: bool = True

    def term_of(self, uri: str) -> str | None:
        """The term a URI of this vocabulary's namespace names (known or not), or None
        for a URI outside it."""
        for prefix in (self.web_prefix, self.compact_prefix, self.urn_prefix):
            if prefix and uri.startswith(prefix):
                return uri[len(prefix) :]
        return None


def _cbv(what: str, name: str, urn: str | None, terms: str) -> Vocabulary:
    urn_prefix = f"urn:epcglobal:cbv:{urn}:" if urn else None
    return Vocabulary(what, frozenset(terms.split()), f"{CBV}{name}-", f"cbv:{name}-", urn_prefix)


def _gs1(what: str, terms: str) -> Vocabulary:
    return Vocabulary(what, frozenset(terms.split()), GS1_VOC, "gs1:", closed=False)


BIZ_STEP = _cbv(
    "CBV business step",
    "BizStep",
    "bizstep",
    """
    accepting arriving assembling collecting commissioning consigning
    creating_class_instance cycle_counting decommissioning departing destroying
    disassembling dispensing encoding entering_exiting holding inspecting installing
    killing loading other packing picking receiving removing repackaging repairing
    replacing reserving retail_selling sampling sensor_reporting shipping
    staging_outbound stock_taking stocking storing transporting unloading unpacking
    void_shipping
    """,
)
DISPOSITION = _cbv(
    "CBV disposition",
    "Disp",
    "disp",
    """
    active available completeness_inferred completeness_verified conformant
    container_closed container_open damaged destroyed dispensed disposed encoded expired
    in_progress in_transit inactive mismatch_class mismatch_instance mismatch_quantity
    needs_replacement no_pedigree_match non_conformant non_sellable_other
    partially_dispensed recalled reserved retail_sold returned sellable_accessible
    sellable_not_accessible stolen unavailable unknown
    """,
)
BIZ_TRANSACTION_TYPE = _cbv(
    "CBV business transaction type",
    "BTT",
    "btt",
    "bol cert desadv inv pedigree po poc prodorder recadv rma testprd testres upevt",
)
SOURCE_DESTINATION_TYPE = _cbv(
    "CBV source/destination type", "SDT", "sdt", "location owning_party possessing_party"
)
ERROR_REASON = _cbv("CBV error reason", "ER", "er", "did_not_occur incorrect_data")
COMPONENT = _cbv(
    "CBV component",
    "Comp",
    None,
    """
    altitude axial_distance azimuth easting elevation_angle height latitude longitude
    northing polar_angle spherical_radius x y z
    """,
)
MEASUREMENT_TYPE = _gs1(
    "GS1 measurement type",
    """
    AbsoluteHumidity AbsorbedDose AbsorbedDoseRate Acceleration Altitude
    AmountOfSubstance AmountOfSubstancePerUnitVolume Angle AngularAcceleration
    AngularMomentum AngularVelocity Area Capacitance Conductance Conductivity Count
    Density Dimensionless DoseEquivalent DoseEquivalentRate DynamicViscosity
    ElectricCharge ElectricCurrent ElectricCurrentDensity ElectricFieldStrength Energy
    Exposure Force Frequency Illuminance Inductance Irradiance KinematicViscosity Length
    LinearMomentum Luminance LuminousFlux LuminousIntensity MagneticFlux
    MagneticFluxDensity MagneticVectorPotential Mass MassConcentration MassFlowRate
    MassPerAreaTime MemoryCapacity MolalityOfSolute MolarEnergy MolarMass MolarVolume
    Power Pressure RadiantFlux RadiantIntensity Radioactivity RelativeHumidity Resistance
    Resistivity SolidAngle SpecificVolume Speed SurfaceDensity SurfaceTension
    Temperature Time Torque Voltage Volume VolumeFlowRate VolumeFraction VolumetricFlux
    Wavenumber
    """,
)
SENSOR_ALERT_TYPE = _gs1("GS1 sensor alert type", "ALARM_CONDITION ERROR_CONDITION")
