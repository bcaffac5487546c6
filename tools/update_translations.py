#!/usr/bin/env python3
"""Keep resources/i18n/gridmap_<lang>.ts in step with the code, and compile it to .qm.

Finds every translatable string: ``self.tr("...")`` (context: the class name, as
PyQt uses) and ``QCoreApplication.translate("Context", "...")`` / module ``tr()``
helpers that wrap it. Existing translations are kept, new strings are added as
unfinished, strings gone from the code are marked obsolete. Then ``lrelease``
(Debian's qttools5-dev-tools) writes the .qm next to the .ts.

    python tools/update_translations.py [--check] [LANG ...]

--check changes nothing and exits 1 when a string lacks a finished translation.
"""

from __future__ import annotations

import argparse
import ast
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "resources" / "i18n"
LRELEASE = ("lrelease", "/usr/lib/qt5/bin/lrelease", "lrelease-qt5", "/usr/lib/qt6/bin/lrelease")


def _module_context(tree: ast.Module) -> str | None:
    """The context of a module's ``def tr(text): return QCoreApplication.translate("Ctx", text)``."""
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == "tr":
            for call in ast.walk(node):
                if isinstance(call, ast.Call) and getattr(call.func, "attr", "") == "translate" and call.args \
                        and isinstance(call.args[0], ast.Constant):
                    return call.args[0].value
    return None


def extract(paths) -> dict[str, list[str]]:
    """Context → source strings in first-seen order."""
    found: dict[str, list[str]] = {}

    def add(context: str, text: str) -> None:
        found.setdefault(context, [])
        if text not in found[context]:
            found[context].append(text)

    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        module_context = _module_context(tree)
        classes = [n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]
        owner = {}
        for cls in classes:
            for node in ast.walk(cls):
                owner[id(node)] = cls.name
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr == "translate" and len(node.args) >= 2 \
                    and all(isinstance(a, ast.Constant) for a in node.args[:2]):
                add(node.args[0].value, node.args[1].value)
            elif isinstance(func, ast.Attribute) and func.attr == "tr" and isinstance(func.value, ast.Name) \
                    and func.value.id == "self" and isinstance(node.args[0], ast.Constant):
                add(owner.get(id(node), "?"), node.args[0].value)
            elif isinstance(func, ast.Name) and func.id == "tr" and module_context \
                    and isinstance(node.args[0], ast.Constant):
                add(module_context, node.args[0].value)
    return found


def read_ts(path: Path) -> dict[tuple[str, str], tuple[str, bool]]:
    """(context, source) → (translation, finished)."""
    if not path.exists():
        return {}
    out = {}
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            translation = message.find("translation")
            finished = translation is not None and translation.get("type") not in ("unfinished", "obsolete")
            out[(name, message.findtext("source"))] = (translation.text or "" if translation is not None else "",
                                                       finished)
    return out


def write_ts(path: Path, lang: str, strings: dict[str, list[str]], known) -> list[tuple[str, str]]:
    root = ET.Element("TS", version="2.1", language=lang)
    missing = []
    for context in sorted(strings):
        element = ET.SubElement(root, "context")
        ET.SubElement(element, "name").text = context
        for source in strings[context]:
            message = ET.SubElement(element, "message")
            ET.SubElement(message, "source").text = source
            text, finished = known.get((context, source), ("", False))
            translation = ET.SubElement(message, "translation")
            translation.text = text
            if not finished:
                translation.set("type", "unfinished")
                missing.append((context, source))
    ET.indent(root)
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'
                    + ET.tostring(root, encoding="unicode") + "\n", encoding="utf-8")
    return missing


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("langs", nargs="*", default=["zh_CN"])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a translation is missing")
    args = parser.parse_args(argv)
    sources = sorted((ROOT / "gridmap").rglob("*.py"))
    strings = extract(sources)
    status = 0
    for lang in args.langs:
        ts = I18N / f"gridmap_{lang}.ts"
        known = read_ts(ts)
        if args.check:
            missing = [(c, s) for c, texts in strings.items() for s in texts if not known.get((c, s), ("", False))[1]]
            for context, source in missing:
                print(f"{ts.name}: no translation for [{context}] {source!r}")
            status |= 1 if missing else 0
            continue
        I18N.mkdir(parents=True, exist_ok=True)
        missing = write_ts(ts, lang, strings, known)
        print(f"{ts}: {sum(map(len, strings.values()))} strings, {len(missing)} untranslated")
        tool = next((t for t in LRELEASE if shutil.which(t)), None)
        if tool is None:
            print("lrelease not found (apt-get install qttools5-dev-tools); .qm not rebuilt", file=sys.stderr)
            status = 1
        else:
            subprocess.run([tool, "-silent", str(ts), "-qm", str(ts.with_suffix(".qm"))], check=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
