import json

from migreg_desktop.models import Territory
from migreg_desktop.paths import resource
from migreg_desktop.refdata import refdata


def test_shipped_territories_loaded_with_version(session):
    assert refdata.versions(session=session)["territories"]
    assert session.get(Territory, "190000000").name_kk == "Алматы облысы"
    region = refdata.region_of("194230100", session=session)
    assert region is not None and region.kato == "190000000"


def test_a_newer_version_replaces_rows_and_an_older_one_is_ignored(session):
    data = json.loads(resource("refdata", "territories.json").read_text(encoding="utf-8"))
    current = data["version"]
    renamed = next(t for t in data["territories"] if t["kato"] == "194230100")
    renamed["name_ru"] = "Узынагаш (новое)"
    data["version"] = current + ".1"
    assert refdata.apply_dataset(data, session=session) is True
    assert session.get(Territory, "194230100").name_ru == "Узынагаш (новое)"
    data["version"] = "2000.1"
    assert refdata.apply_dataset(data, session=session) is False
    assert refdata.versions(session=session)["territories"] == current + ".1"


def test_old_names_stay_searchable(session):
    found = refdata.search_territories("Покровка", session=session)
    assert any("Кенен" in t.name_kk for t in found)
    assert "194230100" in {t.kato for t in refdata.search_territories("ұзынағаш", session=session)}
