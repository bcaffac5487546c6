"""Pure-Python domain rules: codes, class tables, calendars, grids. No Qt, no QGIS."""
