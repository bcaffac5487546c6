"""Issue 12, item 10 (the exchange dialogs): in zh_CN the export and import dialogs show the usual
refusals in Chinese — encoding ambiguity, CRS refusals, count mismatches, mapping errors, retired IDs,
rows outside the area, zips with several files, an export's bad filter — with no English sentence."""

import json
import re
import shutil
import zipfile

import pytest
import shapely
from qgis.PyQt.QtWidgets import QAbstractButton, QComboBox, QLabel, QLineEdit, QPlainTextEdit

from gridmap.gui.exchange_dialogs import ExportDialog, ImportDialog
from gridmap.gui.i18n import install_translator
from tests.io.conftest import native_fields, write_shapefile

#: four or more English words in a row: a sentence (codes, paths, lists of field names, CRS names are not)
SENTENCE = re.compile(r"[A-Za-z]{2,}(?: [A-Za-z]{2,}){3,}")


@pytest.fixture
def zh(qapp):
    assert install_translator(qapp, "zh_CN") == "zh_CN"
    yield
    install_translator(qapp, "en")


def shown(dialog) -> list[str]:
    """Every text the dialog shows: labels, buttons, choices, placeholders, the report."""
    texts = [dialog.windowTitle()]
    texts += [w.text() for w in dialog.findChildren(QLabel) + dialog.findChildren(QAbstractButton)
              if w.isVisibleTo(dialog)]
    for combo in dialog.findChildren(QComboBox):
        if combo.isVisibleTo(dialog):
            texts += [combo.itemText(k) for k in range(combo.count())]
    texts += [w.placeholderText() for w in dialog.findChildren(QLineEdit) if w.isVisibleTo(dialog)]
    texts += [w.toPlainText() for w in dialog.findChildren(QPlainTextEdit)]
    return [t for t in texts if t]


def english(texts) -> list[str]:
    return [m.group(0) for text in texts for m in SENTENCE.finditer(text)]


def _points(store, count=3):
    return store.conn.execute("SELECT code, class_code, X(geom), Y(geom) FROM component_point ORDER BY code "
                              "LIMIT ?", (count,)).fetchall()


def _shp(store, path, rows=None, **fields):
    rows = rows or _points(store)
    return write_shapefile(path, shapely.points([(r[2], r[3]) for r in rows]), native_fields(rows, **fields))


def refusals(store, folder):
    """(what, file, dialog settings) of the usual refusals, each file built here."""
    cases = [("no such file", folder / "missing.shp", {})]
    no_prj = _shp(store, folder / "no_prj.shp")
    no_prj.with_suffix(".prj").unlink()
    cases.append(("no .prj", no_prj, {}))
    cases.append(("not a CRS", _shp(store, folder / "bad_crs.shp"), {"crs": "not a crs at all"}))
    bj54 = _shp(store, folder / "bj54.shp")
    bj54.with_suffix(".prj").write_text(
        'PROJCS["Beijing 1954 / 3-degree Gauss-Kruger CM 111E",GEOGCS["Beijing 1954",DATUM["Beijing_1954",'
        'SPHEROID["Krassowsky 1940",6378245,298.3]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],'
        'PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",111],'
        'PARAMETER["scale_factor",1],PARAMETER["false_easting",500000],PARAMETER["false_northing",0],'
        'UNIT["metre",1]]')
    cases.append(("ballpark datum", bj54, {}))
    three, two = _shp(store, folder / "three.shp"), _shp(store, folder / "two.shp", _points(store, 2))
    shutil.copy(two.with_suffix(".dbf"), three.with_suffix(".dbf"))
    cases.append(("count mismatch", three, {}))
    ambiguous = _shp(store, folder / "both.shp", _points(store, 1), name=["井盖"])
    ambiguous.with_suffix(".cpg").unlink()
    cases.append(("encoding ambiguity", ambiguous, {}))
    mapping = folder / "mapping.json"
    mapping.write_text(json.dumps({"colour": "COLOR"}), encoding="utf-8")
    cases.append(("mapping", _shp(store, folder / "mapped.shp"), {"mapping": str(mapping)}))
    rows = _points(store, 4)
    with store.transaction() as conn:
        conn.execute("UPDATE component_point SET currency = '作废' WHERE code = ?", (rows[0][0],))
    far = [rows[0], (rows[1][0], rows[1][1], rows[1][2] + 500000, rows[1][3]), rows[2], rows[3]]
    cases.append(("rows", _shp(store, folder / "rows.shp", far, currency=["在用"] * 4,
                               class_code=[rows[0][1], rows[1][1], "999999", rows[3][1]],
                               state=["完好", "完好", "完好", "好的"]), {}))
    archive = folder / "two.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for stem in ("three", "two"):
            for suffix in (".shp", ".shx", ".dbf", ".prj"):
                zf.write(folder / f"{stem}{suffix}", f"{stem}{suffix}")
    cases.append(("several files", archive, {}))
    return cases


def test_the_import_dialog_shows_every_usual_refusal_in_chinese(zh, window, qtbot, tmp_path):
    cases = refusals(window.store, tmp_path)
    dialog = ImportDialog(window.session, window)
    qtbot.addWidget(dialog)
    dialog.show()
    assert english(shown(dialog)) == []
    for what, path, settings in cases:
        dialog.crs.setText(settings.get("crs", ""))
        dialog.mapping.setText(settings.get("mapping", ""))
        dialog.file.setText(str(path))
        dialog.run(dry_run=True)
        report = dialog.report.toPlainText()
        assert re.search(r"[\u4e00-\u9fff]", report), (what, report)
        assert english(shown(dialog)) == [], (what, report)
        assert not dialog.import_button.isEnabled(), what


def test_the_export_dialog_shows_its_refusals_in_chinese(zh, window, qtbot, tmp_path):
    dialog = ExportDialog(window.session, window)
    qtbot.addWidget(dialog)
    dialog.show()
    for fmt in ("shp", "geojson"):
        dialog.format.setCurrentIndex(dialog.format.findData(fmt))
        assert english(shown(dialog)) == []
    dialog.where.setText("colour = 'red'")
    dialog.folder.setText(str(tmp_path / "out"))
    dialog.start()
    with qtbot.waitSignal(dialog.job.done, timeout=60000):
        pass
    assert dialog.result is None and "colour" in dialog.message.text()
    assert english(shown(dialog)) == [], dialog.message.text()
