"""Where the app finds the files it ships (data/, resources/, plugins/)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
RESOURCES_DIR = ROOT / "resources"
PLUGINS_DIR = ROOT / "plugins"
CLASS_TABLES = {
    ("legacy", "component"): DATA_DIR / "classes" / "legacy_component_classes.csv",
    ("legacy", "event"): DATA_DIR / "classes" / "legacy_event_classes.csv",
    ("gbt47678", "component"): DATA_DIR / "classes" / "gbt47678_component_classes.csv",
    ("gbt47678", "event"): DATA_DIR / "classes" / "gbt47678_event_classes.csv",
}
HOLIDAYS_CSV = DATA_DIR / "calendar" / "cn_holidays.csv"
WORKING_HOURS_CSV = DATA_DIR / "calendar" / "working_hours.csv"
