"""Responsible units, routing rules, staff and the gaps report, in the store: one module each
(units, routing, staff, gaps); this package gathers their public names."""

from gridmap.store.responsibility.gaps import check_responsibility
from gridmap.store.responsibility.routing import (
    MAX_SILENT_REMOVAL,
    ROUTING_COLUMNS,
    ROUTING_REQUIRED,
    RoutingChanges,
    delete_rule,
    export_routing,
    handler_by_grid,
    import_routing,
    load_routing,
    read_routing_csv,
    set_rule,
)
from gridmap.store.responsibility.staff import (
    create_staff,
    set_role,
    set_supervisor,
    supervisor_candidates,
    supervisor_names,
    supervisors_of,
)
from gridmap.store.responsibility.units import (
    ComponentScope,
    UnitInUseError,
    assign_component_units,
    create_unit,
    delete_unit,
    list_units,
    retire_unit,
    update_unit,
    usage,
)

__all__ = [
    "MAX_SILENT_REMOVAL", "ROUTING_COLUMNS", "ROUTING_REQUIRED", "ComponentScope", "RoutingChanges",
    "UnitInUseError", "assign_component_units", "check_responsibility", "create_staff", "create_unit",
    "delete_rule", "delete_unit", "export_routing", "handler_by_grid", "import_routing", "list_units",
    "load_routing", "read_routing_csv", "retire_unit", "set_role", "set_rule", "set_supervisor",
    "supervisor_candidates", "supervisor_names", "supervisors_of", "update_unit", "usage",
]
