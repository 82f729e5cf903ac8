"""Edit the database inside a backup file (format 2: storage/backup_format.py), as someone who
rewrites a whole unencrypted backup could: unpack, run SQL, pack again. What such a file holds
must still be refused by restore's checks (schema, accounts), not only by the stream's."""

import sqlite3
from pathlib import Path

from migreg_desktop.storage import backup_format


def edit_backup(path: Path, statements: list[str]) -> None:
    inner = path.with_name(path.name + ".inner.sqlite3")
    with open(inner, "wb") as fh:
        backup_format.read(path, fh)
    con = sqlite3.connect(inner)
    try:
        for sql in statements:
            con.execute(sql)
        con.commit()
    finally:
        con.close()
    backup_format.write_file(inner, path)
    inner.unlink()
