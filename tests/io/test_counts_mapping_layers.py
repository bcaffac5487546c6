"""Item 3: .shp and .dbf counts agree; a mapping names only fields that exist; several layers need
--source-layer (the error lists them)."""

import json
import zipfile

import numpy as np
import pyogrio.raw
import pyproj
import pytest
import shapely

from gridmap.cli import main
from gridmap.io.files import FileFormatError
from gridmap.io.importer import ImportError_, ImportOptions, import_file, load_mapping
from gridmap.io.sources import source_layers
from tests.io.conftest import count, native_fields, sample_points, write_shapefile


def _fingerprint(store):
    return store.conn.execute("SELECT count(*), group_concat(coalesce(name, '') || state || coalesce(change_date, "
                              "'')) FROM component_point").fetchone()


def test_a_dbf_with_fewer_records_than_shapes_is_refused(store, tmp_path):
    rows = sample_points(store, 3)
    shp = write_shapefile(tmp_path / "a.shp", shapely.points([(r[2], r[3]) for r in rows]), native_fields(rows))
    short = write_shapefile(tmp_path / "b.shp", shapely.points([(r[2], r[3]) for r in rows[:2]]),
                            native_fields(rows[:2]))
    shp.with_suffix(".dbf").write_bytes(short.with_suffix(".dbf").read_bytes())
    before = _fingerprint(store)
    with pytest.raises(FileFormatError, match=r"3 shapes but the \.dbf 2 records"):
        import_file(store, shp, ImportOptions(profile="native"))
    assert _fingerprint(store) == before


def test_a_mapping_with_a_file_field_typo_is_an_error(store, tmp_path):
    rows = sample_points(store, 3)
    shp = write_shapefile(tmp_path / "m.shp", shapely.points([(r[2], r[3]) for r in rows]),
                          {"ID": [r[0] for r in rows], "NAME": ["甲", "乙", "丙"]})
    before = _fingerprint(store)
    with pytest.raises(ImportError_, match=r"'NAEM'.*fields are ID, NAME"):
        import_file(store, shp, ImportOptions(mapping={"code": "ID", "name": "NAEM"}))
    assert _fingerprint(store) == before
    report = import_file(store, shp, ImportOptions(mapping={"code": "ID", "name": "NAME"}))
    assert report.written and store.conn.execute("SELECT name FROM component_point WHERE code = ?",
                                                 (rows[0][0],)).fetchone()[0] == "甲"


def test_a_mapping_with_a_store_column_typo_is_an_error_before_reading(store, tmp_path):
    missing = tmp_path / "does-not-exist.shp"
    with pytest.raises(ImportError_, match=r"'nmae'.*columns are code"):
        import_file(store, missing, ImportOptions(mapping={"code": "ID", "nmae": "NAME"}))


def test_the_cli_refuses_a_mapping_typo_with_exit_2(small_demo, store, tmp_path, capsys):
    rows = sample_points(store, 2)
    shp = write_shapefile(tmp_path / "m.shp", shapely.points([(r[2], r[3]) for r in rows]),
                          {"ID": [r[0] for r in rows], "NAME": ["甲", "乙"]})
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"code": "ID", "name": "NAM"}), encoding="utf-8")
    assert load_mapping(mapping) == {"code": "ID", "name": "NAM"}
    store.conn.close()
    assert main(["import", str(small_demo), str(shp), "--mapping", str(mapping)]) == 2
    assert "'NAM'" in capsys.readouterr().err


def test_a_geopackage_with_two_layers_needs_source_layer(store, tmp_path):
    rows = sample_points(store, 2)
    gpkg = tmp_path / "two.gpkg"
    for layer, part in (("wells", rows[:1]), ("lamps", rows[1:])):
        pyogrio.raw.write(str(gpkg), shapely.to_wkb(shapely.points([(r[2], r[3]) for r in part])),
                          [np.array([r[0] for r in part], dtype=object)], ["code"],
                          geometry_type="Point", crs=pyproj.CRS.from_epsg(4546).to_wkt(), driver="GPKG",
                          layer=layer, append=gpkg.exists())
    before = count(store)
    with pytest.raises(FileFormatError, match=r"2 layers.*wells.*lamps.*--source-layer"):
        import_file(store, gpkg, ImportOptions(profile="native"))
    report = import_file(store, gpkg, ImportOptions(profile="native", source_layer="lamps"), dry_run=True)
    assert report.rows == 1 and report.errors == [] and count(store) == before
    assert source_layers(gpkg) == ["wells", "lamps"]  # what a chooser in the desktop offers


def test_a_zip_with_two_shapefiles_needs_source_layer(store, tmp_path):
    rows = sample_points(store, 2)
    a = write_shapefile(tmp_path / "wells.shp", shapely.points([(rows[0][2], rows[0][3])]), native_fields(rows[:1]))
    b = write_shapefile(tmp_path / "lamps.shp", shapely.points([(rows[1][2], rows[1][3])]), native_fields(rows[1:]))
    archive = tmp_path / "two.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for shp in (a, b):
            for part in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
                zf.write(shp.with_suffix(part), "data/" + shp.stem + part)
    with pytest.raises(FileFormatError, match=r"2 data files.*data/lamps.shp.*data/wells.shp.*--source-layer"):
        import_file(store, archive, ImportOptions(profile="native"))
    report = import_file(store, archive, ImportOptions(profile="native", source_layer="wells"), dry_run=True)
    assert report.rows == 1 and report.errors == []
    assert source_layers(archive) == ["data/lamps.shp", "data/wells.shp"]
    assert import_file(store, archive, ImportOptions(profile="native", source_layer="data/lamps.shp"),
                       dry_run=True).rows == 1
