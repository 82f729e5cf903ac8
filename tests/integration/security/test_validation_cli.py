"""Issue 12 item 2 through the `migreg` command line: input limits (exit 2, nothing written),
every numeric option range-checked (exit 2, never 3), human output escapes control characters."""

from __future__ import annotations

import argparse
import json
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import count_rows, example_case
from tests.snapshots import initialised

TABLES = ("cases", "person", "family_member", "document", "audit_entry")
IIN = "850612312344"
HUGE = "100000000000000000000"  # 10^20


@pytest.fixture
def db(capsys, data_dir, tmp_path_factory):  # noqa: ANN001, ANN201
    """`init --office ALM-KNV` (once per test process, copied: tests/snapshots.py), opened."""
    initialised(capsys, data_dir, tmp_path_factory)
    from migreg_desktop.refdata.setup import open_existing

    engine = open_existing()
    yield engine
    engine.dispose()


def write(tmp_path: Path, data, name: str = "case.json") -> str:  # noqa: ANN001
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def refused(cli, db, *args: str) -> dict:  # noqa: ANN001
    before = count_rows(db, *TABLES)
    result = cli(*args, "--json")
    assert result.code == 2, (result.code, result.err[-500:])
    assert "Traceback" not in result.err and "Internal error" not in result.err
    assert count_rows(db, *TABLES) == before
    return result.json["error"]


def test_a_10_mb_surname_is_refused_before_parsing(cli, db, tmp_path):
    data = example_case("resettler")
    data["applicant"]["surname"] = "А" * 10_000_000
    error = refused(cli, db, "case", "add", "--file", write(tmp_path, data))
    assert error["field"] == "file" and "1,048,576" in error["message"]


@pytest.mark.parametrize("shift", [0, 1])
def test_the_size_is_checked_before_decoding(cli, db, tmp_path, shift):
    path = tmp_path / "big.json"
    path.write_bytes(b" " * shift + ("\"" + "Ә" * 600_000 + "\"").encode())  # the cut splits a letter or not
    error = refused(cli, db, "case", "add", "--file", str(path))
    assert error["field"] == "file" and "1,048,576" in error["message"]


def test_a_surname_over_100_characters_names_the_field(cli, db, tmp_path):
    data = example_case("resettler")
    data["applicant"]["surname"] = "А" * 101
    error = refused(cli, db, "case", "add", "--file", write(tmp_path, data))
    assert error["field"] == "applicant.surname" and "100" in error["message"]


def test_10000_family_members_are_refused(cli, db, tmp_path):
    data = example_case("resettler")
    data["family"] = [{"surname": "А", "name": "Б", "relation": "child"}] * 10_000
    error = refused(cli, db, "case", "add", "--file", write(tmp_path, data))
    assert error["field"] in ("file", "family")
    data["family"] = data["family"][:31]
    error = refused(cli, db, "case", "add", "--file", write(tmp_path, data))
    assert error["field"] == "family" and "30" in error["message"]


def test_a_big_file_on_stdin_is_refused_too(cli, db, monkeypatch):
    import io

    data = example_case("resettler")
    data["notes"] = "n" * 2_000_000
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(json.dumps(data).encode())))
    assert refused(cli, db, "case", "add", "--file", "-")["field"] == "file"


@pytest.mark.parametrize("surname", ["\x00", "Ахметов\x00", "\u200b\u200b", "\u202eвотемхА",
                                     "\x1b[2J\x1b[31mАхметов", "Ахметов\u2067"])
def test_dangerous_surnames_are_refused(cli, db, tmp_path, surname):
    data = example_case("resettler")
    data["applicant"]["surname"] = surname
    result_err = refused(cli, db, "case", "add", "--file", write(tmp_path, data))
    assert result_err["field"] == "applicant.surname"
    assert "\x1b" not in result_err["message"] and "\u202e" not in result_err["message"]


@pytest.mark.parametrize("comment", ["\x1b[2J", "ok\u202e", "c" * 4001])
def test_a_status_comment_follows_the_same_text_rules(cli, db, tmp_path, comment):
    number = cli("case", "add", "--file", write(tmp_path, example_case("resettler")), "--json").json["number"]
    error = refused(cli, db, "case", "status", number, "--to", "submitted", "--comment", comment)
    assert error["field"] == "comment"
    assert cli("case", "show", number, "--json").json["status"] == "draft"


def test_the_same_person_in_full_width_digits_gets_no_second_active_case(cli, db, tmp_path):
    first = example_case("resettler")
    assert cli("case", "add", "--file", write(tmp_path, first), "--json").code == 0
    for digits in ("".join(chr(0xFF10 + int(d)) for d in IIN), "".join(chr(0x0660 + int(d)) for d in IIN)):
        again = example_case("resettler")
        again["applicant"]["iin"] = digits
        error = refused(cli, db, "case", "add", "--file", write(tmp_path, again))
        assert error["field"] == "applicant.iin" and IIN in error["message"]
    listed = cli("case", "list", "--json").json
    assert [r["applicant_iin"] for r in listed] == [IIN]


def test_iin_check_folds_full_width_digits(cli):
    result = cli("iin", "check", "".join(chr(0xFF10 + int(d)) for d in IIN), "--json")
    assert result.code == 0 and result.json["iin"] == IIN


@pytest.mark.parametrize("args", [
    ("case", "list", "--limit", "-1"),
    ("case", "list", "--limit", "0"),
    ("case", "list", "--limit", HUGE),
    ("case", "list", "--limit", "9" * 5000),
    ("case", "list", "--year", HUGE),
    ("case", "list", "--year", "-2026"),
    ("audit", "list", "--limit", "-1"),
    ("audit", "list", "--limit", HUGE),
    ("quota", "set", "--year", "2026", "--region", "550000000", "--kind", "kandas", "--limit", HUGE),
    ("quota", "set", "--year", HUGE, "--region", "550000000", "--kind", "kandas", "--limit", "5"),
    ("quota", "allot", "--year", "2026", "--region", "550000000", "--kind", "kandas", "--office", "ALM-KNV",
     "--slots", HUGE),
    ("quota", "show", "--year", HUGE),
    ("settlements", "list", "--year", HUGE),
    ("conflicts", "show", HUGE),
    ("conflicts", "accept", "-1"),
    ("duplicates", "resolve", HUGE, "--as", "same"),
    ("demo", "--cases", "1", "--seed", HUGE),
    ("demo", "--cases", "0"),
])
def test_every_numeric_option_is_range_checked(cli, db, args):
    error = refused(cli, db, *args)
    assert error["message"] and error["field"]


def test_demo_with_10_to_the_20_cases_is_refused_before_it_starts(cli, db, monkeypatch):
    from migreg_desktop.cases import demo

    def never(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise AssertionError("demo generation started")

    monkeypatch.setattr(demo, "generate_demo", never)
    error = refused(cli, db, "demo", "--cases", HUGE)
    assert error["field"] == "cases" and "1,000,000" in error["message"]


def test_range_messages_are_in_the_clerks_language(cli, db):
    result = cli("case", "list", "--limit", "-1", lang="ru")
    assert result.code == 2 and "вне допустимого диапазона" in result.err


def test_no_numeric_option_is_left_unbounded():
    from migreg_desktop.cli import build_parser
    from migreg_desktop.cli.usage import IntRange

    unbounded, bounded = [], []

    def walk(parser: argparse.ArgumentParser, path: str) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    walk(sub, f"{path} {name}")
            elif isinstance(action.type, IntRange):
                bounded.append(f"{path} {action.dest}")
            elif action.type in (int, float):
                unbounded.append(f"{path} {action.dest}")

    walk(build_parser(), "migreg")
    assert unbounded == [] and len(bounded) >= 14, bounded


def test_case_list_prints_escape_codes_escaped(cli, db, tmp_path, data_dir):
    number = cli("case", "add", "--file", write(tmp_path, example_case("resettler")), "--json").json["number"]
    con = sqlite3.connect(data_dir / "migreg.sqlite3")
    with con:  # a row written before the gate existed (or by another program)
        con.execute("UPDATE cases SET applicant_name = ? WHERE number = ?",
                    ("\x1b[2J\x1b[31mEVIL\u202eLIVE\x9b", number))
    con.close()
    result = cli("case", "list")
    assert result.code == 0
    assert "\x1b" not in result.out and "\u202e" not in result.out and "\x9b" not in result.out
    assert "\\x1b[2J\\x1b[31mEVIL\\u202eLIVE\\x9b" in result.out
    shown = cli("case", "show", number)  # the pretty-printed document is human output too
    assert "\x1b" not in shown.out and "\u202e" not in shown.out
    as_json = cli("case", "list", "--json")  # JSON keeps the value; JSON escapes it itself
    assert json.loads(as_json.out)[0]["applicant_name"].startswith("\x1b[2J")
