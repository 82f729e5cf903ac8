"""Data of the decision sheet and of the support calculation from the real eligibility/support
services: the keys they return reach the form, the versions line is words, cells are never cut."""

from __future__ import annotations

import pytest
from reportlab.lib.units import mm

from migreg_desktop.forms import decision
from migreg_desktop.forms.layout import load_layout
from migreg_desktop.forms.text import ELLIPSIS, Measure, font_name
from migreg_desktop.i18n import translator


def _plain(text: str) -> str:
    return text.replace("\xa0", " ")


@pytest.mark.parametrize(("lang", "expected"), [
    ("ru", "Правила 2026.1 · справочные данные: регионы расселения 2026.1, МРП 2026.1, перечень населённых "
           "пунктов 2026.2"),
    ("kk", "Қағидалар 2026.1 · анықтамалық деректер: қоныстандыру өңірлері 2026.1, АЕК 2026.1, елді мекендер "
           "тізбесі 2026.2"),
])
def test_versions_line_is_localised_words(lang, expected):
    text = decision.versions_text("2026.1", "designated_regions=2026.1;mci=2026.1;settlement_list=2026.2",
                                  translator(lang))
    assert _plain(text) == expected
    assert "МРП\xa02026.1" in text or "АЕК\xa02026.1" in text  # a version never starts a line alone
    ru = translator("ru")
    assert decision.versions_text(None, "new_dataset=3", ru) == "Справочные данные: new dataset\xa03"
    assert decision.versions_text("2026.1", "", ru) == "Правила 2026.1"


# Issue 14 §3: from 1 January 2026 the certificate is a fixed 1,625 MCI (7,028,125 ₸), no longer
# "50 %, up to 4,200,000 ₸" (the 2024 figure): the old expectation printed a wrong amount.
@pytest.mark.parametrize(("lang", "code", "ceiling"), [("kk", "Әлеуметтік кодекс", "7 028 125 ₸"),
                                                        ("ru", "Социальный кодекс", "7 028 125 ₸")])
def test_support_rows_carry_reference_detail_and_amount(session, make_case, lang, code, ceiling):
    from migreg_desktop.cases.cases import register_case

    case = register_case(make_case("resettler"), session=session)
    rows = decision.support(case.id, lang, session=session)["measures"]["rows"]
    assert len(rows) == 3
    for row in rows:
        reference, detail = row["basis"].split("\n")
        assert reference == code and detail
        assert row["amount"] and row["amount"] != "—"
    relocation, _rent, certificate = rows
    assert _plain(relocation["amount"]) == "1 211 000 ₸" and relocation["mci"] == "280"
    assert _plain(certificate["mci"]) == "1 625" and _plain(certificate["amount"]) == ceiling


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_no_cell_of_decision_or_support_is_cut(session, make_case, lang):
    """What the renderer does with each cell (blocks._Table.cell_lines): no "…" for real data."""
    from migreg_desktop.cases.cases import register_case
    from migreg_desktop.eligibility.eligibility import check_case

    measure, font = Measure(), font_name("NotoSans-Regular.ttf")
    for kind in ("kandas", "resettler", "intra_oblast"):
        case = register_case(make_case(kind), session=session)
        check_case(case.id, session=session)
        for form, source in (("decision", "rules"), ("support", "measures")):
            data = getattr(decision, form)(case.id, lang, session=session)
            table = next(b for b in load_layout(form)["body"] if b.get("source") == source)
            if (kind, form) == ("intra_oblast", "support"):
                # Issue 14 §4: the Rules give intra-oblast movers no quota measures (the oblast's
                # list is empty by default): nothing to print, not the quota measures.
                assert source not in data and data["s.entitlement"]["value"]  # "not entitled", no table
                continue
            assert data[source]["rows"]
            for row in data[source]["rows"]:
                for col in table["columns"]:
                    width = col["width"] * mm - 2 * table.get("padding", 1.0) * mm
                    lines = measure.wrap(row[col["key"]], font, 8.5, width, col.get("max_lines", 3))
                    assert not lines[-1].endswith(ELLIPSIS), (kind, form, col["key"], row[col["key"]])
