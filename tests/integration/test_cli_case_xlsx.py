"""`migreg case list … --xlsx FILE` (issue 15)."""

from openpyxl import load_workbook

from ..conftest import EXAMPLES


def test_case_list_xlsx_writes_the_filtered_rows_in_the_given_language(cli, tmp_path):
    assert cli("init", "--office", "ALM-KNV", "--json").code == 0
    for kind in ("kandas", "resettler", "intra_oblast"):
        assert cli("case", "add", "--file", str(EXAMPLES / f"case-{kind}.json"), "--confirm", "--json").code == 0
    out = tmp_path / "kandas.xlsx"
    result = cli("case", "list", "--kind", "kandas", "--xlsx", str(out), "--json", lang="kk")
    assert result.code == 0, result.err
    assert result.json == {"file": str(out), "rows": 1, "lang": "kk"}
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("Іс нөмірі", "Түрі", "Мәртебесі") and len(rows) == 2
    listed = cli("case", "list", "--search", "Kassymov Oralbayev", "--json").json  # nothing: AND of both
    assert listed == []

    every = tmp_path / "all.xlsx"
    text = cli("case", "list", "--xlsx", str(every), "--limit", "1", lang="ru")
    assert text.code == 0 and "3" in text.out
    assert load_workbook(every).active.max_row == 4  # --limit is for the printed list only
    assert load_workbook(every).active["A1"].value == "№ дела"

    bad = cli("case", "list", "--xlsx", str(tmp_path / "cases.txt"), "--json")
    assert bad.code == 2 and bad.json["error"]["field"] == "file"
