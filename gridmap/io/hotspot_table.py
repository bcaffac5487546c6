"""The hotspot table as CSV: one row per unit grid with its cases, Gi* z-score, p-value and class."""

from __future__ import annotations

import csv
import os
import tempfile
from pathlib import Path

from gridmap.domain.cells import formula_safe
from gridmap.io.plan_export import ExportError

COLUMNS = ("unit_grid_code", "cases", "gi_z", "p_value", "class", "confidence")


def write_hotspots_csv(grids, path: Path | str) -> Path:
    """Write ``grids`` (domain.hotspots.Hotspot, in their order) to ``path`` (UTF-8 with a byte-order mark,
    as Excel opens it), under a temporary name renamed when complete; return the path. Raises ExportError."""
    path = Path(path)
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(suffix=".csv", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(COLUMNS)
            for h in grids:
                writer.writerow([formula_safe(h.code), h.cases, f"{h.z:.4f}", f"{h.p:.6g}", h.kind, h.confidence])
        os.replace(tmp, path)
    except OSError as exc:
        if tmp and os.path.exists(tmp):
            os.remove(tmp)
        raise ExportError(f"{path}: could not write the hotspot table: {exc}") from exc
    return path
