"""Values from other bureaus' files, normalised on the way in so the store holds one type per column.

Dates become ISO dates (``YYYY-MM-DD``) from any of the ways they arrive: ISO, ``2019/05/03``,
``2019.5.3``, ``20190503`` (text, integer or real), ``2019年5月3日``, a date-time (the time is
dropped), a dBASE or GeoPackage date. Anything else is not guessed: the row is listed.
"""

from __future__ import annotations

import datetime as dt
import math
import re

import numpy as np

_SEPARATED = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:\.0+)?$")
DATE_FORMATS = "YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD, YYYYMMDD or YYYY年M月D日"


def iso_date(value) -> str | None:
    """The ISO date ``value`` stands for, None when it is empty; raises ValueError when it is no date."""
    if value is None:
        return None
    if type(value) is str and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:  # the common case, already ISO
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            pass
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else str(value.astype("datetime64[D]"))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float | np.floating):
        if math.isnan(value):
            return None
        if not value.is_integer():
            raise ValueError(f"{value!r} is not a date ({DATE_FORMATS})")
        value = int(value)
    text = str(value).strip()
    if not text:
        return None
    match = _SEPARATED.match(text) or _COMPACT.match(text)
    if match is None:
        raise ValueError(f"{text!r} is not a date ({DATE_FORMATS})")
    year, month, day = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        raise ValueError(f"{text!r} is not a date in the calendar") from None
