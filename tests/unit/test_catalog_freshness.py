"""The catalog check compares messages, not bytes (issue 11): any Babel release may write the
.mo differently, but a .po edited after compiling, or an untranslated message, still fails."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import write_po

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def tool():  # noqa: ANN201
    from tests.tools import tool as repository_tool

    return repository_tool("i18n")  # loaded once per test process (tests/tools.py)


def _catalogs(root: Path, edit=None) -> dict[str, Path]:  # noqa: ANN001
    """A kk and a ru catalog compiled to .mo; ``edit(cat)`` changes the .po afterwards."""
    written = {}
    for lang in ("kk", "ru"):
        cat = Catalog(locale=lang, domain="t")
        cat.add("Applicant", string=f"applicant-{lang}")
        cat.add(("{n} case", "{n} cases"), string=("a", "b") if lang == "kk" else ("a", "b", "c"))
        cat.add("Open", string=f"open-{lang}", context="menu")
        folder = root / lang / "LC_MESSAGES"
        folder.mkdir(parents=True)
        buf = io.BytesIO()
        write_mo(buf, cat)
        (folder / "t.mo").write_bytes(buf.getvalue())
        if edit:
            edit(cat)
        buf = io.BytesIO()
        write_po(buf, cat)
        (folder / "t.po").write_bytes(buf.getvalue())
        written[lang] = folder / "t.mo"
    return written


def test_fresh_catalogs_are_not_stale(tool, tmp_path):
    _catalogs(tmp_path)
    assert tool.stale(tmp_path) == []


def test_same_messages_in_other_bytes_are_not_stale(tool, tmp_path):
    """A .mo from another Babel release: same messages, different order and header bytes."""
    mos = _catalogs(tmp_path)
    for mo in mos.values():
        messages = tool.mo_messages(mo.read_bytes())
        messages[""] = messages[""].replace("Babel", "Some other tool") + "X-Extra: 1\n"
        mo.write_bytes(_write_mo_reversed(messages))
    assert tool.stale(tmp_path) == []


def test_po_changed_after_compiling_is_stale(tool, tmp_path):
    def edit(cat):  # noqa: ANN001, ANN202
        cat["Applicant"].string = "changed"
    mos = _catalogs(tmp_path, edit)
    assert sorted(tool.stale(tmp_path)) == sorted(mos.values())


def test_new_translation_missing_from_mo_is_stale(tool, tmp_path):
    def edit(cat):  # noqa: ANN001, ANN202
        cat.add("Save", string="saved")
    mos = _catalogs(tmp_path, edit)
    assert sorted(tool.stale(tmp_path)) == sorted(mos.values())


def test_missing_or_broken_mo_is_stale(tool, tmp_path):
    mos = _catalogs(tmp_path)
    mos["kk"].unlink()
    mos["ru"].write_bytes(b"not a catalog")
    assert sorted(tool.stale(tmp_path)) == sorted(mos.values())


def test_mo_reader_agrees_with_gettext(tool):
    import gettext

    mo = next((ROOT / "resources" / "i18n" / "kk" / "LC_MESSAGES").glob("*.mo"))
    with mo.open("rb") as fh:
        expected = gettext.GNUTranslations(fh)._catalog  # noqa: SLF001
    got = tool.mo_messages(mo.read_bytes())
    singular = {k: v for k, v in got.items() if "\x00" not in k}
    assert len(singular) > 100
    assert singular == {k: v for k, v in expected.items() if isinstance(k, str)}


def _write_mo_reversed(messages: dict[str, str]) -> bytes:
    """A valid .mo with the messages in reverse order (another writer's layout)."""
    import struct

    keys = sorted(messages, reverse=True)
    ids = b"".join(k.encode() + b"\0" for k in keys)
    strs = b"".join(messages[k].encode() + b"\0" for k in keys)
    start = 7 * 4 + 16 * len(keys)
    table_ids, table_strs, offset = [], [], 0
    for k in keys:
        table_ids += [len(k.encode()), start + offset]
        offset += len(k.encode()) + 1
    for k in keys:
        table_strs += [len(messages[k].encode()), start + offset]
        offset += len(messages[k].encode()) + 1
    header = struct.pack("<7I", 0x950412DE, 0, len(keys), 28, 28 + 8 * len(keys), 0, 0)
    return header + struct.pack(f"<{4 * len(keys)}I", *table_ids, *table_strs) + ids + strs


def test_a_message_without_translation_fails_the_check(tool, monkeypatch, capsys):
    real = tool.extracted()
    monkeypatch.setattr(tool, "extracted", lambda: {**real, (None, "A message nobody translated"): ("x.py", 1)})
    gaps = tool.missing()
    assert gaps["kk"] == gaps["ru"] == [(None, "A message nobody translated")]
    assert tool.main(["check"]) == 1
    assert "A message nobody translated" in capsys.readouterr().out


def test_compile_rewrites_only_what_changed(tool, tmp_path):
    def edit(cat):  # noqa: ANN001, ANN202
        if cat.locale_identifier == "kk":
            cat["Applicant"].string = "changed"
    mos = _catalogs(tmp_path, edit)
    untouched = mos["ru"].read_bytes() + b""  # another writer's bytes for the same messages
    mos["ru"].write_bytes(_write_mo_reversed(tool.mo_messages(untouched)))
    other_bytes = mos["ru"].read_bytes()
    tool.compile_all(tmp_path)
    assert tool.stale(tmp_path) == []
    assert mos["ru"].read_bytes() == other_bytes  # same messages: left alone
    assert tool.mo_messages(mos["kk"].read_bytes())["Applicant"] == "changed"
