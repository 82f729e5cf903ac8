"""Bad input on the command line and in case files: exit 2, the field named in --lang, --json
answered with the error document, the database unchanged (issue 3 §6–7; audit of issue 3)."""

import json
from pathlib import Path

import pytest

from migreg_desktop import i18n
from tests.conftest import EXAMPLES, count_rows, example_case
from tests.snapshots import initialised

TABLES = ("cases", "person", "family_member", "document", "audit_entry")


@pytest.fixture
def db(capsys, data_dir, tmp_path_factory):
    """`init --office ALM-KNV` (once per test process, copied: tests/snapshots.py), opened."""
    initialised(capsys, data_dir, tmp_path_factory)
    from migreg_desktop.refdata.setup import open_existing

    engine = open_existing()
    yield engine
    engine.dispose()


def write_case(tmp_path: Path, data) -> str:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def changed(kind: str, edit) -> dict:
    data = example_case(kind)
    edit(data)
    return data


BADLY_TYPED = [
    ("applicant.iin", lambda d: d["applicant"].update(iin=900315300123)),
    ("applicant.surname", lambda d: d["applicant"].update(surname=["a"])),
    ("has_job_offer", lambda d: d.update(has_job_offer="yes")),
    ("quota_year", lambda d: d.update(quota_year=True)),
    ("destination_kato", lambda d: d.update(destination_kato=["550000000"])),
    ("family.1.birth_date", lambda d: d["family"][0].update(birth_date=19870203)),
    ("family.2", lambda d: d["family"].__setitem__(1, "Нұрсұлтан")),
    ("documents.1.issued_on", lambda d: d["documents"][0].update(issued_on={"y": 2021})),
    ("applicant", lambda d: d.update(applicant=["Құрманғазы"])),
]


@pytest.mark.parametrize(("field", "edit"), BADLY_TYPED, ids=[f for f, _ in BADLY_TYPED])
def test_a_badly_typed_value_is_bad_input_naming_the_field(cli, db, tmp_path, field, edit):
    before = count_rows(db, *TABLES)
    result = cli("case", "add", "--file", write_case(tmp_path, changed("resettler", edit)), "--json",
                 lang="ru")
    assert result.code == 2, result.err
    error = result.json["error"]
    assert error["field"] == field and [e["field"] for e in error["errors"]] == [field]
    assert "INSERT" not in result.out + result.err and "Traceback" not in result.err
    assert count_rows(db, *TABLES) == before


def test_type_messages_are_in_the_clerks_language(cli, db, tmp_path):
    data = changed("resettler", lambda d: d["applicant"].update(iin=900315300123, surname=["a"]))
    result = cli("case", "add", "--file", write_case(tmp_path, data), "--json", lang="kk")
    messages = [e["message"] for e in result.json["error"]["errors"]]
    assert messages == ["Өтініш беруші › ЖСН: тырнақшадағы мәтін болуы тиіс (берілгені: сан)",
                        "Өтініш беруші › Тегі: тырнақшадағы мәтін болуы тиіс (берілгені: тізім)"]


def test_has_job_offer_is_a_json_boolean_only(cli, db, tmp_path):
    data = changed("intra_oblast", lambda d: d.update(has_job_offer="yes"))
    result = cli("case", "add", "--file", write_case(tmp_path, data), "--json")
    assert result.code == 2 and "true or false" in result.json["error"]["message"]
    data["has_job_offer"] = True
    number = cli("case", "add", "--file", write_case(tmp_path, data), "--json").json["number"]
    assert cli("case", "show", number, "--json").json["has_job_offer"] is True


@pytest.mark.parametrize("key", ["family", "documents"])
def test_family_or_documents_not_a_list_names_the_list(cli, db, tmp_path, key):
    data = changed("resettler", lambda d: d.update({key: {"surname": "x"}}))
    for lang in ("en", "ru", "kk"):
        result = cli("case", "add", "--file", write_case(tmp_path, data), "--json", lang=lang)
        assert result.code == 2 and result.json["error"]["field"] == key
        assert "{n}" not in result.out + result.err


def test_unknown_keys_are_refused_and_listed(cli, db, tmp_path):
    before = count_rows(db, *TABLES)
    data = example_case("kandas")
    data["destinaton_kato"] = "550000000"
    data["applicant"]["patronimic"] = "Бақытұлы"
    data["family"][0]["relashion"] = "spouse"
    result = cli("case", "add", "--file", write_case(tmp_path, data), "--json")
    assert result.code == 2
    errors = {e["field"]: e["message"] for e in result.json["error"]["errors"]}
    assert set(errors) == {"file", "applicant", "family.1"}
    assert "destinaton_kato" in errors["file"] and "patronimic" in errors["applicant"]
    assert "relashion" in errors["family.1"]
    assert count_rows(db, *TABLES) == before


def test_examples_and_a_shown_case_sent_back_are_accepted(cli, db, tmp_path):
    numbers = []
    for kind in ("kandas", "resettler", "intra_oblast"):
        added = cli("case", "add", "--file", str(EXAMPLES / f"case-{kind}.json"), "--json")
        assert added.code == 0, added.err
        numbers.append(added.json["number"])
    shown = cli("case", "show", numbers[1], "--json").json  # ids, status, history … come back
    shown["applicant"]["phone"] = "+7 701 999 9999"
    updated = cli("case", "update", numbers[1], "--file", write_case(tmp_path, shown), "--json")
    assert updated.code == 0, updated.err
    assert updated.json["version"] == 2


def test_a_file_that_is_not_utf8_is_bad_input(cli, db, tmp_path):
    path = tmp_path / "utf16.json"
    path.write_bytes(b"\xff\xfe" + json.dumps(example_case("kandas")).encode("utf-16-le"))
    result = cli("case", "add", "--file", str(path), "--json", lang="ru")
    assert result.code == 2, result.err
    assert result.json["error"]["field"] == "file" and "UTF-8" in result.json["error"]["message"]
    assert "Traceback" not in result.err


def test_an_internal_error_shows_no_personal_data(cli, db, tmp_path, data_dir, monkeypatch):
    from sqlalchemy.exc import IntegrityError

    from migreg_desktop.cases import cases

    def broken(*args, **kwargs):
        raise IntegrityError("INSERT INTO person (iin, surname) VALUES (?, ?)",
                             ("900315300123", "Құрманғазы"), Exception("disk says no"))

    monkeypatch.setattr(cases, "register_case", broken)
    result = cli("case", "add", "--file", str(EXAMPLES / "case-kandas.json"), "--json", lang="ru")
    assert result.code == 3
    log = data_dir / "logs" / "crash.log"
    for text in (result.out, result.err):
        assert "900315300123" not in text and "Құрманғазы" not in text and "INSERT" not in text
        assert str(log) in text
    assert result.json["error"]["code"] == 3 and "Внутренняя ошибка" in result.json["error"]["message"]
    report = log.read_text(encoding="utf-8")
    assert "Traceback" in report and "disk says no" in report
    assert "900315300123" not in report and "Құрманғазы" not in report


# ---- the command line itself ---------------------------------------------------------------

def run_main(capsys, *argv):
    from migreg_desktop.cli import main

    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    i18n.set_language("en")
    return code, out, err


@pytest.mark.parametrize("where", ["before", "after"])
def test_a_usage_error_follows_lang_and_json(capsys, where):
    command = ["quota", "set", "--year", "2026", "--region", "550000000", "--kind", "refugee", "--limit", "5"]
    options = ["--lang", "kk", "--json"]
    argv = options + command if where == "before" else command + options
    code, out, err = run_main(capsys, *argv)
    assert code == 2
    error = json.loads(out)["error"]
    assert error["code"] == 2 and error["field"] == "kind"
    assert error["message"].startswith("Командалық жолда қате: --kind: refugee")
    assert error["errors"] == [{"field": "kind", "message": error["message"]}]
    assert "kandas, resettler, intra_oblast" in error["message"]
    assert "Командалық жолда қате" in err and "usage: migreg quota set" in err


def test_a_usage_error_without_json_prints_nothing_on_stdout(cli):
    result = cli("case", "list", "--limit", "abc", lang="ru")
    assert result.code == 2 and result.out == ""
    assert "Ошибка в командной строке: --limit: abc — не целое число" in result.err
    assert "Справка: migreg case list --help" in result.err


@pytest.mark.parametrize(("argv", "field"), [
    (["init", "--json"], "office"),               # a required option missing
    (["bogus", "--json"], "command"),             # no such command
    (["case", "list", "--json", "--extra"], None),  # an argument nobody takes
    (["case", "status", "X", "--json", "--to"], "to"),  # an option without its value
])
def test_every_usage_error_is_exit_2_with_the_error_document(cli, argv, field):
    result = cli(*argv, lang="ru")
    assert result.code == 2, result.err
    error = result.json["error"]
    assert error["field"] == field and error["message"].startswith("Ошибка в командной строке: ")


def test_help_still_exits_0(cli):
    assert cli("case", "list", "--help").code == 0


@pytest.mark.parametrize(("option", "allowed"), [("--status", "draft, submitted"),
                                                 ("--sort", "number, kind, status")])
def test_case_list_refuses_an_unknown_status_or_sort(cli, db, option, allowed):
    result = cli("case", "list", option, "bogus", "--json")
    assert result.code == 2 and result.json["error"]["field"] == option[2:]
    assert allowed in result.json["error"]["message"]
    assert cli("case", "list", option, "number" if option == "--sort" else "draft", "--json").code == 0


def test_case_list_created_at_is_iso_like_case_show(cli, db):
    number = cli("case", "add", "--file", str(EXAMPLES / "case-kandas.json"), "--json").json["number"]
    listed = cli("case", "list", "--json").json[0]["created_at"]
    assert listed == cli("case", "show", number, "--json").json["created_at"]
    assert "T" in listed and listed.endswith("+00:00")


def test_a_failed_init_leaves_no_database_behind(cli, data_dir):
    result = cli("init", "--office", "ALM-XXX", "--json")
    assert result.code == 2 and result.json["error"]["field"] == "office"
    assert not list(data_dir.glob("migreg.sqlite3*"))
    assert cli("init", "--office", "ALM-KNV").code == 0
    assert cli("case", "list", "--json").json == []


def test_a_failed_init_keeps_an_existing_database(cli, db, data_dir):
    number = cli("case", "add", "--file", str(EXAMPLES / "case-kandas.json"), "--json").json["number"]
    assert cli("init", "--office", "ALM-XXX").code == 2
    assert (data_dir / "migreg.sqlite3").exists()
    assert [r["number"] for r in cli("case", "list", "--json").json] == [number]
