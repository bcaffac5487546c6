"""Item 2: the encoding comes from --encoding, the .cpg (every common spelling), the LDID, else the
field bytes alone; an ambiguous file is refused with both readings; the same inside zips."""

import zipfile

import pytest
import shapely

from gridmap.io.files import FileFormatError, read_table
from gridmap.io.importer import ImportOptions, import_file
from tests.io.conftest import native_fields, sample_points, write_shapefile


def _names_file(store, tmp_path, names, encoding, cpg=None, name="names.shp"):
    rows = sample_points(store, len(names))
    shp = write_shapefile(tmp_path / name, shapely.points([(r[2], r[3]) for r in rows]),
                          native_fields(rows, name=names), encoding=encoding, cpg=False)
    if cpg is not None:
        shp.with_suffix(".cpg").write_bytes(cpg.encode("ascii"))
    return shp, rows


@pytest.mark.parametrize("cpg", ["ANSI 936", "936", "GBK", "CP936", "GB2312", "gbk\r\n", "GB18030"])
def test_every_common_gbk_cpg_spelling_is_understood(store, tmp_path, cpg):
    shp, _ = _names_file(store, tmp_path, ["上水井盖", "路灯"], "CP936", cpg)
    assert list(read_table(shp).columns["name"]) == ["上水井盖", "路灯"]


@pytest.mark.parametrize("cpg", ["UTF8", "UTF-8", "utf-8", "65001"])
def test_every_common_utf8_cpg_spelling_is_understood(store, tmp_path, cpg):
    shp, _ = _names_file(store, tmp_path, ["上水井盖", "路灯"], "UTF-8", cpg)
    assert list(read_table(shp).columns["name"]) == ["上水井盖", "路灯"]


def test_a_cpg_naming_an_unknown_code_page_is_refused(store, tmp_path):
    shp, _ = _names_file(store, tmp_path, ["路灯"], "UTF-8", "KOI8-R-ISH")
    with pytest.raises(FileFormatError, match="--encoding"):
        read_table(shp)


def test_the_language_driver_byte_names_gbk(store, tmp_path):
    shp, _ = _names_file(store, tmp_path, ["上水井盖", "路灯"], "CP936")
    dbf = bytearray(shp.with_suffix(".dbf").read_bytes())
    dbf[29] = 0x4D
    shp.with_suffix(".dbf").write_bytes(bytes(dbf))
    table = read_table(shp)
    assert table.encoding == "CP936" and list(table.columns["name"]) == ["上水井盖", "路灯"]


def test_utf8_without_cpg_is_detected_on_the_field_bytes_not_the_header(store, tmp_path):
    # "井" is 3 bytes in UTF-8, padded in a 6-byte field: not GBK; the binary header has bytes >= 0x80
    shp, _ = _names_file(store, tmp_path, ["井", "路灯"], "UTF-8")
    dbf = bytearray(shp.with_suffix(".dbf").read_bytes())
    dbf[1:4] = bytes([0x7E, 0x0C, 0x1F])
    dbf[29] = 0x00
    dbf[12:28] = bytes([0xE4, 0xB8, 0xAD, 0xFF] * 4)  # reserved header bytes that would spoil a whole-file check
    shp.with_suffix(".dbf").write_bytes(bytes(dbf))
    table = read_table(shp)
    assert table.encoding == "UTF-8" and list(table.columns["name"]) == ["井", "路灯"]


def test_gbk_without_cpg_is_detected(store, tmp_path):
    shp, _ = _names_file(store, tmp_path, ["上水井盖", "路灯"], "CP936")
    table = read_table(shp)
    assert table.encoding == "CP936" and list(table.columns["name"]) == ["上水井盖", "路灯"]


def test_text_that_reads_both_ways_is_refused_with_both_readings(store, tmp_path):
    shp, rows = _names_file(store, tmp_path, ["井盖"], "UTF-8")  # 6 UTF-8 bytes that are also 3 GBK characters
    before = store.conn.execute("SELECT name FROM component_point WHERE code = ?", (rows[0][0],)).fetchone()
    with pytest.raises(FileFormatError) as caught:
        import_file(store, shp, ImportOptions(profile="native"))
    message = str(caught.value)
    assert "井盖" in message and "浜曠洊" in message and "--encoding" in message
    assert store.conn.execute("SELECT name FROM component_point WHERE code = ?", (rows[0][0],)).fetchone() == before
    report = import_file(store, shp, ImportOptions(profile="native", encoding="utf-8"))
    assert report.written
    assert store.conn.execute("SELECT name FROM component_point WHERE code = ?", (rows[0][0],)).fetchone()[0] == "井盖"


def test_encoding_option_wins_over_the_cpg(store, tmp_path):
    shp, _ = _names_file(store, tmp_path, ["上水井盖"], "CP936", "UTF-8")  # a wrong .cpg
    with pytest.raises(FileFormatError, match="not UTF-8"):
        read_table(shp)
    assert list(read_table(shp, encoding="gbk").columns["name"]) == ["上水井盖"]


def test_the_same_rules_hold_inside_a_zip(store, tmp_path):
    shp, _ = _names_file(store, tmp_path, ["上水井盖", "路灯"], "CP936")
    archive = tmp_path / "sent.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for part in (".shp", ".shx", ".dbf", ".prj"):
            zf.write(shp.with_suffix(part), "names" + part)
    table = read_table(archive)
    assert table.encoding == "CP936" and list(table.columns["name"]) == ["上水井盖", "路灯"]
    ambiguous, _ = _names_file(store, tmp_path, ["井盖"], "UTF-8", name="amb.shp")
    archive2 = tmp_path / "amb.zip"
    with zipfile.ZipFile(archive2, "w") as zf:
        for part in (".shp", ".shx", ".dbf", ".prj"):
            zf.write(ambiguous.with_suffix(part), "amb" + part)
    with pytest.raises(FileFormatError, match="--encoding"):
        read_table(archive2)
    assert list(read_table(archive2, encoding="utf-8").columns["name"]) == ["井盖"]
    assert list(read_table(archive2, encoding="gbk").columns["name"]) == ["浜曠洊"]  # the user's word decides


def test_a_gbk_csv_and_an_ambiguous_csv(store, tmp_path):
    rows = sample_points(store, 1)
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes(f"code,class_code,name,x,y\n{rows[0][0]},{rows[0][1]},上水井盖,{rows[0][2]},{rows[0][3]}\n"
                    .encode("gbk"))
    assert list(read_table(gbk).columns["name"]) == ["上水井盖"]
    both = tmp_path / "both.csv"
    both.write_bytes(f"code,name,x,y\n{rows[0][0]},井盖,1,2\n".encode())
    with pytest.raises(FileFormatError, match="--encoding"):
        read_table(both)
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + f"code,name,x,y\n{rows[0][0]},路灯,1,2\n".encode())
    assert list(read_table(bom).columns["name"]) == ["路灯"]  # a BOM says UTF-8
