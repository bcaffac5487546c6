"""What a grid's notice board (网格公示牌) shows, read from the store: the responsibility grid's outline,
area, unit grids, components and open cases, its supervisors with their phones, and the roster of the
community grids inside it (grid leader, grid manager, police officer, ... with phones)."""

from __future__ import annotations

from dataclasses import dataclass, field

import shapely

from gridmap.domain.errors import GridmapError
from gridmap.domain.workflow import OPEN_STATUSES
from gridmap.store import dialect
from gridmap.store.connection import StoreBase
from gridmap.store.schema import COMPONENT_TABLES


@dataclass
class NoticeBoard:
    code: str
    name: str
    geometry: object  # shapely polygon of the responsibility grid
    area_m2: float
    unit_grids: int
    components: int
    open_cases: int
    supervisors: list[tuple[str, str]] = field(default_factory=list)  # (name, phone)
    roster: list[tuple[str, str, str, str]] = field(default_factory=list)  # (community grid, role, name, phone)


def notice_boards(store: StoreBase, codes: list[str] | None = None) -> list[NoticeBoard]:
    """One board per responsibility grid (``codes``, default all), in code order.

    Raises GridmapError naming codes that are not responsibility grids.
    """
    rows = store.conn.execute(f"SELECT code, name, {dialect.wkb(store)} FROM responsibility_grid "
                              "WHERE geom IS NOT NULL ORDER BY code").fetchall()
    known = {r[0] for r in rows}
    unknown = [c for c in codes or () if c not in known]
    if unknown:
        raise GridmapError(f"no responsibility grid {', '.join(unknown)}")
    wanted = set(codes) if codes else known
    units = {r[0]: (int(r[1]), float(r[2])) for r in store.conn.execute(
        "SELECT responsibility_grid_code, count(*), coalesce(sum(area_m2), 0) FROM unit_grid WHERE valid_to IS NULL "
        "GROUP BY 1")}
    components: dict[str, int] = {}
    for table in COMPONENT_TABLES.values():
        for grid, n in store.conn.execute(f"SELECT u.responsibility_grid_code, count(*) FROM {table} t "
                                          "JOIN unit_grid u ON u.code = t.unit_grid_code AND u.valid_to IS NULL "
                                          "GROUP BY 1"):
            components[grid] = components.get(grid, 0) + int(n)
    marks = ", ".join("?" for _ in OPEN_STATUSES)
    open_cases = {r[0]: int(r[1]) for r in store.conn.execute(
        f"SELECT responsibility_grid_code, count(*) FROM incident WHERE status IN ({marks}) GROUP BY 1",
        OPEN_STATUSES)}
    supervisors: dict[str, list[tuple[str, str]]] = {}
    for grid, name, phone in store.conn.execute(
            "SELECT a.responsibility_grid_code, s.name, coalesce(s.phone, '') FROM supervisor_assignment a "
            "JOIN staff s ON s.code = a.staff_code ORDER BY s.code"):
        supervisors.setdefault(grid, []).append((name, phone))
    boards = [NoticeBoard(code, name, shapely.from_wkb(bytes(wkb)), units.get(code, (0, 0.0))[1],
                          units.get(code, (0, 0))[0], components.get(code, 0), open_cases.get(code, 0),
                          supervisors.get(code, [])) for code, name, wkb in rows if code in wanted]
    _add_rosters(store, boards)
    return boards


def _add_rosters(store: StoreBase, boards: list[NoticeBoard]) -> None:
    """The roles of the smallest community grids whose inside point lies in each board's grid."""
    if not boards:
        return
    grids = store.conn.execute(f"SELECT code, name, {dialect.wkb(store)} FROM community_grid WHERE level = ("
                               "SELECT max(level) FROM community_grid) ORDER BY code").fetchall()
    if not grids:
        return
    points = shapely.point_on_surface(shapely.from_wkb([bytes(r[2]) for r in grids]))
    tree = shapely.STRtree([b.geometry for b in boards])
    inside, hits = tree.query(points, predicate="within")
    board_of = {grids[i][0]: boards[j] for i, j in zip(inside, hits, strict=True)}
    names = {r[0]: r[1] for r in grids}
    for grid, role, name, phone in store.conn.execute(
            "SELECT r.community_grid_code, r.role, s.name, coalesce(s.phone, '') FROM community_grid_role r "
            "JOIN staff s ON s.code = r.staff_code ORDER BY r.community_grid_code, r.role"):
        board = board_of.get(grid)
        if board is not None:
            board.roster.append((names[grid], role, name, phone))
