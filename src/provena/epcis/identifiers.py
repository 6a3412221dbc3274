"""GS1 identifiers and CBV vocabulary in the canonical forms the event hash uses.

The event hash compares events, not spellings, so every identifier becomes one string:

    urn:epc:id:sgtin:4012345.011111.987            ─┐
    https://example.com/gtin/4012345111118/ser/987 ─┼─> https://id.gs1.org/01/04012345111118/21/987
    https://id.gs1.org/01/04012345111118/21/987?x=1 ─┘

that is, a constrained canonical GS1 Digital Link URI: host `id.gs1.org`, numeric
application identifiers, GTINs padded to 14 digits, no query string or fragment, and only
the finest level of identification (a serial wins over a lot; the CPV is dropped). CBV
vocabulary, whether an EPCIS 1.x URN or a bare CBV 2.0 term, becomes its web URI:

    urn:epcglobal:cbv:bizstep:shipping ─┐
    shipping (as a bizStep)            ─┴─> https://ref.gs1.org/cbv/BizStep-shipping

Malformed identifiers (a wrong check digit, a company prefix of the wrong length, a serial
with characters GS1 does not allow) raise `ValueError` naming the problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise
from urllib.parse import unquote, urlsplit

__all__ = [
    "CBV",
    "GS1_VOC",
    "check_digit",
    "digital_link",
    "epc_to_digital_link",
    "is_gs1_identifier",
    "normalise_digital_link",
    "vocabulary_uri",
]

CBV = "https://ref.gs1.org/cbv/"
GS1_VOC = "https://gs1.org/voc/"
_CANONICAL_HOST = "https://id.gs1.org"

#: The URN vocabularies of EPCIS 1.x and the CBV 2.0 web URI term each maps to.
_URN_VOCABULARIES = {
    "bizstep": "BizStep",
    "disp": "Disp",
    "btt": "BTT",
    "sdt": "SDT",
    "er": "ER",
}
#: The prefixes compact URIs (CURIEs) use in EPCIS documents.
CURIE_PREFIXES = {"gs1": GS1_VOC, "cbv": CBV, "epcis": "https://ref.gs1.org/epcis/"}


def check_digit(digits: str) -> int:
    """The GS1 mod-10 check digit of `digits` (a key without its check digit).

    From the right, digits are weighted 3, 1, 3, ...; the check digit brings the sum up to
    a multiple of ten (GS1 General Specifications 7.9.1).
    """
    if not digits.isascii() or not digits.isdigit():
        raise ValueError(f"{digits!r}: a GS1 key has digits only")
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return -total % 10


def _with_check_digit(digits: str) -> str:
    return digits + str(check_digit(digits))


def _validate_check_digit(key: str, name: str) -> str:
    if not key.isascii() or not key.isdigit():
        raise ValueError(f"{name} {key!r} must have digits only")
    expected = check_digit(key[:-1])
    if int(key[-1]) != expected:
        raise ValueError(f"{name} {key} has check digit {key[-1]}, expected {expected}")
    return key


# ── values: the GS1 AI encodable character set 82 ─────────────────────────────────────

_CSET82 = re.compile(r"[!\"%&'()*+,\-./0-9:;<=>?A-Z_a-z]*")
#: Characters a Digital Link URI carries as they are; everything else is percent-encoded.
_DL_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~'=;")


def _checked_value(raw: str, what: str, *, limit: int) -> str:
    if not raw:
        raise ValueError(f"{what} is empty")
    if len(raw) > limit:
        raise ValueError(f"{what} {raw!r} is longer than {limit} characters")
    if not _CSET82.fullmatch(raw):
        raise ValueError(f"{what} {raw!r} has characters outside GS1's character set 82")
    return raw


def _dl_encode(value: str) -> str:
    return "".join(c if c in _DL_SAFE else f"%{ord(c):02X}" for c in value)


def _urn_decode(value: str, what: str) -> str:
    if re.search(r"%(?![0-9A-Fa-f]{2})", value):
        raise ValueError(f"{what} {value!r} has a malformed percent escape")
    return unquote(value)


# ── EPC URNs ──────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class _Scheme:
    """One EPC URN scheme: its digit fields and how they make the Digital Link URI."""

    ai: str
    parts: int
    key_digits: int  # company prefix + the digit field after it (0: no fixed length)
    serial_limit: int = 0  # the last field, if it is a serial, and its length limit


_EPC_SCHEMES: dict[str, _Scheme] = {
    "sgtin": _Scheme("01", 3, 13, 20),
    "sscc": _Scheme("00", 2, 17),
    "sgln": _Scheme("414", 3, 12, 20),
    "grai": _Scheme("8003", 3, 12, 16),
    "giai": _Scheme("8004", 2, 0, 30),
    "gsrn": _Scheme("8018", 2, 17),
    "gsrnp": _Scheme("8017", 2, 17),
    "gdti": _Scheme("253", 3, 12, 17),
    "sgcn": _Scheme("255", 3, 12, 12),
    "ginc": _Scheme("401", 2, 0, 30),
    "gsin": _Scheme("402", 2, 16),
    "pgln": _Scheme("417", 2, 12),
    "cpi": _Scheme("8010", 3, 0, 12),
    "itip": _Scheme("8006", 5, 13, 20),
    "upui": _Scheme("01", 3, 13, 28),
    "lgtin": _Scheme("01", 3, 13, 20),
}
_PATTERN_SCHEMES = {"sgtin", "grai", "gdti", "sgcn", "itip", "upui", "cpi"}


def _company_prefix(prefix: str, urn: str) -> str:
    if not (prefix.isascii() and prefix.isdigit() and 6 <= len(prefix) <= 12):
        raise ValueError(f"{urn}: the GS1 company prefix must be 6 to 12 digits, not {prefix!r}")
    return prefix


def _digits(field: str, what: str, urn: str) -> str:
    if not (field.isascii() and field.isdigit()):
        raise ValueError(f"{urn}: the {what} must be digits, not {field!r}")
    return field


def _key(prefix: str, reference: str, scheme: _Scheme, what: str, urn: str) -> str:
    if reference:
        _digits(reference, what, urn)
    if len(prefix) + len(reference) != scheme.key_digits:
        raise ValueError(
            f"{urn}: the company prefix and {what} must have {scheme.key_digits} digits "
            f"together, not {len(prefix) + len(reference)}"
        )
    return prefix + reference


def epc_to_digital_link(urn: str) -> str:
    """The canonical GS1 Digital Link URI of an EPC URI, EPC class URI or EPC pattern URI.

    `urn:epc:id:sgtin:4012345.011111.987` -> `https://id.gs1.org/01/04012345111118/21/987`;
    `urn:epc:class:lgtin:4012345.011111.L1` -> `https://id.gs1.org/01/04012345111118/10/L1`;
    `urn:epc:idpat:sgtin:4012345.011111.*` -> `https://id.gs1.org/01/04012345111118`.
    """
    match = re.fullmatch(r"urn:epc:(id|class|idpat):([a-z]+):(.*)", urn)
    if match is None:
        raise ValueError(f"{urn!r} is not an EPC URI (urn:epc:id:, urn:epc:class:, urn:epc:idpat:)")
    kind, name, body = match.groups()
    if (kind == "class") != (name == "lgtin") or (kind == "idpat" and name not in _PATTERN_SCHEMES):
        raise ValueError(f"{urn}: unsupported EPC scheme urn:epc:{kind}:{name}")
    scheme = _EPC_SCHEMES.get(name)
    if scheme is None:
        raise ValueError(f"{urn}: unsupported EPC scheme urn:epc:{kind}:{name}")
    fields = body.split(".")
    if kind == "idpat":
        if fields[-1] != "*":
            raise ValueError(f"{urn}: only patterns ending in '.*' have a Digital Link URI")
        fields = [*fields[:-1], ""]
    if len(fields) != scheme.parts:
        raise ValueError(f"{urn}: expected {scheme.parts} dot-separated fields, got {len(fields)}")
    prefix = _company_prefix(fields[0], urn)
    return _build(name, scheme, prefix, fields[1:], urn, pattern=kind == "idpat")


def _build(
    name: str, scheme: _Scheme, prefix: str, rest: list[str], urn: str, *, pattern: bool
) -> str:
    def serial(raw: str, what: str = "serial") -> str:
        value = _checked_value(
            _urn_decode(raw, what), f"{urn}: the {what}", limit=scheme.serial_limit
        )
        return _dl_encode(value)

    base = f"{_CANONICAL_HOST}/{scheme.ai}/"
    if name in {"sgtin", "lgtin", "upui", "itip"}:
        item = _digits(rest[0], "indicator and item reference", urn)
        _key(prefix, item, scheme, "indicator and item reference", urn)
        gtin = _with_check_digit(item[0] + prefix + item[1:])
        if name == "itip":
            piece, total = (_digits(f, "piece and total", urn) for f in rest[1:3])
            if len(piece) != 2 or len(total) != 2:
                raise ValueError(f"{urn}: piece and total must have two digits each")
            head = f"{base}{gtin}{piece}{total}"
            return head if pattern else f"{head}/21/{serial(rest[3])}"
        if pattern:
            return f"{base}{gtin}"
        qualifier = {"sgtin": "21", "lgtin": "10", "upui": "235"}[name]
        return f"{base}{gtin}/{qualifier}/{serial(rest[1], 'lot' if name == 'lgtin' else 'serial')}"
    if name in {"sscc", "gsrn", "gsrnp", "gsin", "pgln"}:
        reference = _digits(rest[0], "reference", urn) if rest[0] else ""
        key = _key(prefix, reference, scheme, "reference", urn)
        if name == "sscc":
            key = reference[0] + prefix + reference[1:]
        return f"{base}{_with_check_digit(key)}"
    if name == "sgln":
        gln = _with_check_digit(_key(prefix, rest[0], scheme, "location reference", urn))
        extension = rest[1]
        return (
            f"{base}{gln}"
            if extension == "0"
            else f"{base}{gln}/254/{serial(extension, 'extension')}"
        )
    if name in {"grai", "gdti", "sgcn"}:
        key = _key(prefix, rest[0], scheme, "type reference", urn)
        key = _with_check_digit("0" + key if name == "grai" else key)
        if pattern:
            return f"{base}{key}"
        if name == "sgcn":
            _digits(rest[1], "serial component", urn)
        return f"{base}{key}{serial(rest[1])}"
    if name == "cpi":
        part = _checked_value(
            _urn_decode(rest[0], "part reference"), f"{urn}: the part reference", limit=30
        )
        if not re.fullmatch(r"[0-9A-Z#/-]*", part):
            raise ValueError(
                f"{urn}: the part reference {part!r} may only hold 0-9, A-Z, '#', '-', '/'"
            )
        head = f"{base}{_dl_encode(prefix + part)}"
        if pattern:
            return head
        return f"{head}/8011/{_digits(rest[1], 'serial', urn)}"
    # giai, ginc: company prefix and a free-form reference
    reference = _urn_decode(rest[0], "reference")
    value = _checked_value(prefix + reference, f"{urn}: the key", limit=30)
    return f"{base}{_dl_encode(value)}"


# ── Digital Link URIs ─────────────────────────────────────────────────────────────────

_SHORT_NAMES = {
    "gtin": "01", "itip": "8006", "cpid": "8010", "gln": "414", "party": "417",
    "gsrnp": "8017", "gsrn": "8018", "gcn": "255", "sscc": "00", "gdti": "253",
    "ginc": "401", "gsin": "402", "grai": "8003", "giai": "8004",
    "cpv": "22", "lot": "10", "ser": "21", "glnx": "254",
}  # fmt: skip
#: Primary keys and the key qualifiers each may keep in the constrained canonical form.
_PRIMARY_KEYS = {
    "00": (), "01": ("21", "10", "235"), "253": (), "255": (), "401": (), "402": (),
    "414": ("254",), "417": (), "8003": (), "8004": (), "8006": ("21", "10"),
    "8010": ("8011",), "8017": (), "8018": (),
}  # fmt: skip
_QUALIFIERS = {"22", "10", "21", "235", "254", "8011"}


def _primary_value(ai: str, value: str, uri: str) -> str:
    what = f"{uri}: AI ({ai})"
    if ai == "01":
        if len(value) not in (8, 12, 13, 14):
            raise ValueError(f"{what}: a GTIN has 8, 12, 13 or 14 digits, not {value!r}")
        return _validate_check_digit(value.rjust(14, "0"), "GTIN")
    fixed = {"00": 18, "402": 17, "414": 13, "417": 13, "8017": 18, "8018": 18}
    if ai in fixed:
        if len(value) != fixed[ai]:
            raise ValueError(f"{what} must have {fixed[ai]} digits, not {value!r}")
        return _validate_check_digit(value, f"AI ({ai})")
    if ai in {"253", "255", "8003"}:
        digits = 14 if ai == "8003" else 13
        _validate_check_digit(value[:digits], f"AI ({ai})")
        limit = {"253": 17, "255": 12, "8003": 16}[ai]
        tail = value[digits:]
        if ai == "255" and tail and not tail.isdigit():
            raise ValueError(f"{what}: a GCN serial component has digits only")
        if tail:
            _checked_value(tail, f"{what} serial", limit=limit)
        return _dl_encode(value[:digits] + tail)
    if ai == "8006":
        if len(value) != 18 or not value.isdigit():
            raise ValueError(f"{what}: an ITIP has 18 digits, not {value!r}")
        _validate_check_digit(value[:14], "GTIN")
        return value
    return _dl_encode(_checked_value(value, what, limit=30))  # 401, 8004, 8010


def normalise_digital_link(uri: str) -> str:
    """The constrained canonical form of a GS1 Digital Link URI.

    `https://example.com/gtin/4012345111118/lot/L1/ser/9?17=260101` ->
    `https://id.gs1.org/01/04012345111118/21/9`.
    """
    parts = urlsplit(uri)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{uri!r} is not an http(s) URI")
    segments = parts.path.split("/")
    for index, segment in enumerate(segments):
        ai = _SHORT_NAMES.get(segment, segment)
        if ai in _PRIMARY_KEYS and index + 1 < len(segments):
            break
    else:
        raise ValueError(f"{uri!r} has no GS1 primary key in its path")
    pairs = [seg for seg in segments[index:] if seg]
    if len(pairs) % 2:
        raise ValueError(f"{uri}: a key or qualifier without a value")
    values: dict[str, str] = {}
    for code, raw in zip(pairs[::2], pairs[1::2], strict=True):
        code = _SHORT_NAMES.get(code, code)
        if values and code not in _QUALIFIERS:
            raise ValueError(f"{uri}: {code!r} is not a key qualifier")
        if code in values:
            raise ValueError(f"{uri}: AI ({code}) appears twice")
        values[code] = _urn_decode(raw, f"{uri}: AI ({code})")
    primary, value = next(iter(values.items()))
    allowed = _PRIMARY_KEYS[primary]
    extra = set(values) - {primary, "22", *allowed}
    if extra:
        raise ValueError(f"{uri}: AI ({sorted(extra)[0]}) does not qualify AI ({primary})")
    result = f"{_CANONICAL_HOST}/{primary}/{_primary_value(primary, value, uri)}"
    for qualifier in allowed:
        if qualifier in values:
            limit = {"235": 28, "8011": 12}.get(qualifier, 20)
            what = f"{uri}: AI ({qualifier})"
            qualifier_value = _checked_value(values[qualifier], what, limit=limit)
            if qualifier == "8011" and not qualifier_value.isdigit():
                raise ValueError(f"{what} has digits only")
            result += f"/{qualifier}/{_dl_encode(qualifier_value)}"
            if qualifier in ("21", "10"):
                break  # the finest level only: a serial makes the lot redundant
    return result


def is_gs1_identifier(value: str) -> bool:
    """Whether `value` claims to be a GS1 key: an EPC URN of a supported scheme or an
    http(s) URI whose path holds a GS1 primary key (the event hash canonicalises these and
    refuses them when malformed; other URIs pass through as they are)."""
    if value.startswith("urn:epc:"):
        match = re.match(r"urn:epc:(id|class|idpat):([a-z]+):", value)
        return match is not None and match.group(2) in _EPC_SCHEMES
    if value.startswith(("http://", "https://")):
        segments = urlsplit(value).path.split("/")
        return any(
            _SHORT_NAMES.get(seg, seg) in _PRIMARY_KEYS and nxt[:1].isdigit()
            for seg, nxt in pairwise(segments)
        )
    return False


def digital_link(value: str) -> str:
    """The canonical Digital Link URI of an EPC URN or of any GS1 Digital Link URI."""
    if value.startswith("urn:epc:"):
        return epc_to_digital_link(value)
    return normalise_digital_link(value)


# ── CBV vocabulary ────────────────────────────────────────────────────────────────────


def vocabulary_uri(value: str, vocabulary: str | None = None) -> str:
    """The CBV 2.0 web URI of a vocabulary value; other values are returned unchanged.

    `urn:epcglobal:cbv:bizstep:shipping` and, with `vocabulary="BizStep"`, the bare term
    `shipping` both give `https://ref.gs1.org/cbv/BizStep-shipping`; the compact URI
    `gs1:Temperature` gives `https://gs1.org/voc/Temperature`. `vocabulary` names the CBV
    vocabulary of a bare term (`BizStep`, `Disp`, `BTT`, `SDT`, `ER`, `Comp`), or `gs1`
    for GS1 web vocabulary terms (measurement types, sensor exceptions).
    """
    if value.startswith("urn:epcglobal:cbv:"):
        head, _, term = value[len("urn:epcglobal:cbv:") :].partition(":")
        if head in _URN_VOCABULARIES:
            if not term:
                raise ValueError(f"{value!r} has no vocabulary term")
            return f"{CBV}{_URN_VOCABULARIES[head]}-{term}"
        return value
    prefix, colon, rest = value.partition(":")
    if colon:
        if prefix in CURIE_PREFIXES and not rest.startswith("//"):
            return CURIE_PREFIXES[prefix] + rest
        return value
    if vocabulary is None or not value:
        return value
    return f"{GS1_VOC}{value}" if vocabulary == "gs1" else f"{CBV}{vocabulary}-{value}"
