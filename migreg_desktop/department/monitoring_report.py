"""What the monitoring files show: the tables of the monitoring document, localised.

One builder for both files (the xlsx and the PDF draw the same ``Table``s): titles, headers and
labels in the clerk's language (``lang`` passed explicitly, never the process language), values
as numbers (each file formats them: Excel number formats, Babel in the PDF). Also the owner-only
file writer both use: the figures are derived from personal data.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from migreg_desktop.department.monitoring import KINDS, MonitoringFilter
from migreg_desktop.department.report_table import DECIMAL as DECIMAL
from migreg_desktop.department.report_table import INT as INT
from migreg_desktop.department.report_table import PERCENT as PERCENT
from migreg_desktop.department.report_table import TEXT as TEXT
from migreg_desktop.department.report_table import Table as Table
from migreg_desktop.department.report_table import write_private as write_private
from migreg_desktop.i18n import N_, fmt_short_date, tr
from migreg_desktop.vocabulary import CASE_KIND_LABELS as KIND_LABELS
from migreg_desktop.vocabulary import STATUS_LABELS, STATUSES

TITLE = N_("Migration monitoring")
SHEETS = {  # key → sheet title (≤ 31 characters in every language: Excel's limit)
    "totals": N_("Totals"), "by_office": N_("By office"), "by_destination": N_("By destination"),
    "by_month": N_("By month"), "quota": N_("Quota fill"), "adaptation": N_("Adaptation"),
    "indicators": N_("Indicators"),
}
NO_DATA = {"adaptation": N_("Adaptation measures are not recorded yet."),
           "indicators": N_("Official statistics are not imported yet.")}


def _names(names: dict[str, dict[str, str]], code: str | None, lang: str) -> str:
    entry = names.get(code or "")
    return entry.get(lang) or entry.get("ru") or "" if entry else ""


def subtitle(f: MonitoringFilter, lang: str, offices: dict[str, dict[str, str]]) -> list[str]:
    """The filter in words: year, period, office, kind."""
    lines = [tr(N_("Quota year: {year}"), lang).format(year=f.year)]
    if f.date_from or f.date_to:
        lines.append(tr(N_("Applications from {start} to {end}"), lang).format(
            start=fmt_short_date(f.date_from, lang) or "…", end=fmt_short_date(f.date_to, lang) or "…"))
    if f.office:
        lines.append(tr(N_("Office: {office}"), lang).format(office=f"{f.office} {_names(offices, f.office, lang)}".strip()))
    if f.kind:
        lines.append(tr(N_("Kind: {kind}"), lang).format(kind=tr(KIND_LABELS[f.kind], lang)))
    return lines


def build_tables(doc: dict[str, Any], lang: str, *, offices: dict[str, dict[str, str]],
                 regions: dict[str, dict[str, str]]) -> list[Table]:
    t: Callable[[str], str] = lambda msg: tr(msg, lang)  # noqa: E731
    cases, persons = t(N_("Cases")), t(N_("Persons"))
    totals = Table("totals", t(SHEETS["totals"]), [t(N_("Indicator")), cases, persons], [TEXT, INT, INT])
    totals.rows.append([t(N_("All cases")), doc["totals"]["cases"], doc["totals"]["persons"]])
    for code, cell in doc["totals"]["by_kind"].items():
        totals.rows.append([t(KIND_LABELS.get(code, code)), cell["cases"], cell["persons"]])
    for code, cell in doc["totals"]["by_status"].items():
        totals.rows.append([t(STATUS_LABELS.get(code, code)), cell["cases"], cell["persons"]])

    kinds = [t(KIND_LABELS[k]) for k in KINDS]
    statuses = [t(STATUS_LABELS[s]) for s in STATUSES]
    by_office = Table("by_office", t(SHEETS["by_office"]),
                      [t(N_("Code")), t(N_("Office")), cases, persons, *kinds, *statuses],
                      [TEXT, TEXT, INT, INT] + [INT] * (len(kinds) + len(statuses)))
    for o in doc["by_office"]:
        by_office.rows.append([o["office"], _names(offices, o["office"], lang), o["cases"], o["persons"],
                               *(o["by_kind"][k]["cases"] for k in KINDS),
                               *(o["by_status"][s]["cases"] for s in STATUSES)])

    by_dest = Table("by_destination", t(SHEETS["by_destination"]),
                    [t(N_("KATO")), t(N_("Destination")), cases, persons], [TEXT, TEXT, INT, INT])
    for d in doc["by_destination"]:
        name = d["name_kk"] if lang == "kk" else d["name_ru"]
        by_dest.rows.append([d["kato"] or "", name or t(N_("not given")), d["cases"], d["persons"]])

    by_month = Table("by_month", t(SHEETS["by_month"]), [t(N_("Month")), cases, persons], [TEXT, INT, INT])
    by_month.rows = [[m["month"], m["cases"], m["persons"]] for m in doc["by_month"]]

    quota = Table("quota", t(SHEETS["quota"]),
                  [t(N_("KATO")), t(N_("Region")), t(N_("Kind")), t(N_("Limit")), t(N_("Reserved")),
                   t(N_("Included")), t(N_("Filled, %"))], [TEXT, TEXT, TEXT, INT, INT, INT, PERCENT])
    for q in doc["quota"]:
        quota.rows.append([q["region_kato"], _names(regions, q["region_kato"], lang),
                           t(KIND_LABELS.get(q["kind"], q["kind"])), q["limit"], q["reserved"], q["included"],
                           q["percent"]])

    extras = {"adaptation": _adaptation_table, "indicators": _indicators_table}
    extra = [extras[key](doc[key], lang, offices) if doc.get(key) else
             Table(key, t(SHEETS[key]), [], [], note=t(NO_DATA[key])) for key in ("adaptation", "indicators")]
    return [totals, by_office, by_dest, by_month, quota, *extra]


def _adaptation_table(rows: list[dict[str, Any]], lang: str, offices: dict[str, dict[str, str]]) -> Table:
    """Rules §9–10: measures by office, kind, age group (youth 14–34 apart) and outcome."""
    from migreg_desktop.department.adaptation import AGE_LABELS, OUTCOME_LABELS
    from migreg_desktop.department.adaptation import KIND_LABELS as MEASURES

    t: Callable[[str], str] = lambda msg: tr(msg, lang)  # noqa: E731
    table = Table("adaptation", t(SHEETS["adaptation"]),
                  [t(N_("Code")), t(N_("Office")), t(N_("Measure")), t(N_("Age group")), t(N_("Outcome")),
                   t(N_("Measures")), t(N_("Persons"))], [TEXT, TEXT, TEXT, TEXT, TEXT, INT, INT])
    for r in rows:
        table.rows.append([r["office"], _names(offices, r["office"], lang), t(MEASURES.get(r["kind"], r["kind"])),
                           t(AGE_LABELS.get(r["age_group"], r["age_group"])),
                           t(OUTCOME_LABELS.get(r["outcome"], r["outcome"])), r["measures"], r["persons"]])
    return table


def _indicators_table(rows: list[dict[str, Any]], lang: str, offices: dict[str, dict[str, str]]) -> Table:
    from migreg_desktop.department.stats import indicators_table

    return indicators_table(rows, lang, title=tr(SHEETS["indicators"], lang))
