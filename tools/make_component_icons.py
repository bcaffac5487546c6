#!/usr/bin/env python3
"""Write one SVG icon per component class into resources/icons/components/.

Each icon is a tile in its major class's colour with a short, unique Chinese
label, so every minor class is recognisable at street scale. Run again after
changing a class table; the icons are committed.
"""

import csv
import sys
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from gridmap.gui.palette import MAJOR_COLOURS  # noqa: E402

# Shapes say what kind of thing it is, beyond the colour: covers are round.
TEMPLATE = """<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32" viewBox="0 0 32 32">
  {shape}
  <text x="16" y="{y}" font-family="Noto Sans CJK SC, WenQuanYi Zen Hei, sans-serif" font-size="{size}"
        font-weight="bold" fill="#ffffff" text-anchor="middle">{label}</text>
</svg>
"""


def label_for(name: str, taken: set[str]) -> str:
    core = name.replace("井盖", "").replace("(", "").replace(")", "") or name
    candidates = [core[:2], core[0] + core[-1], core[-2:], name[:2], core[-1], core[0]]
    candidates += [a + b for a in core for b in core if a != b]
    for candidate in candidates:
        if candidate and candidate not in taken:
            taken.add(candidate)
            return candidate
    raise SystemExit(f"no unique label for {name}")


def main() -> None:
    out = ROOT / "resources" / "icons" / "components"
    out.mkdir(parents=True, exist_ok=True)
    taken: set[str] = set()
    with open(ROOT / "data" / "classes" / "legacy_component_classes.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            colour = MAJOR_COLOURS.get(row["major_code"], "#607d8b")
            is_cover = row["name"].endswith("井盖") or row["name"] == "雨水箅子"
            shape = (f'<circle cx="16" cy="16" r="14.5" fill="{colour}" stroke="#ffffff" stroke-width="2"/>'
                     if is_cover else
                     f'<rect x="1.5" y="1.5" width="29" height="29" rx="6" fill="{colour}" '
                     'stroke="#ffffff" stroke-width="2"/>')
            label = label_for(row["name"], taken)
            (out / f"{row['code']}.svg").write_text(
                TEMPLATE.format(shape=shape, label=escape(label), size=12 if len(label) == 2 else 16,
                                y=20.5 if len(label) == 2 else 22), encoding="utf-8")
    print(f"wrote {len(taken)} icons to {out}")


if __name__ == "__main__":
    main()
