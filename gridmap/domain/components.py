"""The vocabulary of registered components (部件): their states and whether the record is current.

One owner for these words: the schema's CHECK constraints, the importer, the exports and the
desktop's forms all take them from here.
"""

#: the physical state a supervisor records (CJ/T 214 部件状态)
COMPONENT_STATES = ("完好", "破损", "丢失", "占用", "废弃", "移除")
#: whether the record is current (现势性): a void (作废) record stays void and its code is retired
IN_USE = "在用"
VOID = "作废"
COMPONENT_CURRENCY = (IN_USE, VOID)

#: what a supervisor finds when inspecting a component (巡查): intact, damaged, missing, occupied
INTACT = "完好"
INSPECTION_CONDITIONS = ("完好", "破损", "丢失", "占用")

#: the changes of the register that keep a previous version (component_*_history.change): registered
#: (add), moved (a point), reshaped (a line or polygon), attributes set, retired (作废), from a census
REGISTER_CHANGES = ("add", "move", "reshape", "set", "retire", "census")
