"""Options that can only match nothing because of a typo are errors (exit 2) naming the valid choices,
not empty results; --per-unit --unit writes that unit's package alone; a date that does not exist is a
usage error, not a traceback (review of issue 11, items 6-8)."""

import zipfile

import pytest
import shapely

from gridmap.cli import main
from gridmap.store import exports, open_store
from tests.io.conftest import native_fields, sample_points, write_shapefile


def _run(capsys, *args):
    try:
        code = main([str(a) for a in args])
    except SystemExit as exc:  # argparse usage errors
        code = exc.code
    out = capsys.readouterr()
    return code, out.out, out.err


def test_per_unit_with_unit_writes_only_that_units_package(small_demo, tmp_path, capsys):
    with open_store(small_demo) as store:
        units = exports.units_with_components(store, "any")
    code, _, _ = _run(capsys, "export", small_demo, tmp_path / "pkg", "--per-unit", "--unit", units[1][0])
    assert code == 0
    zips = list((tmp_path / "pkg").glob("*.zip"))
    assert len(units) > 1 and [z.name.split("_")[0] for z in zips] == [units[1][0]]


@pytest.mark.parametrize(("option", "value", "named"), [
    ("--status", "closd", "closed"), ("--class", "9999", "component class"), ("--state", "坏", "破损"),
    ("--unit", "NOSUCHUNIT", "responsible unit"), ("--community", "150602999999", "community")])
def test_an_unknown_filter_value_is_an_error_naming_the_choices(small_demo, tmp_path, capsys, option, value, named):
    layer = ["--layer", "incident"] if option == "--status" else []
    code, _, err = _run(capsys, "export", small_demo, tmp_path / "out", option, value, *layer)
    assert code == 2 and value in err and named in err and "ss are" not in err  # statuses, classes
    assert not (tmp_path / "out").exists()


def test_since_after_until_is_an_error(small_demo, tmp_path, capsys):
    code, _, err = _run(capsys, "export", small_demo, tmp_path / "out", "--layer", "incident",
                        "--since", "2026-03-01", "--until", "2026-02-01")
    assert code == 2 and "--since" in err and "--until" in err


def test_a_date_that_does_not_exist_is_a_usage_error(small_demo, tmp_path, capsys):
    code, _, err = _run(capsys, "export", small_demo, tmp_path / "out", "--layer", "incident", "--since", "2026-02-30")
    assert code == 2 and "2026-02-30" in err and "Traceback" not in err


def test_unit_assign_to_an_unknown_community_says_so(small_demo, capsys):
    with open_store(small_demo) as store:
        unit = exports.units_with_components(store, "any")[0][0]
        class_code = store.conn.execute("SELECT code FROM component_class ORDER BY code").fetchone()[0]
    code, out, err = _run(capsys, "unit", "assign", small_demo, unit, "--role", "owner", "--class", class_code,
                          "--community", "150602999999")
    assert code == 2 and "no community 150602999999" in err and "0 component" not in out


def test_a_source_layer_matching_two_zip_members_lists_both(small_demo, tmp_path, capsys):
    with open_store(small_demo) as store:
        rows = sample_points(store, 2)
    shp = write_shapefile(tmp_path / "井盖.shp", shapely.points([(r[2], r[3]) for r in rows]), native_fields(rows))
    archive = tmp_path / "sent.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for folder in ("东区", "西区"):
            for suffix in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
                zf.write(shp.with_suffix(suffix), f"{folder}/井盖{suffix}")
    code, _, err = _run(capsys, "import", small_demo, archive, "--source-layer", "井盖", "--dry-run")
    assert code == 2 and "东区/井盖.shp" in err and "西区/井盖.shp" in err and "full name" in err
    code, out, _ = _run(capsys, "import", small_demo, archive, "--source-layer", "东区/井盖", "--dry-run")
    assert code == 0, out
