"""Spreadsheet cells that cannot run: OWASP's rule against CSV/formula injection.

A text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is evaluated
by Excel, LibreOffice and WPS as a formula; written with a leading apostrophe it is shown as text.
Numbers stay numbers (``-12.5`` is written as it is). A cell that already begins with apostrophes
before such a character gets one more, so ``unquote`` gives back exactly what was written.
"""

from __future__ import annotations

import math
import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_QUOTED = re.compile(r"^'*[=+\-@\t\r]")


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def formula_safe(value) -> str:
    """``value`` as the text of a CSV/XLSX cell that no spreadsheet evaluates (None → '')."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if _QUOTED.match(text) and not (text[0] in "+-" and _is_number(text)):
        return "'" + text
    return text


def formula_safe_value(value):
    """Like formula_safe, but numbers (int, float) and other non-text values are returned unchanged
    (for XLSX cells, which have types)."""
    return formula_safe(value) if isinstance(value, str) else value


def unquote(text: str) -> str:
    """The value formula_safe was given, from the text it wrote."""
    if text.startswith("'") and _QUOTED.match(text) and not (text[1:2] in ("+", "-") and _is_number(text[1:])):
        return text[1:]
    return text
