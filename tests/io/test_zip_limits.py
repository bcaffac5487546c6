"""A zip is extracted only as far as needed: members no reader uses stay packed, and a zip whose data
unpacks to more than the documented limit is refused before anything is written (review of issue 11,
item 5)."""

import zipfile

import pytest
import shapely

from gridmap.domain.errors import GridmapError
from gridmap.io import sources
from gridmap.io.importer import ImportOptions, import_file
from tests.io.conftest import native_fields, sample_points, write_shapefile


def _zip(store, tmp_path, extra_name, extra_bytes):
    rows = sample_points(store, 2)
    shp = write_shapefile(tmp_path / "a.shp", shapely.points([(r[2], r[3]) for r in rows]), native_fields(rows))
    archive = tmp_path / "sent.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(extra_name, b"\0" * extra_bytes)
        for suffix in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
            zf.write(shp.with_suffix(suffix), "a" + suffix)
    return archive


@pytest.fixture
def small_limits(monkeypatch, tmp_path):
    monkeypatch.setattr(sources, "RATIO_FLOOR_BYTES", 0)
    monkeypatch.setattr(sources, "MAX_UNZIPPED_BYTES", 4 * 1024 ** 2)
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr("tempfile.tempdir", None)
    return tmp_path / "tmp"


def test_members_no_reader_needs_are_not_extracted(store, tmp_path, small_limits, monkeypatch):
    archive = _zip(store, tmp_path, "padding.bin", 8 * 1024 ** 2)  # 8 MB of zeros: far over both limits
    opened, real_open = [], zipfile.ZipFile.open

    def recording_open(self, member, *args, **kwargs):
        opened.append(getattr(member, "filename", member))
        return real_open(self, member, *args, **kwargs)
    monkeypatch.setattr(zipfile.ZipFile, "open", recording_open)
    report = import_file(store, archive, ImportOptions(profile="native"), dry_run=True)
    assert report.errors == [] and report.unchanged == 2
    assert "padding.bin" not in opened and "a.shp" in opened


def test_a_data_member_over_the_limit_is_refused_before_extracting(store, tmp_path, small_limits, monkeypatch):
    archive = _zip(store, tmp_path, "big.csv", 8 * 1024 ** 2)
    opened = []
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda self, *a, **k: opened.append(a) or pytest.fail("opened"))
    with pytest.raises(GridmapError, match=r"unpack to 8,3[0-9,]+ bytes.*200x"):
        import_file(store, archive, ImportOptions(profile="native", source_layer="a.shp"), dry_run=True)
    assert opened == [] and list(small_limits.iterdir()) == []


def test_the_limit_is_200_times_the_zip_and_never_over_2_gb():
    assert sources.unzip_limit(1024 ** 2) == 200 * 1024 ** 2
    assert sources.unzip_limit(100 * 1024 ** 2) == 2 * 1024 ** 3
