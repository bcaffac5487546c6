import pytest

from gridmap.domain.filters import FilterError, to_sql

COLUMNS = {"state", "class_code", "note", "area_m2"}


def test_conditions_become_bound_parameters():
    sql, params = to_sql("state = '破损' AND class_code IN ('0101', '0102') OR area_m2 >= 10.5", COLUMNS)
    assert sql == '("state" = ? AND "class_code" IN (?, ?) OR "area_m2" >= ?)'
    assert params == ["破损", "0101", "0102", 10.5]


def test_null_like_not_and_parentheses():
    sql, params = to_sql("NOT (note IS NULL) AND class_code NOT IN ('01') AND note LIKE '%x%'", COLUMNS)
    assert sql == '(NOT ("note" IS NULL) AND "class_code" NOT IN (?) AND "note" LIKE ?)'
    assert params == ["01", "%x%"]


def test_quotes_inside_strings_stay_values():
    sql, params = to_sql("note = 'it''s; DROP TABLE x'", COLUMNS)
    assert sql == '("note" = ?)' and params == ["it's; DROP TABLE x"]


@pytest.mark.parametrize(("text", "message"), [
    ("secret = 1", "unknown field"),
    ("state = ", "expected a value"),
    ("state = 'a' AND", "expected"),
    ("state = 'a'; DROP TABLE x", "cannot read"),
    ("state 'a'", "expected a comparison"),
])
def test_bad_filters_are_refused(text, message):
    with pytest.raises(FilterError, match=message):
        to_sql(text, COLUMNS)
