"""A demo city of one or several adjacent districts: which districts, how large, where each lies.

``--scale`` is the size of the whole city in Dongshengs (1 = the single-district demo: 84 communities,
105,000 components, 150,000 cases) and ``--districts`` how many districts share it, each the same size.
Without ``--districts`` a city up to 1 is one district and a larger one has ceil(scale) districts (at most
nine: Ordos has nine county-level divisions and a code is never invented), so ``--scale 3`` is three whole
districts and ``--scale 10`` nine districts of 1.11 each. Without ``--scale``, ``--districts N`` is N whole
districts.

The districts are rectangles of arterial cells in one lattice, filled row by row from the south-west
corner (Dongsheng) in a block about as wide as it is tall; the city's geometry is drawn once over the
lattice so that neighbours share their boundary vertex for vertex.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass

import numpy as np

from gridmap.paths import DATA_DIR

DISTRICTS_CSV = DATA_DIR / "demo" / "districts.csv"
MAX_SCALE = 10.0
CITY_CODE, CITY_NAME = "150600", "鄂尔多斯市"  # GB/T 2260: the prefecture-level city the districts belong to
FULL_COLS, FULL_ROWS = 12, 7  # one whole district: 84 arterial cells = communities


@dataclass(frozen=True)
class District:
    code: str  # GB/T 2260
    name: str
    short: str  # the name without 区/旗, for responsibility grid names
    streets: tuple[str, ...]  # real street offices
    towns: tuple[str, ...]  # real towns and sumu


def read_districts(path=DISTRICTS_CSV) -> list[District]:
    """The districts a demo city is made of, in layout order (Dongsheng first)."""
    with open(path, encoding="utf-8", newline="") as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        return [District(r["code"], r["name"], r["short"], tuple(filter(None, r["streets"].split("|"))),
                         tuple(filter(None, r["towns"].split("|")))) for r in rows]


def district_size(scale: float) -> tuple[int, int]:
    """Columns and rows of arterial cells of one district of ``scale`` (1.0 = the full 12 x 7)."""
    if scale == 1.0:
        return FULL_COLS, FULL_ROWS
    factor = float(np.sqrt(scale))
    return max(2, round(FULL_COLS * factor)), max(2, round(FULL_ROWS * factor))


def split(total: int, parts: int) -> list[int]:
    """``total`` in ``parts`` near-equal whole numbers, the larger ones first."""
    base, extra = divmod(total, parts)
    return [base + (1 if k < extra else 0) for k in range(parts)]


@dataclass(frozen=True)
class CityLayout:
    districts: tuple[District, ...]
    scale: float  # of the whole city
    cols: int  # arterial cells of one district, west-east
    rows: int  # and south-north
    across: int  # districts in a row of the layout

    @property
    def count(self) -> int:
        return len(self.districts)

    @property
    def district_scale(self) -> float:
        return self.scale / self.count

    @property
    def lattice(self) -> tuple[int, int]:
        """Columns and rows of cells of the whole lattice the city is drawn on."""
        down = math.ceil(self.count / self.across)
        return self.across * self.cols, down * self.rows

    def origin(self, k: int) -> tuple[int, int]:
        """The first cell (column, row) of district ``k``."""
        return (k % self.across) * self.cols, (k // self.across) * self.rows

    def cells(self) -> set[tuple[int, int]] | None:
        """The lattice cells inside a district; None when that is all of them."""
        cols, rows = self.lattice
        found = {(i0 + i, j0 + j) for k in range(self.count) for i0, j0 in [self.origin(k)]
                 for i in range(self.cols) for j in range(self.rows)}
        return None if len(found) == cols * rows else found


def city_layout(scale: float | None = None, districts: int | None = None) -> CityLayout:
    """The layout of a city of ``scale`` Dongshengs in ``districts`` districts (the rules of this module).

    Raises ValueError for a scale outside (0, 10] or a number of districts outside 1..9.
    """
    known = read_districts()
    if districts is not None and not 1 <= districts <= len(known):
        raise ValueError(f"districts must be 1 to {len(known)} (Ordos has {len(known)} county-level divisions), "
                         f"not {districts}")
    if scale is None:
        scale = float(districts or 1)
    if not 0 < scale <= MAX_SCALE:
        raise ValueError(f"scale must be in (0, {MAX_SCALE:g}], not {scale}")
    count = districts or min(len(known), max(1, math.ceil(scale)))
    cols, rows = district_size(scale / count)
    return CityLayout(tuple(known[:count]), scale, cols, rows, math.ceil(math.sqrt(count)))
