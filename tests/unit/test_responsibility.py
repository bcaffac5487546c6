import pytest

from gridmap.domain.errors import CodeError
from gridmap.domain.responsibility import RoutingError, RoutingTable, Rule, check_unit_code, dispatch_unit

TABLE = RoutingTable([
    Rule("0505", "event", "default", "", "traffic"),
    Rule("0505", "event", "responsibility_grid", "Z02", "urban"),
    Rule("0505", "event", "community", "C7", "town"),
    Rule("0101", "component", "default", "", "water"),
    Rule("0101", "event", "default", "", "urban"),  # the same code as an event class: 私搭乱建
])


def test_overrides_beat_the_default_and_community_beats_grid():
    assert TABLE.unit_for("event", "0505") == "traffic"
    assert TABLE.unit_for("event", "0505", responsibility_grid_code="Z01") == "traffic"
    assert TABLE.unit_for("event", "0505", responsibility_grid_code="Z02") == "urban"
    assert TABLE.unit_for("event", "0505", community_code="C7", responsibility_grid_code="Z02") == "town"
    assert TABLE.unit_for("event", "0199") is None


def test_event_and_component_classes_with_the_same_code_route_apart():
    assert TABLE.unit_for("component", "0101") == "water"
    assert TABLE.unit_for("event", "0101") == "urban"


def test_dispatch_prefers_the_components_own_units():
    assert dispatch_unit(TABLE, "component", "0101", component_units=("maint", "owner", "comp")) == "maint"
    assert dispatch_unit(TABLE, "component", "0101", component_units=(None, "owner", "comp")) == "owner"
    assert dispatch_unit(TABLE, "component", "0101", component_units=(None, None, "comp")) == "comp"
    assert dispatch_unit(TABLE, "component", "0101", component_units=(None, None, None)) == "water"
    assert dispatch_unit(TABLE, "event", "0505", responsibility_grid_code="Z02") == "urban"


def test_bad_rules_are_refused():
    with pytest.raises(RoutingError):
        RoutingTable([Rule("0505", "event", "default", "Z01", "x")])
    with pytest.raises(RoutingError):
        RoutingTable([Rule("0505", "event", "street", "S1", "x")])


@pytest.mark.parametrize("good", ["91350100M000100Y43", "LOCAL-001", "dsq.sanitation"])
def test_unit_codes(good):
    assert check_unit_code(good) == good


@pytest.mark.parametrize("bad", ["91350100M000100Y44", "", "x", "有中文", "a b"])
def test_bad_unit_codes(bad):
    with pytest.raises(CodeError):
        check_unit_code(bad)
