import pytest

from gridmap.domain import codes
from gridmap.domain.errors import CodeError


def test_unit_grid_code_is_community_plus_sequence():
    assert codes.unit_grid_code("150602001003", 7) == "150602001003007"
    assert codes.check_unit_grid_code("150602001003007", "150602001003") == "150602001003007"


@pytest.mark.parametrize("bad", ["15060200100300", "1506020010030071", "15060200100300A", "150602001003000"])
def test_malformed_unit_grid_codes_are_refused(bad):
    with pytest.raises(CodeError):
        codes.check_unit_grid_code(bad)


def test_unit_grid_code_must_start_with_its_community():
    with pytest.raises(CodeError, match="does not start with its community"):
        codes.check_unit_grid_code("150602001003007", "150602001004")


def test_sequence_out_of_range():
    with pytest.raises(CodeError):
        codes.unit_grid_code("150602001003", 1000)


def test_legacy_and_gbt_component_ids_parse():
    legacy = codes.parse_component_id("3205080101000001")
    assert (legacy.district_code, legacy.class_code, legacy.serial, legacy.scheme) == ("320508", "0101", 1, "legacy")
    gbt = codes.parse_component_id("15060201001000042")
    assert (gbt.class_code, gbt.serial, gbt.scheme) == ("01001", 42, "gbt47678")
    assert str(gbt) == "15060201001000042"
    assert codes.component_id("150602", "0118", 12) == "1506020118000012"


@pytest.mark.parametrize("bad", ["150602011800001", "150602011800000A", "1506020118000000", ""])
def test_malformed_component_ids_are_refused(bad):
    with pytest.raises(CodeError):
        codes.parse_component_id(bad)


@pytest.mark.parametrize("published", ["91350100M000100Y43", "91110000802100433B"])
def test_published_credit_codes_validate(published):
    assert codes.check_credit_code(published) == published


def test_credit_code_with_wrong_check_character_names_the_expected_one():
    with pytest.raises(CodeError, match="expected 3"):
        codes.check_credit_code("91350100M000100Y4X")


@pytest.mark.parametrize("bad", ["91350100M000100Y4", "91350100M000100I43", "9135010OM000100Y43"])
def test_credit_code_shape_is_checked(bad):
    with pytest.raises(CodeError):
        codes.check_credit_code(bad)


def test_made_credit_codes_are_valid():
    code = codes.make_credit_code("1", "1", "150602", "MB123456")
    assert len(code) == 18 and codes.check_credit_code(code) == code


def test_coding_order_is_rows_north_to_south_then_west_to_east():
    # two rows of three; centroids jitter by a few metres within a row
    centroids = [(200, 95), (0, 100), (100, 103), (0, 0), (210, 2), (100, -3)]
    order = codes.west_east_north_south(centroids, band_height=50)
    assert order == [1, 2, 0, 3, 5, 4]
