"""Shared fixtures. Qt runs offscreen; every test gets its own data dir."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("MIGREG_DATA_DIR", None)
os.environ.pop("MIGREG_LANG", None)

from migreg_desktop import i18n, paths  # noqa: E402
from migreg_desktop.ui.qt_refcount import guard as _guard_none  # noqa: E402

_guard_none()  # a test process makes many Qt calls: the same guard as the window (ui/qt_refcount.py)
# Property tests judge the program, not the machine: CI's two cores run the suite in parallel, and a
# slow data generator there is load, not a bug (the examples and their number stay the same).
from hypothesis import HealthCheck, settings  # noqa: E402

from migreg_desktop.storage.db import session_scope  # noqa: E402

settings.register_profile("migreg", suppress_health_check=[HealthCheck.too_slow], deadline=None)
settings.load_profile("migreg")

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
RAM_DISK, RAM_DISK_ROOM = Path("/dev/shm"), 4 << 30
_RAM_BASE = pytest.StashKey[str]()


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """The tests' files on a RAM disk when the machine has one with room (Linux's /dev/shm): a run
    writes ~1 GB of small databases, keys and packages, and on a disk the file system's bookkeeping
    cost ~15 % of the suite's time (118 s against 136 s here). ``MIGREG_TEST_TMP=disk``, or an
    explicit ``--basetemp``, keeps pytest's own place. Each xdist worker gets its part of it."""
    if (config.option.basetemp or hasattr(config, "workerinput") or os.environ.get("MIGREG_TEST_TMP") == "disk"
            or not RAM_DISK.is_dir()):
        return
    _forget_ended_runs()
    try:
        if shutil.disk_usage(RAM_DISK).free < RAM_DISK_ROOM:
            return
    except OSError:
        return
    import tempfile

    config.option.basetemp = config.stash[_RAM_BASE] = tempfile.mkdtemp(prefix=f"migreg-tests-{os.getpid()}-",
                                                                         dir=RAM_DISK)


def _forget_ended_runs() -> None:
    """The files a failed run left on the RAM disk (kept to be looked at) go when the next run
    starts, unless that run's process is still going (two runs at once)."""
    for old in RAM_DISK.glob("migreg-tests-*-*"):
        pid = old.name.split("-")[2]
        try:
            os.kill(int(pid), 0)
        except (ValueError, ProcessLookupError):
            shutil.rmtree(old, ignore_errors=True)
        except OSError:  # alive, someone else's
            continue


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """The RAM disk freed after a run that passed (a failed run's files stay until the next run)."""
    base = session.config.stash.get(_RAM_BASE, None)
    if base and exitstatus == 0:
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="session")
def _template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database migrated to the heads with the shipped reference data, made once per test
    process by the program's own code (issue 11: migrating costs ~0.3 s, loading data ~0.3 s)."""
    from migreg_desktop.refdata import refdata
    from migreg_desktop.storage import db

    path = tmp_path_factory.mktemp("template") / "migreg.sqlite3"
    engine = db.open_database(path, create=True)
    with session_scope(engine, actor="system") as session:
        refdata.load_shipped(session=session)
    with engine.connect() as con:
        con.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(autouse=True)
def _fresh_from_template(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch,
                         _isolated: None) -> None:
    """A new database starts as a copy of the template instead of migrating again. Tests of the
    migrations themselves opt out with ``@pytest.mark.real_migrations``."""
    if request.node.get_closest_marker("real_migrations"):
        return
    from migreg_desktop.storage import db

    template = request.getfixturevalue("_template_db")
    real_open = db.open_database

    def open_database(db_file: Path | None = None, *, create: bool = False, stage=None):  # noqa: ANN001, ANN202
        path = db_file or paths.db_path()
        if create and not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(template, path)
        return real_open(path, create=create, stage=stage)

    monkeypatch.setattr(db, "open_database", open_database)


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path) -> Iterator[None]:
    paths.set_data_dir(tmp_path / "data")
    i18n.set_language("en")
    yield
    paths.set_data_dir(None)
    i18n.set_language("en")


@pytest.fixture(autouse=True)
def fast_hasher(monkeypatch):  # noqa: ANN001, ANN201
    """Cheap Argon2 parameters in tests (the program keeps RFC 9106's; tests need the logic),
    and no account from the developer's environment."""
    from argon2 import PasswordHasher

    from migreg_desktop.accounts import accounts

    monkeypatch.setattr(accounts, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    monkeypatch.setattr(accounts, "_DUMMY", [])
    for name in ("MIGREG_USER", "MIGREG_PASSWORD", "MIGREG_NEW_PASSWORD"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def engine(request: pytest.FixtureRequest, data_dir: Path, tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    """A fresh district database (office ALM-KNV) with the shipped reference data.

    What ``init_database("ALM-KNV")`` makes from the template, made once per test process and
    copied (tests/snapshots.py), then opened the program's way (``open_existing``: the schema
    check, the shipped data, the office): ~15 ms less for each of the many tests that ask for it.
    A database already there, and the tests of the migrations, get ``init_database`` itself."""
    from migreg_desktop.refdata.setup import init_database, open_existing

    if paths.db_path().exists() or request.node.get_closest_marker("real_migrations"):
        eng, _ = init_database("ALM-KNV")
    else:
        from tests.snapshots import copied

        def build(root: Path) -> None:
            made, _loaded = init_database("ALM-KNV", root / paths.db_path().name)
            made.dispose()

        copied("engine-ALM-KNV", build, paths.db_path().parent, tmp_path_factory)
        eng = open_existing(paths.db_path())
    yield eng
    eng.dispose()


def work_session(engine, actor: Any = "tester", notify: Any = None):  # noqa: ANN001, ANN201
    """A transaction through the unit of work the doors use: commit, the re-check policy, notify."""
    from migreg_desktop.eligibility.watch import unit_of_work

    return unit_of_work(engine, actor, notify=notify).session()


@pytest.fixture
def work(engine):  # noqa: ANN001, ANN201
    """The unit of work the doors use (commit, then the one re-check policy), acting as "tester"."""
    from migreg_desktop.eligibility.watch import unit_of_work

    return unit_of_work(engine, "tester")


@pytest.fixture
def session(engine):  # noqa: ANN001, ANN201
    with session_scope(engine, actor="tester") as s:
        yield s


def example_case(kind: str = "resettler") -> dict[str, Any]:
    return json.loads((EXAMPLES / f"case-{kind}.json").read_text(encoding="utf-8"))


@pytest.fixture
def make_case():  # noqa: ANN201
    return example_case


def count_rows(engine, *tables: str) -> dict[str, int]:  # noqa: ANN001
    from sqlalchemy import text

    with engine.connect() as con:
        return {t: con.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in tables}


class CliResult:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    @property
    def json(self) -> Any:
        return json.loads(self.out)


def cli_in(capsys, data_dir: Path):  # noqa: ANN001, ANN201
    """`migreg --data-dir DATA_DIR …` in this process: run("case", "list", "--json") → CliResult."""
    from migreg_desktop.cli import main

    def run(*args: str, lang: str = "en") -> CliResult:
        capsys.readouterr()
        code = main(["--data-dir", str(data_dir), "--lang", lang, *args])
        captured = capsys.readouterr()
        i18n.set_language("en")
        return CliResult(code, captured.out, captured.err)

    return run


@pytest.fixture
def cli(capsys, data_dir: Path):  # noqa: ANN001, ANN201
    """Run `migreg` in-process on the test's data dir: cli("case", "list", "--json") → CliResult."""
    return cli_in(capsys, data_dir)


@contextmanager
def keep_engines(cli, monkeypatch):  # noqa: ANN001, ANN201
    """``cli``, with the database engine kept between commands as one long-lived process keeps it.

    Every command still opens the database the CLI's way (the schema check, the shipped data, the
    office: refdata/setup.open_existing), logs in, writes its audit rows and is gated by the
    permissions table; only the engine object and its pooled connections outlive the command. A
    new engine for each command costs ~20 ms (every statement compiled again for the new engine,
    the last connection closed with a checkpoint): for tests that run many commands on one
    database and are not about opening, restoring or repairing it."""
    from migreg_desktop.cli.context import Context
    from migreg_desktop.storage import db

    made: dict[Path, Any] = {}
    make_engine, close = db.make_engine, Context.close

    def kept_engine(db_file: Path | None = None) -> Any:
        path = Path(db_file or paths.db_path()).resolve()
        if path not in made:
            made[path] = make_engine(path)
        return made[path]

    def kept_close(ctx: Context) -> None:
        if any(ctx._engine is e for e in made.values()):
            ctx._engine = None  # kept for the next command; disposed after the test
        else:
            close(ctx)

    def run(*argv: str, **kwargs: Any) -> CliResult:
        with monkeypatch.context() as m:  # the commands only: the test's own engines are its own
            m.setattr(db, "make_engine", kept_engine)
            m.setattr(Context, "close", kept_close)
            return cli(*argv, **kwargs)

    try:
        yield run
    finally:
        for engine in made.values():
            engine.dispose()


@pytest.fixture
def cli_kept_open(cli, monkeypatch):  # noqa: ANN001, ANN201
    """``cli`` with its engine kept between commands (``keep_engines``)."""
    with keep_engines(cli, monkeypatch) as run:
        yield run


@pytest.fixture
def app_context(qtbot, engine):  # noqa: ANN001, ANN201
    """An AppContext like app.py builds, for testing one page or panel on its own."""
    from migreg_desktop.settings import Settings
    from migreg_desktop.ui.context import AppContext
    from migreg_desktop.ui.hub import QtHub

    qt_hub = QtHub()
    ctx = AppContext(engine=engine, settings=Settings(), hub=qt_hub, office_code="ALM-KNV",
                     role="district", user="tester")
    yield ctx
    ctx.ops.shutdown()  # a job a test left running stops before the next test's database
