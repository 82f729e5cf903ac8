"""One form for many selected cases in one PDF (issue 15, forms.batch.render_cases)."""

from __future__ import annotations

import subprocess

import pytest
from sqlalchemy import text

from migreg_desktop.errors import Cancelled, UserError
from migreg_desktop.forms.batch import APPLICATION, audit_printed, batch_forms, render_cases
from migreg_desktop.storage.db import make_engine, session_scope


@pytest.fixture
def engine(printed, data_dir):  # noqa: ANN001, ANN201
    from migreg_desktop.paths import db_path

    eng = make_engine(db_path())
    yield eng
    eng.dispose()


def _prints(engine) -> list[tuple[str, str]]:  # noqa: ANN001
    with engine.connect() as con:
        rows = con.execute(text("SELECT entity_id, changes FROM audit_entry WHERE action = 'print' ORDER BY id")).all()
    return [(r[0], r[1]) for r in rows]


def test_both_languages_every_case_one_pdf_audited_per_case(engine, printed, tmp_path):  # noqa: ANN001
    out = tmp_path / "receipts.pdf"
    seen = []
    with session_scope(engine, actor="tester") as s:
        result = render_cases("receipt", list(printed.values()), "both", out, session=s,
                              progress=lambda d, t: seen.append((d, t)), output="file")
    assert result["cases"] == 3 and seen[-1] == (3, 3)
    text_ = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert all(n in text_ for n in printed.values())
    assert all(text_.count(n) >= 2 for n in printed.values())  # a kk and a ru copy of each
    prints = _prints(engine)
    assert len(prints) == 3 and all('"output": [null, "file"]' in c and '"lang": [null, "both"]' in c for _, c in prints)


def test_the_application_is_each_cases_own_form(engine, printed, tmp_path):  # noqa: ANN001
    with session_scope(engine, actor="tester") as s:
        render_cases(APPLICATION, list(printed.values()), "ru", tmp_path / "a.pdf", session=s, output="printer")
    forms = sorted(c.split('"form": [null, "')[1].split('"')[0] for _, c in _prints(engine))
    assert forms == ["application_intra_oblast", "application_kandas", "application_resettler"]


def test_cancel_leaves_no_file_and_no_audit(engine, printed, tmp_path):  # noqa: ANN001
    out = tmp_path / "cancelled.pdf"
    with pytest.raises(Cancelled), session_scope(engine, actor="tester") as s:
        render_cases("decision", list(printed.values()), "kk", out, session=s, cancelled=lambda: True, output="file")
    assert not out.exists() and list(tmp_path.glob("*.pdf*")) == list(tmp_path.glob(".*")) == [] and _prints(engine) == []


def test_a_preview_is_audited_only_when_printed(engine, printed, tmp_path):  # noqa: ANN001
    with session_scope(engine, actor="tester") as s:
        render_cases(APPLICATION, list(printed.values()), "kk", tmp_path / "p.pdf", session=s)
    assert _prints(engine) == []
    with session_scope(engine, actor="tester") as s:
        assert audit_printed(APPLICATION, list(printed.values()), "kk", "printer", session=s) == 3
    assert len(_prints(engine)) == 3


def test_bad_input(engine, printed, tmp_path):  # noqa: ANN001
    with session_scope(engine, actor="tester") as s:
        with pytest.raises(UserError):
            render_cases("receipt", [], "kk", tmp_path / "x.pdf", session=s)
        with pytest.raises(UserError):
            render_cases("no_such_form", list(printed.values()), "kk", tmp_path / "x.pdf", session=s)
        with pytest.raises(UserError):  # a kandas form for a resettler case: named, nothing written
            render_cases("application_kandas", [printed["resettler"]], "kk", tmp_path / "x.pdf", session=s)
    assert list(tmp_path.glob("*.pdf*")) == list(tmp_path.glob(".*")) == []


def test_forms_offered_for_a_selection():
    names = [n for n, _t in batch_forms({"kandas", "resettler"})]
    assert names[0] == APPLICATION and "application_kandas" not in names and "receipt" in names
    assert [n for n, _t in batch_forms({"kandas"})][0] == "application_kandas"
