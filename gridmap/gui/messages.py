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
        (r"case (\d+) was changed by someone else \((.*)\) since you opened it; reload it",
         tr("Case {0} was changed by someone else since you opened it; reload it.")),
        (r"no case (\d+)", tr("There is no case {0}.")),
        # escalation across levels
        (r"an escalation needs a reason", tr("An escalation needs a reason.")),
        (r"cannot escalate a case that is (\w+) \(escalate: (.*)\)",
         tr("Only an open case that is not yet handled can be escalated.")),
        (r"a case at the district centre cannot be escalated further",
         tr("A case at the district centre cannot be escalated further.")),
        (r"cannot escalate from (\w+) to (\w+): .*",
         tr("A case is escalated up: to the next level, or straight to the district centre.")),
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
        (r"(\d+) grid\(s\) stay outside ±(\d+)%: .*limit of (\d+) moved unit grids.*",
         tr("{0} grid(s) stay outside ±{1}%: the limit of {2} moved unit grids was reached.")),
        (r"(\d+) grid\(s\) stay outside ±(\d+)%: (\d+) of them are locked.*",
         tr("{0} grid(s) stay outside ±{1}%, {2} of them locked.")),
        (r"(\d+) grid\(s\) stay outside ±(\d+)%: .*", tr("{0} grid(s) stay outside ±{1}%.")),
        (r"no workload to balance: .*", tr("There is no workload to balance: every grid weighs 0.")),
        (r"a scenario needs a name", tr("A scenario needs a name.")),
        (r"a scenario named '(.+)' already exists", tr("A scenario named “{0}” already exists.")),
        (r"no scenario named '(.+)'", tr("There is no scenario named “{0}”.")),
        (r".*: (\d+) unit grid\(s\) were changed by someone else since this draft began \(e\.g\. (.+)\); "
         r"reopen the plan and redo the change",
         tr("{0} unit grid(s) were changed by someone else since this draft began (e.g. {1}): reopen the plan "
            "and redo the change.")),
        (r"(.+) changed the grids since this draft began \((\d+) commit\(s\)\); rebase the draft on the current "
         r"plan or save it as a scenario",
         tr("{0} changed the grids since this draft began ({1} commit(s)). Rebase your draft on the current plan, "
            "or save it as a scenario.")),
        # people and roles
        (r"(.+) \((\w+)\) may not (.+)", tr("{0} ({1}) may not do this: {2}.")),
        (r"(.+) is disabled", tr("{0} is disabled.")),
        (r"(.+) acts for unit (.+) only; this case is routed to (.+)",
         tr("{0} acts for unit {1} only; this case is routed to {2}.")),
        (r"(.+) acts for street (.+) only; this case is in (.+)",
         tr("{0} acts for street {1} only; this case is in {2}.")),
        (r"the database refused: (.+)", tr("The database refused this for your role: {0}")),
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
        # import and export: files, encodings, coordinate systems (io/)
        (r"(.+): no such file", tr("{0}: no such file.")),
        (r"(.+): the text reads as UTF-8 \((.+)\) and as GBK \((.+)\) \((.+)\), and nothing in the file says "
         r"which \(no \.cpg\): pass --encoding utf-8 or --encoding gbk",
         tr("{0}: the text reads as UTF-8 ({1}) and as GBK ({2}) ({3}), and nothing in the file says which (no "
            ".cpg): choose the encoding.")),
        (r"(.+): the text is neither UTF-8 nor GBK: pass --encoding",
         tr("{0}: the text is neither UTF-8 nor GBK: choose the encoding.")),
        (r"(.+): (.+): (.+) is not (\S+) text: pass the right --encoding",
         tr("{0}: {1}: {2} is not {3} text: choose the right encoding.")),
        (r"the \.cpg names (.+), which gridmap does not read: pass --encoding",
         tr("The .cpg names {0}, which gridmap does not read: choose the encoding.")),
        (r"unknown encoding (.+): use gbk, gb18030 or utf-8", tr("Unknown encoding {0}: use GBK, GB18030 or UTF-8.")),
        # (PROJ's own reason is English and technical: the message says what is accepted instead)
        (r"--crs (.+) is not a coordinate system: (.+)",
         tr("{0} is not a coordinate system: enter EPSG:N, a PROJ string or a WKT.")),
        (r"(.+): the file says nothing of its coordinate system \(no \.prj\): pass --crs EPSG:N",
         tr("{0}: the file says nothing of its coordinate system (no .prj): enter its coordinate system.")),
        (r"(.+): the \.prj is not a coordinate system definition \((.+)\): fix it or pass --crs(.*)",
         tr("{0}: the .prj is not a coordinate system definition ({1}): fix it or enter the coordinate system.")),
        (r"(.+): the file is in (.+) \(datum (.+)\); PROJ knows no exact transformation from it to the store's "
         r"(.+), only a ballpark offset with errors of metres\. Pass --crs with the datum parameters: the file's "
         r"own CRS is --crs \"(.+)\" with dx\.\.ds from your survey bureau's published parameters "
         r"\(or a WKT with TOWGS84\)",
         tr("{0}: the file is in {1} (datum {2}); there is no exact transformation from it to the store's {3}, "
            "only an approximate offset with errors of metres. Enter the coordinate system with the datum "
            "parameters: the file's own is \"{4}\" with dx..ds from your survey bureau's published parameters "
            "(or a WKT with TOWGS84).")),
        (r"(.+): GCJ-02 correction needs longitude/latitude, but the file is in (.+)",
         tr("{0}: GCJ-02 correction needs longitude/latitude, but the file is in {1}.")),
        (r"(.+): the files are in different coordinate systems",
         tr("{0}: the files are in different coordinate systems.")),
        (r"(.+): the \.shp has ([\d,]+) shapes but the \.dbf ([\d,]+) records; the files do not belong together "
         r"or one is damaged",
         tr("{0}: the .shp has {1} shapes but the .dbf {2} records: the files do not belong together or one is "
            "damaged.")),
        (r"(.+): the shapefile has no (.+) file beside it", tr("{0}: the shapefile has no {1} file beside it.")),
        (r"(.+): the file is truncated \((.+) of (.+) bytes\)", tr("{0}: the file is truncated ({1} of {2} bytes).")),
        (r"(.+): cannot read it: (.+)", tr("{0}: cannot read it: {1}")),
        (r"(.+): holds (\d+) data files \((.+)\): choose one with --source-layer",
         tr("{0}: holds {1} data files ({2}): choose one under “Layer in the file”.")),
        (r"(.+): holds (\d+) layers \((.+)\): choose one.*",
         tr("{0}: holds {1} layers ({2}): choose one under “Layer in the file”.")),
        (r"(.+): no data file (.+); it holds (.+)", tr("{0}: no data file {1}; it holds {2}.")),
        (r"(.+): the zip holds no shapefile, GeoPackage, GeoJSON or CSV",
         tr("{0}: the zip holds no shapefile, GeoPackage, GeoJSON or CSV.")),
        (r"(.+): no coordinate columns .*", tr("{0}: no coordinate columns (x/y, lon/lat, 经度/纬度) and no wkt "
                                             "column: enter the x and y columns.")),
        (r"(.+): no column (.+); the columns are (.+)", tr("{0}: no column {1}; the columns are {2}.")),
        (r"--x and --y go together", tr("The x and y columns go together: enter both or neither.")),
        # field mappings
        (r"(.+): cannot read the mapping: (.+)", tr("{0}: cannot read the mapping: {1}")),
        (r"(.+): a mapping is a JSON object of store column -> file field",
         tr("{0}: a mapping is a JSON object of store column -> file field.")),
        (r"the mapping names (.+), which (.+) does not have; its columns are (.+)",
         tr("The mapping names {0}, which the layer does not have; its columns are {2}.")),
        (r"the mapping names file field\(s\) (.+), which the file does not have; its fields are (.+)",
         tr("The mapping names file field(s) {0}, which the file does not have; its fields are {1}.")),
        (r"(.+): no field for the component ID \(mapping (.+)\)",
         tr("{0}: no field for the component ID (mapping {1}).")),
        # rows refused by an import (each after the row's code)
        (r"lies outside the managed area \(in no unit grid\)", tr("lies outside the managed area (in no unit grid)")),
        (r"the ID is retired \((.+)\): a retired ID never becomes current again; give the component a new ID",
         tr("the ID is retired ({0}): a retired ID never becomes current again; give the component a new ID")),
        (r"unit grid (\d+) is retired; a retired code never becomes current again .*",
         tr("unit grid {0} is retired; a retired code never becomes current again: give it a new code")),
        (r"duplicate ID \(also (.+)\)", tr("duplicate ID (also {0})")),
        (r"unknown class (.+)", tr("unknown class {0}")),
        (r"class (.+) is a (\w+) class, the geometry is a (\w+)",
         tr("class {0} is a {1} class, the geometry is a {2}")),
        (r"the ID says class (.+), the class field says (.+)", tr("the ID says class {0}, the class field says {1}")),
        (r"the ID is of district (.+), the store is (.+)", tr("the ID is of district {0}, the store is {1}")),
        (r"unknown (competent|owner|maintainer) unit (.+)", tr("unknown {0} unit {1}")),
        (r"(state|currency) (.+) is not one of (.+)", tr("{0} {1} is not one of {2}")),
        (r"no geometry", tr("no geometry")),
        (r"empty geometry", tr("empty geometry")),
        (r"a (\w+) of (\d+) parts: pass --explode to import each part as its own component",
         tr("a {0} of {1} parts: tick “Each part of a multi-part geometry its own component” to import "
            "each part")),
        (r"invalid geometry that cannot be repaired \((.+)\)", tr("invalid geometry that cannot be repaired ({0})")),
        (r"invalid geometry \(([^)]+)\); repairing it gives (\d+) parts .*",
         tr("invalid geometry ({0}); repairing it gives {1} parts and keeping one would lose part of it: fix it "
            "in the source or tick “Allow a repair that keeps only the largest part”")),
        (r"invalid geometry \((.+)\)", tr("invalid geometry ({0})")),
        # export refusals
        (r"(--\w+) (.+): no such ([\w ]+?); the ([\w ]+?) are (.+)", tr("{0} {1}: there is no such {2}; the choices "
                                                                        "are {4}")),
        (r"--since (\S+) is not before --until (\S+): no incident can be in that period",
         tr("The period starts ({0}) after it ends ({1}): no incident can be in it.")),
        (r"no responsible unit (.+)", tr("There is no responsible unit {0}.")),
        (r"unit (.+) has no components \(as (\w+)\): no package to write",
         tr("Unit {0} has no components (as {1}): there is no package to write.")),
        (r"(.+): cannot write: (.+)", tr("{0}: cannot write: {1}")),
        (r"(.+) is being written by another program; try again", tr("{0} is being written by another program; "
                                                                     "try again.")),
        # the routing table's guard
        (r"(.+) would (.+) of the (\d+) routing rules \(more than (.+)\); nothing was written\..*",
         tr("{0} would change or remove more than {3} of the {2} routing rules; nothing was written. Check the "
            "file, or import it allowing removals.")),
    ]
    return [(re.compile(pattern + r"\Z", re.DOTALL), template) for pattern, template in table]


def translate(message: str) -> str:
    """``message`` in the interface language when it is a known domain message, else as it is. Several
    refusals joined by "; --" (an export's options) are translated one by one."""
    if "; --" in message:
        parts = message.split("; --")
        parts = [parts[0]] + ["--" + p for p in parts[1:]]
        translated = [_translate_one(p) for p in parts]
        if all(t != p for t, p in zip(translated, parts, strict=True)):
            return "\n".join(translated)
    return _translate_one(message)


def _translate_one(message: str) -> str:
    for pattern, template in _patterns():
        match = pattern.match(message)
        if match:
            groups = [_step_name(g) for g in match.groups()]
            return template.format(*groups)
    return message


def _step_name(text: str) -> str:
    names = {"reject": tr("Reject"), "deadline extension": tr("Deadline extension"),
             "check failed: rework": tr("Check failed: rework"),
             "incident status": tr("incident status"), "component state": tr("component state"),
             "component class": tr("component class"), "responsible unit": tr("responsible unit"),
             "responsibility grid": tr("responsibility grid"), "community": tr("community"),
             "competent": tr("competent"), "owner": tr("owner"), "maintainer": tr("maintainer"),
             "any": tr("any role"), "state": tr("state"), "currency": tr("currency"),
             "point": tr("point"), "line": tr("line"), "polygon": tr("polygon")}
    if text in names:
        return names[text]
    if text == "it is void (作废)":
        return tr("it is void (作废)")
    if text == "its component was deleted":
        return tr("its component was deleted")
    if text == "field names":
        return tr("the field names")
    place = re.fullmatch(r"field (.+), row (\d+)", text)  # where an encoding problem was found
    if place:
        return tr("field {0}, row {1}").format(*place.groups())
    line = re.fullmatch(r"line (\d+)", text)
    if line:
        return tr("line {0}").format(*line.groups())
    return text
