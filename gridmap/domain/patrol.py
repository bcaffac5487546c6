"""Patrol figures from supervisors' positions (issue 15): on-duty time, pure numpy.

A supervisor is on duty between two consecutive positions of theirs at most MAX_GAP apart: a device sends a
position every 10-60 s while its supervisor patrols; a longer silence is a break (or a phone switched off)
and does not count. Each such interval is counted for the group (the supervisor, or the grid) of the
position that begins it.
"""

from __future__ import annotations

import numpy as np

#: the longest silence between two positions that still counts as time on duty
MAX_GAP = np.timedelta64(10, "m")


def on_duty_hours(staff: np.ndarray, at: np.ndarray, group: np.ndarray) -> dict[object, float]:
    """Hours on duty per group. ``staff`` and ``group`` are object arrays, ``at`` datetime64, all of one length
    and sorted by (staff, at); ``group[i]`` is what the interval from position i to the next is counted for
    (None: not counted)."""
    if len(at) < 2:
        return {}
    gaps = at[1:] - at[:-1]
    same = staff[1:] == staff[:-1]
    counted = same & (gaps <= MAX_GAP) & (gaps > np.timedelta64(0, "ms"))
    hours = gaps.astype("timedelta64[ms]").astype(np.float64) / 3_600_000.0
    out: dict[object, float] = {}
    for key, value in zip(group[:-1][counted], hours[counted], strict=True):
        if key is not None:
            out[key] = out.get(key, 0.0) + float(value)
    return out
