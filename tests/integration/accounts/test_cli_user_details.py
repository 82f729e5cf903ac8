"""Issue 14: `user add --full-name --position`, `user edit`; the printed papers and the decision
sheet name clerks by full name and position, never by login; the sheet carries the issuing body,
an outgoing number and date, the stamp place, the appeal route (⚠ → "*") and the Rules in full."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from tests.conftest import EXAMPLES, cli_in
from tests.forms_helpers import pdf_text
from tests.snapshots import copied

PW = "admin-pass-1"


@pytest.fixture
def office(capsys, data_dir, monkeypatch, tmp_path_factory):  # noqa: ANN001, ANN201
    """The admin 'boss' with a full name and position; the CLI acts as boss. Made by these
    commands once per test process and copied into the test's data dir (tests/snapshots.py)."""
    def build(root):  # noqa: ANN001, ANN202
        cli = cli_in(capsys, root / data_dir.name)
        with monkeypatch.context() as m:
            assert cli("init", "--office", "ALM-KNV").code == 0
            m.setenv("MIGREG_PASSWORD", PW)
            added = cli("user", "add", "boss", "--role", "admin", "--full-name", "Сейітқалиева Әлия Маратқызы",
                        "--position", "бас маман", "--json")
            assert added.code == 0 and added.json["display_name"] == "Сейітқалиева Әлия Маратқызы, бас маман"

    copied("cli-user-details-office", build, data_dir.parent, tmp_path_factory)
    monkeypatch.setenv("MIGREG_PASSWORD", PW)
    monkeypatch.setenv("MIGREG_USER", "boss")
    return monkeypatch


def test_user_edit(cli, office):
    edited = cli("user", "edit", "boss", "--position", "басшы", "--json")
    assert edited.code == 0 and edited.json["position"] == "басшы"
    assert edited.json["full_name"] == "Сейітқалиева Әлия Маратқызы"  # left as it was
    nothing = cli("user", "edit", "boss", "--json")
    assert nothing.code == 2 and "nothing to change" in nothing.json["error"]["message"]
    bad = cli("user", "edit", "boss", "--full-name", "x\x1b[2J", "--json")
    assert bad.code == 2
    assert cli("user", "list", "--json").json[0]["display_name"] == "Сейітқалиева Әлия Маратқызы, басшы"
    entries = cli("audit", "list", "--action", "account_details", "--json").json
    assert entries and entries[0]["changes"]["position"] == ["бас маман", "басшы"]


@pytest.mark.parametrize(("lang", "words"), [
    ("kk", ("Алматы облысының жұмыспен қамтуды үйлестіру және әлеуметтік бағдарламалар басқармасы*",
            "Шығыс № ALM-KNV-2026-000001/{seq}, ", "Қатысу құқығы туралы шешім", "Лауазымды тұлға",
            "Сейітқалиева Әлия Маратқызы, бас маман", "М.О.", "Шағымдану тәртібі:", "содан кейін сотқа",
            "2024 жылғы 29 наурыздағы № 18-85 шешімімен бекітілген", "Құжаттар толық және жарамды")),
    ("ru", ("Управление координации занятости и социальных программ Алматинской области*",
            "Исх. № ALM-KNV-2026-000001/{seq} от ", "Решение о праве на участие", "Должностное лицо",
            "Сейітқалиева Әлия Маратқызы, бас маман", "М.П.", "Порядок обжалования:", "затем в суде.*",
            "от 29 марта 2024 года № 18-85", "Документы полные и действительные")),
])
def test_decision_sheet_an_office_can_sign(cli, office, data_dir, tmp_path, lang, words):
    number = cli("case", "add", "--file", str(EXAMPLES / "case-resettler.json"), "--json").json["number"]
    assert cli("check", number, "--json").code in (0, 1)
    out = tmp_path / "decision.pdf"
    assert cli("form", "decision", number, "--lang", lang, "--out", str(out)).code == 0
    text = " ".join(pdf_text(out, raw=True).split())
    with sqlite3.connect(data_dir / "migreg.sqlite3") as con:  # the decision's place in the case's history
        seq = con.execute("SELECT count(*) FROM eligibility_decision").fetchone()[0]
    day = date.today().strftime("%d.%m.%Y")
    for w in words:
        assert w.format(seq=seq) + (day if "{seq}" in w else "") in text, w
    assert "boss" not in text  # never the login
    assert "documents_valid" not in text and "applicant_of_age" not in text  # every rule in words
    slip = tmp_path / "slip.pdf"
    assert cli("form", "receipt", number, "--lang", lang, "--out", str(slip)).code == 0
    slip_text = " ".join(pdf_text(slip, raw=True).split())
    assert "Сейітқалиева Әлия Маратқызы, бас маман" in slip_text and "boss" not in slip_text
