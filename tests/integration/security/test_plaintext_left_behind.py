"""Issue 12 §8: no plain personal data left behind. Temporary files live in one private folder
per process (swept after a kill), print previews stay out of the shared system temp folder, and
exports are owner-only."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from migreg_desktop import paths
from migreg_desktop.storage import privacy
from tests.conftest import EXAMPLES
from tests.snapshots import made_by_commands
from tests.unit.sync.kit import add_case, setup_office, trust_each_other

ROOT = Path(__file__).resolve().parents[3]
PLAIN = "Омаров Ерлан 850101300123"

# A decrypting import, as the sync importer does it (sync/package.temp_file), killed mid-way.
CHILD = textwrap.dedent("""
    import sys, time
    from migreg_desktop import paths
    from migreg_desktop.sync import package
    paths.set_data_dir(sys.argv[1])
    with package.temp_file(".zip") as inner:
        inner.write_text(sys.argv[2], encoding="utf-8")
        print(inner, flush=True)
        time.sleep(60)  # the parent kills us here
""")

posix_only = pytest.mark.skipif(os.name != "posix", reason="SIGKILL and POSIX modes")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@contextmanager
def _umask(mask: int) -> Iterator[None]:
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def _run_killed_child(data_dir: Path) -> Path:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(data_dir), PLAIN],
                             cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    try:
        left = Path(child.stdout.readline().strip())
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        child.kill()
        child.stdout.close()
    return left


@posix_only
def test_temp_files_of_a_killed_process_are_swept_at_the_next_start(cli, data_dir):
    assert cli("init", "--office", "ALM-KNV").code == 0
    left = _run_killed_child(data_dir)
    assert left.read_text(encoding="utf-8") == PLAIN  # the kill left it
    assert (data_dir / "tmp") in left.parents
    modes = _mode(left.parent), _mode(left)

    assert cli("case", "list").code == 0  # the next start

    assert not any(PLAIN in p.read_text(encoding="utf-8", errors="replace")
                   for p in (data_dir / "tmp").rglob("*") if p.is_file())
    assert not left.parent.exists()
    assert left.parent.parent == data_dir / "tmp"  # the process's own folder
    assert modes == (0o700, 0o600)


def test_temp_folder_of_a_live_process_is_kept(data_dir):
    mine = privacy.temp_path(".zip")
    mine.write_text(PLAIN, encoding="utf-8")
    assert privacy.sweep_temp() == []  # ours: alive
    assert mine.parent.parent == paths.data_dir() / "tmp" and mine.exists()


def test_temp_folder_goes_when_the_process_exits(data_dir):
    code = ("import sys; from migreg_desktop import paths; from migreg_desktop.storage import privacy; "
            "paths.set_data_dir(sys.argv[1]); p = privacy.temp_path('.pdf'); p.write_text(sys.argv[2]); print(p)")
    done = subprocess.run([sys.executable, "-c", code, str(data_dir), PLAIN], cwd=ROOT, capture_output=True,
                          text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=60, check=True)
    left = Path(done.stdout.strip())
    assert left.parent.parent == data_dir / "tmp"
    assert not left.parent.exists()  # removed at exit (atexit), no sweep needed


def test_print_preview_is_not_written_to_the_system_temp_folder(qtbot, app_context):
    from migreg_desktop.cases import cases
    from migreg_desktop.ui.print_dialog import PrintDialog
    from tests.conftest import example_case

    with app_context.session() as session:
        case_id = cases.register_case(example_case("resettler"), session=session).id
    dialog = PrintDialog(app_context, case_id, form="receipt")
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.preview.path is not None, timeout=30000)  # rendered on the runner
    preview = Path(dialog.preview.path)
    assert preview.exists()
    system_tmp = Path(tempfile.gettempdir()).resolve()
    assert (paths.data_dir() / "tmp") in preview.resolve().parents
    assert system_tmp not in preview.resolve().parents or system_tmp in paths.data_dir().parents
    dialog.close()


# ---- exports are owner-only -------------------------------------------------------------

def _admin_and_a_case(cli, env):  # noqa: ANN001, ANN202
    assert cli("init", "--office", "ALM-KNV").code == 0
    env.setenv("MIGREG_PASSWORD", "admin-pass-1")
    assert cli("user", "add", "boss", "--role", "admin").code == 0
    env.setenv("MIGREG_USER", "boss")
    assert cli("case", "add", "--file", str(EXAMPLES / "case-kandas.json")).code == 0


@pytest.fixture
def office(capsys, data_dir, monkeypatch, tmp_path_factory):
    """An admin 'boss' (the CLI acts as boss) and a case (made once per process, copied)."""
    made_by_commands("plaintext-office", _admin_and_a_case, capsys, data_dir, monkeypatch, tmp_path_factory)
    monkeypatch.setenv("MIGREG_PASSWORD", "admin-pass-1")
    monkeypatch.setenv("MIGREG_USER", "boss")
    return monkeypatch


@posix_only
@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_audit_export_is_owner_only(cli, office, tmp_path, suffix):
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / f"audit.{suffix}"
    out.write_text("old")
    out.chmod(0o644)  # even over a file that was readable by others
    with _umask(0o022):
        result = cli("audit", "export", "--out", str(out), "--json")
    assert result.code == 0, result.err
    assert _mode(out) == 0o600
    assert result.json["rows"] > 0
    assert [p.name for p in out.parent.iterdir()] == [out.name]  # no partial left


@posix_only
def test_database_backup_to_a_file_is_owner_only(cli, office, tmp_path):
    out = tmp_path / "copy.sqlite3"
    assert cli("backup", "--out", str(out)).code == 0
    assert _mode(out) == 0o600


@posix_only
def test_form_pdf_is_owner_only(cli, office, tmp_path):
    case = cli("case", "list", "--json").json[0]
    out = tmp_path / "receipt.pdf"
    with _umask(0o022):
        result = cli("form", "receipt", case["number"], "--out", str(out), lang="ru")
    assert result.code == 0, result.err
    assert _mode(out) == 0o600


@posix_only
def test_package_export_is_owner_only(tmp_path, capsys):
    district = setup_office(tmp_path, "ALM-KNV", capsys)
    trust_each_other(district, setup_office(tmp_path, "ALM-OBL", capsys), tmp_path)
    add_case(district, tmp_path, 1)
    out = tmp_path / "p1.migreg"
    with _umask(0o022):
        district.ok("export", "--to", "ALM-OBL", "--out", str(out))
    assert _mode(out) == 0o600
