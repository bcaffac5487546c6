"""The architecture in DESIGN.md, checked: dependencies point gui → store/io → domain."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "gridmap"


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def modules(sub: str) -> list[Path]:
    return sorted((PACKAGE / sub).rglob("*.py"))


@pytest.mark.parametrize("path", modules("domain"), ids=lambda p: p.name)
def test_domain_imports_no_qt_no_qgis_and_no_outer_layer(path):
    bad = {n for n in imports_of(path)
           if n.split(".")[0] in {"qgis", "PyQt5", "PyQt6", "sip"}
           or n.startswith(("gridmap.store", "gridmap.gui", "gridmap.io", "gridmap.demo"))}
    assert not bad, f"{path} imports {bad}"


@pytest.mark.parametrize("path", modules("store") + modules("io") + modules("demo"), ids=lambda p: p.name)
def test_store_io_and_demo_do_not_import_the_gui(path):
    bad = {n for n in imports_of(path) if n.split(".")[0] in {"qgis", "PyQt5", "PyQt6"} or n.startswith("gridmap.gui")}
    assert not bad, f"{path} imports {bad}"


def test_no_direct_pyqt_imports_anywhere():
    root = PACKAGE.parent
    offenders = [p for p in [*root.joinpath("gridmap").rglob("*.py"), *root.joinpath("tests").rglob("*.py"),
                             root / "main.py"]
                 if any(n.split(".")[0] in {"PyQt5", "PyQt6"} for n in imports_of(p))]
    assert offenders == []


def test_layers_of_the_design_are_folders():
    for folder in ("domain", "store", "io", "gui"):
        assert (PACKAGE / folder / "__init__.py").is_file()
    for top in ("plugins", "resources", "data", "tests", "benchmarks"):
        assert (PACKAGE.parent / top).is_dir()


def _sql_calls(path: Path) -> list[str]:
    """``.execute``/``.executemany``/``.executescript`` calls and ``.conn`` reads in a module, as 'line: text'."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in {"execute", "executemany", "executescript", "conn"}:
            found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: .{node.attr}")
        elif (isinstance(node, ast.ImportFrom) and node.module in {"sqlite3", "psycopg"}) or (isinstance(
                node, ast.Import) and any(a.name.split(".")[0] in {"sqlite3", "psycopg"} for a in node.names)):
            found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: imports a database driver")
    return found


def test_sql_lives_in_store_only():
    """Every query is a function of gridmap.store (issue 13): the GUI, io/, the service, the CLI and the
    demo call those functions and never reach a connection, so the store's two engines are the only
    places that know SQL."""
    outside = [p for p in PACKAGE.rglob("*.py") if "store" not in p.relative_to(PACKAGE).parts[:1]]
    offenders = [call for path in outside for call in _sql_calls(path)]
    assert offenders == []
