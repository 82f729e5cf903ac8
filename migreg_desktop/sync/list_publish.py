"""Publishing a fixed settlement list in one step (Rules §6–8; issue 16 §4): the signed reference
package for every district and the documents (printable list, Labour Exchange workbook), under the
sync lock, all or nothing for the package. The documents are written by ``forms`` (a sibling
floor), so the door passes that writer in; the CLI and the window call this one function.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from sqlmodel import Session

from migreg_desktop.errors import UserError
from migreg_desktop.i18n import N_

WriteFiles = Callable[[int, Path, str, Session], list[str]]  # (year, folder, lang, session) → paths


def publish(year: int, out: Path, lang: str, *, session: Callable[[], AbstractContextManager[Session]],
            write_files: WriteFiles) -> dict[str, Any]:
    """``session`` opens the door's unit of work; the package is discarded if a document fails."""
    from migreg_desktop.department import settlement_desk
    from migreg_desktop.sync import jobs, refpack

    out = Path(out)
    if not out.is_dir():
        raise UserError(N_("folder {path} does not exist"), field="out", path=str(out))
    with jobs.office_lock():
        with session() as s:
            settlement_desk.require_oblast(session=s)
            settlement_desk.require_fixed(year, session=s)
            written = refpack.export_refdata(out / f"refdata-{year}.migreg", [], session=s)
            try:
                files = write_files(year, out, lang, s)
            except BaseException:
                written.discard()
                raise
        package = written.finish()
    return {"year": year, "refdata": package, "pdf": files[:2], "xlsx": files[2]}

