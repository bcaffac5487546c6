"""Item 4: values are normalised on the way in (dates to ISO, listed when impossible); exports never
crash on values the store accepts: the documented rule (replace, cut at a character boundary) and
every affected row listed in the README."""

import pytest

from gridmap.io.export import ExportOptions, export
from gridmap.io.files import read_table
from gridmap.io.importer import ImportOptions, import_file
from gridmap.io.shapefile import dbf_fields
from tests.io.conftest import sample_points, write_csv

EMOJI = "井盖🚧"
EXT_B = "𠀀路"  # U+20000, CJK Extension B: not in GBK
LONG_NOTE = "备注" * 150  # 300 characters, 600 bytes in GBK


def test_dates_in_every_common_spelling_are_stored_as_iso(store, tmp_path):
    rows = sample_points(store, 5)
    spellings = ["2019/05/03", "2019年5月3日", "20190503", "2019.5.3", "2019-05-03 08:30:00"]
    path = write_csv(tmp_path / "dates.csv", ["code", "class_code", "initial_date", "x", "y"],
                     [[r[0], r[1], d, r[2], r[3]] for r, d in zip(rows, spellings, strict=True)])
    report = import_file(store, path, ImportOptions(profile="native", crs=4546))
    assert report.errors == [] and report.written
    stored = {r[0] for r in store.conn.execute(
        f"SELECT initial_date FROM component_point WHERE code IN ({', '.join('?' * 5)})", [r[0] for r in rows])}
    assert stored == {"2019-05-03"}


def test_impossible_dates_and_values_are_listed_with_rows(store, tmp_path):
    rows = sample_points(store, 3)
    path = write_csv(tmp_path / "bad.csv", ["code", "class_code", "initial_date", "currency", "x", "y"], [
        [rows[0][0], rows[0][1], "2019-02-30", "在用", rows[0][2], rows[0][3]],
        [rows[1][0], rows[1][1], "去年春天", "在用", rows[1][2], rows[1][3]],
        [rows[2][0], rows[2][1], "2019-05-03", "现役", rows[2][2], rows[2][3]],
    ], encoding="utf-8-sig")  # as Excel saves "CSV UTF-8"
    report = import_file(store, path, ImportOptions(profile="native", crs=4546))
    assert not report.written
    by_row = dict(report.errors)
    assert "initial_date" in by_row[1] and "calendar" in by_row[1]
    assert "initial_date" in by_row[2] and "去年春天" in by_row[2]
    assert "currency '现役'" in by_row[3]


@pytest.fixture
def awkward(store):
    """Components whose values the store accepts but a GBK .dbf cannot hold as they are."""
    point, line = (store.conn.execute(f"SELECT code FROM {t} ORDER BY code LIMIT 1").fetchone()[0]
                   for t in ("component_point", "component_line"))
    with store.transaction() as conn:
        conn.execute("UPDATE component_point SET name = ?, note = ? WHERE code = ?", (EMOJI, LONG_NOTE, point))
        conn.execute("UPDATE component_line SET name = ?, initial_date = '去年春天' WHERE code = ?",
                     (EXT_B, line))
    return point, line


@pytest.mark.parametrize("where", [None, "state IS NOT NULL"])  # the fast point writer and the general path
def test_a_gbk_shapefile_export_fits_every_value_and_lists_it(store, tmp_path, awkward, where):
    point, line = awkward
    out = tmp_path / "out"
    result = export(store, out, ExportOptions(profile="legacy", encoding="gbk", where=where))
    assert result.counts["component_point"] > 0
    readme = (out / "README.txt").read_text(encoding="utf-8")
    assert f"component_point {point} OBJNAME" in readme and "🚧" in readme
    assert f"component_point {point} NOTE_: cut from 600 to 254 bytes" in readme
    assert f"component_line {line} OBJNAME" in readme and f"component_line {line} ORDATE" in readme
    table = read_table(out / "component_point.shp")
    k = list(table.columns["OBJCODE"]).index(point)
    assert table.columns["OBJNAME"][k] == "井盖?"
    assert table.columns["NOTE_"][k] == "备注" * 63 + "备"  # 254 bytes: 127 whole characters, none cut in half
    lines = read_table(out / "component_line.shp")
    assert list(lines.columns["OBJNAME"])[list(lines.columns["OBJCODE"]).index(line)] == "?路"
    report = import_file(store, out / "component_point.shp", ImportOptions(), dry_run=True)
    assert report.errors == []  # gridmap reads its own export back


def test_a_gbk_csv_export_replaces_and_lists(store, tmp_path, awkward):
    point, _ = awkward
    export(store, tmp_path, ExportOptions(profile="native", encoding="gbk", format="csv"))
    text = (tmp_path / "component_point.csv").read_bytes().decode("gbk")
    assert "井盖?" in text and LONG_NOTE in text  # no width limit in a CSV
    assert f"component_point {point} name" in (tmp_path / "README.txt").read_text(encoding="utf-8")


def test_a_utf8_shapefile_cuts_long_values_at_a_character_boundary(store, tmp_path, awkward):
    point, _ = awkward
    export(store, tmp_path, ExportOptions(profile="native", encoding="utf-8", where="state IS NOT NULL"))
    dbf = (tmp_path / "component_point.dbf").read_bytes()
    assert all(width <= 254 for *_, width, _ in dbf_fields(dbf))
    table = read_table(tmp_path / "component_point.shp")
    note = table.columns["note"][list(table.columns["code"]).index(point)]
    assert note == "备注" * 42 and len(note.encode()) == 252  # 254 would split a 3-byte character


def test_the_changes_are_listed_in_chinese_in_a_chinese_readme(store, tmp_path, awkward):
    import re

    point, line = awkward
    export(store, tmp_path, ExportOptions(profile="legacy", encoding="gbk", language="zh_CN"))
    readme = (tmp_path / "README.txt").read_text(encoding="utf-8")
    assert "为适应文件而改动的值" in readme
    assert f"component_point {point} NOTE_：由 600 字节截断为 254 字节（在字符边界处）" in readme
    assert f"component_point {point} OBJNAME：1 个字符 '🚧' 不在 GBK 中，替换为“?”" in readme
    assert f"component_line {line} ORDATE：" in readme and "不是日期：写为空值" in readme
    assert not re.search(r"[A-Za-z]{2,}(?: [A-Za-z]{2,}){3,}", readme), readme
