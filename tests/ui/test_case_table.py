"""The case list model: SQL sort and filter, lazy pages, row refresh on change events."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from migreg_desktop.cases import cases
from migreg_desktop.cases.case_list import CaseFilter
from migreg_desktop.ui.case_table import COLUMNS, CaseTableModel, Col, Role

from .conftest import add_cases


@pytest.fixture
def model(qtbot: Any, app_context: Any, example_cases: list[str]) -> CaseTableModel:
    m = CaseTableModel(app_context)
    m.reload()
    return m


def test_model_passes_qtmodeltester(qtmodeltester: Any, model: CaseTableModel) -> None:
    qtmodeltester.check(model, force_py=True)


def test_every_column_sorts_in_sql(model: CaseTableModel, ui_lang: str) -> None:
    for col in Col:
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            model.sort(int(col), order)
            assert model.rowCount() == 3
            assert model.sort_key == COLUMNS[col]
    model.sort(int(Col.APPLICANT), Qt.SortOrder.AscendingOrder)
    names = [model.index(r, int(Col.APPLICANT)).data() for r in range(3)]
    assert names == sorted(names, key=str.casefold)


@pytest.mark.parametrize("query", ["ҚҰРМАНҒАЗЫ", "курманғазы", "Kurmangazy", "850612312344"])
def test_search_folds_case_and_kazakh_letters(model: CaseTableModel, query: str) -> None:
    model.set_filter(CaseFilter(search=query))
    assert model.rowCount() == 1
    assert "Құрманғазы" in model.index(0, int(Col.APPLICANT)).data()


def test_filters_by_kind_status_year_destination(model: CaseTableModel) -> None:
    model.set_filter(CaseFilter(kind="kandas"))
    assert model.rowCount() == 1
    model.set_filter(CaseFilter(status="draft", year=2026))
    assert model.rowCount() == 3
    model.set_filter(CaseFilter(destination="550000000"))  # Pavlodar region and below
    assert [model.index(r, 0).data(Role.CODE) for r in range(model.rowCount())] == ["ALM-KNV-2026-000002"]


def test_labels_follow_the_language(model: CaseTableModel) -> None:
    texts = {}
    for lang in ("kk", "ru", "en"):
        from migreg_desktop import i18n

        i18n.set_language(lang)
        model.refresh_texts()
        texts[lang] = (model.headerData(int(Col.NUMBER), Qt.Orientation.Horizontal),
                       model.index(2, int(Col.DESTINATION)).data())
    assert len({t[0] for t in texts.values()}) == 3
    assert texts["kk"][1] != texts["ru"][1]  # territory names in kk / ru


def test_status_change_refreshes_one_row(qtbot: Any, model: CaseTableModel, app_context: Any,
                                        example_cases: list[str]) -> None:
    row = model.row_of_case(example_cases[0])
    assert model.index(row, int(Col.STATUS)).data(Role.CODE) == "draft"
    with qtbot.waitSignal(model.dataChanged, timeout=2000):
        with app_context.work.for_actor("t").session() as s:
            cases.change_status(example_cases[0], "submitted", "documents complete", session=s)
    assert model.index(row, int(Col.STATUS)).data(Role.CODE) == "submitted"


def test_new_case_requeries_ids(qtbot: Any, model: CaseTableModel, app_context: Any) -> None:
    with app_context.work.for_actor("t").session() as s:
        cases.change_status(model.case_id(0), "withdrawn", None, session=s)  # frees the IIN
    with qtbot.waitSignal(model.modelReset, timeout=2000):
        add_cases(app_context, "intra_oblast")
    assert model.rowCount() == 4


def test_rows_are_fetched_by_page(app_context: Any, example_cases: list[str]) -> None:
    m = CaseTableModel(app_context)
    m.page_size = 1
    m.reload()
    assert not m._pages
    assert m.index(2, 0).data()
    assert list(m._pages) == [2]  # only the page of the row shown was read
