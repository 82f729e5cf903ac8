"""The Department's letter to the Ministry (Rules §4): A4 portrait, Noto Sans embedded, the
paragraphs of the draft (the head's text or the defaults; blank lines to fill by hand where the
program has no data) and the tables of services/proposal, drawn like the monitoring report's."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from migreg_desktop.department.proposal import TITLES, paragraph_text, rule_text, tables
from migreg_desktop.department.report_table import write_private
from migreg_desktop.forms import monitoring_pdf
from migreg_desktop.forms.text import font_name
from migreg_desktop.i18n import N_, fmt_date, tr

MARGIN = 18 * mm
BLANK_LINES = 4
MINISTRY = N_("To the Ministry of Labour and Social Protection of the Population of the Republic of Kazakhstan")
TITLE = N_("Proposals of the Department for {year} (Rules §4)")


def _table(table: Any, lang: str, st: dict[str, Any]) -> Any:
    if not table.rows and table.note:
        return Paragraph(escape(table.note), st["note"])
    return monitoring_pdf._table(table, lang, st, A4[0] - 2 * MARGIN)


def _paragraphs(key: str, doc: dict[str, Any], lang: str, st: dict[str, Any]) -> list[Any]:
    text = paragraph_text(doc, key, lang)
    if text:
        return [Paragraph(escape(part), st["body"]) for part in text.split("\n") if part.strip()]
    return [Paragraph("_" * 95, st["body"]) for _ in range(BLANK_LINES)]  # to be written by hand


def letter_bytes(doc: dict[str, Any], lang: str, *, department: str, printed: date) -> bytes:
    st = monitoring_pdf._styles()
    st["body"] = monitoring_pdf.ParagraphStyle("body", fontName=font_name("NotoSans-Regular.ttf"), fontSize=10,
                                               leading=14, spaceAfter=4)
    by_key = {t.key: t for t in tables(doc, lang)}
    story: list[Any] = [Paragraph(escape(department), st["sub"]), Paragraph(escape(tr(MINISTRY, lang)), st["sub"]),
                        Spacer(1, 8), Paragraph(escape(tr(TITLE, lang).format(year=doc["for_year"])), st["title"]),
                        Paragraph(escape(fmt_date(printed, lang, "long")), st["sub"]), Spacer(1, 6)]
    story += _paragraphs("intro", doc, lang, st)
    story += [Paragraph(escape(tr(TITLES["quotas"], lang)), st["h2"]), *_paragraphs("quotas", doc, lang, st),
              Paragraph(escape(rule_text(doc, lang)), st["note"]), Spacer(1, 4),
              _table(by_key["proposal_quotas"], lang, st)]
    story += [Paragraph(escape(tr(TITLES["territories"], lang)), st["h2"]), *_paragraphs("territories", doc, lang, st)]
    for key in ("proposal_add", "proposal_remove"):
        story += [Paragraph(escape(by_key[key].title), st["h2"]), _table(by_key[key], lang, st)]
    for key in ("foreign_labour", "labour_immigrants"):
        story += [Paragraph(escape(tr(TITLES[key], lang)), st["h2"]), *_paragraphs(key, doc, lang, st)]
    story += [Spacer(1, 10), *(_paragraphs("closing", doc, lang, st) if doc["paragraphs"].get("closing") else [])]
    buf = io.BytesIO()
    pdf = SimpleDocTemplate(buf, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                            bottomMargin=MARGIN, title=tr(TITLE, lang).format(year=doc["for_year"]), lang=lang,
                            initialFontName=font_name("NotoSans-Regular.ttf"))
    pdf.build(story)
    return buf.getvalue()


def write_pdf(path: Path, doc: dict[str, Any], lang: str, *, department: str, printed: date) -> Path:
    return write_private(Path(path), letter_bytes(doc, lang, department=department, printed=printed))
