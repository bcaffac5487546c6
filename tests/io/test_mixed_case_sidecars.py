"""A point shapefile named ``A.shp`` with upper-case sidecars (``A.DBF``, ``A.SHX``), as some tools write
them, imports like any other (it gave FileNotFoundError; lines worked through GDAL) (review of issue 11,
item 8)."""

import shapely

from gridmap.io.importer import ImportOptions, import_file
from tests.io.conftest import native_fields, sample_points, write_shapefile


def test_a_lower_case_shp_with_upper_case_dbf_and_shx(store, tmp_path):
    rows = sample_points(store, 2)
    shp = write_shapefile(tmp_path / "A.shp", shapely.points([(r[2], r[3]) for r in rows]), native_fields(rows))
    for part in (".dbf", ".shx"):
        shp.with_suffix(part).rename(tmp_path / ("A" + part.upper()))
    report = import_file(store, shp, ImportOptions(profile="native"), dry_run=True)
    assert report.errors == [] and report.unchanged == 2
