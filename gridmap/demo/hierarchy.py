"""The hierarchies of one district of the demo city: district → streets/towns → communities → unit
grids, community grids (three levels) and responsibility grids, all coded under the district's code.

Arterial cells are communities. A snake walk through the cells (up one column,
down the next) visits neighbours one after another, so any run of consecutive
cells is connected: streets are runs of an even number of cells and
responsibility grids are consecutive pairs, which keeps every responsibility
grid inside one street. Inside a community, blocks are walked in a snake too
and cut into the community's small grids.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from gridmap.demo.city import District, read_districts
from gridmap.demo.geometry import Block, CityGeometry
from gridmap.domain import codes

DONGSHENG = read_districts()[0]
DISTRICT_CODE = DONGSHENG.code
DISTRICT_NAME = DONGSHENG.name
FULL_CELLS = 84
FULL_STREETS = 15
FULL_SMALL_GRIDS = 486
# Street offices where a district has fewer real ones than the demo needs (generic names, not real ones).
GENERIC_STREETS = [f"{name}街道" for name in (
    "新华", "团结", "振兴", "文明", "育才", "迎宾", "光明", "和平", "胜利", "友谊", "人民", "北园",
    "南园", "东城", "西城", "朝阳", "向阳", "丰收", "长青", "滨湖", "锦绣", "春晖", "松柏", "园丁")]
_NAME_FIRST = "宏兴富康安和华锦瑞祥泰嘉"
_NAME_SECOND = ["苑", "园", "城", "府", "庭", "居", "湾", "都"]


@dataclass
class Street:
    code: str
    name: str
    kind: str
    cells: list[tuple[int, int]]


@dataclass
class Community:
    code: str
    name: str
    street_code: str
    cell: tuple[int, int]
    blocks: list[int] = field(default_factory=list)  # indexes into geometry.blocks, coding order


@dataclass
class SmallGrid:
    code: str
    name: str
    community_code: str
    blocks: list[int]


@dataclass
class ResponsibilityGrid:
    code: str
    name: str
    cells: list[tuple[int, int]]


@dataclass
class Hierarchy:
    streets: list[Street]
    communities: list[Community]
    small_grids: list[SmallGrid]
    responsibility_grids: list[ResponsibilityGrid]
    unit_grid_codes: list[str]  # per block
    block_community: list[str]
    block_responsibility: list[str]


def snake_cells(cols: int, rows: int) -> list[tuple[int, int]]:
    """Cells in snake order: up column 0, down column 1, ..."""
    order = []
    for i in range(cols):
        column = [(i, j) for j in range(rows)]
        order += column if i % 2 == 0 else column[::-1]
    return order


def street_sizes(n_cells: int, n_streets: int) -> list[int]:
    """Split n_cells into n_streets runs of even length where possible, near-equal."""
    pairs, odd = divmod(n_cells, 2)
    base, extra = divmod(pairs, n_streets)
    sizes = [2 * (base + (1 if k < extra else 0)) for k in range(n_streets)]
    sizes[-1] += odd
    return sorted(sizes)  # the smaller runs (towns, first in the order) come first


def _block_snake(geometry: CityGeometry, ids: list[int]) -> list[int]:
    """Blocks of one cell walked row by row, alternating direction (north→south)."""
    rows: dict[int, list[int]] = {}
    for k in ids:
        rows.setdefault(geometry.blocks[k].row, []).append(k)
    order: list[int] = []
    for n, r in enumerate(sorted(rows, reverse=True)):
        row = sorted(rows[r], key=lambda k: geometry.blocks[k].u0)
        order += row if n % 2 == 0 else row[::-1]
    return order


def _coding_order(blocks: list[Block], ids: list[int]) -> list[int]:
    """Unit grid sequence order: rows north→south, west→east within a row."""
    return sorted(ids, key=lambda k: (-blocks[k].row, blocks[k].u0))


def street_names(district: District, count: int, rotate: int = 0) -> list[str]:
    """``count`` street office names of ``district``: its real ones, then generic ones (the pool turned by
    ``rotate``, so neighbouring districts differ), then numbered ones; no name twice."""
    names = list(district.streets[:count])
    pool = GENERIC_STREETS[rotate % len(GENERIC_STREETS):] + GENERIC_STREETS[:rotate % len(GENERIC_STREETS)]
    names += [n for n in pool if n not in names][: count - len(names)]
    names += [f"第{k}街道" for k in range(len(names) + 1, count + 1)]
    return names


def build_hierarchy(geometry: CityGeometry, rng: np.random.Generator, district: District = DONGSHENG,
                    rotate: int = 0) -> Hierarchy:
    """Group the blocks of one district into the hierarchies, coded under ``district``'s code.
    Deterministic for ``rng``; ``rotate`` varies the generic street names between districts."""
    i0, j0 = geometry.origin
    cells = [(i0 + i, j0 + j) for i, j in snake_cells(geometry.cols, geometry.rows)]
    n_cells = len(cells)
    n_streets = max(1, round(FULL_STREETS * n_cells / FULL_CELLS))
    sizes = street_sizes(n_cells, n_streets)
    n_towns = min(3, len(district.towns), sum(1 for s in sizes if s < max(sizes))) if n_streets > 3 else 0
    town_names = list(district.towns[:n_towns])
    names = street_names(district, n_streets - n_towns, rotate)
    # Towns at both ends of the walk (the west and east edges), streets in between.
    names = town_names[:1] + names + town_names[1:]
    sizes = sizes[:1] + sizes[n_towns:] + sizes[1:n_towns] if n_towns else sizes
    streets: list[Street] = []
    start = 0
    for k, (size, name) in enumerate(zip(sizes, names, strict=True)):
        kind = "town" if name in town_names else "street"
        streets.append(Street(f"{district.code}{k + 1:03d}", name, kind, cells[start:start + size]))
        start += size

    cell_blocks: dict[tuple[int, int], list[int]] = {}
    for k, b in enumerate(geometry.blocks):
        cell_blocks.setdefault(b.cell, []).append(k)

    name_pool = [a + b for a in _NAME_FIRST for b in _NAME_SECOND]
    rng.shuffle(name_pool)
    communities: list[Community] = []
    cell_community: dict[tuple[int, int], str] = {}
    for street in streets:
        for n, cell in enumerate(street.cells):
            suffix = "村" if street.kind == "town" else "社区"
            code = f"{street.code}{n + 1:03d}"
            community = Community(code, name_pool[len(communities) % len(name_pool)] + suffix,
                                  street.code, cell)
            community.blocks = _coding_order(geometry.blocks, cell_blocks[cell])
            communities.append(community)
            cell_community[cell] = code

    unit_grid_codes = [""] * len(geometry.blocks)
    block_community = [""] * len(geometry.blocks)
    for community in communities:
        for seq, k in enumerate(community.blocks, start=1):
            unit_grid_codes[k] = codes.unit_grid_code(community.code, seq)
            block_community[k] = community.code

    # Small grids: 486 over 84 communities at full size, i.e. 5 or 6 each.
    target = round(FULL_SMALL_GRIDS * n_cells / FULL_CELLS)
    per = [target // n_cells] * n_cells
    for k in rng.permutation(n_cells)[: target - sum(per)]:
        per[k] += 1
    small_grids: list[SmallGrid] = []
    for community, count in zip(communities, per, strict=True):
        walk = _block_snake(geometry, cell_blocks[community.cell])
        for n, chunk in enumerate(np.array_split(np.array(walk), count)):
            small_grids.append(SmallGrid(f"{community.code}{n + 1:02d}",
                                         f"{community.name}第{n + 1}网格", community.code,
                                         [int(k) for k in chunk]))

    responsibility_grids: list[ResponsibilityGrid] = []
    cell_responsibility: dict[tuple[int, int], str] = {}
    for k in range(0, n_cells, 2):
        pair = cells[k:k + 2]
        number = len(responsibility_grids) + 1
        grid = ResponsibilityGrid(f"{district.code}Z{number:03d}", f"{district.short}第{number:02d}责任网格",
                                  pair)
        responsibility_grids.append(grid)
        for cell in pair:
            cell_responsibility[cell] = grid.code
    block_responsibility = [cell_responsibility[b.cell] for b in geometry.blocks]
    return Hierarchy(streets, communities, small_grids, responsibility_grids,
                     unit_grid_codes, block_community, block_responsibility)
