"""The event hash against epcis2.js, GS1's JavaScript SDK for EPCIS 2.0 (JSON-LD only).

epcis2.js follows the standard's canonical property order, as we do: `certificationInfo`
after `eventTimeZoneOffset`, `epcList` before `parentID`, the business transaction, source
and destination lists before `sensorElementList`, then `ilmd`, then the user extensions;
and it leaves out `eventID`, `recordTime` and `errorDeclaration`. It departs from the
standard's rules in one matter of layout and in a few values, each listed in `JS_LAYOUT`
and `DEVIATIONS` and asserted to occur, so that every other field must agree exactly:

* it moves the user extensions of `readPoint`, `bizLocation` and `sensorElement` to the
  end of the string, sorted with the event's own, where the standard adds them at the end
  of their parent's regular fields;
* it cuts timestamps to milliseconds where the standard rounds a fourth decimal of 5-9 up;
* it drops the leading zero of a numeric string (`0.75` becomes `.75`);
* it takes a value that JavaScript's `Date.parse` accepts for a timestamp, such as a URL
  ending in a number, for one (`https://cert.example.com/c/60` becomes `1960-01-01T...`);
* it keeps an SSCC's extension digit twice, giving 19 digits instead of 18.
"""

from __future__ import annotations

import copy
import itertools
import re
import shutil
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from bench import epcis_samples as samples
from provena.epcis import hash_prehash, prehash, prehash_segments, read_events
from provena.epcis.hashing import ORDER
from tests.epcis.js_oracle import JsResult, js_prehashes

pytestmark = pytest.mark.skipif(
    shutil.which("node") is None or shutil.which("npm") is None, reason="needs Node.js and npm"
)

#: Extension points whose user extensions epcis2.js moves to the end of the string.
JS_LAYOUT = ("readPoint", "bizLocation", "sensorElementList")
_STANDARD_SENSOR_PARTS = ("sensorMetadata", "sensorReport")
_STANDARD = {"eventType"} | {name for name, _ in ORDER}
_KEY = re.compile(r"[^{]*\{[^}]*\}[^={]*")
_TIMESTAMP = re.compile(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3})\d+")
_URL_ENDING_IN_A_NUMBER = re.compile(r"=https?://[a-z.]+(?:/[a-z]+)*/\d+")
_SSCC = re.compile(r"parentID=https://id\.gs1\.org/00/\d{18}")
_DATE = re.compile(r"=-?\d{4,6}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")


def _segment(event: dict[str, Any], name: str, value: Any) -> str:
    """Our text of field `name` with `value`, in the context of `event`."""
    alone = {"type": event["type"], "@context": event.get("@context"), name: value}
    [text] = [text for field, text in prehash_segments(alone) if field == name]
    return text


def _split_off(whole: str, core: str) -> str:
    assert whole.startswith(core), (whole, core)
    return whole[len(core) :]


def in_js_layout(event: dict[str, Any]) -> list[tuple[str, str]]:
    """Our segments of `event`, with the extensions of extension points moved to the tail
    and sorted with the user extensions, as epcis2.js writes them."""
    placed: list[tuple[str, str]] = []
    tail: list[tuple[str, str]] = []
    for name, text in prehash_segments(event):
        if name in ("readPoint", "bizLocation") and set(event[name]) - {"id"}:
            core = _segment(event, name, {"id": event[name]["id"]})
            placed.append((name, core))
            tail.append((name, name + _split_off(text, core)))
        elif name == "sensorElementList":
            cores, fulls, extensions = [], [], []
            for element in event[name]:
                standard = {k: v for k, v in element.items() if k in _STANDARD_SENSOR_PARTS}
                core = _split_off(_segment(event, name, [standard]), name)
                full = _split_off(_segment(event, name, [element]), name)
                cores.append(core)
                fulls.append(full)
                if extension := _split_off(full, core):
                    extensions.append("sensorElement" + extension)
            assert text == name + "".join(sorted(fulls))
            placed.append((name, name + "".join(sorted(cores))))
            if extensions:
                tail.append((name, name + "".join(sorted(extensions))))
        elif name in _STANDARD:
            placed.append((name, text))
        else:
            tail.append((name, text))
    return placed + sorted(tail, key=lambda pair: pair[1])


def split_like(theirs: str, ours: list[tuple[str, str]]) -> list[str]:
    """Their pre-hash string cut where each of our segments starts."""
    keys = []
    for name, text in ours:
        match = _KEY.match(text)
        keys.append(match.group() if text.startswith(("{", *JS_LAYOUT)) and match else name)
    assert theirs.startswith(keys[0]), (theirs, keys[0])
    starts = [0]
    for previous, key in itertools.pairwise(keys):
        start = theirs.find(key, starts[-1] + len(previous))
        assert start >= 0, f"{key!r} is missing from {theirs!r}"
        starts.append(start)
    return [theirs[a:b] for a, b in zip(starts, [*starts[1:], len(theirs)], strict=True)]


def _truncated(event: dict[str, Any]) -> dict[str, Any]:
    """`event` with every timestamp cut to milliseconds, as epcis2.js reads them."""
    out = copy.deepcopy(event)
    out["eventTime"] = _TIMESTAMP.sub(r"\1", out["eventTime"])
    for element in out.get("sensorElementList", []):
        metadata = element.get("sensorMetadata", {})
        if "time" in metadata:
            metadata["time"] = _TIMESTAMP.sub(r"\1", metadata["time"])
    return out


#: epcis2.js's departures from the standard's rules, by what tells each apart: given the
#: event, the segment's index, our segment and theirs, whether theirs is ours with it.
DEVIATIONS: dict[str, Callable[[dict[str, Any], int, str, str], bool]] = {
    "cuts timestamps to milliseconds": lambda event, index, ours, theirs: (
        in_js_layout(_truncated(event))[index][1] == theirs
    ),
    "drops the leading zero of a number": lambda event, index, ours, theirs: (
        ours.replace("=0.", "=.") == theirs
    ),
    "reads a URL ending in a number as a timestamp": lambda event, index, ours, theirs: (
        _URL_ENDING_IN_A_NUMBER.sub("=<t>", ours) == _DATE.sub("=<t>", theirs) != theirs
    ),
    "repeats an SSCC's extension digit": lambda event, index, ours, theirs: (
        _SSCC.fullmatch(ours) is not None
        and re.fullmatch(r"parentID=https://id\.gs1\.org/00/\d{19}", theirs) is not None
        and theirs[:39] == ours[:39]  # the same extension digit and company prefix
    ),
}


Comparison = tuple[dict[str, Any], str, JsResult]


@pytest.fixture(scope="module")
def comparisons() -> list[Comparison]:
    """(event as read by us, our pre-hash, what epcis2.js makes of it) per generated event."""
    out = []
    for seed in range(6):
        event_list = samples.events(seed, 25)
        theirs = js_prehashes(event_list, samples.CONTEXT)
        ours = read_events(samples.json_document(event_list))
        assert len(ours) == len(theirs) == len(event_list)
        out += [(e.fields, prehash(e.fields), their) for e, their in zip(ours, theirs, strict=True)]
    return out


def test_every_field_agrees_but_for_the_listed_deviations(comparisons: list[Comparison]) -> None:
    assert len(comparisons) == 6 * 25
    seen: Counter[str] = Counter()
    for event, _, their in comparisons:
        assert their.error is None, their.error
        assert their.prehash is not None
        ours = in_js_layout(event)
        pairs = zip(ours, split_like(their.prehash, ours), strict=True)
        for index, ((name, mine), theirs) in enumerate(pairs):
            if mine == theirs:
                continue
            why = [d for d, applies in DEVIATIONS.items() if applies(event, index, mine, theirs)]
            assert why, f"{name}: ours {mine!r}, epcis2.js {theirs!r}"
            seen[why[0]] += 1
    assert set(seen) == set(DEVIATIONS), seen  # each listed deviation still occurs


def test_hashes_equal_epcis2js_where_the_prehashes_agree(comparisons: list[Comparison]) -> None:
    same = [(ours, their) for _, ours, their in comparisons if their.prehash == ours]
    assert len(same) >= 10
    for ours, their in same:
        assert hash_prehash(ours) == their.hash


def js(event: dict[str, Any]) -> JsResult:
    [result] = js_prehashes([event], samples.CONTEXT)
    assert result.error is None, result.error
    return result


def _event(**fields: Any) -> dict[str, Any]:
    base = {"@context": samples.CONTEXT, "type": "ObjectEvent", "eventTime": "2024-01-01T00:00:00Z"}
    return {**base, "eventTimeZoneOffset": "+00:00", "action": "OBSERVE", **fields}


def test_the_canonical_property_order_agrees() -> None:
    """certificationInfo 4th; epcList, then parentID; bizTransactionList, sourceList and
    destinationList before sensorElementList, then ilmd, then the user extensions."""
    event = _event(
        type="TransactionEvent",
        action="ADD",
        certificationInfo="https://cert.example.com/c/organic",
        parentID="urn:epc:id:sgtin:4012345.011111.77",
        epcList=["urn:epc:id:sgtin:4012345.011111.1"],
        bizTransactionList=[{"type": "po", "bizTransaction": "urn:epcglobal:cbv:bt:1:PO"}],
        sourceList=[{"type": "owning_party", "source": "urn:epc:id:pgln:4012345.00001"}],
        destinationList=[{"type": "location", "destination": "urn:epc:id:sgln:4012345.00001.0"}],
        sensorElementList=[{"sensorReport": [{"type": "Temperature", "value": 4, "uom": "CEL"}]}],
        ilmd={"ex:lot": "A"},
        **{"ex:note": "n"},
    )
    ours, their = prehash(event), js(event)
    assert their.prehash == ours
    assert their.hash == hash_prehash(ours)
    names = ["eventTimeZoneOffset", "certificationInfo", "epcList", "parentID", "action="]
    names += ["bizTransactionList", "sourceList", "destinationList", "sensorElementList"]
    names += ["ilmd", "{https://ns.example.com/epcis/}note"]
    positions = [ours.index(name) for name in names]
    assert positions == sorted(positions)


def test_an_error_declaration_is_left_out_by_both() -> None:
    plain = _event(epcList=["urn:epc:id:sgtin:4012345.011111.1"])
    declared = {**plain, "errorDeclaration": {"declarationTime": "2024-02-01T00:00:00Z"}}
    assert js(declared).prehash == js(plain).prehash == prehash(declared) == prehash(plain)


def test_timestamps_round_where_epcis2js_cuts() -> None:
    """The standard rounds the third decimal up when the fourth is 5-9."""
    event = _event(eventTime="2024-01-01T00:00:00.1237Z")
    assert "eventTime=2024-01-01T00:00:00.124Z" in prehash(event)
    assert "eventTime=2024-01-01T00:00:00.123Z" in str(js(event).prehash)


def test_compact_uris_are_expanded_where_epcis2js_keeps_them() -> None:
    report = {"type": "gs1:Temperature", "value": 4, "uom": "CEL"}
    event = _event(sensorElementList=[{"sensorReport": [report]}])
    assert "sensorReporttype=https://gs1.org/voc/Temperature" in prehash(event)
    assert "sensorReporttype=gs1:Temperature" in str(js(event).prehash)


def test_numbers_are_exact_where_epcis2js_uses_binary_floating_point() -> None:
    element = {"epcClass": "urn:epc:class:lgtin:4012345.011111.L1", "uom": "KGM"}
    event = _event(quantityList=[{**element, "quantity": 1e-07}], **{"ex:t": "0.75"})
    ours, theirs = prehash(event), str(js(event).prehash)
    assert "quantity=0.0000001" in ours
    assert "quantity=1e-7" in theirs
    assert ours.endswith("}t=0.75")
    assert theirs.endswith("}t=.75")


def test_extension_point_extensions_follow_their_parent() -> None:
    """The standard adds them at the end of the parent's regular fields; epcis2.js at the
    end of the string."""
    event = _event(readPoint={"id": "urn:epc:id:sgln:4012345.00001.0", "ex:door": "D1"})
    door = "{https://ns.example.com/epcis/}door=D1"
    assert f"readPointid=https://id.gs1.org/414/4012345000016{door}" in prehash(event)
    theirs = str(js(event).prehash)
    assert theirs.endswith(f"readPointid=https://id.gs1.org/414/4012345000016readPoint{door}")


def test_sscc_has_18_digits_where_epcis2js_gives_19() -> None:
    event = _event(type="AggregationEvent", parentID="urn:epc:id:sscc:4012345.1000000001")
    assert "parentID=https://id.gs1.org/00/140123450000000013" in prehash(event)
    assert "parentID=https://id.gs1.org/00/1401234510000000010" in str(js(event).prehash)
