"""A small, safe filter language for exports: ``state = '破损' AND class_code IN ('0101', '0102')``.

It is parsed, never pasted into SQL: names must be columns of the layer, values
become bound parameters. Grammar: comparisons (=, !=, <>, <, <=, >, >=, LIKE),
``IN (…)``, ``IS [NOT] NULL``, combined with AND, OR, NOT and parentheses.

Limits, each refused with a FilterError that says which: at most MAX_CHARS characters,
MAX_DEPTH levels of parentheses and NOT, MAX_TERMS comparisons, MAX_VALUES values in all,
strings of at most MAX_STRING characters and integers that fit in 64 bits.
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
MAX_CHARS = 10_000
MAX_DEPTH = 32
MAX_TERMS = 200
MAX_VALUES = 1_000
MAX_STRING = 1_000
_INT64 = 2**63 - 1


class FilterError(GridmapError):
    """The filter expression cannot be understood; the message says where."""


def _tokens(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    text = text.strip()
    if len(text) > MAX_CHARS:
        raise FilterError(f"the filter is {len(text)} characters long; at most {MAX_CHARS} are accepted")
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
    depth = 0
    terms = 0

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
            text_value = value[1:-1].replace("''", "'")
            if len(text_value) > MAX_STRING:
                raise FilterError(f"a text value is {len(text_value)} characters long; at most {MAX_STRING}")
            params.append(text_value)
        elif kind == "number":
            number = float(value) if "." in value else int(value)
            if isinstance(number, int) and abs(number) > _INT64:
                raise FilterError(f"the number {value[:30]}{'…' if len(value) > 30 else ''} is too large "
                                  "(integers fit in 64 bits)")
            params.append(number)
        else:
            raise FilterError(f"expected a value but found {value!r}")
        if len(params) > MAX_VALUES:
            raise FilterError(f"the filter has more than {MAX_VALUES} values")
        return "?"

    def column():
        _kind, value = take("word")
        name = value.strip('"')
        if name not in columns:
            raise FilterError(f"unknown field {name!r}; fields: {', '.join(sorted(columns))}")
        return f'"{name}"'

    def nested(parse):
        nonlocal depth
        depth += 1
        if depth > MAX_DEPTH:
            raise FilterError(f"the filter nests more than {MAX_DEPTH} levels of parentheses or NOT")
        try:
            return parse()
        finally:
            depth -= 1

    def comparison():
        nonlocal terms
        if peek() == ("op", "("):
            take("op", "(")
            inner = nested(disjunction)
            take("op", ")")
            return f"({inner})"
        if peek()[0] == "kw" and peek()[1] == "NOT":
            take()
            return f"NOT {nested(comparison)}"
        terms += 1
        if terms > MAX_TERMS:
            raise FilterError(f"the filter has more than {MAX_TERMS} comparisons; use IN (...) for lists")
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
        return "1 = 1", []
    sql = disjunction()
    if pos != len(tokens):
        raise FilterError(f"unexpected {tokens[pos][1]!r} in the filter")
    return f"({sql})", params
