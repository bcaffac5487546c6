"""Colours shared by the map styles, the icons and the docks (no Qt imports)."""

#: component major class → colour (legacy scheme codes; GB/T 47678 majors map by position)
MAJOR_COLOURS = {
    "01": "#1f6fb2",  # 公用设施 public utilities
    "02": "#e07b00",  # 道路交通 road traffic
    "03": "#8d6e63",  # 市容环境 city appearance
    "04": "#2e8b3a",  # 园林绿化 landscaping
    "05": "#7b4fa0",  # 房屋土地 buildings & land
    "06": "#546e7a",  # 其他设施 other
    "21": "#00897b",  # 扩展部件 extension
}

#: incident status → colour; "overdue" is derived (deadline passed, not yet handled)
STATUS_COLOURS = {
    "reported": "#e53935",
    "registered": "#fb8c00",
    "dispatched": "#1e88e5",
    "handled": "#43a047",
    "checked": "#00897b",
    "on_hold": "#8e24aa",
    "overdue": "#b71c1c",
    "closed": "#9e9e9e",
    "rejected": "#bdbdbd",
}

#: a qualitative palette for responsibility grids (neighbours get different colours)
GRID_PALETTE = [
    "#8dd3c7", "#ffffb3", "#bebada", "#fb8072", "#80b1d3", "#fdb462", "#b3de69", "#fccde5",
    "#d9d9d9", "#bc80bd", "#ccebc5", "#ffed6f", "#a6cee3", "#b2df8a", "#fb9a99", "#cab2d6",
]
