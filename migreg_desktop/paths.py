"""The one place that knows where things live.

Data dir: ``--data-dir`` first, then ``MIGREG_DATA_DIR``, then the platform's user data dir.
Resources: the checkout's ``resources/`` when running from source, else the installed package.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

from migreg_desktop import APP_NAME

_data_dir_override: Path | None = None


def set_data_dir(path: str | os.PathLike[str] | None) -> None:
    global _data_dir_override
    _data_dir_override = Path(path).expanduser().resolve() if path else None


def data_dir(create: bool = True) -> Path:
    if _data_dir_override is not None:
        path = _data_dir_override
    elif os.environ.get("MIGREG_DATA_DIR"):
        path = Path(os.environ["MIGREG_DATA_DIR"]).expanduser().resolve()
    else:
        path = Path(user_data_dir(APP_NAME, appauthor=False))
    if create:
        make_private_dir(path)
    return path


def make_private_dir(path: Path) -> None:
    """Create a directory readable by its owner only (personal data lives here)."""
    path.mkdir(parents=True, exist_ok=True)
    try:
        path.chmod(0o700)
    except (NotImplementedError, PermissionError, OSError):  # Windows ACLs: inherited from the profile
        pass


def db_path() -> Path:
    return data_dir() / "migreg.sqlite3"


def settings_path() -> Path:
    return data_dir() / "settings.json"


def backups_dir() -> Path:
    path = data_dir() / "backups"
    make_private_dir(path)
    return path


def log_dir() -> Path:
    path = data_dir() / "logs"
    make_private_dir(path)
    return path


def resources_dir() -> Path:
    checkout = Path(__file__).resolve().parent.parent / "resources"
    if (checkout / "refdata").is_dir():
        return checkout
    from importlib.resources import files

    return Path(str(files("migreg_desktop.resources")))


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
