"""The command line answers at once (issue 17 §5): the parser is built from a light table and
only the module of the command being run is imported."""

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import migreg_desktop.cli as cli_package
from migreg_desktop.cli.usage import MigregParser, UsageError

ROOT = Path(__file__).resolve().parents[2]


def _registered(module: str) -> list[tuple[str, str]]:
    sub = MigregParser(prog="x").add_subparsers(dest="command")
    importlib.import_module(f"migreg_desktop.cli.{module}").register(sub, MigregParser(add_help=False))
    return [(a.dest, a.help) for a in sub._choices_actions]


def test_the_table_names_every_command_of_every_module_with_its_help():
    modules = dict.fromkeys(module for module, _help in cli_package.COMMANDS.values())
    listed = [(name, help_text) for name, (_m, help_text) in cli_package.COMMANDS.items()]
    assert listed == [pair for module in modules for pair in _registered(module)]
    files = {p.stem for p in Path(cli_package.__file__).parent.glob("*.py")} - {"__init__", "context", "usage"}
    assert set(modules) == {m for m in files if hasattr(importlib.import_module(f"migreg_desktop.cli.{m}"), "register")}


@pytest.mark.parametrize(("argv", "command"), [
    (["--data-dir", "D", "case", "list"], "case"),
    (["--data-dir=D", "--json", "backup"], "backup"),
    (["--data", "D", "--lang", "kk", "check", "--all"], "check"),  # argparse's prefixes
    (["--user", "case", "offices"], "offices"),  # an option's value is not the command
    (["--help", "case"], None),
    (["--data-dir", "D"], None),
])
def test_the_command_word_is_found_as_argparse_reads_it(argv, command):
    assert cli_package.command_of(argv) == command


def test_the_light_parser_helps_and_parses_like_the_whole_one():
    whole, light = cli_package.build_parser(), cli_package.build_parser(["case", "list"])
    assert light.format_help() == whole.format_help()
    args = ["--data-dir", "D", "case", "list", "--limit", "1", "--json"]
    assert vars(light.parse_args(args)).keys() == vars(whole.parse_args(args)).keys()
    assert light.parse_args(args).func is whole.parse_args(args).func
    with pytest.raises(UsageError, match="nonsense is not one of: adaptation, audit, backup"):
        cli_package.build_parser(["nonsense"]).parse_args(["nonsense"])


def _modules_after(*argv: str) -> tuple[str, set[str]]:
    """Run `migreg ARGV` in a fresh interpreter; its stdout and the modules it imported."""
    from migreg_desktop import paths

    # cli.main as `python -m migreg_desktop` runs it (cli.run), without the ending that skips
    # Python's teardown (process_end.py): the probe looks at the modules afterwards
    probe = ("import sys; sys.argv = ['migreg', *sys.argv[1:]]\n"
             "from migreg_desktop.cli import main\nmain()\n"
             "import json; print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-c", probe, "--data-dir", str(paths.data_dir()), *argv],
                         capture_output=True, text=True, env=env, cwd=ROOT)
    return run.stdout, set(json.loads(run.stderr.strip().splitlines()[-1]))


def test_offices_needs_no_database_layer(cli):
    assert cli("init", "--office", "ALM-KNV").code == 0
    out, loaded = _modules_after("offices", "--json")
    assert any(o["code"] == "ALM-KNV" for o in json.loads(out))
    assert not {"sqlalchemy", "sqlmodel", "pydantic", "migreg_desktop.models"} & loaded


def test_case_list_imports_neither_other_commands_nor_the_models(cli, tmp_path):
    assert cli("init", "--office", "ALM-KNV").code == 0
    out, loaded = _modules_after("case", "list", "--limit", "1", "--json")
    assert json.loads(out) == []
    assert "migreg_desktop.cli.case" in loaded
    assert not {"migreg_desktop.cli.sync", "migreg_desktop.cli.forms", "migreg_desktop.models",
                "migreg_desktop.cases.cases", "migreg_desktop.eligibility.eligibility"} & loaded
    assert not any(m.startswith("migreg_desktop.forms") for m in loaded)
    # a current database is read on a read-only connection: no SQLAlchemy at all (issue 17 §5)
    assert not {"sqlalchemy", "sqlmodel", "pydantic"} & loaded


def test_case_list_reads_the_same_rows_without_the_database_layer(cli, tmp_path):
    assert cli("init", "--office", "ALM-KNV").code == 0
    assert cli("demo", "--cases", "12", "--seed", "3").code == 0
    args = ("case", "list", "--search", "ALM", "--sort", "applicant_name", "--asc", "--limit", "7", "--json")
    out, loaded = _modules_after(*args)
    assert "sqlalchemy" not in loaded
    from migreg_desktop.cases.case_list import CaseFilter, list_cases
    from migreg_desktop.refdata.setup import open_existing
    from tests.conftest import work_session

    engine = open_existing()
    with work_session(engine) as session:  # the same query through a SQLAlchemy session
        expected = list_cases(CaseFilter(search="ALM"), limit=7, sort="applicant_name", descending=False, db=session)
    engine.dispose()
    assert json.loads(out) == expected
    assert len(expected) == 7


def test_a_database_that_needs_an_upgrade_is_opened_the_full_way(cli):
    import sqlite3

    from migreg_desktop import paths

    assert cli("init", "--office", "ALM-KNV").code == 0
    with sqlite3.connect(paths.db_path()) as con:  # the shipped data looks older than the program's
        con.execute("UPDATE refdata_version SET version = '0.0.1' WHERE dataset = 'territories'")
    out, loaded = _modules_after("case", "list", "--json")
    assert json.loads(out) == []
    assert "sqlalchemy" in loaded  # open_existing ran and loaded the shipped data again
    with sqlite3.connect(paths.db_path()) as con:
        assert con.execute("SELECT version FROM refdata_version WHERE dataset = 'territories'").fetchone()[0] != "0.0.1"


def test_every_command_still_runs_through_main(cli):
    assert cli("init", "--office", "ALM-KNV").code == 0
    assert cli("offices", "--json").json
    assert cli("case", "list", "--json").json == []
    assert cli("--help").code == 0
    assert cli("case", "list", "--limit", "0").code == 2  # bounded options still refused


def test_a_listed_only_command_falls_back_to_the_whole_parser(monkeypatch):
    calls = []
    real = cli_package.build_parser
    monkeypatch.setattr(cli_package, "command_of", lambda argv: "backup")  # a wrong guess
    monkeypatch.setattr(cli_package, "build_parser", lambda argv=None: calls.append(argv) or real(argv))
    assert cli_package.main(["iin", "check", "000000000000", "--json"]) in (0, 1, 2)
    assert calls[-1] is None  # parsed again with every command loaded
