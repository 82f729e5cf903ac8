"""Catalog workflow: every user-visible string in Kazakh and Russian.

    python tools/i18n.py missing              # msgids in the code with no kk/ru translation
    python tools/i18n.py add DOMAIN           # append the missing ones to DOMAIN.po (kk and ru)
    python tools/i18n.py compile              # .po → .mo (the .mo files are committed)
    python tools/i18n.py check                # exit 1 if anything is missing, fuzzy or stale

Domains are just files: each feature keeps its own ``<domain>.po`` so parallel work never
edits the same catalog; the program chains them all (migreg_desktop/i18n.py).
Strings are found in calls of _(), N_(), tr(), ngettext(), pgettext(), of a translator's methods
(``t = i18n.translator(lang)``: t.gettext(), t.pgettext(), t.ngettext() — Babel matches the method
name) and of the typed errors (UserError("msgid", ...), NotFound(...), … — see KEYWORDS).
"""

from __future__ import annotations

import io
import re
import struct
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "resources" / "i18n"
LANGS = ("kk", "ru")
KEYWORDS = {"_": None, "N_": None, "tr": (1,), "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
# Typed errors carry their msgid as the first argument (errors.py): extract those too.
KEYWORDS.update({name: (1,) for name in (
    "MigregError", "UserError", "NotFound", "DuplicateError", "RuleRefused", "IntegrityError",
    "SchemaTooNew", "SyncError", "NeedsConfirmation")})
_PLURALS_NOTE = {"kk": "nplurals=2; plural=(n != 1);",
           "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"}


Key = tuple[str | None, object]  # (context, msgid or (singular, plural))


def _key(context: str | None, message: object) -> Key:
    if isinstance(message, list | tuple):
        message = tuple(message)
    return (context or None, message)


def extracted() -> dict[Key, tuple[str, int]]:
    found: dict[Key, tuple[str, int]] = {}
    method_map = [("**.py", "python")]
    for fname, lineno, message, _comments, context in extract_from_dir(
            str(ROOT / "migreg_desktop"), method_map=method_map, keywords=KEYWORDS):
        found.setdefault(_key(context, message), (fname, lineno))
    return found


def catalogs(lang: str, root: Path = I18N) -> list[Path]:
    return sorted((root / lang / "LC_MESSAGES").glob("*.po"))


def load(path: Path) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh, locale=path.parts[-3])


def translated(lang: str) -> set[Key]:
    have: set[Key] = set()
    for po in catalogs(lang):
        for m in load(po):
            done = all(m.string) if isinstance(m.string, tuple | list) else bool(m.string)
            if m.id and done and not m.fuzzy:
                have.add(_key(m.context, m.id))
    return have


def missing() -> dict[str, list[Key]]:
    wanted = extracted()
    have = {lang: translated(lang) for lang in LANGS}
    return {lang: [k for k in wanted if k not in have[lang]] for lang in LANGS}


def add(domain: str) -> None:
    wanted = extracted()
    for lang in LANGS:
        path = I18N / lang / "LC_MESSAGES" / f"{domain}.po"
        cat = load(path) if path.exists() else Catalog(locale=lang, domain=domain, project="migreg-desktop")
        present = {_key(m.context, m.id) for po in catalogs(lang) for m in load(po) if m.id}
        for (context, msg), (fname, lineno) in wanted.items():
            if (context, msg) in present:
                continue
            empty = ("",) * (2 if lang == "kk" else 3) if isinstance(msg, tuple) else ""
            cat.add(msg, string=empty, locations=[(fname, lineno)], context=context)
        cat.fuzzy = False  # the header must reach the .mo (plural forms)
        path.parent.mkdir(parents=True, exist_ok=True)
        buf = io.BytesIO()
        write_po(buf, cat, width=100, sort_output=False)
        path.write_bytes(buf.getvalue())
        print(f"{path.relative_to(ROOT)}: {len(cat)} messages")


def compile_all(root: Path = I18N) -> None:
    """Compile the catalogs whose messages changed; leave the others' bytes alone (no churn when
    another Babel release would write the same messages differently)."""
    for mo in stale(root):
        buf = io.BytesIO()
        write_mo(buf, load(mo.with_suffix(".po")), use_fuzzy=False)
        mo.write_bytes(buf.getvalue())


def mo_messages(data: bytes) -> dict[str, str]:
    """The messages of a compiled catalog (GNU .mo), read by the format, not by the bytes a
    particular Babel release happens to write (issue 11: no test depends on a tool's bytes)."""
    order = "<" if data[:4] == b"\xde\x12\x04\x95" else ">"
    if order == ">" and data[:4] != b"\x95\x04\x12\xde":
        raise ValueError("not a .mo file")
    count, ids_at, strs_at = struct.unpack(order + "3I", data[8:20])
    out = {}
    for i in range(count):
        id_len, id_off = struct.unpack(order + "2I", data[ids_at + 8 * i:ids_at + 8 * i + 8])
        str_len, str_off = struct.unpack(order + "2I", data[strs_at + 8 * i:strs_at + 8 * i + 8])
        out[data[id_off:id_off + id_len].decode()] = data[str_off:str_off + str_len].decode()
    return out


def po_messages(cat: Catalog) -> dict[str, str]:
    """What a .mo compiled from ``cat`` must hold: every translated, non-fuzzy message keyed as
    gettext keys it (context\x04id, singular\x00plural)."""
    out = {}
    for m in cat:
        strings = m.string if isinstance(m.string, tuple | list) else (m.string,)
        if not m.id or m.fuzzy or not all(strings):
            continue
        ids = m.id if isinstance(m.id, tuple | list) else (m.id,)
        key = "\x00".join(ids)
        out[f"{m.context}\x04{key}" if m.context else key] = "\x00".join(strings)
    return out


def _plural_forms(header: str) -> str:
    found = re.search(r"^Plural-Forms:\s*(.*)$", header, re.MULTILINE)
    return found.group(1).strip() if found else ""


def stale(root: Path = I18N) -> list[Path]:
    """Compiled catalogs whose messages or plural rule differ from their .po (or are missing)."""
    out = []
    for lang in LANGS:
        for po in catalogs(lang, root):
            cat = load(po)
            mo = po.with_suffix(".mo")
            try:
                compiled = mo_messages(mo.read_bytes())
            except (OSError, ValueError, struct.error, UnicodeDecodeError):
                out.append(mo)
                continue
            header = compiled.pop("", "")
            if compiled != po_messages(cat) or _plural_forms(header) != cat.plural_forms:
                out.append(mo)
    return out


def main(argv: list[str]) -> int:
    cmd = argv[0] if argv else "check"
    if cmd == "add":
        add(argv[1])
        return 0
    if cmd == "compile":
        compile_all()
        return 0
    gaps = missing()
    for lang, keys in gaps.items():
        for context, msg in keys:
            print(f"{lang}: missing {msg!r}" + (f" (context {context!r})" if context else ""))
    if cmd == "missing":
        return 0
    old = stale()
    for mo in old:
        print(f"stale: {mo.relative_to(ROOT)} (run: python tools/i18n.py compile)")
    return 1 if any(gaps.values()) or old else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
