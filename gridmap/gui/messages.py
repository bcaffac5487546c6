"""The interface language for messages that come from the domain and the store.

Domain rules raise English messages (the CLI and the logs use them as they are);
the desktop shows them through this table, so a refusal reads in one language.
Each pattern's groups fill the translated template's {0}, {1}, ...
"""

from __future__ import annotations

import re

from qgis.PyQt.QtCore import QCoreApplication


def tr(text: str) -> str:
    return QCoreApplication.translate("Messages", text)


def _patterns() -> list[tuple[re.Pattern, str]]:
    table = [
        # the case loop
        (r"(reject|deadline extension|check failed: rework) needs a reason", tr("{0} needs a reason")),
        (r"dispatching to another unit than the suggested one needs a reason",
         tr("Dispatching to another unit than the suggested one needs a reason.")),
        (r"a step needs the person who takes it", tr("Sign in first: every step records who took it.")),
        (r"cannot (\w+) a case that is (\w+) \(allowed: (.*)\)", tr("The case's status does not allow this step.")),
        (r"case (\d+) changed meanwhile; reload it", tr("Case {0} was changed by someone else meanwhile; it has "
                                                        "been reloaded, please decide again.")),
        (r"no case (\d+)", tr("There is no case {0}.")),
        (r"no active responsible unit (.+)", tr("{0} is not an active responsible unit.")),
        (r"a check needs its result: passed or not", tr("A check needs its result: passed or not.")),
        (r"no unit is suggested for this case: choose one", tr("No unit is suggested for this case: choose one.")),
        (r"an extension needs a positive number of working hours",
         tr("An extension needs a positive number of working hours.")),
        # filters (attribute table, export)
        (r"unknown field '(.+)'; fields: (.+)", tr("unknown field “{0}”; the fields are {1}")),
        (r"expected (.+) but found (.+)", tr("expected {0} but found {1}")),
        (r"expected a comparison after (.+) but found (.+)", tr("expected a comparison after {0} but found {1}")),
        (r"cannot read the filter at (.+)", tr("cannot read the filter at {0}")),
        (r"unexpected (.+) in the filter", tr("unexpected {0} in the filter")),
        # the grid plan
        # (the plan words this one as "would be split in two"; it means the unit is not adjacent)
        (r"(.+) does not touch (.+): the grid would be split in two",
         tr("{0} does not touch {1}: a grid only takes unit grids along its edge.")),
        (r"moving (.+) would split (.+) in two", tr("Moving {0} would split {1} in two.")),
        (r"(.+) is the last unit grid of (.+)", tr("{0} is the last unit grid of {1}.")),
        (r"(.+) belongs to (.+), which is locked", tr("{0} belongs to {1}, which is locked.")),
        (r"(.+) is locked", tr("{0} is locked.")),
        (r"a scenario needs a name", tr("A scenario needs a name.")),
        (r"a scenario named '(.+)' already exists", tr("A scenario named “{0}” already exists.")),
        (r"no scenario named '(.+)'", tr("There is no scenario named “{0}”.")),
        (r".*: (\d+) unit grid\(s\) were changed by someone else since this draft began \(e\.g\. (.+)\); "
         r"reopen the plan and redo the change",
         tr("{0} unit grid(s) were changed by someone else since this draft began (e.g. {1}): reopen the plan "
            "and redo the change.")),
        (r".*: some of (.+) are no longer current unit grids",
         tr("Someone else changed these unit grids meanwhile: {0}. Reopen the plan and redo the edit.")),
        (r"the community has used all 999 unit grid sequence numbers",
         tr("The community has used all 999 unit grid sequence numbers.")),
        # unit grid boundaries
        (r"no unit grid has a vertex there", tr("No unit grid has a vertex there.")),
        (r"the line must cross the unit grid from one side to another",
         tr("The line must cross the unit grid from one side to another.")),
        (r"a piece would be only ([\d.]+) m²", tr("A piece would be only {0} m².")),
        (r"only unit grids that share an edge can be merged", tr("Only unit grids that share an edge can be merged.")),
        (r"choose at least two unit grids to merge", tr("Choose at least two unit grids to merge.")),
        (r"unit grids of different communities cannot be merged \((.+)\)",
         tr("Unit grids of different communities cannot be merged ({0}).")),
        (r"the edit would leave a gap of ([\d.]+) m²", tr("The edit would leave a gap of {0} m².")),
        (r"the edit would reach ([\d.]+) m² beyond the grids it changes.*",
         tr("The edit would reach {0} m² beyond the grids it changes (overlapping a neighbour or leaving the "
            "district).")),
        (r"the edit would make edges overlap or stop matching their neighbours",
         tr("The edit would make edges overlap or stop matching their neighbours.")),
        (r"(.+) would become an invalid polygon \((.+)\)", tr("{0} would become an invalid polygon ({1}).")),
        (r"(.+) would cross the boundary of community (\d+) \(([\d.]+) m² outside it\)",
         tr("{0} would cross the boundary of community {1} ({2} m² outside it).")),
    ]
    return [(re.compile(pattern + r"\Z"), template) for pattern, template in table]


def translate(message: str) -> str:
    """``message`` in the interface language when it is a known domain message, else as it is."""
    for pattern, template in _patterns():
        match = pattern.match(message)
        if match:
            groups = [_step_name(g) for g in match.groups()]
            return template.format(*groups)
    return message


def _step_name(text: str) -> str:
    names = {"reject": tr("Reject"), "deadline extension": tr("Deadline extension"),
             "check failed: rework": tr("Check failed: rework")}
    return names.get(text, text)
