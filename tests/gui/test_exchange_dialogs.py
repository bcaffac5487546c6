"""The export and import wizards on a real window: background export with progress, check-then-import."""

from gridmap.gui.exchange_dialogs import ExportDialog, ImportDialog


def test_export_runs_in_the_background_and_reports(window, qtbot, tmp_path):
    dialog = ExportDialog(window)
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
    dialog = ExportDialog(window)
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
    dialog = ImportDialog(window)
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

    dialog = ExportDialog(window)
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
    dialog = ExportDialog(window)
    qtbot.addWidget(dialog)
    dialog.folder.setText(str(out))
    dialog.start()
    assert asked and "README.txt" in asked[0]
    assert dialog.job is None and (out / "README.txt").read_text() == "an earlier export"


def test_layer_names_are_in_the_interface_language(window, qtbot):
    dialog = ExportDialog(window)
    qtbot.addWidget(dialog)
    names = [dialog.layer.itemText(k) for k in range(dialog.layer.count())]
    assert "unit_grid" not in names and "Unit grids" in names
    assert dialog.layer.itemData(names.index("Unit grids")) == "unit_grid"
