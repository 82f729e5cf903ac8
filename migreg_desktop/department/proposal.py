"""The Department's proposals to the Ministry (Rules §4; issue 16 §3): a draft letter built from
the figures of a quota year — for each designated region and kind, the applications sent from
the oblast's districts, the places used and a computed suggestion (increase / keep / decrease,
the rule stated with its thresholds) — the territories proposal (settlements to add to or
remove from the list) and paragraphs the head writes (foreign-labour and labour-immigrant
quotas: the program has no data for them). The paragraphs are saved with the draft, audited.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, select

from migreg_desktop.accounts import audit, permissions
from migreg_desktop.accounts.audit import actor
from migreg_desktop.department import monitoring
from migreg_desktop.errors import UserError
from migreg_desktop.i18n import N_, tr
from migreg_desktop.models.department import ProposalDraft
from migreg_desktop.models.settlement_list import SettlementListEntry

# Applications count as demand once sent on from the career centre (a refusal was demand too).
SENT = ("submitted", "forwarded", "included", "refused", "moved", "closed")
PARAGRAPHS = ("intro", "quotas", "territories", "foreign_labour", "labour_immigrants", "closing")
PARAGRAPH_MAX = 4000
DEFAULT_TEXT = {
    "intro": N_("In accordance with §4 of the Rules, the Department submits its proposals for {next} on the basis "
                "of the monitoring of {year}."),
    "quotas": N_("The quotas for the admission of kandases and resettlers by region are proposed as shown in the "
                 "table below."),
    "territories": N_("Changes to the list of settlements for resettlement are proposed as follows."),
    "foreign_labour": "", "labour_immigrants": "",
    "closing": "",
}
TITLES = {
    "quotas": N_("Quotas for kandases and resettlers"), "territories": N_("Territories for resettlement"),
    "foreign_labour": N_("Quota for attracting foreign labour"),
    "labour_immigrants": N_("Quota for labour immigrants"),
}


@dataclass(frozen=True)
class Thresholds:
    increase_above: float = 120.0  # demand above this share of the places → increase
    decrease_below: float = 80.0  # demand below it → decrease

    def check(self) -> Thresholds:
        if not 0 <= self.decrease_below < self.increase_above <= 1000:
            raise UserError(N_("The thresholds must satisfy 0 ≤ decrease-below < increase-above ≤ 1000 (%)."),
                            field="increase_above")
        return self


def _applications(year: int, quota_keys: set[tuple[str, str]], *, session: Session) -> dict[tuple[str, str], tuple[int, int]]:
    """(region or intra-oblast destination, kind) → (applicants, persons) of the year's sent cases."""
    f = monitoring.MonitoringFilter(year)
    groups = monitoring._groups(f, session=session, period=False, statuses=SENT)
    region = monitoring._region_map(session=session)
    out: dict[tuple[str, str], tuple[int, int]] = {}
    for _office, kind, _status, kato, cases, persons in groups:
        if kato is None:
            continue
        place = kato if kind == "intra_oblast" and (kato, kind) in quota_keys else region.get(kato)
        if place is None:
            continue
        old = out.get((place, kind), (0, 0))
        out[(place, kind)] = (old[0] + cases, old[1] + persons)
    return out


def suggest(demand: int, limit: int, t: Thresholds) -> tuple[str, float | None]:
    if limit <= 0:
        return ("increase" if demand > 0 else "keep"), None
    percent = round(100.0 * demand / limit, 1)
    if percent > t.increase_above:
        return "increase", percent
    if percent < t.decrease_below:
        return "decrease", percent
    return "keep", percent


def quota_rows(year: int, t: Thresholds, *, session: Session) -> list[dict[str, Any]]:
    from migreg_desktop.eligibility import quotas

    qs = quotas.show(year, session=session)["quotas"]
    keys = {(q["region"], q["kind"]) for q in qs}
    sent = _applications(year, keys, session=session)
    used = {(q["region_kato"], q["kind"]): q["included"]
            for q in monitoring._quota(monitoring.MonitoringFilter(year),
                                       monitoring._groups(monitoring.MonitoringFilter(year), session=session,
                                                          period=False, statuses=monitoring.INCLUDED),
                                       session=session)}
    out = []
    for q in qs:
        applicants, persons = sent.get((q["region"], q["kind"]), (0, 0))
        demand = persons if q["counting"] == "family" else applicants
        suggestion, percent = suggest(demand, q["limit"], t)
        names = q["region_name"] or {}
        out.append({"region_kato": q["region"], "name_kk": names.get("kk"), "name_ru": names.get("ru"),
                    "kind": q["kind"], "counting": q["counting"], "limit": q["limit"], "applications": demand,
                    "used": used.get((q["region"], q["kind"]), 0), "demand_percent": percent,
                    "suggestion": suggestion})
    return out


def territories(year: int, *, session: Session) -> dict[str, list[dict[str, Any]]]:
    """From the monitoring figures: settlements on the year's list that received no application
    (remove), and oblast destinations of intra-oblast applications that are not on it (add)."""
    f = monitoring.MonitoringFilter(year)
    dest = {d["kato"]: d for d in monitoring._by_destination(monitoring._groups(f, session=session, period=False,
                                                                                 statuses=SENT), session=session)}
    listed = {e.kato for e in session.exec(select(SettlementListEntry).where(SettlementListEntry.year == year)).all()}
    names = monitoring.territory_names(sorted(listed | set(k for k in dest if k)), session=session)
    remove = [{"kato": k, "name_kk": names.get(k, {}).get("kk"), "name_ru": names.get(k, {}).get("ru"), "cases": 0}
              for k in sorted(listed) if k not in dest]
    add = [{"kato": k, "name_kk": d["name_kk"], "name_ru": d["name_ru"], "cases": d["cases"]}
           for k, d in sorted(dest.items(), key=lambda kv: (-kv[1]["cases"], kv[0] or ""))
           if k and k.startswith("19") and k not in listed and k != "190000000"]
    return {"add": add, "remove": remove}


def load_paragraphs(year: int, lang: str, *, session: Session) -> dict[str, str]:
    """The draft keeps one text per language (the letter is printed in Kazakh or Russian)."""
    row = session.get(ProposalDraft, year)
    saved = dict((row.paragraphs or {}).get(lang) or {}) if row else {}
    return {k: str(saved.get(k, "")) for k in PARAGRAPHS}


def save_paragraphs(year: int, lang: str, edits: dict[str, str], *, session: Session) -> dict[str, str]:
    """Store the head's paragraphs in ``lang`` (audited); an empty text returns a paragraph to
    its default (or, for the quotas without data, to blank lines)."""
    permissions.require("department.write", session)
    for key, text in edits.items():
        if key not in PARAGRAPHS:
            raise UserError(N_("{value} is not one of: {choices}"), field="paragraph", value=key,
                            choices=", ".join(PARAGRAPHS))
        if len(text) > PARAGRAPH_MAX:
            raise UserError(N_("The paragraph {key} is longer than {limit} characters."), field="paragraph",
                            key=key, limit=PARAGRAPH_MAX)
    old = load_paragraphs(year, lang, session=session)
    new = {**old, **{k: v.strip() for k, v in edits.items()}}
    row = session.get(ProposalDraft, year)
    if row is not None and new == old:
        return new
    changes = {f"{lang}.{k}": [old[k] or None, new[k] or None] for k in PARAGRAPHS if old[k] != new[k]}
    created = row is None
    row = row or ProposalDraft(year=year, paragraphs={}, updated_by="")
    row.paragraphs = {**(row.paragraphs or {}), lang: new}  # a new dict: the JSON column sees the change
    row.updated_by, row.updated_at = actor(session), datetime.now(UTC)
    session.add(row)
    audit.record("create" if created else "update", "proposal_draft", str(year), changes, session=session)
    return new


def build(year: int, t: Thresholds, lang: str, *, session: Session) -> dict[str, Any]:
    monitoring.require_oblast(session=session)
    monitoring.make_filter(year, session=session)  # the year's range check
    t.check()
    return {"year": year, "for_year": year + 1,
            "thresholds": {"increase_above": t.increase_above, "decrease_below": t.decrease_below},
            "quotas": quota_rows(year, t, session=session), "territories": territories(year, session=session),
            "lang": lang, "paragraphs": load_paragraphs(year, lang, session=session)}


def paragraph_text(doc: dict[str, Any], key: str, lang: str) -> str:
    """The head's text, else the default (blank for the quotas the program has no data for)."""
    text = doc["paragraphs"].get(key) or ""
    if text:
        return text
    default = DEFAULT_TEXT[key]
    return tr(default, lang).format(year=doc["year"], next=doc["for_year"]) if default else ""


def rule_text(doc: dict[str, Any], lang: str) -> str:
    th = doc["thresholds"]
    return tr(N_("Rule: applications above {up} % of the places: increase; below {down} %: decrease; otherwise "
                 "keep. No places but applications: increase."), lang).format(
        up=_num(th["increase_above"]), down=_num(th["decrease_below"]))


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


SUGGESTIONS = {"increase": N_("increase"), "keep": N_("keep"), "decrease": N_("decrease")}


def tables(doc: dict[str, Any], lang: str) -> list[Any]:
    """The letter's tables (the PDF and the workbook draw the same ones)."""
    from migreg_desktop.department.report_table import INT, PERCENT, TEXT, Table
    from migreg_desktop.vocabulary import CASE_KIND_LABELS as KIND_LABELS

    t: Callable[[str], str] = lambda msg: tr(msg, lang)  # noqa: E731
    name = "name_kk" if lang == "kk" else "name_ru"
    quota = Table("proposal_quotas", t(TITLES["quotas"]),
                  [t(N_("KATO")), t(N_("Region")), t(N_("Kind")), t(N_("Places")), t(N_("Applications")),
                   t(N_("Used")), t(N_("Demand, %")), t(N_("Suggestion"))],
                  [TEXT, TEXT, TEXT, INT, INT, INT, PERCENT, TEXT])
    for q in doc["quotas"]:
        quota.rows.append([q["region_kato"], q[name] or "", t(KIND_LABELS.get(q["kind"], q["kind"])), q["limit"],
                           q["applications"], q["used"], q["demand_percent"], t(SUGGESTIONS[q["suggestion"]])])
    out = [quota]
    for key, title in (("add", N_("Settlements proposed for the list")),
                       ("remove", N_("Settlements proposed for removal from the list"))):
        table = Table(f"proposal_{key}", t(title), [t(N_("KATO")), t(N_("Settlement")), t(N_("Applications"))],
                      [TEXT, TEXT, INT], note=t(N_("None.")))
        table.rows = [[r["kato"], r[name] or "", r["cases"]] for r in doc["territories"][key]]
        out.append(table)
    return out
