"""Layout files of printed forms: ``resources/forms/<name>.json`` checked against
``resources/forms/layout.schema.json``.

An office may adjust a form without a new program: a file ``<data dir>/forms/<name>.json`` wins
over the shipped one (positions and sizes only; the wording stays in the catalogs).
A file that fails the schema is refused with the JSON path of the first problem (exit 2).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from migreg_desktop import paths
from migreg_desktop.errors import UserError
from migreg_desktop.i18n import N_

MSG_BAD_LAYOUT = N_("layout file {path} is not valid: {problem}")
MSG_UNREADABLE = N_("layout file {path} cannot be read: {error}")
MSG_NO_LAYOUT = N_("no layout file for form {name}")


@cache
def schema() -> dict[str, Any]:
    return json.loads(paths.resource("forms", "layout.schema.json").read_text(encoding="utf-8"))


def layout_path(name: str) -> Path:
    custom = paths.data_dir(create=False) / "forms" / f"{name}.json"
    if custom.is_file():
        return custom
    shipped = paths.resource("forms", f"{name}.json")
    if not shipped.is_file():
        raise UserError(MSG_NO_LAYOUT, field="form", name=name)
    return shipped


def load_layout(name: str) -> dict[str, Any]:
    path = layout_path(name)
    stat = path.stat()
    return _load(str(path), stat.st_mtime_ns, stat.st_size)


@cache
def _load(path: str, _mtime: int, _size: int) -> dict[str, Any]:
    """Cached per file version: the batch prints hundreds of slips with one parse."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UserError(MSG_UNREADABLE, field="form", path=path, error=str(exc)) from exc
    validate(data, path)
    return data


def validate(data: Any, path: str = "<layout>") -> None:
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        where = "/".join(str(p) for p in first.absolute_path) or "(top)"
        problem = f"{where}: {first.message}"
        raise UserError(MSG_BAD_LAYOUT, field="form", path=path, problem=problem)
    _check_references(data, path)


def _check_references(data: dict[str, Any], path: str) -> None:
    """What the schema cannot say: styles name known fonts, blocks name known styles."""
    for name, style in data["styles"].items():
        if style["font"] not in data["fonts"]:
            _refuse(path, f"styles/{name}: unknown font {style['font']!r}")
        if not paths.resource("fonts", data["fonts"][style["font"]]).is_file():
            _refuse(path, f"fonts/{style['font']}: no font file {data['fonts'][style['font']]}")
    items = [("page_elements", e) for e in data["page_elements"]] + [("body", b) for b in data["body"]]
    for where, item in items:
        for key in ("style", "label_style", "header_style"):
            if key in item and item[key] not in data["styles"]:
                _refuse(path, f"{where}/{item['type']}: unknown style {item[key]!r}")


def _refuse(path: str, problem: str) -> None:
    raise UserError(MSG_BAD_LAYOUT, field="form", path=path, problem=problem)
