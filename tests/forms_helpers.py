"""Helpers shared by the forms tests: PDF text, fonts and page counts (poppler-utils), bulk cases."""

from __future__ import annotations

import subprocess
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text


def pdf_text(path: Path, first: int | None = None, last: int | None = None, raw: bool = False) -> str:
    """raw=True: content-stream order, so a table cell's wrapped lines come back one after the other."""
    cmd = ["pdftotext", "-enc", "UTF-8", "-raw" if raw else "-layout"]
    if first:
        cmd += ["-f", str(first)]
    if last:
        cmd += ["-l", str(last)]
    return subprocess.run([*cmd, str(path), "-"], check=True, capture_output=True, text=True).stdout


def pdf_fonts(path: Path) -> list[dict[str, str]]:
    out = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    rows = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        # name type encoding emb sub uni object ID: emb/sub/uni are the three yes/no before the id
        rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
    return rows


def pdf_pages(path: Path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")))


def bulk_cases(engine, n: int, office: str = "ALM-KNV", start: datetime | None = None,  # noqa: ANN001
               base: int = 0) -> None:
    """n cases in one transaction with raw inserts (a register needs many; the services are slow for that)."""
    start = start or datetime(2026, 3, 2, 5, 0, tzinfo=UTC)
    kinds = ("kandas", "resettler", "intra_oblast")
    statuses = ("draft", "submitted", "forwarded", "included", "refused")
    people, cases = [], []
    for i in range(base, base + n):
        pid, cid = str(uuid.uuid4()), str(uuid.uuid4())
        surname, name = ("Құрманғазы", "Әлия") if i % 2 else ("Сейітқали", "Дәурен")
        people.append({"id": pid, "surname": surname, "name": name, "iin": f"{850612000000 + i:012d}"})
        created = (start + timedelta(minutes=i - base)).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.000000")
        cases.append({"id": cid, "number": f"{office}-2026-{100000 + i:06d}", "office": office, "kind": kinds[i % 3],
                      "status": statuses[i % 5], "pid": pid, "iin": people[-1]["iin"],
                      "aname": f"{surname} {name} {i}", "fam": 1 + i % 4, "created": created})
    with engine.begin() as con:
        con.execute(text("INSERT INTO person (id, iin, surname, name, citizenship, version, base_version, updated_at)"
                         " VALUES (:id, :iin, :surname, :name, 'citizen', 1, 0, '2026-03-02 00:00:00')"), people)
        con.execute(text(
            "INSERT INTO cases (id, number, office_code, kind, status, applicant_id, origin_kato, destination_kato,"
            " quota_year, channel, has_job_offer, has_business_plan, applicant_iin, applicant_name, family_size,"
            " created_at, updated_at, version, base_version) VALUES (:id, :number, :office, :kind, :status, :pid,"
            " '194230100', '550000000', 2026, 'in_person', 0, 0, :iin, :aname, :fam, :created, :created, 1, 0)"), cases)
