"""gridmap's own plugins (issue 18, docs/plugins.md): found in the ``plugins/`` folder and through the Python
entry point group ``gridmap.plugins``, switched on and off per user (remembered in gridmap's settings), and
given a small API in each front end through hooks they define:

- ``desktop(api)`` — the desktop (the app, or the QGIS plugin): add layers, docks, menu actions
  (gridmap.gui.plugin_api.DesktopApi);
- ``cli(subparsers)`` — add commands to ``gridmap``;
- ``service(router, context)`` — add routes to the intake service (a FastAPI APIRouter mounted at the root;
  context: gridmap.service.app.ServiceContext).

A plugin is a module or package with a ``PLUGIN`` dict (name, title, description, version) and any of the
hooks. A plugin that fails to import or to run a hook is reported (``Extension.error``), never fatal.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from gridmap.paths import PLUGINS_DIR

ENTRY_POINT_GROUP = "gridmap.plugins"
SETTINGS_DISABLED = "plugins/disabled"
HOOKS = ("desktop", "cli", "service")


@dataclass
class Extension:
    name: str
    title: str
    description: str
    version: str
    origin: str  # "plugins/ folder" or the entry point's distribution
    module: object | None = None
    error: str = ""
    enabled: bool = True
    hook_errors: dict = field(default_factory=dict)

    def hook(self, name: str):
        return getattr(self.module, name, None) if self.module is not None and self.enabled else None


def _settings():
    """The desktop's settings: the running app's (tests point them to a folder of their own), else gridmap's."""
    from qgis.PyQt.QtCore import QCoreApplication, QSettings  # noqa: PLC0415

    return QSettings() if QCoreApplication.organizationName() else QSettings("gridmap", "gridmap")


def disabled_names() -> set[str]:
    value = _settings().value(SETTINGS_DISABLED, [])
    if isinstance(value, str):
        value = [value] if value else []
    return set(value or [])


def set_enabled(name: str, enabled: bool) -> None:
    """Remember for this user whether plugin ``name`` runs (it takes effect at the next start)."""
    names = disabled_names()
    names.discard(name) if enabled else names.add(name)
    _settings().setValue(SETTINGS_DISABLED, sorted(names))


def _load_folder_module(path: Path):
    name = f"gridmap_plugin_{path.stem if path.is_file() else path.name}"
    init = path if path.is_file() else path / "__init__.py"
    spec = importlib.util.spec_from_file_location(name, init, submodule_search_locations=None if path.is_file()
                                                  else [str(path)])
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _describe(module, fallback: str, origin: str) -> Extension:
    info = getattr(module, "PLUGIN", {}) or {}
    return Extension(info.get("name", fallback), info.get("title", fallback), info.get("description", ""),
                     str(info.get("version", "")), origin, module)


_found: list[Extension] | None = None


def discover(folders: list[Path] | None = None, *, refresh: bool = False) -> list[Extension]:
    """Every plugin, by name: the ``plugins/`` folder's packages and modules, then entry points.

    Loaded once per process (``refresh`` loads again); broken ones come back with ``error`` set.
    """
    global _found  # noqa: PLW0603 - one discovery per process
    if _found is not None and not refresh and folders is None:
        return _found
    found: dict[str, Extension] = {}
    for folder in folders if folders is not None else [PLUGINS_DIR]:
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if path.name.startswith(("_", ".")) or not ((path.is_dir() and (path / "__init__.py").exists())
                                                        or path.suffix == ".py"):
                continue
            try:
                extension = _describe(_load_folder_module(path), path.stem, "plugins/ folder")
            except Exception as exc:
                extension = Extension(path.stem, path.stem, "", "", "plugins/ folder",
                                      error=f"{type(exc).__name__}: {exc}")
            found.setdefault(extension.name, extension)
    if folders is None:
        for point in metadata.entry_points(group=ENTRY_POINT_GROUP):
            try:
                extension = _describe(point.load(), point.name, point.dist.name if point.dist else point.value)
            except Exception as exc:
                extension = Extension(point.name, point.name, "", "", point.value,
                                      error=f"{type(exc).__name__}: {exc}")
            found.setdefault(extension.name, extension)
    off = disabled_names()
    for extension in found.values():
        extension.enabled = extension.name not in off and not extension.error
    result = [found[name] for name in sorted(found)]
    if folders is None:
        _found = result
    return result


def run_hook(extensions: list[Extension], hook: str, *args) -> list[Extension]:
    """Call ``hook`` of every enabled plugin that has it; a plugin whose hook raised is returned (and recorded)."""
    failed = []
    for extension in extensions:
        function = extension.hook(hook)
        if function is None:
            continue
        try:
            function(*args)
        except Exception as exc:
            extension.hook_errors[hook] = f"{type(exc).__name__}: {exc}"
            failed.append(extension)
    return failed
