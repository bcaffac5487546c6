"""Notice-board posters (issue 16): one PDF page per responsibility grid, checked by page count and by the
text read back from the PDF (Chinese included)."""

import unicodedata

import pytest
from pypdf import PdfReader

from gridmap.gui.posters import PosterError, make_posters
from gridmap.store import open_store
from gridmap.store.notice_boards import notice_boards
from tests.cli.test_cli import gridmap

#: Qt's PDF writer maps some CJK glyphs back to their radical forms (长 → ⻓, 民 → ⺠): what a reader copying
#: the text gets; printed, they are the same glyph. NFKC folds the Kangxi radicals, this the supplement.
RADICALS = str.maketrans("⻓⺠⻔⻜⻢⻛⻆⻄⻅⻋⻙⻘⻝⻥",
                         "长民门飞马风角西见车韦青食鱼")
RADICALS.update(str.maketrans("⻦⻨⻩⻬⻮⻰⻳⺟⺬⺮⻚⻉⻈", "鸟麦黄齐齿龙龟母示竹页贝讠"))


def page_texts(path):
    return [unicodedata.normalize("NFKC", "".join(page.extract_text().split())).translate(RADICALS)
            for page in PdfReader(str(path)).pages]


def test_one_page_per_grid_with_its_people_and_numbers(qapp, small_demo, tmp_path):
    with open_store(small_demo) as store:
        boards = notice_boards(store)
        result = make_posters(store, tmp_path, size="A4")
    assert result.pages == len(boards) and result.path.name == "notice-boards.pdf"
    texts = page_texts(result.path)
    assert len(texts) == len(boards)
    for board, text in zip(boards, texts, strict=True):
        assert board.code in text and board.name in text
        for name, phone in board.supervisors:
            assert name in text and phone in text
        leaders = [(n, p) for _grid, role, n, p in board.roster if role == "grid_leader"]
        assert leaders and all(n in text and p in text for n, p in leaders)
        assert f"{board.unit_grids}" in text and f"{board.components}" in text
    reader = PdfReader(str(result.path))
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert abs(width / 72 * 25.4 - 210) < 1 and abs(height / 72 * 25.4 - 297) < 1  # A4 portrait


def test_the_cli_prints_chosen_grids_on_a3(small_demo, tmp_path):
    with open_store(small_demo) as store:
        codes = [b.code for b in notice_boards(store)][:2]
    done = gridmap("poster", small_demo, tmp_path, "--grid", codes[0], "--grid", codes[1], "--size", "A3")
    assert done.returncode == 0, done.stderr
    assert "wrote 2 page(s) (A3)" in done.stdout
    texts = page_texts(tmp_path / "notice-boards.pdf")
    assert len(texts) == 2 and codes[0] in texts[0] and codes[1] in texts[1]
    assert "网格公示牌" in texts[0]  # the default language of a notice board is Chinese
    english = gridmap("poster", small_demo, tmp_path / "en", "--grid", codes[0], "--lang", "en")
    assert english.returncode == 0 and "Gridnoticeboard" in page_texts(tmp_path / "en" / "notice-boards.pdf")[0]
    unknown = gridmap("poster", small_demo, tmp_path / "x", "--grid", "NOPE")
    assert unknown.returncode == 2 and "no responsibility grid NOPE" in unknown.stderr
    assert not (tmp_path / "x" / "notice-boards.pdf").exists()


def test_an_unknown_size_is_refused(qapp, small_demo, tmp_path):
    with open_store(small_demo) as store, pytest.raises(PosterError, match="size must be one of"):
        make_posters(store, tmp_path, size="B5")


def test_the_desktop_prints_them_from_the_file_menu(window, tmp_path, monkeypatch):
    monkeypatch.setattr("qgis.PyQt.QtWidgets.QInputDialog.getItem", lambda *a, **k: ("A4", True))
    monkeypatch.setattr("qgis.PyQt.QtWidgets.QFileDialog.getExistingDirectory", lambda *a, **k: str(tmp_path))
    shown = []
    monkeypatch.setattr("qgis.PyQt.QtWidgets.QMessageBox.information", lambda *a: shown.append(a[2]))
    window.workspace.action_posters.trigger()
    assert (tmp_path / "notice-boards.pdf").is_file() and "page(s) written" in shown[0]
