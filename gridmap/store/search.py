"""Find anything by code or by part of a name: components, grids, places, incidents.

Results come in groups — one per kind of thing, and one per component class —
each with its full count, ranked so that what the user most likely meant comes
first: an exact code, then an exact class or place name, then codes that start
with the text, then names that contain it. A group lists its first rows; every
row of it can be fetched (``group_ids``) to select them all on the map.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gridmap.store.connection import Store
from gridmap.store.schema import COMPONENT_TABLES

PER_GROUP = 50
#: a component table with more distinct names than this is searched by name with a scan (see _names_like)
NAME_WALK_LIMIT = 5000

# ranks: lower comes first
EXACT_CODE, EXACT_NAME, CODE_PREFIX, PLACE_NAME, CLASS_NAME, OTHER_NAME = range(6)


@dataclass(frozen=True)
class Hit:
    kind: str  # component, unit_grid, responsibility_grid, community_grid, community, street, incident
    table: str
    code: str
    label: str
    row_id: int


@dataclass
class Group:
    """Matches of one kind (components: of one class, or by their own name)."""

    kind: str
    title: str  # the class ("0118 路灯") for a class group, else empty
    rank: int
    total: int
    hits: list[Hit] = field(default_factory=list)
    #: how to fetch every row: ("class", class_code), ("name", pattern), ("prefix", low, high) or ("ids",)
    query: tuple = ()


def _prefix_range(text: str) -> tuple[str, str]:
    # code >= text AND code < text + U+FFFF uses the code's unique index (LIKE would not).
    return text, text + "\uffff"


_SIMPLE = {
    # kind: (table, label column, extra condition)
    "unit_grid": ("unit_grid", "community_code", "valid_to IS NULL"),
    "incident": ("incident", "description", ""),
    "community_grid": ("community_grid", "name", ""),
    "responsibility_grid": ("responsibility_grid", "name", ""),
    "street": ("street", "name", ""),
    "community": ("community", "name", ""),
}


def _names_like(store: Store, table: str, pattern: str) -> list[str] | None:
    """The distinct names in component ``table`` that are LIKE ``pattern``, found by walking the table's
    (name, class_code) index from one name to the next: one index seek per distinct name, where LIKE
    '%…%' reads every row (250 ms for a city's million components). None when the table holds more than
    NAME_WALK_LIMIT distinct names: then the scan is the cheaper way."""
    rows = store.conn.execute(
        f"WITH RECURSIVE names(n, k) AS (SELECT min(name), 1 FROM {table} UNION ALL "
        f"SELECT (SELECT min(name) FROM {table} WHERE name > n), k + 1 FROM names "
        "WHERE n IS NOT NULL AND k <= ?) SELECT n, n LIKE ? FROM names WHERE n IS NOT NULL",
        (NAME_WALK_LIMIT, pattern)).fetchall()
    if len(rows) > NAME_WALK_LIMIT:
        return None
    return [name for name, like in rows if like]


def _where(kind: str, condition: str) -> str:
    extra = _SIMPLE[kind][2]
    return f"({condition}) AND {extra}" if extra else condition


def search_groups(store: Store, text: str, per_group: int = PER_GROUP) -> list[Group]:
    """Groups of matches for ``text``, best first, each with its total and its first ``per_group`` hits.

    Returns an empty list for blank text.
    """
    text = text.strip()
    if not text:
        return []
    conn = store.conn
    low, high = _prefix_range(text)
    pattern = f"%{text}%"
    groups: list[Group] = []

    def simple(kind: str, rank: int, condition: str, params: tuple, query: tuple) -> None:
        table, label, _extra = _SIMPLE[kind]
        where = _where(kind, condition)
        total = conn.execute(f"SELECT count(*) FROM {table} WHERE {where}", params).fetchone()[0]
        if total:
            rows = conn.execute(f"SELECT id, code, {label} FROM {table} WHERE {where} ORDER BY code LIMIT ?",
                                (*params, per_group))
            groups.append(Group(kind, "", rank, total, [Hit(kind, table, r[1], r[2] or "", r[0]) for r in rows],
                                (kind, *query)))

    def table_hits(table: str, condition: str, params: tuple, hits: list[Hit]) -> int:
        """Add the table's first hits to ``hits`` (up to the group's room); return its count."""
        room = per_group - len(hits)
        if room > 0:
            rows = conn.execute(f"SELECT t.id, t.code, c.name FROM {table} t JOIN component_class c "
                                f"ON c.code = t.class_code WHERE {condition} ORDER BY t.code LIMIT ?",
                                (*params, room)).fetchall()
            hits += [Hit("component", table, r[1], r[2] or "", r[0]) for r in rows]
            if len(rows) < room:  # the table had fewer: they are all (a name scan runs once, not twice)
                return len(rows)
        return conn.execute(f"SELECT count(*) FROM {table} t WHERE {condition}", params).fetchone()[0]

    def components(title: str, rank: int, condition: str, params: tuple, query: tuple) -> None:
        total, hits = 0, []
        for table in COMPONENT_TABLES.values():
            total += table_hits(table, condition, params, hits)
        if total:
            groups.append(Group("component", title, rank, total, hits, ("component", *query)))

    def components_named(pattern: str, classes: list[str]) -> None:
        """Components whose own name contains the text, other than those of ``classes`` (their groups)."""
        others = f" AND t.class_code NOT IN ({', '.join('?' * len(classes))})" if classes else ""
        total, hits = 0, []
        for table in COMPONENT_TABLES.values():
            names = _names_like(store, table, pattern)
            if names and classes:  # keep the names some component of another class has (a seek each): a
                # class's own name is its group already, and PostGIS planned the query for none by code order
                plain = others.replace("t.class_code", "class_code")
                names = [n for n in names if conn.execute(
                    f"SELECT EXISTS (SELECT 1 FROM {table} WHERE name = ?{plain})", (n, *classes)).fetchone()[0]]
                if not names:
                    continue
            if names is None:
                total += table_hits(table, f"t.name LIKE ?{others}", (pattern, *classes), hits)
            elif names:
                total += table_hits(table, f"t.name IN ({', '.join('?' * len(names))}){others}", (*names, *classes),
                                    hits)
        if total:
            groups.append(Group("component", "", OTHER_NAME, total, hits, ("component", "name", pattern, *classes)))

    if text[:6].isdigit():
        exact = "t.code = ?"
        components("", EXACT_CODE, exact, (text,), ("code", text))
        for kind in ("street", "community", "unit_grid", "incident", "community_grid"):
            simple(kind, EXACT_CODE, "code = ?", (text,), ("code", text))
        components("", CODE_PREFIX, "t.code > ? AND t.code < ?", (low, high), ("prefix", low, high))
        for kind in ("street", "community", "unit_grid", "incident", "community_grid"):
            simple(kind, CODE_PREFIX, "code > ? AND code < ?", (low, high), ("prefix", low, high))
    simple("responsibility_grid", EXACT_CODE, "code = ? OR name = ?", (text, text), ("exact", text))
    simple("responsibility_grid", CODE_PREFIX, "(code > ? AND code < ? OR name LIKE ?) AND NOT (code = ? OR name = ?)",
           (low, high, pattern, text, text), ("like", low, high, pattern, text))
    if not text.isdigit():
        for kind in ("street", "community"):
            simple(kind, EXACT_NAME, "name = ?", (text,), ("name", text))
            simple(kind, PLACE_NAME, "name LIKE ? AND name <> ?", (pattern, text), ("name_like", pattern, text))
        simple("community_grid", PLACE_NAME, "level = 3 AND name LIKE ?", (pattern,), ("grid_like", pattern))
        classes = conn.execute("SELECT code, name FROM component_class WHERE name LIKE ? ORDER BY code",
                               (pattern,)).fetchall()
        for code, name in classes:
            components(f"{code} {name}", EXACT_NAME if name == text else CLASS_NAME, "t.class_code = ?", (code,),
                       ("class", code))
        components_named(pattern, [c for c, _ in classes])
    groups.sort(key=lambda g: (g.rank, -g.total if g.kind == "component" else 0))
    return groups


def group_ids(store: Store, group: Group) -> dict[str, list[int]]:
    """Every row of ``group`` by table ({table: [id, ...]}), to select them all on the map."""
    conn = store.conn
    kind, how, *args = group.query
    if kind == "component":
        condition = {
            "code": "code = ?", "prefix": "code > ? AND code < ?", "class": "class_code = ?",
            "name": "name LIKE ?" + (f" AND class_code NOT IN ({', '.join('?' * (len(args) - 1))})"
                                     if len(args) > 1 else ""),
        }[how]
        out = {}
        for table in COMPONENT_TABLES.values():
            ids = [r[0] for r in conn.execute(f"SELECT id FROM {table} WHERE {condition}", args)]
            if ids:
                out[table] = ids
        return out
    condition = {
        "code": "code = ?", "prefix": "code > ? AND code < ?", "exact": "code = ? OR name = ?",
        "like": "(code > ? AND code < ? OR name LIKE ?) AND NOT (code = ? OR name = ?)",
        "name": "name = ?", "name_like": "name LIKE ? AND name <> ?", "grid_like": "level = 3 AND name LIKE ?",
    }[how]
    if how == "exact":
        args = [args[0], args[0]]
    elif how == "like":
        args = [*args, args[-1]]
    table = _SIMPLE[kind][0]
    return {table: [r[0] for r in conn.execute(f"SELECT id FROM {table} WHERE {_where(kind, condition)}", args)]}


def search(store: Store, text: str, limit: int = PER_GROUP) -> list[Hit]:
    """Up to ``limit`` matches for ``text``, best first (the groups of ``search_groups`` flattened)."""
    hits: list[Hit] = []
    for group in search_groups(store, text, per_group=limit):
        hits += group.hits[:limit - len(hits)]
        if len(hits) >= limit:
            break
    return hits
