"""`check`, `quota`, `settlements`, `support` end to end: JSON keys, exit codes, bad input."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.snapshots import copied

from ..conftest import EXAMPLES, cli_in, count_rows

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def office(capsys, data_dir, tmp_path_factory):
    """ALM-KNV with the three example cases (built once per process, copied: tests/snapshots.py)."""
    def build(root):
        run = cli_in(capsys, root / data_dir.name)
        assert run("init", "--office", "ALM-KNV").code == 0
        return {kind: run("case", "add", "--file", str(EXAMPLES / f"case-{kind}.json"), "--json").json["number"]
                for kind in ("resettler", "kandas", "intra_oblast")}

    return copied("cli-eligibility-office", build, data_dir.parent, tmp_path_factory)


def test_check_json_contract_and_exit_codes(cli, office):
    res = cli("check", office["resettler"], "--json")
    assert res.code == 1  # no allotment yet: not eligible
    doc = res.json
    assert {"case", "eligible", "rules", "rules_version", "reference_version"} <= set(doc)
    assert doc["case"] == office["resettler"] and doc["eligible"] is False
    assert [r["rule"] for r in doc["rules"]][0] == "iin_valid"
    assert all({"rule", "result", "reason", "reference"} <= set(r) for r in doc["rules"])
    cli("quota", "allot", "--year", "2026", "--region", "550000000", "--kind", "resettler", "--office", "ALM-KNV",
        "--slots", "10")
    assert cli("quota", "reserve", office["resettler"], "--json").code == 0
    ok = cli("check", office["resettler"], "--json", lang="kk")
    assert ok.code == 0 and ok.json["eligible"] is True
    history = cli("check", office["resettler"], "--history", "--json").json
    assert len(history) >= 3 and history[-1]["eligible"] is True


def test_quota_commands(cli, office):
    r = cli("quota", "set", "--year", "2026", "--region", "590000000", "--kind", "kandas", "--limit", "200",
            "--counting", "family", "--json")
    assert r.code == 0 and r.json["counting"] == "family"
    assert cli("quota", "allot", "--year", "2026", "--region", "590000000", "--kind", "kandas", "--office",
               "ALM-KNV", "--slots", "3", "--json").code == 0
    before = count_rows_cli(cli)
    no_room = cli("quota", "reserve", office["kandas"], "--json")  # family of 2 fits into 3
    assert no_room.code == 0 and no_room.json["persons"] == 2 and no_room.json["remaining"] == 1
    again = cli("quota", "reserve", office["kandas"], "--json")
    assert again.code == 2 and "already holds" in again.json["error"]["message"]
    shown = cli("quota", "show", "--year", "2026", "--json").json
    q = next(q for q in shown["quotas"] if q["region"] == "590000000" and q["kind"] == "kandas")
    assert {k: q[k] for k in ("limit", "allotted", "reserved", "remaining")} == \
        {"limit": 200, "allotted": 3, "reserved": 2, "remaining": 198}
    assert q["offices"][0] == {"office": "ALM-KNV", "slots": 3, "reserved": 2, "remaining": 1, "low": False}
    assert cli("quota", "release", office["kandas"], "--json").json["remaining"] == 3
    assert count_rows_cli(cli) == before + 2


def count_rows_cli(cli):
    from migreg_desktop import paths
    from migreg_desktop.storage.db import make_engine

    eng = make_engine(paths.db_path())
    try:
        return count_rows(eng, "quota_ledger")["quota_ledger"]
    finally:
        eng.dispose()


def test_quota_no_room_exit_1(cli, office):
    cli("quota", "set", "--year", "2026", "--region", "550000000", "--kind", "resettler", "--limit", "1655",
        "--counting", "family")
    cli("quota", "allot", "--year", "2026", "--region", "550000000", "--kind", "resettler", "--office", "ALM-KNV",
        "--slots", "3")
    r = cli("quota", "reserve", office["resettler"], "--json", lang="ru")
    assert r.code == 1 and "error" in r.json


@pytest.mark.parametrize("args", [
    ("quota", "set", "--year", "2026", "--region", "123456789", "--kind", "kandas", "--limit", "5"),
    ("quota", "set", "--year", "2026", "--region", "550000000", "--kind", "kandas", "--limit", "-5"),
    ("quota", "allot", "--year", "2026", "--region", "550000000", "--kind", "kandas", "--office", "ALM-KNV",
     "--slots", "100000"),
    ("quota", "set", "--year", "2026", "--region", "550000000", "--kind", "alien", "--limit", "5"),
    ("quota", "reserve", "ALM-KNV-2026-999999"),
    ("quota", "release", "ALM-KNV-2026-000001"),
    ("check", "NO-SUCH-CASE"),
    ("support", "NO-SUCH-CASE"),
    ("quota", "show", "--year", "1900"),
])
def test_bad_input_exit_2_nothing_written(cli, office, args):
    from migreg_desktop import paths
    from migreg_desktop.storage.db import make_engine

    eng = make_engine(paths.db_path())
    tables = ("regional_quota", "quota_allotment", "quota_ledger", "audit_entry", "eligibility_decision")
    before = count_rows(eng, *tables)
    r = cli(*args, "--json")
    assert r.code == 2, r.err
    assert r.err.strip()
    assert count_rows(eng, *tables) == before
    eng.dispose()


def test_settlements_import_list_export(cli, office, tmp_path):
    good = tmp_path / "list.csv"
    good.write_text("year;kato;kind;potential;fixed_on;source\n2027;191000000;city_oblast;high;2026-12-12;oblast\n"
                    "2027;196220100;city_district;high;2026-12-12;oblast\n", encoding="utf-8")
    dry = cli("settlements", "import", str(good), "--dry-run", "--json")
    assert dry.code == 0 and dry.json["imported"] is False and dry.json["added"] == 2
    assert cli("settlements", "list", "--year", "2027", "--json").json["count"] == 0
    done = cli("settlements", "import", str(good), "--json")
    assert done.code == 0 and done.json["imported"] is True
    listed = cli("settlements", "list", "--year", "2027", "--json").json
    assert [e["kato"] for e in listed["entries"]] == ["191000000", "196220100"]
    bad = tmp_path / "bad.csv"
    bad.write_text("year,kato,kind,potential,fixed_on\n2028,12345,city_oblast,high,2027-12-01\n"
                   "2028,191000000,city_oblast,high,2027-12-01\n2028,191000000,city_oblast,high,2027-12-01\n",
                   encoding="utf-8")
    r = cli("settlements", "import", str(bad), "--json")
    assert r.code == 2 and [e["row"] for e in r.json["errors"]] == [1, 3]
    assert cli("settlements", "list", "--year", "2028", "--json").json["count"] == 0
    assert cli("settlements", "import", str(tmp_path / "missing.csv"), "--json").code == 2
    out = cli("settlements", "export", str(tmp_path / "out.xlsx"), "--year", "2027", "--json")
    assert out.code == 0 and out.json["rows"] == 2


def test_support_json(cli, office):
    doc = cli("support", office["resettler"], "--json", lang="ru").json
    reloc = next(m for m in doc["measures"] if m["measure"] == "relocation_subsidy")
    assert reloc["reference"] == "Social Code" and reloc["reference_text"] == "Социальный кодекс"
    kk = cli("support", office["resettler"], lang="kk")
    assert "АЕК" in kk.out and "MCI" not in kk.out
    assert doc["mci_tenge"] == 4325 and doc["persons"] == 4
    assert reloc["mci"] == 280 and reloc["tenge"] == 1_211_000  # reference.md: family of 4 in 2026
    assert "₸" in reloc["tenge_text"] and "1\xa0211\xa0000" in reloc["tenge_text"]


@pytest.mark.slow
def test_two_processes_reserve_the_last_place(cli, office, data_dir):
    """Two `migreg quota reserve` processes race for one place: exactly one wins."""
    cli("quota", "set", "--year", "2026", "--region", "550000000", "--kind", "kandas", "--limit", "10")
    cli("quota", "allot", "--year", "2026", "--region", "550000000", "--kind", "kandas", "--office", "ALM-KNV",
        "--slots", "1")
    first = office["kandas"]  # kandas to SKO; a second kandas case to Pavlodar
    import json as _json
    data = _json.loads((EXAMPLES / "case-kandas.json").read_text(encoding="utf-8"))
    data["destination_kato"] = "550000000"
    data["family"] = []
    case_file = Path(data_dir) / "k.json"
    case_file.write_text(_json.dumps(data, ensure_ascii=False), encoding="utf-8")
    cli("case", "update", first, "--file", str(case_file))
    data["applicant"]["iin"] = "900315300123"
    data["applicant"]["birth_date"] = "1990-03-15"
    case_file.write_text(_json.dumps(data, ensure_ascii=False), encoding="utf-8")
    second = cli("case", "add", "--file", str(case_file), "--confirm", "--json").json["number"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-m", "migreg_desktop", "--data-dir", str(data_dir), "quota",
                               "reserve", number, "--json"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE) for number in (first, second)]
    codes = sorted(p.wait(timeout=120) for p in procs)
    assert codes == [0, 1]
    shown = cli("quota", "show", "--year", "2026", "--json").json
    q = next(q for q in shown["quotas"] if q["region"] == "550000000" and q["kind"] == "kandas")
    assert q["offices"][0]["remaining"] == 0


def test_new_reference_data_rechecks_open_cases(cli, office, tmp_path, data_dir):
    """Issue 4 §2: a settlement list without Konaev makes the intra-oblast case fail at once."""
    import json
    import sqlite3

    from migreg_desktop.packed_text import unpack

    def latest(number):
        con = sqlite3.connect(data_dir / "migreg.sqlite3")
        try:
            results, trigger = con.execute(
                "SELECT d.results, d.trigger FROM eligibility_decision d JOIN cases c "
                "ON c.id = d.case_id WHERE c.number = ? ORDER BY d.id DESC LIMIT 1", (number,)).fetchone()
            return unpack(results), trigger  # stored packed (migreg_desktop/packed_text.py)
        finally:
            con.close()

    assert cli("check", office["intra_oblast"], "--json").json["rules"]
    listed = {r["rule"]: r["result"] for r in json.loads(latest(office["intra_oblast"])[0])}
    assert listed["settlement_listed"] == "ok"
    new = tmp_path / "list.csv"
    new.write_text("year;kato;kind;potential;fixed_on;source\n2026;191800000;growth_centre;high;2025-12-12;oblast\n",
                   encoding="utf-8")
    done = cli("settlements", "import", str(new), "--json")
    assert done.code == 0 and done.json["rechecked"] == 3  # every open case, no `check` needed
    results, trigger = latest(office["intra_oblast"])
    assert trigger == "refdata_changed"
    assert {r["rule"]: r["result"] for r in json.loads(results)}["settlement_listed"] == "fail"
    assert cli("quota", "set", "--year", "2026", "--region", "550000000", "--kind", "resettler", "--limit", "9",
               "--counting", "persons", "--json").json["rechecked"] == 3


def test_check_all_says_how_many_changed_and_stores_only_those(cli, office, data_dir):
    import sqlite3

    def rows() -> tuple[int, int]:
        con = sqlite3.connect(data_dir / "migreg.sqlite3")
        try:
            return con.execute("SELECT (SELECT count(*) FROM eligibility_decision), "
                               "(SELECT count(*) FROM sync_change)").fetchone()
        finally:
            con.close()

    before = rows()
    done = cli("check", "--all", "--json")  # every case was checked when it was registered
    assert done.code == 0 and done.json["checked"] == 3 and done.json["changed"] == 0
    assert {"eligible", "needs_check", "not_eligible"} <= set(done.json)
    assert rows() == before  # no decision row, no sync change row
    con = sqlite3.connect(data_dir / "migreg.sqlite3")
    with con:  # the kandas case's papers expire: its answer moves, the others' do not
        con.execute("UPDATE document SET expires_on = '2020-01-01' WHERE case_id = "
                    "(SELECT id FROM cases WHERE number = ?)", (office["kandas"],))
    con.close()
    assert cli("check", "--all", "--json").json["changed"] == 1
    assert rows()[0] == before[0] + 1
    text = cli("check", "--all", lang="ru").out
    assert "Из них изменились и сохранены: 0" in text


def test_the_stored_spelling_of_a_decision_is_the_same_in_every_process(cli, office, data_dir):
    """The re-check compares the results text as the writer spells it (eligibility/changed_only.py):
    another process, with other string hashes (set and dict orders), must spell it the same."""
    import json as _json

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for seed in ("1", "2"):
        done = subprocess.run([sys.executable, "-m", "migreg_desktop", "--data-dir", str(data_dir), "check", "--all",
                               "--json"], cwd=ROOT, env={**env, "PYTHONHASHSEED": seed}, capture_output=True,
                              timeout=120, check=False)
        assert done.returncode == 0, done.stderr
        assert _json.loads(done.stdout)["checked"] == 3 and _json.loads(done.stdout)["changed"] == 0
