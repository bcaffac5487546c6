"""gridmap: a desktop GIS for grid-based city management (数字城管 / 网格化管理)."""

import os as _os
import sys as _sys

__version__ = "0.1.0"

# shapely's wheel bundles its own GEOS; SpatiaLite links the system's. SQLite loads extensions with
# RTLD_GLOBAL, so once mod_spatialite is loaded, every shapely function not yet bound lazily binds
# to the *system* GEOS and mixes objects of two GEOS builds: a segfault (seen with
# shapely.contains_xy on a prepared polygon after a store was opened). Binding all of shapely's
# symbols at import time, before any store is opened, keeps it on its own GEOS.
_flags = _sys.getdlopenflags()
_sys.setdlopenflags(_flags | _os.RTLD_NOW)
try:
    import shapely as _shapely  # noqa: F401
finally:
    _sys.setdlopenflags(_flags)
