"""Text that must fit a file format: the documented rule every export follows instead of crashing.

- A character the target encoding cannot hold (an emoji or a CJK Extension B character in GBK) is
  replaced by ``?``.
- A value longer than a .dbf field can hold (254 bytes in the target encoding) is cut at the last
  whole character that fits; never in the middle of a multi-byte character.

Every value changed is recorded (row, field, what) and listed in the export's README.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

DBF_MAX_BYTES = 254
REPLACEMENT = "?"


@dataclass(frozen=True)
class Fitted:
    layer: str
    row: str  # the row's code (or id)
    field: str
    change: str

    def line(self, language: str = "en") -> str:
        """The README line of this change, in ``language`` (en | zh_CN)."""
        if language == "zh_CN":
            return f"  {self.layer} {self.row} {self.field}：{_in_chinese(self.change)}"
        return f"  {self.layer} {self.row} {self.field}: {self.change}"


#: the changes ``fit`` and the date columns describe, and how a Chinese README says them
_CHINESE_CHANGES = [
    (re.compile(r"(\d+) character\(s\) (.+) not in (\S+) replaced by '(.)'"),
     "{0} 个字符 {1} 不在 {2} 中，替换为“{3}”"),
    (re.compile(r"cut from (\d+) to (\d+) bytes \(at a character boundary\)"),
     "由 {0} 字节截断为 {1} 字节（在字符边界处）"),
    (re.compile(r"(.+) is not a date: written empty"), "{0} 不是日期：写为空值"),
]


def _in_chinese(change: str) -> str:
    """A change (one or several joined by '; ') said in Chinese."""
    out = []
    for part in change.split("; "):
        said = part
        for pattern, template in _CHINESE_CHANGES:
            match = pattern.fullmatch(part)
            if match:
                said = template.format(*match.groups())
                break
        out.append(said)
    return "；".join(out)


def fit(value: str, codec: str, max_bytes: int | None) -> tuple[str, str | None]:
    """``value`` as it can be written in ``codec`` within ``max_bytes``: (text, what changed or None)."""
    changes = []
    try:
        encoded = value.encode(codec)
    except UnicodeEncodeError:
        kept = "".join(ch if _encodable(ch, codec) else REPLACEMENT for ch in value)
        lost = [ch for ch in value if not _encodable(ch, codec)]
        changes.append(f"{len(lost)} character(s) {''.join(lost)!r} not in {codec.upper()} replaced by "
                       f"{REPLACEMENT!r}")
        value, encoded = kept, kept.encode(codec)
    if max_bytes is not None and len(encoded) > max_bytes:
        cut = encoded[:max_bytes].decode(codec, errors="ignore")  # drops a trailing partial character
        while len(cut.encode(codec)) > max_bytes:
            cut = cut[:-1]
        changes.append(f"cut from {len(encoded)} to {len(cut.encode(codec))} bytes (at a character boundary)")
        value = cut
    return value, "; ".join(changes) or None


def _encodable(ch: str, codec: str) -> bool:
    try:
        ch.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


def fit_column(values, codec: str, max_bytes: int | None, layer: str, field: str, rows,
               log: list[Fitted]) -> np.ndarray:
    """A text column made to fit (see the module rules); changed values are appended to ``log``
    with the row's code from ``rows``. Returns the column (the same object when nothing changed)."""
    texts = [v for v in values if isinstance(v, str)]
    try:  # the common case, every value fits: one encode in C instead of one per value
        parts = "\x1f".join(texts).encode(codec).split(b"\x1f")
        if max_bytes is None or max(map(len, parts), default=0) <= max_bytes:
            return values
    except UnicodeEncodeError:
        pass
    out = None
    for k, value in enumerate(values):
        if not isinstance(value, str):
            continue
        if value.isascii() and (max_bytes is None or len(value) <= max_bytes):
            continue
        text, change = fit(value, codec, max_bytes)
        if change is None:
            continue
        if out is None:
            out = np.array(values, dtype=object)
        out[k] = text
        log.append(Fitted(layer, str(rows[k]) if rows is not None else f"row {k + 1}", field, change))
    return values if out is None else out


def readme_lines(log: list[Fitted], language: str = "en") -> list[str]:
    """The README section listing every value changed to fit the file (empty when none was), in
    ``language`` (en | zh_CN)."""
    if not log:
        return []
    if language == "zh_CN":
        return ["", f"为适应文件而改动的值（{len(log)} 个）：编码无法表示的字符替换为“{REPLACEMENT}”；超过 .dbf "
                    f"字段长度（{DBF_MAX_BYTES} 字节）的文字在字符边界处截断。", *[f.line(language) for f in log]]
    return ["", f"Values changed to fit the file ({len(log)}): characters the encoding cannot hold are replaced by "
                f"'{REPLACEMENT}'; text longer than a .dbf field ({DBF_MAX_BYTES} bytes) is cut at a character "
                "boundary.", *[f.line() for f in log]]
