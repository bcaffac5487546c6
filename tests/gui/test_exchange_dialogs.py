"""The export and import wizards on a real window: background export with progress, check-then-import."""

from gridmap.gui.exchange_dialogs import ExportDialog, ImportDialog


def test_export_runs_in_the_background_and_reports(window, qtbot, tmp_path):
    dialog = ExportDialog(window.session, window)
    qtbot.addWidget(dialog)
    dialog.folder.setText(str(tmp_path / "out"))
    dialog.profile.setCurrentIndex(dialog.profile.findData("legacy"))
    dialog.encoding.setCurrentIndex(dialog.encoding.findData("gbk"))
    dialog.start()
    with qtbot.waitSignal(dialog.job.done, timeout=60000):
        pass
    assert dialog.progress.value() == 100
    assert "Exported" in dialog.message.text()
    assert (tmp_path / "out" / "component_point.cpg").read_text().strip() == "CP936"


def test_cancel_stops_an_export_and_leaves_nothing(window, qtbot, tmp_path):
    dialog = ExportDialog(window.session, window)
    qtbot.addWidget(dialog)
    dialog.folder.setText(str(tmp_path / "out"))
    dialog.per_unit.setChecked(True)
    dialog.start()
    dialog.cancel()
    with qtbot.waitSignal(dialog.job.done, timeout=60000):
        pass
    leftovers = list((tmp_path / "out").glob("*")) if (tmp_path / "out").exists() else []
    assert dialog.result is None and "cancelled" in dialog.message.text()
    assert leftovers == []


def test_import_is_checked_before_it_can_run(window, qtbot, tmp_path):
    from gridmap.io.export import ExportOptions, export

    export(window.store, tmp_path, ExportOptions(profile="legacy", encoding="gbk"))
    dialog = ImportDialog(window.session, window)
    qtbot.addWidget(dialog)
    dialog.file.setText(str(tmp_path / "component_point.shp"))
    assert not dialog.import_button.isEnabled()
    report = dialog.run(dry_run=True)
    assert report.errors == [] and "CP936" in dialog.report.toPlainText()
    assert dialog.import_button.isEnabled()
    report = dialog.run(dry_run=False)
    assert report.written and not dialog.import_button.isEnabled()
    dialog.file.setText(str(tmp_path / "missing.shp"))
    assert dialog.run(dry_run=True) is None and "no such file" in dialog.report.toPlainText()


def test_export_shows_moving_progress_the_result_path_and_opens_the_folder(window, qtbot, tmp_path, monkeypatch):
    from gridmap.gui import exchange_dialogs

    dialog = ExportDialog(window.session, window)
    qtbot.addWidget(dialog)
    out = tmp_path / "out"
    dialog.folder.setText(str(out))
    dialog.start()
    assert dialog.progress.maximum() == 0  # busy (moving) until the first step is reported
    assert "Exporting" in dialog.message.text()
    with qtbot.waitSignal(dialog.job.done, timeout=60000):
        pass
    assert dialog.progress.maximum() == 100 and dialog.progress.value() == 100
    assert str(out) in dialog.message.text()
    assert not dialog.open_button.isHidden()
    opened = []
    monkeypatch.setattr(exchange_dialogs.QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    dialog.open_button.click()
    assert opened and opened[0].toLocalFile() == str(out)


def test_a_second_export_into_the_same_folder_asks_first(window, qtbot, tmp_path, monkeypatch):
    from gridmap.gui import exchange_dialogs

    out = tmp_path / "out"
    out.mkdir()
    (out / "README.txt").write_text("an earlier export")
    asked = []

    def question(*args, **_kwargs):
        asked.append(args[2])
        return exchange_dialogs.QMessageBox.StandardButton.No
    monkeypatch.setattr(exchange_dialogs.QMessageBox, "question", question)
    dialog = ExportDialog(window.session, window)
    qtbot.addWidget(dialog)
    dialog.folder.setText(str(out))
    dialog.start()
    assert asked and "README.txt" in asked[0]
    assert dialog.job is None and (out / "README.txt").read_text() == "an earlier export"


def test_layer_names_are_in_the_interface_language(window, qtbot):
    dialog = ExportDialog(window.session, window)
    qtbot.addWidget(dialog)
    names = [dialog.layer.itemText(k) for k in range(dialog.layer.count())]
    assert "unit_grid" not in names and "Unit grids" in names
    assert dialog.layer.itemData(names.index("Unit grids")) == "unit_grid"


def test_the_progress_bar_moves_step_by_step_while_exporting(window, qtbot, tmp_path):
    dialog = ExportDialog(window.session, window)
    qtbot.addWidget(dialog)
    dialog.folder.setText(str(tmp_path / "out"))
    values = []
    dialog.progress.valueChanged.connect(values.append)
    dialog.start()
    with qtbot.waitSignal(dialog.job.done, timeout=60000):
        pass
    between = sorted({v for v in values if 0 < v < 100})
    assert len(between) >= 5, values  # real steps (the point writer's, each other layer), not empty then full
    assert values == sorted(values) and values[-1] == 100


def test_the_default_crs_says_what_geojson_writes(window, qtbot):
    dialog = ExportDialog(window.session, window)
    qtbot.addWidget(dialog)
    assert f"EPSG:{window.store.srid}" in dialog.crs.itemText(0)
    dialog.format.setCurrentIndex(dialog.format.findData("geojson"))
    assert "EPSG:4326" in dialog.crs.itemText(0) and str(window.store.srid) not in dialog.crs.itemText(0)
    assert dialog.crs.itemData(0) is None
    dialog.format.setCurrentIndex(dialog.format.findData("gpkg"))
    assert f"EPSG:{window.store.srid}" in dialog.crs.itemText(0)


def test_the_export_is_written_in_the_interface_language(window, qtbot, tmp_path, qapp):
    from gridmap.gui.i18n import install_translator

    assert install_translator(qapp, "zh_CN") == "zh_CN"
    try:
        dialog = ExportDialog(window.session, window)
        qtbot.addWidget(dialog)
        dialog.layer.setCurrentIndex(dialog.layer.findData("unit_grid"))
        dialog.folder.setText(str(tmp_path / "zh"))
        assert dialog.options().language == "zh_CN"
        dialog.start()
        with qtbot.waitSignal(dialog.job.done, timeout=60000):
            pass
    finally:
        install_translator(qapp, "en")
    assert "坐标参考系" in (tmp_path / "zh" / "README.txt").read_text(encoding="utf-8")
    assert ExportDialog(window.session, window).options().language == "en"


def test_import_takes_a_crs_definition_gb18030_zip_columns_and_repair_choices(window, qtbot, tmp_path, monkeypatch):
    from gridmap.gui import exchange_dialogs

    dialog = ImportDialog(window.session, window)
    qtbot.addWidget(dialog)
    assert dialog.encoding.findData("gb18030") >= 0
    proj = "+proj=tmerc +lat_0=0 +lon_0=111 +k=1 +x_0=500000 +y_0=0 +ellps=krass +towgs84=15,-130,-90,0,0,0,0"
    dialog.crs.setText(proj)
    dialog.x_field.setText("东坐标")
    dialog.y_field.setText("北坐标")
    dialog.explode.setChecked(True)
    dialog.lossy_repair.setChecked(True)
    options = dialog.options()
    assert options.crs == proj and (options.x, options.y) == ("东坐标", "北坐标")
    assert options.explode and options.lossy_repair and options.source_layer is None
    dialog.crs.setText("EPSG:4490")
    assert dialog.options().crs == "EPSG:4490"
    dialog.crs.setText("4490")
    assert dialog.options().crs == 4490
    assert ".prj" in dialog.crs.placeholderText()
    filters = []

    def open_name(_parent, _title, _folder, file_filter):
        filters.append(file_filter)
        return "", ""
    monkeypatch.setattr(exchange_dialogs.QFileDialog, "getOpenFileName", open_name)
    dialog._browse()
    assert "*.zip" in filters[0]


def test_import_offers_the_layers_of_a_file_with_several(window, qtbot, tmp_path):
    from gridmap.io.export import ExportOptions, export

    export(window.store, tmp_path, ExportOptions(format="gpkg"))  # components.gpkg: point, line, polygon layers
    dialog = ImportDialog(window.session, window)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.source_layer.isVisible()
    dialog.file.setText(str(tmp_path / "components.gpkg"))
    assert dialog.read_source_layers() == ["component_point", "component_line", "component_polygon"]
    assert dialog.source_layer.isVisible() and dialog.source_layer.count() == 4
    assert dialog.options().source_layer is None  # none chosen: gridmap's own export is read whole
    whole = dialog.run(dry_run=True)
    assert whole is not None and whole.errors == []
    dialog.source_layer.setCurrentIndex(dialog.source_layer.findData("component_line"))
    assert dialog.options().source_layer == "component_line"
    report = dialog.run(dry_run=True)
    lines = window.store.conn.execute("SELECT count(*) FROM component_line").fetchone()[0]
    assert report is not None and report.errors == [] and report.rows == lines < whole.rows
    dialog.file.setText(str(tmp_path / "fields.csv"))
    dialog.run(dry_run=True)  # a new file: its layers are read before the check
    assert dialog.source_layer.count() == 0 and not dialog.source_layer.isVisible()
