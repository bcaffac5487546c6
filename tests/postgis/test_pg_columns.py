"""Whole columns in one pass (Store.columns, issue 17): the same arrays from a file and from PostGIS, NULLs as
NaN and '', rows aligned, and the evaluation that reads a city's cases through it agrees on both engines."""

import datetime as dt

import numpy as np
import pytest

from gridmap.store import open_store
from gridmap.store.evaluation import load_cases, period_rows
from gridmap.store.migrate import migrate


@pytest.fixture
def both(small_demo, pg_uri):
    migrate(small_demo, pg_uri)
    with open_store(small_demo) as lite, open_store(pg_uri) as pg:
        yield lite, pg


def test_columns_are_the_same_on_both_engines_with_nulls_kept(both):
    results = []
    for store in both:
        numbers, (codes, reporters) = store.columns(
            "(SELECT * FROM incident ORDER BY code) AS i", ["rework_count", "CASE WHEN closed_at IS NULL THEN NULL "
                                                            "ELSE 1.5 END"], ["code", "reporter_staff_code"])
        results.append((numbers, codes, reporters))
        rows = store.conn.execute("SELECT code, rework_count, closed_at, reporter_staff_code FROM incident").fetchall()
        by_code = {r[0]: r for r in rows}
        assert len(codes) == len(rows) and numbers.shape == (len(rows), 2)
        for k in (0, len(codes) // 2, len(codes) - 1):  # aligned: each row's values belong to its code
            _code, rework, closed, reporter = by_code[codes[k]]
            assert numbers[k, 0] == rework and reporters[k] == (reporter or "")
            assert np.isnan(numbers[k, 1]) if closed is None else numbers[k, 1] == 1.5
        assert np.isnan(numbers[:, 1]).any() and (reporters == "").any()  # NULLs: NaN and ''
    (a, codes_a, rep_a), (b, codes_b, rep_b) = results
    order_a, order_b = np.argsort(codes_a), np.argsort(codes_b)
    assert np.array_equal(codes_a[order_a], codes_b[order_b]) and np.array_equal(rep_a[order_a], rep_b[order_b])
    assert np.array_equal(a[order_a], b[order_b], equal_nan=True)


def test_the_evaluation_reads_the_same_cases_on_both_engines(both):
    lite, pg = both
    for by in ("grid", "unit", "supervisor"):
        cases = [load_cases(store, by) for store in both]
        for name in ("reported", "registered", "dispatched", "handled", "checked", "closed", "deadline", "rework"):
            one, other = (np.sort(getattr(c, name).view(np.int64)) for c in cases)  # NaT as the smallest int64
            assert np.array_equal(one, other), (by, name)
        assert sorted(cases[0].group.tolist()) == sorted(cases[1].group.tolist())
        start, end = dt.date(2026, 1, 1), dt.date(2026, 11, 27)
        assert period_rows(lite, start, end, by) == period_rows(pg, start, end, by)


def test_a_text_holding_the_separator_is_refused_not_misaligned(both):
    from gridmap.store.errors import StoreError

    for store, separator in zip(both, ("char(31)", "chr(31)"), strict=True):
        with pytest.raises(StoreError, match="separator"):
            store.columns("incident", ["rework_count"], [f"code || {separator} || 'x'"])
