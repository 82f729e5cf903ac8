"""Issue 14: the support panel and the support sheet show the same three states — entitled,
forecast ("болжам"/"прогноз"), none (no amounts) —, the employer subsidy on its own line outside
the family's total, and ⚠ on amounts not confirmed by an official text; in kk and ru."""

from __future__ import annotations

from migreg_desktop.cases import cases
from migreg_desktop.eligibility import quotas
from migreg_desktop.forms import decision
from migreg_desktop.ui.panels.support import SupportPanel

FORECAST = {"kk": "болжам", "ru": "прогноз"}
EMPLOYER = {"kk": "жұмыс берушіге төленеді", "ru": "выплачивается работодателю"}
EMPLOYER_SUBSIDY = {"kk": "Жұмыс берушіге субсидия", "ru": "Субсидия работодателю"}


def _panel(qtbot, app_context, cid):  # noqa: ANN001, ANN202
    panel = SupportPanel(app_context)
    qtbot.addWidget(panel)
    panel.load_case(cid)
    return panel


def _rows(panel) -> dict[str, str]:  # noqa: ANN001
    out = {}
    for i in range(panel.form.rowCount()):
        label = panel.form.itemAt(i, panel.form.ItemRole.LabelRole)
        field = panel.form.itemAt(i, panel.form.ItemRole.FieldRole)
        span = panel.form.itemAt(i, panel.form.ItemRole.SpanningRole)
        key = (label or span).widget().text()
        out[key] = field.widget().text() if field else ""
    return out


def _after(rows: dict[str, str], heading: str) -> list[str]:
    keys = list(rows)
    start = next(i for i, k in enumerate(keys) if heading in k)
    return keys[start + 1:]


def _sheet(app_context, cid, lang):  # noqa: ANN001, ANN202
    with app_context.session() as s:
        return decision.support(cid, lang, session=s)


def test_forecast_with_employer_apart(qtbot, app_context, add_case, ui_lang):
    cid = add_case("resettler", has_job_offer=True)
    panel = _panel(qtbot, app_context, cid)
    assert panel.entitlement == "forecast" and FORECAST[ui_lang] in panel.state.text().lower()
    rows = _rows(panel)
    family_total = next(v for k, v in rows.items() if FORECAST[ui_lang] in k.lower())
    assert "9\xa0017\xa0625" in family_total  # 280 + 180 + 1625 MCI × 4,325 ₸: no employer money in it
    heading = next(k for k in rows if EMPLOYER[ui_lang] in k.lower())
    (employer,) = _after(rows, heading)  # on its own line, after the family's total
    assert EMPLOYER_SUBSIDY[ui_lang] in employer
    assert "1\xa0730\xa0000" in rows[employer] and "⚠" in rows[employer]
    assert sum("⚠" in v for v in rows.values()) == 3  # rent, certificate, employer subsidy (not confirmed)
    sheet = _sheet(app_context, cid, ui_lang)
    assert FORECAST[ui_lang] in sheet["title"].lower() and FORECAST[ui_lang] in sheet["total"].lower()
    assert "9\xa0017\xa0625" in sheet["total"]
    assert [r["amount"] for r in sheet["employer"]["rows"]] == ["1\xa0730\xa0000\xa0₸"]
    assert EMPLOYER[ui_lang] in sheet["h.employer"].lower()
    assert all(r["measure"].endswith("*") for r in sheet["employer"]["rows"])
    assert "*" in sheet["note"]
    assert panel.state.text().lower().startswith(sheet["s.entitlement"]["value"].lower()[:6])


def test_not_eligible_shows_no_amounts(qtbot, app_context, add_case, ui_lang):
    cid = add_case("kandas", destination_kato="750000000")  # Almaty city: not designated
    panel = _panel(qtbot, app_context, cid)
    assert panel.entitlement == "none" and panel.form.rowCount() == 0
    assert "₸" not in panel.state.text() and panel.state.text()
    sheet = _sheet(app_context, cid, ui_lang)
    assert "measures" not in sheet and "total" not in sheet and "employer" not in sheet
    assert sheet["pending"].lower().startswith(sheet["s.entitlement"]["value"].lower())


def test_entitled_after_inclusion(qtbot, app_context, add_case, ui_lang):
    cid = add_case("resettler")
    with app_context.work.for_actor("oblast").session() as s:
        quotas.allot(2026, "550000000", "resettler", "ALM-KNV", 10, session=s)
    with app_context.work.for_actor("tester").session() as s:
        quotas.reserve(cid, session=s)
    for status in ("submitted", "forwarded", "included"):
        with app_context.work.for_actor("tester").session() as s:
            cases.change_status(cid, status, session=s)
    panel = _panel(qtbot, app_context, cid)
    assert panel.entitlement == "entitled" and FORECAST[ui_lang] not in panel.state.text().lower()
    rows = _rows(panel)
    assert not any(EMPLOYER[ui_lang] in k.lower() for k in rows)  # no job offer: no employer subsidy
    assert any("9\xa0017\xa0625" in v for v in rows.values())
    sheet = _sheet(app_context, cid, ui_lang)
    assert FORECAST[ui_lang] not in sheet["title"].lower() + sheet["total"].lower()
    assert "employer" not in sheet
