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


@pytest.mark.parametrize(("text", "message"), [
    ("(" * 5000 + "state = '破损'" + ")" * 5000, "at most 10000 are accepted"),
    ("(" * 40 + "state = '破损'" + ")" * 40, "more than 32 levels"),
    ("NOT " * 40 + "state = '破损'", "more than 32 levels"),
    (" OR ".join(["state = '破损'"] * 300), "more than 200 comparisons"),
    ("class_code IN (" + ", ".join(["'0101'"] * 1200) + ")", "more than 1000 values"),
    ("class_code = 99999999999999999999999", "too large"),
    ("class_code = -99999999999999999999999", "too large"),
    ("note = '" + "x" * 2000 + "'", "at most 1000"),
], ids=["long", "deep-parentheses", "deep-not", "many-ors", "many-values", "huge-int", "huge-negative",
        "long-string"])
def test_filters_past_the_limits_are_refused(text, message):
    with pytest.raises(FilterError, match=message):
        to_sql(text, COLUMNS)


def test_filters_within_the_limits_run_in_sqlite():
    import sqlite3

    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (state TEXT, class_code TEXT, note TEXT, area_m2 REAL)")
    for text in ["(" * 32 + "state = '破损'" + ")" * 32, " OR ".join(["state = '破损'"] * 200),
                 "class_code IN (" + ", ".join(["'0101'"] * 999) + ")", "class_code = 9223372036854775807"]:
        sql, params = to_sql(text, COLUMNS)
        conn.execute(f"SELECT count(*) FROM t WHERE {sql}", params).fetchone()
