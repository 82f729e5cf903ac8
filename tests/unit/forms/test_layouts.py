"""Layout files: every shipped one passes the schema; tables fit their frame; bad files are refused."""

from __future__ import annotations

import copy
import json

import pytest

from migreg_desktop import forms
from migreg_desktop.errors import UserError
from migreg_desktop.forms.layout import load_layout, validate
from migreg_desktop.paths import resource

A4 = {"portrait": (210, 297), "landscape": (297, 210)}


def shipped() -> list[str]:
    return sorted(p.stem for p in resource("forms").glob("*.json") if p.stem != "layout.schema")


def test_every_form_has_a_valid_layout_and_every_layout_a_form():
    assert set(shipped()) == set(forms.form_names())
    for name in shipped():
        layout = load_layout(name)
        assert layout["form"] == name


@pytest.mark.parametrize("name", shipped())
def test_tables_fit_the_frame_and_elements_the_page(name):
    layout = load_layout(name)
    width, height = A4[layout["page"].get("orientation", "portrait")]
    frame = layout["frame"]
    inner = width - frame["left"] - frame["right"]
    for block in layout["body"]:
        if block["type"] == "table":
            assert sum(c["width"] for c in block["columns"]) <= inner + 0.01, block["source"]
        if block["type"] == "fields":
            assert block["label_width"] < inner / 2
    for el in layout["page_elements"]:
        if el["type"] == "qr":
            assert el["x"] + el["size"] <= width - 10 and el["y"] + el["size"] <= frame["top"]
        if el["type"] in ("text", "page_number"):
            assert el["x"] + el.get("width", 0) <= width - 10 and el["y"] < height - 8


def test_every_document_carries_office_case_date_and_qr():
    for name in shipped():
        fields = {el.get("field") for el in load_layout(name)["page_elements"]}
        types = {el["type"] for el in load_layout(name)["page_elements"]}
        assert {"office", "printed", "qr"} <= fields and "page_number" in types, name
        if name != "register":
            assert "case_number" in fields


@pytest.mark.parametrize("mutate, where", [
    (lambda d: d.pop("body"), "body"),
    (lambda d: d["frame"].update(top=-3), "frame/top"),
    (lambda d: d["body"].append({"type": "table", "source": "x"}), "body/"),
    (lambda d: d["styles"]["body"].update(font="nofont"), "nofont"),
    (lambda d: d["fonts"].update(regular="../../etc/passwd"), "fonts/regular"),
    (lambda d: d["page"].update(size="Letter"), "page/size"),
    (lambda d: d["page_elements"].append({"type": "qr", "x": 1, "y": 1, "size": 200, "field": "qr"}), "page_elements"),
])
def test_bad_layouts_are_refused_naming_the_place(mutate, where):
    data = copy.deepcopy(json.loads(resource("forms", "receipt.json").read_text(encoding="utf-8")))
    mutate(data)
    with pytest.raises(UserError) as err:
        validate(data, "receipt.json")
    assert where in err.value.message() and "receipt.json" in err.value.message()


def test_languages_offer_both_only_where_the_layout_stacks_copies():
    assert forms.languages("receipt") == ("kk", "ru", "both")
    assert forms.languages("application_kandas") == ("kk", "ru")
