"""Which text encoding a file is in: what it says (.cpg, the .dbf's language driver), else what its
text bytes allow, else refuse and ask.

The rules (README, "Exchange with other bureaus"):
  1. ``--encoding`` always wins;
  2. a shapefile's .cpg, in any of the spellings GDAL, ArcGIS and QGIS write (``936``, ``ANSI 936``,
     ``CP936``, ``GBK``, ``GB2312``, ``GB18030``, ``UTF-8``, ``UTF8``, ``65001``...);
  3. the .dbf's language driver byte (LDID 0x4D or 0x7A: Chinese GBK);
  4. detection on the text bytes only (field names and values, never the binary header): the one of
     UTF-8 and GBK that decodes them; ASCII-only text is read as UTF-8; when both decode cleanly and
     give different text the file is refused with a sample of both readings, and ``--encoding``
     decides.
"""

from __future__ import annotations

import contextlib

from gridmap.domain.errors import GridmapError

#: our names (GDAL's) of the encodings we read and write → Python codec names
CODECS = {"CP936": "gbk", "GB18030": "gb18030", "UTF-8": "utf-8"}
_SPELLINGS = {
    "CP936": ("936", "CP936", "GBK", "GB2312", "ANSI936", "WINDOWS936", "MS936", "CHINESE", "EUCCN"),
    "GB18030": ("GB18030", "54936", "CP54936"),
    "UTF-8": ("UTF8", "65001", "CP65001", "UTF8BOM"),
}
_LDID = {0x4D: "CP936", 0x7A: "CP936"}  # dBASE language drivers of Chinese GBK (PRC)


class EncodingError(GridmapError):
    """A file whose text encoding cannot be decided, or whose text is not in the encoding given."""


def normalise(name: str) -> str | None:
    """Our name ('CP936', 'GB18030', 'UTF-8') of an encoding spelled any of the common ways, or None."""
    key = "".join(ch for ch in name.upper() if ch.isalnum())
    for ours, spellings in _SPELLINGS.items():
        if key in spellings:
            return ours
    return None


def from_option(name: str) -> str:
    """The encoding a user named on the command line (``gbk``, ``utf-8``, ``936``...); raises EncodingError."""
    ours = normalise(name)
    if ours is None:
        raise EncodingError(f"unknown encoding {name!r}: use gbk, gb18030 or utf-8")
    return ours


def from_cpg(text: str) -> str | None:
    """The encoding a .cpg names (None when empty); raises EncodingError for one we cannot read."""
    text = text.strip().lstrip("\ufeff")
    if not text:
        return None
    ours = normalise(text)
    if ours is None:
        raise EncodingError(f"the .cpg names {text!r}, which gridmap does not read: pass --encoding")
    return ours


def from_ldid(byte: int) -> str | None:
    """The encoding a .dbf's language driver byte (offset 29) names, or None when it names none we trust."""
    return _LDID.get(byte)


def _first_piece(samples: list[tuple[str, bytes]], test) -> tuple[str, bytes]:
    for label, blob in samples:
        for k, piece in enumerate(blob.split(b"\x1f")):
            if test(piece):
                where = f"{label}, row {k + 1}" if label.startswith("field ") else f"line {k + 1}" \
                    if label == "line" else label
                return where, piece
    return samples[0][0], b""


def detect(samples: list[tuple[str, bytes]], what: str) -> str:
    """The encoding of text ``samples`` ((label, values joined by U+001F) per field, and the field
    names): see the module rules. Returns 'UTF-8', 'CP936' or 'GB18030'; raises EncodingError naming
    ``what`` when neither or both readings work (then with the first non-ASCII value read both ways).
    """
    data = b"\x1f".join(blob for _, blob in samples)
    if data.isascii():
        return "UTF-8"
    readings = {}
    for name in ("UTF-8", "CP936"):
        with contextlib.suppress(UnicodeDecodeError):
            readings[name] = data.decode(CODECS[name])
    if len(readings) == 1:
        return next(iter(readings))
    if not readings:
        try:
            data.decode("gb18030")
            return "GB18030"
        except UnicodeDecodeError:
            raise EncodingError(f"{what}: the text is neither UTF-8 nor GBK: pass --encoding") from None
    where, sample = _first_piece(samples, lambda piece: not piece.isascii())
    raise EncodingError(f"{what}: the text reads as UTF-8 ({sample.decode('utf-8').strip()!r}) and as GBK "
                        f"({sample.decode('gbk').strip()!r}) ({where}), and nothing in the file says which "
                        "(no .cpg): pass --encoding utf-8 or --encoding gbk")


def decode_all(samples: list[tuple[str, bytes]], encoding: str, what: str) -> None:
    """Check that every sample decodes in ``encoding``; raises EncodingError naming the first value that does not."""
    codec = CODECS.get(encoding, encoding)
    try:
        b"\x1f".join(blob for _, blob in samples).decode(codec)
    except LookupError:
        raise EncodingError(f"{what}: unknown encoding {encoding!r}") from None
    except UnicodeDecodeError:
        def bad(piece):
            try:
                piece.decode(codec)
            except UnicodeDecodeError:
                return True
            return False
        where, sample = _first_piece(samples, bad)
        raise EncodingError(f"{what}: {where}: {sample.strip()[:40]!r} is not {encoding} text: pass the right "
                            "--encoding") from None
