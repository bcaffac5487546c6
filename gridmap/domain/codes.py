"""Codes of the grid hierarchy, components and responsible units.

- Administrative: district 6 digits (GB/T 2260), street 9 (= district + 3),
  community 12 (= street + 3).
- Unit grid: 15 digits = community 12 + sequence 3 (DB11/T 2157-2023, GB/T 47678.3-2026).
- Component ID: legacy 16 digits = district 6 + class 4 (major 2 + minor 2) + serial 6
  (CJ/T 214); GB/T 47678.5-2026 uses 17 = district 6 + class 5 + serial 6.
- Case (案件) code: the reporting day YYYYMMDD + a serial of that day, 6 digits, more past
  999,999 (so a busy day never runs out of codes); a code is never reused.
- Unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters with a
  check character.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from gridmap.domain.errors import CodeError

DISTRICT_LEN = 6
STREET_LEN = 9
COMMUNITY_LEN = 12
UNIT_GRID_LEN = 15
LEGACY_COMPONENT_LEN = 16
GBT_COMPONENT_LEN = 17

_DIGITS = re.compile(r"\d+")
CASE_SERIAL_MIN_DIGITS = 6
_CASE_CODE = re.compile(r"(\d{8})(\d{6,})")


def _digits(value: str, length: int, what: str) -> str:
    if not isinstance(value, str) or len(value) != length or not _DIGITS.fullmatch(value):
        raise CodeError(f"{what} {value!r} must be exactly {length} digits")
    return value


def check_unit_grid_code(code: str, community_code: str | None = None) -> str:
    """Return ``code`` if it is a well-formed 15-digit unit grid code.

    When ``community_code`` is given, the code must start with it.
    Raises CodeError otherwise.
    """
    _digits(code, UNIT_GRID_LEN, "unit grid code")
    if code.endswith("000"):
        raise CodeError(f"unit grid code {code!r}: sequence 000 is not allowed")
    if community_code is not None and not code.startswith(community_code):
        raise CodeError(
            f"unit grid code {code!r} does not start with its community code {community_code!r}"
        )
    return code


def unit_grid_code(community_code: str, sequence: int) -> str:
    """Return the unit grid code for a community and a 1-based sequence number."""
    _digits(community_code, COMMUNITY_LEN, "community code")
    if not 1 <= sequence <= 999:
        raise CodeError(f"unit grid sequence {sequence} is outside 1..999 in {community_code}")
    return f"{community_code}{sequence:03d}"


@dataclass(frozen=True)
class ComponentId:
    """A parsed component ID."""

    district_code: str
    class_code: str
    serial: int

    @property
    def scheme(self) -> str:
        return "legacy" if len(self.class_code) == 4 else "gbt47678"

    def __str__(self) -> str:
        return f"{self.district_code}{self.class_code}{self.serial:06d}"


def parse_component_id(code: str) -> ComponentId:
    """Parse a 16-digit legacy or 17-digit GB/T 47678.5 component ID.

    Returns a ComponentId; raises CodeError when the code is neither.
    """
    if not isinstance(code, str) or not _DIGITS.fullmatch(code or ""):
        raise CodeError(f"component ID {code!r} must be 16 or 17 digits")
    if len(code) == LEGACY_COMPONENT_LEN:
        class_len = 4
    elif len(code) == GBT_COMPONENT_LEN:
        class_len = 5
    else:
        raise CodeError(f"component ID {code!r} has {len(code)} digits; expected 16 or 17")
    serial = int(code[DISTRICT_LEN + class_len :])
    if serial == 0:
        raise CodeError(f"component ID {code!r}: serial 000000 is not allowed")
    return ComponentId(code[:DISTRICT_LEN], code[DISTRICT_LEN : DISTRICT_LEN + class_len], serial)


def component_id(district_code: str, class_code: str, serial: int) -> str:
    """Return the component ID for a district, a 4- or 5-digit class code and a serial."""
    _digits(district_code, DISTRICT_LEN, "district code")
    if len(class_code) not in (4, 5) or not _DIGITS.fullmatch(class_code):
        raise CodeError(f"class code {class_code!r} must be 4 (legacy) or 5 (GB/T 47678) digits")
    if not 1 <= serial <= 999_999:
        raise CodeError(f"component serial {serial} is outside 1..999999")
    return f"{district_code}{class_code}{serial:06d}"


# --- unified social credit code (GB 32100-2015) -------------------------------

def case_code(day: str, serial: int) -> str:
    """The case code for the ``serial``-th case reported on ``day`` (YYYYMMDD).

    Six serial digits, more past 999,999, so the count of a day never overflows. Raises CodeError for a
    malformed day or a serial below 1.
    """
    _digits(day, 8, "case day")
    if serial < 1:
        raise CodeError(f"case serial {serial} must be at least 1")
    return f"{day}{serial:0{CASE_SERIAL_MIN_DIGITS}d}"


def is_case_code(code: str) -> bool:
    """True when ``code`` is a well-formed case code: a real calendar day and a serial of 6+ digits."""
    match = _CASE_CODE.fullmatch(code) if isinstance(code, str) else None
    if not match or int(match.group(2)) < 1:
        return False
    day = match.group(1)
    try:
        dt.date(int(day[:4]), int(day[4:6]), int(day[6:]))
    except ValueError:
        return False
    return True


_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_USCC = re.compile(r"[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}")


def uscc_check_char(first17: str) -> str:
    """Return the 18th (check) character for the first 17 characters of a credit code."""
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_CHARS[(31 - total % 31) % 31]


def org_code_check_char(first8: str) -> str:
    """Return the check character of a 9-character organisation code (GB 11714)."""
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(first8, _ORG_WEIGHTS, strict=True))
    rest = 11 - total % 11
    return "X" if rest == 10 else "0" if rest == 11 else str(rest)


def check_credit_code(code: str) -> str:
    """Return ``code`` if it is a valid 18-character unified social credit code.

    Raises CodeError naming what is wrong (characters or check character).
    """
    if not isinstance(code, str) or len(code) != 18:
        raise CodeError(f"credit code {code!r} must have 18 characters")
    if not _USCC.fullmatch(code):
        raise CodeError(
            f"credit code {code!r} has characters outside 0-9 and A-Y (no I, O, S, V, Z)"
        )
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        raise CodeError(f"credit code {code!r}: check character is {code[17]}, expected {expected}")
    return code


def make_credit_code(authority: str, kind: str, division: str, org_serial: str) -> str:
    """Build a valid credit code from its parts (8-character organisation serial)."""
    org = org_serial + org_code_check_char(org_serial)
    first17 = f"{authority}{kind}{division}{org}"
    return first17 + uscc_check_char(first17)


# --- sequence order of unit grids -----------------------------------------------


def west_east_north_south(
    centroids: Sequence[tuple[float, float]], band_height: float
) -> list[int]:
    """Return indexes of ``centroids`` in coding order: rows north→south, west→east in a row.

    Rows are horizontal bands ``band_height`` metres tall counted from the
    northernmost centroid, so grids of one street block share a row even when
    their centroids differ by a few metres.
    """
    if not centroids:
        return []
    if band_height <= 0:
        raise ValueError("band_height must be positive")
    top = max(y for _, y in centroids)
    return sorted(
        range(len(centroids)),
        key=lambda i: (int((top - centroids[i][1]) // band_height), centroids[i][0]),
    )
