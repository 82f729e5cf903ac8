"""Office keys (PyNaCl): Ed25519 to sign packages, X25519 to receive encrypted ones.

The private keys live in ``<data dir>/keys/office.key`` (owner-only permissions); partners'
public keys are trusted once, at set-up, by the oblast admin (`keys trust FILE --office CODE`):
the oblast trusts every district, each district trusts the oblast.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nacl.public import PrivateKey, PublicKey
from nacl.signing import SigningKey, VerifyKey
from sqlmodel import Session

from migreg_desktop import paths
from migreg_desktop.accounts import audit, permissions
from migreg_desktop.accounts.office import current_office_code
from migreg_desktop.errors import NotFound, SyncError, UserError
from migreg_desktop.models.sync import SyncPartner
from migreg_desktop.sync.container import b64 as b64  # the keys' text form
from migreg_desktop.sync.container import unb64 as unb64

PUBLIC_FORMAT = "migreg-public-key"


def fingerprint(sign_key: bytes, box_key: bytes) -> str:
    """Short, readable digest the two admins can compare by phone."""
    digest = hashlib.sha256(sign_key + box_key).hexdigest()[:20].upper()
    return "-".join(digest[i:i + 4] for i in range(0, 20, 4))


@dataclass
class OfficeKeys:
    office: str
    signing: SigningKey
    box: PrivateKey

    @property
    def sign_public(self) -> bytes:
        return bytes(self.signing.verify_key)

    @property
    def box_public(self) -> bytes:
        return bytes(self.box.public_key)

    def public_doc(self) -> dict[str, Any]:
        return {"format": PUBLIC_FORMAT, "version": 1, "office": self.office,
                "sign_key": b64(self.sign_public), "box_key": b64(self.box_public),
                "fingerprint": fingerprint(self.sign_public, self.box_public)}


def key_file() -> Path:
    folder = paths.data_dir() / "keys"
    paths.make_private_dir(folder)
    return folder / "office.key"


def _write_private(path: Path, text: str) -> None:
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    try:
        os.chmod(tmp, 0o600)
    except OSError:  # Windows: the profile's ACL protects the data dir
        pass
    os.replace(tmp, path)


def init_keys(*, session: Session, force: bool = False) -> OfficeKeys:
    permissions.require('keys.manage', session)
    office = current_office_code(session=session)
    if office is None:
        raise UserError("This database has no office yet. Run 'migreg init --office CODE'.")
    path = key_file()
    if path.exists() and not force:
        raise UserError("This office already has keys ({path}); use --force to replace them "
                        "(partners must then trust the new public key).", path=str(path))
    keys = OfficeKeys(office, SigningKey.generate(), PrivateKey.generate())
    doc = {"office": office, "sign_private": b64(bytes(keys.signing)), "box_private": b64(bytes(keys.box))}
    _write_private(path, json.dumps(doc))
    audit.record("keys_init", "office_keys", office, {"fingerprint": [None, keys.public_doc()["fingerprint"]]},
                 session=session)
    return keys


def load_keys(office: str | None = None) -> OfficeKeys:
    path = key_file()
    if not path.exists():
        raise SyncError("This office has no keys yet. Run 'migreg keys init'.")
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        keys = OfficeKeys(doc["office"], SigningKey(unb64(doc["sign_private"])), PrivateKey(unb64(doc["box_private"])))
    except (OSError, ValueError, KeyError) as exc:
        raise SyncError("The office key file {path} is damaged: {error}", path=str(path), error=str(exc)) from exc
    if office and keys.office != office:
        raise SyncError("The key file belongs to office {other}, not {office}.", other=keys.office, office=office)
    return keys


def export_public(out: Path, *, session: Session) -> dict[str, Any]:
    keys = load_keys(current_office_code(session=session))
    doc = keys.public_doc()
    out.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    return doc


def read_public(path: Path) -> dict[str, Any]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError) as exc:
        raise UserError("cannot read {path}: {error}", field="file", path=str(path), error=str(exc)) from exc
    if not isinstance(doc, dict) or doc.get("format") != PUBLIC_FORMAT:
        raise UserError("{path} is not a public key file of this program", field="file", path=str(path))
    try:
        VerifyKey(unb64(doc["sign_key"]))
        PublicKey(unb64(doc["box_key"]))
    except Exception as exc:  # any decoding problem means a damaged file
        raise UserError("{path}: the keys in this file are damaged", field="file", path=str(path)) from exc
    return doc


def trust(path: Path, office: str, *, session: Session) -> SyncPartner:
    from migreg_desktop.models import Office

    permissions.require('keys.manage', session)
    doc = read_public(path)
    office = office.upper()
    if session.get(Office, office) is None:
        raise NotFound("unknown office code {code}", field="office", code=office)
    if doc.get("office") != office:
        raise UserError("The key file belongs to office {other}, not {office}.", field="office",
                        other=str(doc.get("office")), office=office)
    if office == current_office_code(session=session):
        raise UserError("This is our own office's key; trust the partner's key instead.", field="office")
    partner = session.get(SyncPartner, office)
    old = partner.fingerprint if partner else None
    fp = fingerprint(unb64(doc["sign_key"]), unb64(doc["box_key"]))
    partner = partner or SyncPartner(office_code=office, sign_key="", box_key="", fingerprint="")
    partner.sign_key, partner.box_key, partner.fingerprint = doc["sign_key"], doc["box_key"], fp
    session.add(partner)
    audit.record("keys_trust", "sync_partner", office, {"fingerprint": [old, fp]}, session=session)
    return partner


def own_fingerprint(office: str | None = None) -> str | None:
    """This office's fingerprint, None while it has no (readable) keys."""
    try:
        return load_keys(office).public_doc()["fingerprint"]
    except SyncError:
        return None


def partners(*, session: Session) -> list[dict[str, Any]]:
    """The trusted partner offices, by code (CLI `keys list` and the Keys page)."""
    from sqlmodel import col, select

    rows = session.exec(select(SyncPartner).order_by(col(SyncPartner.office_code))).all()
    return [{"office": p.office_code, "fingerprint": p.fingerprint, "trusted_at": p.trusted_at} for p in rows]


def partner(office: str, *, session: Session) -> SyncPartner | None:
    return session.get(SyncPartner, office)


def partner_keys(office: str, *, session: Session) -> tuple[VerifyKey, PublicKey]:
    p = session.get(SyncPartner, office)
    if p is None:
        raise SyncError("Office {office} is not trusted here: import its public key with "
                        "'migreg keys trust FILE --office {office}'.", office=office)
    return VerifyKey(unb64(p.sign_key)), PublicKey(unb64(p.box_key))
