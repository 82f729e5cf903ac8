"""Line breaking, the decision/support source, and the data functions' language."""

from __future__ import annotations

import pytest

from migreg_desktop.forms.text import Measure, font_name


def test_wrap_breaks_on_spaces_cuts_long_words_and_ellipsises():
    m, font = Measure(), font_name("NotoSans-Regular.ttf")
    lines = m.wrap("Алматы облысының жұмыспен қамтуды үйлестіру басқармасы", font, 9, 100)
    assert len(lines) > 1 and all(m.width(line, font, 9) <= 100 for line in lines)
    assert " ".join(lines) == "Алматы облысының жұмыспен қамтуды үйлестіру басқармасы"
    long = m.wrap("Ә" * 80, font, 9, 60)
    assert "".join(long) == "Ә" * 80 and all(m.width(line, font, 9) <= 60 for line in long)
    cut = m.wrap("бір екі үш төрт бес алты жеті сегіз тоғыз он", font, 9, 40, max_lines=2)
    assert len(cut) == 2 and cut[-1].endswith("…")


@pytest.fixture
def fake_eligibility(monkeypatch):  # noqa: ANN201
    """What the eligibility issue's services return (its CLI JSON shapes), installed for one test."""
    from migreg_desktop.eligibility import eligibility, support

    monkeypatch.setattr(eligibility, "latest", lambda case_id, *, session: {
        "verdict": "not_eligible", "eligible": False, "checked_at": "2026-03-02T10:15:00",
        "rules_version": "2026.1", "reference_version": "territories=2026.1",
        "rules": [{"rule": "region_designated", "result": "ok", "reason": "Павлодарская область в перечне",
                   "reference": "Пост. № 83"},
                  {"rule": "quota_room", "result": "fail", "reason": "мест нет", "reference": "п. 2.6 Правил"}]})
    monkeypatch.setattr(support, "case_support", lambda case_id, *, session, lang=None: {
        "year": 2026, "mci": 4325, "total_tenge": 1470500,
        "measures": [{"measure": "relocation", "name": "Субсидия на переезд", "basis": "70 МРП × 4",
                      "mci": 280, "tenge": 1211000},
                     {"measure": "rent", "name": "Наём жилья", "basis": "15 МРП × 4 мес.", "mci": 60, "tenge": 259500}]})


def test_decision_sheet_and_support_use_the_eligibility_services_when_present(session, make_case, fake_eligibility):
    from migreg_desktop.cases.cases import register_case
    from migreg_desktop.forms import decision

    case = register_case(make_case("resettler"), session=session)
    sheet = decision.decision(case.id, "ru", session=session)
    assert sheet["verdict"] == "Решение: не имеет права на участие"
    rows = list(sheet["rules"]["rows"])
    assert [r["result"] for r in rows] == ["выполнено", "не выполнено"] and rows[1]["reference"] == "п. 2.6 Правил"
    calc = decision.support(case.id, "kk", session=session)
    members = calc["members"]["rows"]
    assert len(members) == 4 and members[0]["mci"] == "70"
    assert members[0]["amount"].replace("\xa0", " ") == "302 750 ₸"
    assert calc["total"].startswith("Отбасына барлығы (болжам):") and "1\xa0470\xa0500" in calc["total"]


def test_a_case_never_checked_says_not_checked_yet(session, make_case):
    from migreg_desktop.cases.cases import register_case
    from migreg_desktop.forms import decision

    case = register_case(make_case("kandas"), session=session)
    assert "ещё не проверено" in decision.decision(case.id, "ru", session=session)["verdict"]


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_data_is_localised_and_leaves_the_window_language_alone(session, make_case, lang):
    from migreg_desktop import i18n
    from migreg_desktop.cases.cases import register_case
    from migreg_desktop.forms import application

    case = register_case(make_case("intra_oblast"), session=session)
    i18n.set_language("en")
    data = application.application_intra_oblast(case.id, lang, session=session)
    assert i18n.current_language() == "en"
    expected = {"kk": "Облыс ішіндегі қоныс аудару туралы өтініш", "ru": "Заявление о внутриобластном переселении"}
    assert data["title"] == expected[lang]
    assert data["m.destination"]["value"].startswith("Қонаев" if lang == "kk" else "город Конаев")
    assert data["c.housing"]["value"] in ("мемлекеттік қордан тұрғын үй", "жильё из государственного фонда")


def test_decision_source_reads_the_stored_decision(session, make_case):
    from migreg_desktop.cases.cases import register_case
    from migreg_desktop.eligibility.eligibility import check_case
    from migreg_desktop.forms import decision_source

    case = register_case(make_case("kandas"), session=session)
    assert decision_source.latest_decision(case.id, "ru", session=session) is None  # never checked
    check_case(case.id, session=session)
    found = decision_source.latest_decision(case.id, "ru", session=session)
    assert found is not None and found["verdict"] in ("eligible", "not_eligible", "needs_check")
    assert found["rules"] and all(r["reason"] for r in found["rules"])


def test_measured_widths_are_reportlabs_to_the_last_bit():
    """forms/text.Measure sums the font's advance widths itself (issue 17 §6): the same float as
    ReportLab's stringWidth, or wrapping would change; Kazakh letters and glyphs the font lacks too."""
    from hypothesis import given, settings
    from hypothesis import strategies as st
    from reportlab.pdfbase import pdfmetrics

    from migreg_desktop.forms.text import Measure, font_name

    fonts = [font_name("NotoSans-Regular.ttf"), font_name("NotoSans-Bold.ttf"), "Helvetica"]

    @settings(max_examples=200, deadline=None)
    @given(st.text(alphabet=st.sampled_from("ӘәҒғҚқҢңӨөҰұҮүҺһІі Құрманғазы ALM-0123456789.,⸻€\u4e00"), max_size=40),
           st.sampled_from(fonts), st.sampled_from([7.5, 8.5, 10.5]))
    def same(text, font, size):
        assert Measure().width(text, font, size) == pdfmetrics.stringWidth(text, font, size)

    same()
