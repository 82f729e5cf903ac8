"""The wheel carries what the program needs at run time (installed, not run from a checkout)."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_wheel_contains_resources_migrations_and_entry_points(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                    str(ROOT), "-w", str(tmp_path)], check=True, capture_output=True, timeout=300)
    wheel = next(tmp_path.glob("migreg_desktop-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("migreg_desktop/resources/refdata/territories.json",
                   "migreg_desktop/resources/fonts/NotoSans-Regular.ttf",
                   "migreg_desktop/resources/i18n/kk/LC_MESSAGES/core.mo",
                   "migreg_desktop/resources/i18n/ru/LC_MESSAGES/core.mo",
                   "migreg_desktop/migrations/env.py",
                   "migreg_desktop/migrations/versions/0001_foundation.py"):
        assert needed in names, needed
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "migreg = migreg_desktop.cli:run" in text and "migreg-desktop = migreg_desktop.app:main" in text
