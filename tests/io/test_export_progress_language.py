"""Issue 12, items 9 and 10 (the export's half): an export reports its progress while it works, not
only at the end; its README and fields.csv are written in the language asked for."""

import csv
import re

import pytest

from gridmap.io.export import ExportCancelled, ExportOptions, export, export_per_unit
from gridmap.store import exports

CJK = re.compile(r"[\u4e00-\u9fff]")


def _recorder(out):
    seen = []

    def progress(fraction):
        staged = sorted(p.name for p in out.glob(".gridmap-export-*/*"))
        seen.append((fraction, staged))
    return seen, progress


def test_the_component_export_reports_steps_while_the_points_are_written(store, tmp_path):
    out = tmp_path / "out"
    seen, progress = _recorder(out)
    export(store, out, ExportOptions(profile="legacy", encoding="gbk"), progress)
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    inside = [f for f in fractions if 0 < f < 1]
    assert len(inside) >= 6, fractions  # the point writer's steps and the other layers one by one
    # progress is heard before the point file exists: while it is being read and encoded
    assert any("component_point.shp" not in staged for f, staged in seen if 0 < f < 1)


@pytest.mark.parametrize("fmt", ["gpkg", "geojson"])
def test_a_general_export_reports_each_layer_read_and_written(store, tmp_path, fmt):
    out = tmp_path / fmt
    seen, progress = _recorder(out)
    export(store, out, ExportOptions(format=fmt), progress)
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert len([f for f in fractions if 0 < f < 1]) >= 5, fractions  # 3 layers read, 3 written


def test_per_unit_progress_moves_within_each_package_and_cancel_leaves_nothing(store, tmp_path):
    out = tmp_path / "units"
    fractions = []

    def cancelled():
        return len(fractions) >= 4  # stop inside the first unit's package

    with pytest.raises(ExportCancelled):
        export_per_unit(store, out, ExportOptions(), fractions.append, cancelled)
    units = exports.units_with_components(store, "any")
    assert len(fractions) >= 4 and fractions[-1] < 1 / len(units)  # heard inside the first unit's package
    assert not any(out.iterdir())


def _fields(folder):
    with (folder / "fields.csv").open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize(("layer", "profile"), [("components", "native"), ("components", "legacy"),
                                           ("incident", "native"), ("unit_grid", "native")])
def test_readme_and_field_descriptions_in_chinese(store, tmp_path, layer, profile):
    zh, en = tmp_path / "zh", tmp_path / "en"
    export(store, zh, ExportOptions(layer=layer, profile=profile, language="zh_CN"))
    export(store, en, ExportOptions(layer=layer, profile=profile))
    readme = (zh / "README.txt").read_text(encoding="utf-8")
    assert "坐标参考系" in readme and "文字编码" in readme and "导出时间" in readme
    assert "Coordinate reference system" not in readme and "Exported:" not in readme
    rows = _fields(zh)
    assert rows and all(CJK.search(r["description"]) for r in rows), [r for r in rows if not CJK.search(
        r["description"])]
    # English stays the default, and the columns' keys are the same in both
    english = _fields(en)
    assert all(not CJK.search(r["description"]) for r in english)
    assert [(r["layer"], r["field"]) for r in english] == [(r["layer"], r["field"]) for r in rows]
    assert "Coordinate reference system" in (en / "README.txt").read_text(encoding="utf-8")


def test_an_unknown_language_is_refused(store, tmp_path):
    from gridmap.io.export import ExportError

    with pytest.raises(ExportError, match="--lang 'fr'"):
        export(store, tmp_path, ExportOptions(language="fr"))
