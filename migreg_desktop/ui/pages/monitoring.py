"""Monitoring page (Rules §3; issue 16 §1): the Department's figures over every case the oblast
holds, with filters, the tables of ``department.monitoring``, charts drawn in the window, the
xlsx/PDF export, official statistics (template, import) and the proposals to the Ministry.

The query runs on the operation runner (``ctx.ops``), never on the GUI thread: 100,000 cases take
about a second. The page follows the hub (cases, quotas, reference data change while packages
arrive), debounced: a burst of signals from one import is one query, and a query asked for while
one runs waits for it, then runs once more.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from migreg_desktop.cases.status import KIND_LABELS
from migreg_desktop.department import monitoring
from migreg_desktop.department.monitoring_report import SHEETS, build_tables
from migreg_desktop.i18n import N_, _, current_language
from migreg_desktop.ui.charts import BarChart
from migreg_desktop.ui.context import AppContext
from migreg_desktop.ui.operations import Task
from migreg_desktop.ui.pages.department_dialogs import ProposalDialog, StatsErrorsDialog
from migreg_desktop.ui.registry import PageSpec, register_page
from migreg_desktop.ui.report_model import ReportModel

DEBOUNCE_MS = 400  # one query for a burst of change signals (an imported package)
TABLE_KEYS = ("totals", "by_office", "by_destination", "by_month", "quota", "adaptation", "indicators")


def query(uow: Any, f_args: tuple[Any, ...]) -> dict[str, Any]:
    """On a worker: the document and the names its tables show (one unit of work)."""
    with uow.session() as s:
        monitoring.require_oblast(session=s)
        f = monitoring.make_filter(*f_args, session=s)
        doc = monitoring.monitoring(f, session=s)
        return {"filter": f, "doc": doc, "offices": monitoring.office_names(session=s),
                "regions": monitoring.territory_names([q["region_kato"] for q in doc["quota"]], session=s)}


class MonitoringPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.result: dict[str, Any] | None = None
        self.task: Task | None = None
        self.pending = False  # a change arrived while a query ran
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.refresh)
        self._build_filters()
        self._build_buttons()
        self.tabs = QTabWidget()
        self.charts = {"quota": BarChart(True), "office": BarChart(True), "month": BarChart(False)}
        chart_page = QWidget()
        grid = QGridLayout(chart_page)
        grid.addWidget(self.charts["quota"], 0, 0, 2, 1)
        grid.addWidget(self.charts["office"], 0, 1)
        grid.addWidget(self.charts["month"], 1, 1)
        self.tabs.addTab(chart_page, "")
        self.models = {key: ReportModel(self) for key in TABLE_KEYS}
        self.views: dict[str, QTableView] = {}
        for key in TABLE_KEYS:
            view = QTableView()
            view.setModel(self.models[key])
            view.setAlternatingRowColors(True)
            view.horizontalHeader().setStretchLastSection(False)  # a long last header stays whole
            self.views[key] = view
            self.tabs.addTab(view, "")
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(self.filter_row)
        layout.addLayout(self.button_row)
        layout.addWidget(self.status)
        layout.addWidget(self.tabs, 1)
        for signal in (ctx.hub.casesReset, ctx.hub.caseChanged, ctx.hub.quotaChanged, ctx.hub.refdataChanged):
            signal.connect(self._on_changed)  # bound methods: dropped with the page
        ctx.hub.languageChanged.connect(self._on_language_changed)
        self.retranslate_ui()
        self.timer.start()  # the first count once the page is on screen, off the GUI thread

    # ---- building ---------------------------------------------------------------------------
    def _build_filters(self) -> None:
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 16px; font-weight: bold")
        self.year_label, self.kind_label, self.office_label = QLabel(), QLabel(), QLabel()
        self.year = QSpinBox()
        self.year.setRange(monitoring.MIN_YEAR, monitoring.MAX_YEAR)
        self.year.setValue(date.today().year)
        self.period = QCheckBox()
        today = QDate.currentDate()
        self.date_from, self.date_to = QDateEdit(QDate(today.year(), 1, 1)), QDateEdit(today)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd.MM.yyyy")
            edit.setEnabled(False)
            edit.dateChanged.connect(self._on_filter)
        self.period.toggled.connect(self._on_period)
        self.kind, self.office = QComboBox(), QComboBox()
        self.office.setMinimumContentsLength(18)
        self.office.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.year.valueChanged.connect(self._on_filter)
        self.kind.currentIndexChanged.connect(self._on_filter)
        self.office.currentIndexChanged.connect(self._on_filter)
        self.filter_row = QHBoxLayout()
        for w in (self.year_label, self.year, self.period, self.date_from, QLabel("—"), self.date_to,
                  self.kind_label, self.kind, self.office_label, self.office):
            self.filter_row.addWidget(w)
        self.filter_row.addStretch(1)

    def _build_buttons(self) -> None:
        self.buttons = {key: QPushButton() for key in ("refresh", "xlsx", "pdf", "template", "import", "proposal")}
        for key, slot in (("refresh", self.refresh), ("xlsx", self._ask_xlsx), ("pdf", self._ask_pdf),
                          ("template", self._ask_template), ("import", self._ask_import),
                          ("proposal", self.open_proposal)):
            self.buttons[key].clicked.connect(slot)
        reading = self.ctx.may("monitoring.read")  # the permissions table: the oblast's head and admin
        for key in ("refresh", "xlsx", "pdf", "template"):
            self.buttons[key].setVisible(reading)
        for key in ("import", "proposal"):
            self.buttons[key].setVisible(self.ctx.may("department.write"))
        self.refresh_button = self.buttons["refresh"]
        self.button_row = QHBoxLayout()
        for b in self.buttons.values():
            self.button_row.addWidget(b)
        self.button_row.addStretch(1)

    # ---- the filter and the query -----------------------------------------------------------
    def filter_args(self) -> tuple[Any, ...]:
        start = self.date_from.date().toPython() if self.period.isChecked() else None
        end = self.date_to.date().toPython() if self.period.isChecked() else None
        return (self.year.value(), start, end, self.office.currentData(), self.kind.currentData())

    def _on_period(self, on: bool) -> None:
        self.date_from.setEnabled(on)
        self.date_to.setEnabled(on)
        self._on_filter()

    def _on_filter(self, *_args: object) -> None:
        self.timer.start()

    def _on_changed(self, *_args: object) -> None:
        self.timer.start()  # debounced: a package's hundreds of signals, one query

    def refresh(self) -> Task | None:
        if not self.ctx.may("monitoring.read"):
            self.status.setText(_("Monitoring is the oblast Department's work (head or administrator)."))
            return None
        if self.task is not None:
            self.pending = True
            return self.task
        uow, args = self.ctx.work.for_actor(self.ctx.actor), self.filter_args()
        self.status.setText(_("Counting…"))
        self.task = self.ctx.ops.run(lambda _p, _c: query(uow, args), done=self._show, failed=self.status.setText,
                                     ended=self._ended, name="monitoring")
        return self.task

    def _ended(self) -> None:
        self.task = None
        if self.pending:
            self.pending = False
            self.refresh()

    def _show(self, result: dict[str, Any]) -> None:
        self.result = result
        totals = result["doc"]["totals"]
        self.status.setText(_("{cases} case(s), {persons} person(s)").format(cases=totals["cases"],
                                                                              persons=totals["persons"]))
        self._fill()

    def _fill(self) -> None:
        if self.result is None:
            return
        lang = current_language()
        tables = {t.key: t for t in build_tables(self.result["doc"], lang, offices=self.result["offices"],
                                                 regions=self.result["regions"])}
        for key in TABLE_KEYS:
            self.models[key].set_table(tables[key], lang)
            self.views[key].resizeColumnsToContents()
        self._charts(tables)

    def _charts(self, tables: dict[str, Any]) -> None:
        none = _("No cases for this filter.")
        quota = [(f"{r[1] or r[0]} · {r[2]}", float(r[6] or 0)) for r in tables["quota"].rows]
        self.charts["quota"].set_data(_("Quota fill by region, %"), quota, percent=True,
                                      empty_text=_("No quotas for this year."))
        offices = [(r[1] or r[0], float(r[2])) for r in tables["by_office"].rows if r[2]]
        self.charts["office"].set_data(_("Cases by office"), offices, empty_text=none)
        months = [(f"{r[0][5:7]}.{r[0][2:4]}", float(r[1])) for r in tables["by_month"].rows]
        self.charts["month"].set_data(_("Cases by month"), months, empty_text=none)

    # ---- files ------------------------------------------------------------------------------
    def _ask_xlsx(self) -> None:
        name, _f = QFileDialog.getSaveFileName(self, _("Export monitoring"), f"monitoring-{self.year.value()}.xlsx",
                                               "Excel (*.xlsx)")
        if name:
            self.export(Path(name), "xlsx")

    def _ask_pdf(self) -> None:
        name, _f = QFileDialog.getSaveFileName(self, _("Export monitoring"), f"monitoring-{self.year.value()}.pdf",
                                               "PDF (*.pdf)")
        if name:
            self.export(Path(name), "pdf")

    def export(self, path: Path, file_format: str) -> Task:
        """On the runner: the figures counted afresh and written by the CLI's own writer."""
        from migreg_desktop.forms.department_files import write_monitoring

        uow, args, lang = self.ctx.work.for_actor(self.ctx.actor), self.filter_args(), current_language()

        def work(_progress: Any, _is_cancelled: Any) -> Any:
            with uow.session() as s:
                f = monitoring.make_filter(*args, session=s)
                doc = monitoring.monitoring(f, session=s)
                return write_monitoring(f, doc, lang, session=s, **{file_format: path})

        self.status.setText(_("Writing {file}…").format(file=path.name))
        return self.ctx.ops.run(work, done=lambda _w: self.status.setText(_("Written: {file}").format(file=path)),
                                failed=self.status.setText, name=f"monitoring {file_format}")

    def _ask_template(self) -> None:
        name, _f = QFileDialog.getSaveFileName(self, _("Statistics template"), f"stats-{self.year.value()}.xlsx",
                                               "Excel (*.xlsx)")
        if name:
            self.write_template(Path(name))

    def write_template(self, path: Path) -> Task:
        from migreg_desktop.department import stats
        from migreg_desktop.department.monitoring_report import write_private

        uow, lang, year = self.ctx.work.for_actor(self.ctx.actor), current_language(), self.year.value()

        def work(_progress: Any, _is_cancelled: Any) -> Path:
            with uow.session() as s:
                stats.require_oblast(session=s)
                return write_private(path, stats.template_bytes(lang, session=s, year=year))

        return self.ctx.ops.run(work, done=lambda p: self.status.setText(_("Written: {file}").format(file=p)),
                                failed=self.status.setText, name="stats template")

    def _ask_import(self) -> None:
        name, _f = QFileDialog.getOpenFileName(self, _("Import statistics"), "", "Excel (*.xlsx)")
        if name:
            self.import_stats(Path(name))

    def import_stats(self, path: Path) -> Task:
        """All rows checked first; any bad row: the list of errors with row numbers, nothing written."""
        from migreg_desktop.department import stats

        uow = self.ctx.work.for_actor(self.ctx.actor)

        def work(_progress: Any, _is_cancelled: Any) -> dict[str, Any]:
            with uow.session() as s:
                stats.require_oblast(session=s)
                return stats.import_file(path, session=s)

        self.status.setText(_("Importing…"))
        return self.ctx.ops.run(work, done=self._imported, failed=self.status.setText, name="stats import")

    def _imported(self, doc: dict[str, Any]) -> None:
        if doc["errors"] or not doc["rows"]:
            self.status.setText(_("Nothing imported: {errors} error(s) in {rows} row(s).").format(
                errors=len(doc["errors"]), rows=doc["rows"]))
            self.stats_errors = StatsErrorsDialog(doc, self)
            self.stats_errors.open()
            return
        self.status.setText(_("Statistics imported: {rows} row(s), years {years}.").format(
            rows=doc["valid_rows"], years=", ".join(map(str, doc["years"]))))
        self.refresh()  # the indicators changed; no hub signal covers statistics

    def open_proposal(self) -> ProposalDialog:
        dialog = ProposalDialog(self.ctx, self.year.value(), self)
        dialog.open()
        return dialog

    # ---- language ---------------------------------------------------------------------------
    def _on_language_changed(self, _lang: str) -> None:
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.title.setText(_("Migration monitoring"))
        self.year_label.setText(_("Year:"))
        self.period.setText(_("Applications from"))
        self.kind_label.setText(_("Kind:"))
        self.office_label.setText(_("Office:"))
        self._fill_choices()
        for key, text in (("refresh", N_("Refresh")), ("xlsx", N_("Export xlsx…")), ("pdf", N_("Export PDF…")),
                          ("template", N_("Statistics template…")), ("import", N_("Import statistics…")),
                          ("proposal", N_("Proposal to the Ministry…"))):
            self.buttons[key].setText(_(text))
        self.tabs.setTabText(0, _("Charts"))
        for n, key in enumerate(TABLE_KEYS, start=1):
            self.tabs.setTabText(n, _(SHEETS[key]))
        self._fill()

    def _fill_choices(self) -> None:
        from migreg_desktop.accounts.office import list_offices

        kind, office = self.kind.currentData(), self.office.currentData()
        for combo in (self.kind, self.office):
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(_("all"), None)
        for code in monitoring.KINDS:
            self.kind.addItem(_(KIND_LABELS[code]), code)
        with self.ctx.session() as s:
            offices = [(o.code, o.name(current_language())) for o in list_offices(session=s)]
        for code, name in offices:
            self.office.addItem(f"{code} {name}", code)
        self.kind.setCurrentIndex(max(0, self.kind.findData(kind)))
        self.office.setCurrentIndex(max(0, self.office.findData(office)))
        for combo in (self.kind, self.office):
            combo.blockSignals(False)


register_page(PageSpec(key="monitoring", title=N_("Monitoring"), order=47, factory=MonitoringPage, roles=("oblast",)))
