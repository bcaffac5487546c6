import pytest

from gridmap.domain.classes import ClassTable, load_shipped
from gridmap.domain.errors import ClassTableError


def test_legacy_components_are_seven_major_and_95_minor_classes():
    table = load_shipped("legacy", "component")
    assert len(table) == 95
    assert list(table.majors()) == ["01", "02", "03", "04", "05", "06", "21"]
    assert table["0101"].name == "上水井盖"
    assert table["0405"].geometry == "polygon" and table["0211"].geometry == "line"
    assert all(e.code.startswith(e.major_code) and len(e.code) == 4 for e in table)


def test_legacy_events_are_six_major_and_55_minor_classes():
    table = load_shipped("legacy", "event")
    assert len(table) == 55
    assert list(table.majors()) == ["01", "02", "03", "04", "05", "21"]
    assert table["0102"].name == "暴露垃圾"
    assert table["0102"].time_limit_hours == 4


def test_gbt47678_scheme_loads_with_five_digit_codes():
    components = load_shipped("gbt47678", "component")
    events = load_shipped("gbt47678", "event")
    assert len(components) == 153 and len(events) == 250
    assert all(len(e.code) == 5 for e in components)
    assert components["01001"].name == "供水井盖"


def test_every_class_has_a_positive_time_limit_and_a_source():
    for scheme in ("legacy", "gbt47678"):
        for kind in ("component", "event"):
            for entry in load_shipped(scheme, kind):
                assert entry.time_limit_hours > 0 and entry.source


HEADER = "scheme,major_code,major_name,code,name,geometry,time_limit_hours,source\n"


@pytest.mark.parametrize(("row", "message"), [
    ("legacy,01,公用设施,0201,x,point,2,s", "starting with its major class"),
    ("legacy,01,公用设施,010,x,point,2,s", "must be 4 digits"),
    ("other,01,公用设施,0101,x,point,2,s", "unknown scheme"),
    ("legacy,01,公用设施,0101,x,circle,2,s", "geometry"),
    ("legacy,01,公用设施,0101,x,point,-1,s", "time_limit_hours"),
])
def test_malformed_rows_name_file_and_row(tmp_path, row, message):
    path = tmp_path / "classes.csv"
    path.write_text(HEADER + "legacy,01,公用设施,0102,ok,point,2,s\n" + row + "\n", encoding="utf-8")
    with pytest.raises(ClassTableError, match=message) as info:
        ClassTable.from_csv(path, "component")
    assert f"{path}, row 3" in str(info.value)


def test_duplicate_codes_are_refused(tmp_path):
    path = tmp_path / "classes.csv"
    path.write_text(HEADER + "legacy,01,a,0101,x,point,2,s\nlegacy,01,a,0101,y,point,2,s\n", encoding="utf-8")
    with pytest.raises(ClassTableError, match="duplicate"):
        ClassTable.from_csv(path, "component")


def test_unreadable_file_is_a_class_table_error(tmp_path):
    path = tmp_path / "classes.csv"
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ClassTableError):
        ClassTable.from_csv(path, "component")
