"""A small, safe filter language for exports: ``state = '破损' AND class_code IN ('0101', '0102')``.

It is parsed, never pasted into SQL: names must be columns of the layer, values
become bound parameters. Grammar: comparisons (=, !=, <>, <, <=, >, >=, LIKE),
``IN (…)``, ``IS [NOT] NULL``, combined with AND, OR, NOT and parentheses.
"""

from __future__ import annotations

import re

from gridmap.domain.errors import GridmapError

_TOKEN = re.compile(r"""\s*(?:
    (?P<string>'(?:[^']|'')*') |
    (?P<number>-?\d+(?:\.\d+)?) |
    (?P<op><>|!=|<=|>=|=|<|>|\(|\)|,) |
    (?P<word>"[^"]+"|[A-Za-z_][A-Za-z0-9_]*)
)""", re.VERBOSE)
_KEYWORDS = {"AND", "OR", "NOT", "IN", "IS", "NULL", "LIKE"}


class FilterError(GridmapError):
    """The filter expression cannot be understood; the message says where."""


def _tokens(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    text = text.strip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise FilterError(f"cannot read the filter at {text[pos:pos + 20]!r}")
        kind = match.lastgroup
        value = match.group(kind)
        if kind == "word" and value.upper() in _KEYWORDS:
            kind, value = "kw", value.upper()
        out.append((kind, value))
        pos = match.end()
    return out


def to_sql(text: str, columns: set[str]) -> tuple[str, list]:
    """Translate a filter into (SQL condition, parameters); raises FilterError naming the problem."""
    tokens = _tokens(text)
    params: list = []
    pos = 0

    def peek(offset: int = 0):
        return tokens[pos + offset] if pos + offset < len(tokens) else ("end", "")

    def take(kind=None, value=None):
        nonlocal pos
        token = peek()
        if (kind and token[0] != kind) or (value and token[1] != value):
            raise FilterError(f"expected {value or kind} but found {token[1] or 'the end'!r}")
        pos += 1
        return token

    def literal():
        kind, value = take()
        if kind == "string":
            params.append(value[1:-1].replace("''", "'"))
        elif kind == "number":
            params.append(float(value) if "." in value else int(value))
        else:
            raise FilterError(f"expected a value but found {value!r}")
        return "?"

    def column():
        _kind, value = take("word")
        name = value.strip('"')
        if name not in columns:
            raise FilterError(f"unknown field {name!r}; fields: {', '.join(sorted(columns))}")
        return f'"{name}"'

    def comparison():
        if peek() == ("op", "("):
            take("op", "(")
            inner = disjunction()
            take("op", ")")
            return f"({inner})"
        if peek()[0] == "kw" and peek()[1] == "NOT":
            take()
            return f"NOT {comparison()}"
        name = column()
        kind, value = peek()
        if kind == "op" and value in ("=", "!=", "<>", "<", "<=", ">", ">="):
            take()
            return f"{name} {'<>' if value == '!=' else value} {literal()}"
        if (kind, value) == ("kw", "LIKE"):
            take()
            return f"{name} LIKE {literal()}"
        negate = ""
        if (kind, value) == ("kw", "NOT"):
            take()
            negate = "NOT "
            kind, value = peek()
        if (kind, value) == ("kw", "IN"):
            take()
            take("op", "(")
            items = [literal()]
            while peek() == ("op", ","):
                take()
                items.append(literal())
            take("op", ")")
            return f"{name} {negate}IN ({', '.join(items)})"
        if (kind, value) == ("kw", "IS"):
            take()
            if peek() == ("kw", "NOT"):
                take()
                take("kw", "NULL")
                return f"{name} IS NOT NULL"
            take("kw", "NULL")
            return f"{name} IS NULL"
        raise FilterError(f"expected a comparison after {name} but found {value or 'the end'!r}")

    def conjunction():
        parts = [comparison()]
        while peek() == ("kw", "AND"):
            take()
            parts.append(comparison())
        return " AND ".join(parts)

    def disjunction():
        parts = [conjunction()]
        while peek() == ("kw", "OR"):
            take()
            parts.append(conjunction())
        return " OR ".join(parts)

    if not tokens:
        return "1", []
    sql = disjunction()
    if pos != len(tokens):
        raise FilterError(f"unexpected {tokens[pos][1]!r} in the filter")
    return f"({sql})", params
