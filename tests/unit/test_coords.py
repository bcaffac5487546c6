"""GCJ-02 / BD-09 conversions against published reference points."""

import numpy as np
import pytest

from gridmap.domain import coords

# Published by wandergis/coordtransform (test/app.js), input (116.404, 39.915) in each case.
REFERENCE = {
    "wgs84_to_gcj02": (116.41024449916938, 39.91640428150164),
    "gcj02_to_bd09": (116.41036949371029, 39.92133699351021),
    "bd09_to_gcj02": (116.39762729119315, 39.90865673957631),
    "gcj02_to_wgs84_one_step": (116.39775550083061, 39.91359571849836),
}


@pytest.mark.parametrize("name", ["wgs84_to_gcj02", "gcj02_to_bd09", "bd09_to_gcj02"])
def test_reference_points(name):
    lon, lat = getattr(coords, name)(116.404, 39.915)
    assert (float(lon), float(lat)) == pytest.approx(REFERENCE[name], abs=1e-9)


def test_inverse_is_exact_and_close_to_the_published_one_step_inverse():
    lon, lat = coords.gcj02_to_wgs84(116.404, 39.915)
    # the published value uses a one-step approximation; ours iterates: within ~0.5 m of it
    assert (float(lon), float(lat)) == pytest.approx(REFERENCE["gcj02_to_wgs84_one_step"], abs=5e-6)
    back = coords.wgs84_to_gcj02(lon, lat)
    assert (float(back[0]), float(back[1])) == pytest.approx((116.404, 39.915), abs=1e-9)


def test_beijing_railway_station_bd09():
    # GCJ-02 (39.90245 N, 116.42703 E) is BD-09 (39.90851, 116.43351), published to five decimals (1 m)
    lon, lat = coords.gcj02_to_bd09(116.42703, 39.90245)
    assert (float(lon), float(lat)) == pytest.approx((116.43351, 39.90851), abs=1e-5)


def test_dongsheng_offset_is_hundreds_of_metres_and_arrays_work():
    lon = np.array([109.98, 109.99])
    lat = np.array([39.81, 39.82])
    glon, glat = coords.wgs84_to_gcj02(lon, lat)
    metres = np.hypot((glon - lon) * 111_320 * np.cos(np.radians(lat)), (glat - lat) * 110_540)
    assert np.all((metres > 100) & (metres < 700))
    wlon, wlat = coords.to_wgs84(glon, glat, "gcj02")
    assert np.allclose(wlon, lon, atol=1e-9) and np.allclose(wlat, lat, atol=1e-9)


def test_outside_china_nothing_moves():
    assert coords.wgs84_to_gcj02(2.35, 48.85) == pytest.approx((2.35, 48.85))


def test_unknown_system():
    with pytest.raises(ValueError, match="unknown coordinate system"):
        coords.to_wgs84(1, 2, "mars")
