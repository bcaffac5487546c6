"""Component and event class tables: data, not code.

A table is a CSV file with the columns ``scheme, major_code, major_name, code,
name, [geometry,] time_limit_hours, source``. The legacy scheme (CJ/T 214 /
GB/T 30428.2 style) uses 4-digit codes, GB/T 47678.5-2026 uses 5-digit codes;
both start with the 2-digit major class.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from gridmap.domain.errors import ClassTableError

GEOMETRIES = ("point", "line", "polygon")
CODE_LENGTH = {"legacy": 4, "gbt47678": 5}
KINDS = ("component", "event")


@dataclass(frozen=True)
class ClassEntry:
    """One minor class."""

    kind: str
    scheme: str
    major_code: str
    major_name: str
    code: str
    name: str
    geometry: str | None
    time_limit_hours: float
    source: str


class ClassTable:
    """An ordered, code-indexed set of minor classes of one kind (component or event)."""

    def __init__(self, kind: str, entries: list[ClassEntry]):
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}")
        self.kind = kind
        self._entries = {e.code: e for e in entries}

    def __iter__(self) -> Iterator[ClassEntry]:
        return iter(self._entries.values())

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, code: object) -> bool:
        return code in self._entries

    def __getitem__(self, code: str) -> ClassEntry:
        return self._entries[code]

    def get(self, code: str) -> ClassEntry | None:
        return self._entries.get(code)

    def majors(self) -> dict[str, str]:
        """Return major code → major name, in table order."""
        return {e.major_code: e.major_name for e in self}

    @classmethod
    def from_csv(cls, path: Path | str, kind: str) -> ClassTable:
        """Read a class table file.

        Returns the table; raises ClassTableError naming the file and row when a
        row is malformed (unknown scheme, code not matching its major class,
        duplicate code, unknown geometry, bad time limit).
        """
        path = Path(path)
        try:
            with path.open(encoding="utf-8", newline="") as f:
                rows = list(csv.DictReader(line for line in f if not line.startswith("#")))
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            raise ClassTableError(f"{path}: cannot read class table: {exc}") from exc
        required = {"scheme", "major_code", "major_name", "code", "name", "time_limit_hours"}
        if kind == "component":
            required.add("geometry")
        if not rows or not required <= set(rows[0]):
            raise ClassTableError(f"{path}: needs the columns {', '.join(sorted(required))}")
        entries: list[ClassEntry] = []
        seen: set[str] = set()
        for lineno, row in enumerate(rows, start=2):
            where = f"{path}, row {lineno}"
            scheme, code, major = row["scheme"], row["code"], row["major_code"]
            if scheme not in CODE_LENGTH:
                raise ClassTableError(f"{where}: unknown scheme {scheme!r}")
            if len(code) != CODE_LENGTH[scheme] or not code.isdigit() or not code.startswith(major):
                raise ClassTableError(
                    f"{where}: code {code!r} must be {CODE_LENGTH[scheme]} digits "
                    f"starting with its major class {major!r}"
                )
            if code in seen:
                raise ClassTableError(f"{where}: duplicate class code {code}")
            seen.add(code)
            geometry = row.get("geometry") or None
            if kind == "component" and geometry not in GEOMETRIES:
                raise ClassTableError(f"{where}: geometry must be one of {GEOMETRIES}")
            try:
                limit = float(row["time_limit_hours"])
            except ValueError:
                limit = -1.0
            if limit <= 0:
                raise ClassTableError(f"{where}: time_limit_hours must be a positive number")
            entries.append(
                ClassEntry(kind, scheme, major, row["major_name"], code, row["name"],
                           geometry, limit, row.get("source", ""))
            )
        return cls(kind, entries)


def load_shipped(scheme: str, kind: str) -> ClassTable:
    """Return a class table shipped in data/classes (scheme 'legacy' or 'gbt47678')."""
    from gridmap.paths import CLASS_TABLES  # noqa: PLC0415 - keeps domain import-light

    try:
        path = CLASS_TABLES[(scheme, kind)]
    except KeyError:
        raise ClassTableError(f"no shipped class table for scheme {scheme!r}, kind {kind!r}") from None
    return ClassTable.from_csv(path, kind)
