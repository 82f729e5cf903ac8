"""`case status-batch`, `case status-undo` and `form-batch` (issue 15) end to end."""

from __future__ import annotations

import subprocess

from ..conftest import EXAMPLES


def _add_three(cli) -> list[str]:
    cli("init", "--office", "ALM-KNV", "--json")
    return [cli("case", "add", "--file", str(EXAMPLES / f"case-{kind}.json"), "--confirm", "--json").json["number"]
            for kind in ("kandas", "resettler", "intra_oblast")]


def _status(cli, number: str) -> str:
    return cli("case", "show", number, "--json").json["status"]


def test_status_batch_json_and_undo(cli):
    numbers = _add_three(cli)
    done = cli("case", "status-batch", "--to", "submitted", "--comment", "papers checked", *numbers, "--json")
    assert done.code == 0, done.err
    assert done.json["changed"] == 3 and [c["number"] for c in done.json["cases"]] == numbers
    assert {c["from"] for c in done.json["cases"]} == {"draft"} and done.json["skipped"] == []
    assert all(_status(cli, n) == "submitted" for n in numbers)
    history = cli("case", "show", numbers[0], "--json").json["history"]
    assert history[-1]["comment"] == "papers checked"
    undone = cli("case", "status-undo", done.json["operation"], "--json")
    assert undone.code == 0 and undone.json["undone"] == 3
    assert all(_status(cli, n) == "draft" for n in numbers)
    again = cli("case", "status-undo", done.json["operation"], "--json")
    assert again.code == 2 and "already undone" in again.json["error"]["message"]


def test_status_batch_refusal_changes_nothing_and_names_the_case(cli):
    numbers = _add_three(cli)
    cli("case", "status", numbers[1], "--to", "withdrawn")
    refused = cli("case", "status-batch", "--to", "submitted", *numbers, "--json", lang="ru")
    assert refused.code == 2 and numbers[1] in refused.json["error"]["message"]
    assert "Ничего не изменено" in refused.json["error"]["message"]
    assert [_status(cli, n) for n in numbers] == ["draft", "withdrawn", "draft"]
    skipped = cli("case", "status-batch", "--to", "submitted", "--skip-refused", *numbers, "--json")
    assert skipped.code == 0 and skipped.json["changed"] == 2
    assert [s["case"] for s in skipped.json["skipped"]] == [numbers[1]]


def test_status_batch_by_filter(cli):
    numbers = _add_three(cli)
    done = cli("case", "status-batch", "--to", "submitted", "--kind", "kandas", "--json")
    assert done.code == 0 and [c["number"] for c in done.json["cases"]] == [numbers[0]]
    nothing = cli("case", "status-batch", "--to", "submitted", "--json")
    assert nothing.code == 2  # neither cases nor a filter: never "every case" by accident


def test_form_batch_one_pdf_for_mixed_kinds(cli, tmp_path):
    numbers = _add_three(cli)
    out = tmp_path / "applications.pdf"
    done = cli("form-batch", "application", *numbers, "--out", str(out), "--json", lang="kk")
    assert done.code == 0, done.err
    assert done.json["cases"] == 3 and done.json["pages"] >= 3 and out.exists()
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert all(n in text for n in numbers)
    audit = cli("audit", "list", "--action", "print", "--json").json
    assert len(audit if isinstance(audit, list) else audit["entries"]) == 3
