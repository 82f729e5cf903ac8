"""Bad input → exit 2, a clear message, no file (not even half-written), the database unchanged."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ...conftest import count_rows

TABLES = ("cases", "person", "audit_entry", "status_change")
ROOT = Path(__file__).resolve().parents[3]


def _rows(data_dir: Path) -> dict[str, int]:
    from migreg_desktop.storage.db import make_engine

    engine = make_engine(data_dir / "migreg.sqlite3")
    try:
        return count_rows(engine, *TABLES)
    finally:
        engine.dispose()


@pytest.mark.parametrize("args, needle", [
    (["form", "nosuch", "{kandas}", "--lang", "ru"], "nosuch"),
    (["form", "receipt", "ALM-KNV-2026-999999", "--lang", "ru"], "ALM-KNV-2026-999999"),
    (["form", "register", "{kandas}", "--lang", "ru"], "migreg register"),
    (["form", "receipt", "{kandas}", "--lang", "en"], "kk"),
    (["register", "--office", "ALM-NOPE", "--from", "2026-01-01", "--to", "2026-12-31", "--lang", "kk"], "ALM-NOPE"),
    (["register", "--office", "ALM-KNV", "--from", "2026-02-30", "--to", "2026-12-31", "--lang", "kk"], "2026-02-30"),
    (["register", "--office", "ALM-KNV", "--from", "2026-12-31", "--to", "2026-01-01", "--lang", "ru"], "2026-01-01"),
])
def test_bad_input_exits_2_and_writes_nothing(cli, printed, data_dir, tmp_path, args, needle):
    before = _rows(data_dir)
    out = tmp_path / "out.pdf"
    args = [a.format(**printed) for a in args]
    result = cli(*args, "--out", str(out), "--json")
    assert result.code == 2, result.err
    assert needle in result.err and result.json["error"]["message"]
    assert not out.exists() and not list(tmp_path.glob("*.part"))
    assert _rows(data_dir) == before


def test_unwritable_output_path(cli, printed, tmp_path):
    missing = tmp_path / "no-such-folder" / "x.pdf"
    result = cli("form", "receipt", printed["kandas"], "--lang", "kk", "--out", str(missing))
    assert result.code == 2 and "no-such-folder" in result.err


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root (and Windows ACLs) write anywhere")
def test_read_only_output_folder(cli, printed, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    result = cli("form", "receipt", printed["kandas"], "--lang", "kk", "--out", str(locked / "x.pdf"))
    assert result.code == 2 and not list(locked.iterdir())


def test_layout_failing_its_schema_is_refused(cli, printed, data_dir, tmp_path):
    """An office's own layout (data dir/forms/NAME.json) wins over the shipped one, once valid."""
    from migreg_desktop.paths import resource

    custom = data_dir / "forms"
    custom.mkdir()
    layout = json.loads(resource("forms", "receipt.json").read_text(encoding="utf-8"))
    layout["body"][0]["style"] = "no_such_style"
    (custom / "receipt.json").write_text(json.dumps(layout), encoding="utf-8")
    out = tmp_path / "x.pdf"
    result = cli("form", "receipt", printed["kandas"], "--lang", "ru", "--out", str(out))
    assert result.code == 2 and "no_such_style" in result.err and not out.exists()
    layout["body"][0]["style"] = "title"
    layout["frame"]["top"] = "thirty"
    (custom / "receipt.json").write_text(json.dumps(layout), encoding="utf-8")
    result = cli("form", "receipt", printed["kandas"], "--lang", "ru", "--out", str(out))
    assert result.code == 2 and "frame/top" in result.err and not out.exists()
    layout["frame"]["top"] = 40
    (custom / "receipt.json").write_text(json.dumps(layout), encoding="utf-8")
    assert cli("form", "receipt", printed["kandas"], "--lang", "ru", "--out", str(out)).code == 0


def test_failure_while_drawing_leaves_no_partial_file(engine, session, make_case, tmp_path, monkeypatch):
    from migreg_desktop import forms
    from migreg_desktop.cases.cases import register_case
    from migreg_desktop.forms import blocks

    case = register_case(make_case("kandas"), session=session)
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "x.pdf"

    def boom(r, block):  # noqa: ANN001
        raise RuntimeError("disk full")

    monkeypatch.setitem(blocks.DRAW, "signatures", boom)
    with pytest.raises(RuntimeError):
        forms.render_form("application_kandas", case.id, "kk", out, session=session)
    assert list(folder.iterdir()) == []


@pytest.mark.slow
def test_cli_in_a_subprocess(printed, data_dir, tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = tmp_path / "s.pdf"
    base = [sys.executable, "-m", "migreg_desktop", "--data-dir", str(data_dir)]
    ok = subprocess.run([*base, "form", "receipt", printed["resettler"], "--lang", "kk", "--out", str(out)],
                        cwd=ROOT, env=env, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert out.read_bytes().startswith(b"%PDF")
    bad = subprocess.run([*base, "form", "nosuch", printed["resettler"], "--lang", "ru", "--out", str(out)],
                         cwd=ROOT, env=env, capture_output=True, text=True)
    assert bad.returncode == 2 and "nosuch" in bad.stderr
