"""Issue 15 through the CLI: `case status … --to included` takes the quota place (the same use
case as the window's status box), or exits 1 with the reason and writes nothing."""

from __future__ import annotations

from .test_cli_law import _setup, _written


def _to(cli, number, *path):  # noqa: ANN001, ANN002, ANN202
    for status in path:
        res = cli("case", "status", number, "--to", status, "--comment", "", "--json")
        if res.code:
            return res
    return res


def _held(cli, number):  # noqa: ANN001, ANN202
    q = next(q for q in cli("quota", "show", "--year", "2026", "--json").json["quotas"]
             if q["region"] == "550000000" and q["kind"] == "resettler")
    return q["offices"][0]["reserved"]


def test_status_included_reserves_the_place(cli, data_dir):
    number = _setup(cli, data_dir)
    res = _to(cli, number, "submitted", "forwarded", "included")
    assert res.code == 0 and res.json["status"] == "included", res.out + res.err
    assert _held(cli, number) == 1
    assert cli("quota", "release", number, "--json").json["remaining"] == 10


def test_status_included_refused_when_not_eligible(cli, data_dir):
    expired = [{"doc_type": "identity_card", "number": "045612378", "issued_on": "2011-05-14",
                "expires_on": "2021-05-13"}, {"doc_type": "address_certificate", "issued_on": "2026-03-01"}]
    number = _setup(cli, data_dir, {"documents": expired})
    assert _to(cli, number, "submitted", "forwarded").code == 0
    before = _written(data_dir)
    refused = _to(cli, number, "included")
    assert refused.code == 1
    message = refused.json["error"]["message"]
    assert "needs a quota place" in message and "not eligible" in message
    assert cli("case", "show", number, "--json").json["status"] == "forwarded"
    assert _written(data_dir) == before and _held(cli, number) == 0


def test_status_refusal_in_russian(cli, data_dir):
    number = _setup(cli, data_dir)
    assert cli("quota", "allot", "--year", "2026", "--region", "550000000", "--kind", "resettler",
               "--office", "ALM-KNV", "--slots", "0").code == 0
    assert _to(cli, number, "submitted", "forwarded").code == 0
    res = cli("--lang", "ru", "case", "status", number, "--to", "included", "--comment", "", "--json")
    assert res.code == 1 and "Для статуса" in res.json["error"]["message"], res.out
