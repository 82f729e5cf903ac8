"""Catalog workflow: every user-visible string in Kazakh and Russian.

    python tools/i18n.py missing              # msgids in the code with no kk/ru translation
    python tools/i18n.py add DOMAIN           # append the missing ones to DOMAIN.po (kk and ru)
    python tools/i18n.py compile              # .po → .mo (the .mo files are committed)
    python tools/i18n.py check                # exit 1 if anything is missing, fuzzy or stale

Domains are just files: each feature keeps its own ``<domain>.po`` so parallel work never
edits the same catalog; the program chains them all (migreg_desktop/i18n.py).
Strings are found in calls of _(), N_(), tr(), ngettext(), pgettext() and of the typed errors
(UserError("msgid", ...), NotFound(...), … — see KEYWORDS).
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "resources" / "i18n"
LANGS = ("kk", "ru")
KEYWORDS = {"_": None, "N_": None, "tr": (1,), "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
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


def catalogs(lang: str) -> list[Path]:
    return sorted((I18N / lang / "LC_MESSAGES").glob("*.po"))


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
    return {lang: [k for k in wanted if k not in translated(lang)] for lang in LANGS}


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


def compile_all() -> None:
    for lang in LANGS:
        for po in catalogs(lang):
            cat = load(po)
            buf = io.BytesIO()
            write_mo(buf, cat, use_fuzzy=False)
            po.with_suffix(".mo").write_bytes(buf.getvalue())


def stale() -> list[Path]:
    out = []
    for lang in LANGS:
        for po in catalogs(lang):
            buf = io.BytesIO()
            write_mo(buf, load(po), use_fuzzy=False)
            mo = po.with_suffix(".mo")
            if not mo.exists() or mo.read_bytes() != buf.getvalue():
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
