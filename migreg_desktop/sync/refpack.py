"""Reference packages, oblast → every district: territories, designated regions, settlement list,
quotas and district allotments, MCI and support parameters, rule parameters — whatever
datasets services/refdata knows. Signed by the oblast (not encrypted: the data is public and
one file serves every district). A district shows the version it runs on and warns when its
reference data is older than ``sync_refdata_max_age_days``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session

from migreg_desktop.accounts import audit, permissions
from migreg_desktop.accounts.office import current_office_code, get_meta, role, set_meta
from migreg_desktop.errors import UserError
from migreg_desktop.i18n import N_
from migreg_desktop.models import Office
from migreg_desktop.refdata import refdata
from migreg_desktop.refdata.shipped import version_key
from migreg_desktop.settings import declare
from migreg_desktop.storage import high_water
from migreg_desktop.sync import container, keys, package, refchanges, refdb
from migreg_desktop.sync.export import Written

MAX_AGE = declare("sync_refdata_max_age_days", int, 30, N_("Reference data warning (days)"),
                  N_("Warn when the reference data from the oblast office is older than this many days"),
                  action="settings.office", minimum=1, maximum=366)
PREFIX = "datasets/"


def _datasets(extra: list[Path]) -> dict[str, dict[str, Any]]:
    """Shipped datasets, replaced by newer versions given on the command line."""
    chosen: dict[str, dict[str, Any]] = {}
    for path in [*refdata.shipped_datasets(), *extra]:
        data = refdata.read_dataset(path)
        name = data["dataset"]
        if name not in refdata.LOADERS:
            raise UserError("unknown reference dataset {name}", field="file", name=name)
        old = chosen.get(name)
        if old is None or version_key(str(data["version"])) >= version_key(str(old["version"])):
            chosen[name] = data
    return chosen


def export_refdata(out: Path, extra: list[Path] | None = None, *, session: Session) -> Written:
    permissions.require('refdata.publish', session)
    me = current_office_code(session=session) or ""
    if role(session=session) != "oblast":
        raise UserError("Only the oblast office publishes reference packages.", field="office")
    datasets = _datasets(extra or [])
    for data in datasets.values():  # the oblast runs on what it publishes
        refdata.apply_dataset(data, session=session)
    seq = max(int(get_meta("sync.refdata_sequence", session=session) or 0),
              high_water.floor(high_water.REFDATA, me)) + 1  # never lowered by a restore
    high_water.raise_after_commit(session, high_water.REFDATA, me, seq)
    set_meta("sync.refdata_sequence", str(seq), session=session)
    # Quotas, allotments and the settlement list as the oblast holds them now, not as shipped.
    session.flush()
    datasets.update(refdb.build(seq, datetime.now(UTC).date().isoformat(), session=session))
    written = Written(out.with_name(out.name + ".part"), out)
    with package.temp_file(".zip") as inner:
        writer = package.PackageWriter(inner)
        for name, data in sorted(datasets.items()):
            with writer.member(f"{PREFIX}{name}.json") as member:
                member.line(data)
        versions = {n: str(d["version"]) for n, d in datasets.items()}
        manifest = writer.finish(package.base_manifest("refdata", me, "*", seq, refdata=versions,
                                                       counts={n: 1 for n in datasets}))
        header = {k: manifest[k] for k in package.HEADER_KEYS}
        sha = container.write(written.part, header, inner, keys.load_keys(me).signing, None)
    audit.record("refdata_export", "sync_package", f"refdata#{seq}", {"versions": [None, versions]}, session=session)
    written.result = {"status": "exported", "sequence": seq, "versions": versions, "file": str(out), "sha256": sha}
    return written


def apply(reader: package.PackageReader, header: dict[str, Any], *, session: Session,
          dry_run: bool = False) -> dict[str, Any]:
    sender = session.get(Office, header["sender"])
    if sender is None or sender.kind != "oblast":
        raise container.Rejected("untrusted_sender", N_("Reference packages come from the oblast office only."))
    loaded: dict[str, str] = {}
    members = sorted(reader.manifest["members"], key=_member_order)
    created = str(reader.manifest.get("created_at", ""))
    before = get_meta("sync.refdata_created_at", session=session) or ""
    seq = int(header.get("sequence") or 0)
    last = int(get_meta("sync.refdata_applied_sequence", session=session) or 0)
    newer = seq > last  # the oblast numbers its reference packages
    changes: list[dict[str, Any]] = []  # what each dataset changed, for the result and the Inbox (issue 15)
    for member in members:
        if not member.startswith(PREFIX):
            raise container.Rejected("bad_schema", N_("The package members do not match its manifest."))
        for data in reader.lines(member, package.MAX_DATASET_LINE):
            if not isinstance(data, dict) or "dataset" not in data or "version" not in data:
                raise container.Rejected("bad_schema", N_("{member}: not a reference dataset."), member=member)
            change = _apply_one(data, newer, session=session)
            if change is not None:
                loaded[data["dataset"]] = str(data["version"])
                changes.append(change)
    if not loaded and created <= before:
        return package.result("already_imported", header, reason="every dataset in the package is already in use",
                      counts={"datasets": 0})
    # A newer package confirms the versions in use even when no dataset changed (age warning).
    set_meta("sync.refdata_created_at", max(created, before), session=session)
    set_meta("sync.refdata_applied_sequence", str(max(seq, last)), session=session)
    set_meta("sync.refdata_sender", header["sender"], session=session)
    audit.record("refdata_import", "sync_package", f"refdata#{header.get('sequence')}",
                 {"versions": [None, loaded], "sender": [None, header["sender"]], "refdata_changes": [None, changes]},
                 session=session)
    return package.result("applied", header, counts={"datasets": len(loaded), "versions": loaded}, refdata_changes=changes)


def _apply_one(data: dict[str, Any], newer: bool, *, session: Session) -> dict[str, Any] | None:
    """Apply one dataset of the package if it is news here; what it changed, or None."""
    name = data["dataset"]
    if data.get("origin") == refdb.ORIGIN:
        # The oblast's own figures replace ours whenever the package is newer (our local
        # edits included: the oblast decides quotas and the list, Rules §2.4, §7).
        if name not in refdb.NAMES or not newer:
            return None
        years = {int(y) for y in data.get("years") or []}
        old, before = refdata.stored_version(name, session=session), refchanges.snapshot(name, years, session=session)
        refdb.apply(data, session=session)
        after = refchanges.snapshot(name, years, session=session)
        return refchanges.compare(name, old, str(data["version"]), before, after)
    if name not in refdata.LOADERS:
        return None
    old = refdata.stored_version(name, session=session)
    if not refdata.apply_dataset(data, session=session):
        return None
    return refchanges.compare(name, old, str(data["version"]), None, None)


def _member_order(member: str) -> tuple[int, str]:
    """Territories first (everything points at KATO codes), quotas before their allotments."""
    name = member.removeprefix(PREFIX).removesuffix(".json")
    first = ("territories", *refdb.NAMES)
    return (first.index(name) if name in first else len(first), name)


def status(max_age_days: int, *, session: Session, today: date | None = None) -> dict[str, Any]:
    """Which reference data this office runs on, and whether it is too old."""
    versions = refdata.versions(session=session)
    created = get_meta("sync.refdata_created_at", session=session)
    since = None
    if created:
        since = datetime.fromisoformat(created).date()
    else:
        from sqlmodel import select

        from migreg_desktop.models import RefdataVersion

        published = [r.published for r in session.exec(select(RefdataVersion)).all() if r.published]
        since = min((date.fromisoformat(p[:10]) for p in published), default=None)
    today = today or datetime.now(UTC).date()
    age = (today - since).days if since else None
    return {"versions": versions, "reference": refdata.reference_version(session=session),
            "package_created_at": created, "since": since.isoformat() if since else None,
            "age_days": age, "max_age_days": max_age_days, "stale": age is not None and age > max_age_days}
