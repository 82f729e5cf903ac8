import json

from ..conftest import EXAMPLES


def test_init_add_show_list_status_round_trip(cli):
    assert cli("init", "--office", "ALM-KNV", "--json").code == 0
    added = cli("case", "add", "--file", str(EXAMPLES / "case-kandas.json"), "--json")
    assert added.code == 0, added.err
    number = added.json["number"]
    shown = cli("case", "show", number, "--json").json
    assert shown["applicant"]["surname"] == "Оралбаев" and shown["kind"] == "kandas"
    rows = cli("case", "list", "--search", "ОРАЛБАЕВ", "--json").json
    assert {"id", "number", "kind", "status", "applicant_iin", "applicant_name"} <= set(rows[0])
    assert cli("case", "status", number, "--to", "submitted", "--comment", "ok", "--json").json["status"] == "submitted"


def test_offices_lists_every_career_centre_and_the_department(cli):
    offices = cli("offices", "--json").json
    kinds = {o["kind"] for o in offices}
    assert kinds == {"district", "city", "oblast"} and len(offices) == 12
    assert all({"code", "kind", "name_kk", "name_ru", "kato"} <= set(o) for o in offices)


def test_iin_check_json_and_exit_codes(cli):
    ok = cli("iin", "check", "900315300123", "--json")
    assert ok.code == 0 and ok.json == {"iin": "900315300123", "valid": True, "birth_date": "1990-03-15",
                                       "sex": "M", "errors": [], "warnings": []}
    bad = cli("iin", "check", "900315300124", "--json", lang="ru")
    assert bad.code == 2 and bad.json["valid"] is False and bad.json["errors"]


def test_bad_input_exit_2_and_database_unchanged(cli, tmp_path):
    cli("init", "--office", "ALM-KNV")
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    assert cli("case", "add", "--file", str(broken), "--json").code == 2
    data = json.loads((EXAMPLES / "case-resettler.json").read_text(encoding="utf-8"))
    data["origin_kato"] = "000000001"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    result = cli("case", "add", "--file", str(bad), "--json")
    assert result.code == 2 and result.json["error"]["errors"][0]["field"] == "origin_kato"
    assert cli("case", "list", "--json").json == []
