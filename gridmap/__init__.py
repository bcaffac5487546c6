"""gridmap: a desktop GIS for grid-based city management (数字城管 / 网格化管理)."""

__version__ = "0.1.0"
