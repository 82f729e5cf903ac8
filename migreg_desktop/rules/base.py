"""Result types, facts and parameters shared by every rule."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from functools import cache
from operator import attrgetter
from typing import Any, TypeVar

from migreg_desktop.i18n import N_, tr

RULES_VERSION = "2026.2"  # issue 14: documents, age, origin potential, unknown quotas
OK, FAIL, NEEDS_CHECK = "ok", "fail", "needs_check"
SEVERITY = {OK: 0, NEEDS_CHECK: 1, FAIL: 2}
VERDICTS = ("eligible", "needs_check", "not_eligible")


@dataclass(frozen=True)
class RuleResult:
    """One rule's answer. The reason is a msgid + params, translated when shown (kk/ru/en)."""

    rule: str
    result: str  # ok | fail | needs_check
    msgid: str
    reference: str  # msgid too: "Rules §2.7" reads «Правила, п. 2.7» in Russian
    params: dict[str, Any] = field(default_factory=dict)
    applies: bool = True

    def reason(self, lang: str) -> str:
        return render(self.msgid, self.params, lang)

    def reference_text(self, lang: str) -> str:
        return tr(self.reference, lang)

    def to_store(self) -> dict[str, Any]:
        return {"rule": self.rule, "result": self.result, "applies": self.applies,
                "msgid": self.msgid, "params": self.params, "reference": self.reference}

    @classmethod
    def from_store(cls, doc: dict[str, Any]) -> RuleResult:
        return cls(rule=doc["rule"], result=doc["result"], msgid=doc["msgid"],
                   reference=doc["reference"], params=doc.get("params") or {},
                   applies=doc.get("applies", True))


@dataclass(frozen=True)
class Decision:
    results: tuple[RuleResult, ...]
    # the worst result; read for the counts, the row and ``eligible``: worked out once (issue 17 §4)
    verdict: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        worst = max([SEVERITY[r.result] for r in self.results], default=0)
        object.__setattr__(self, "verdict", VERDICTS[worst])

    @property
    def eligible(self) -> bool:
        return self.verdict == "eligible"


def decide(results: tuple[RuleResult, ...]) -> Decision:
    """``Decision(results)`` without the dataclass ``__init__`` (each field set through
    ``object.__setattr__``): the bulk check makes one per case (issue 17 §4). The verdict from the
    set of results (a set of at most three strings: half the time of the worst severity's ``max``)."""
    seen = set(map(_RESULT, results))
    if not seen <= _KNOWN:  # as Decision's own verdict: an unknown result is an error
        raise KeyError(sorted(seen - _KNOWN))
    obj = object.__new__(Decision)
    object.__setattr__(obj, "__dict__", {
        "results": results, "verdict": VERDICTS[2] if FAIL in seen else VERDICTS[1] if NEEDS_CHECK in seen else VERDICTS[0]})
    return obj


_RESULT, _KNOWN = attrgetter("result"), frozenset(SEVERITY)  # decide's loop in C


def render(msgid: str, params: dict[str, Any], lang: str) -> str:
    """Translate a reason; a param may itself be {"kk","ru"} names or a nested {"msgid"}."""
    values = {k: _param(v, lang) for k, v in params.items()}
    text = tr(msgid, lang)
    try:
        return text.format(**values)
    except (KeyError, IndexError, ValueError):
        return text


def _param(value: Any, lang: str) -> Any:
    if isinstance(value, dict):
        if "msgid" in value:
            return render(value["msgid"], value.get("params") or {}, lang)
        return value.get(lang) or value.get("ru") or value.get("kk") or ""
    if isinstance(value, list):
        return ", ".join(str(_param(v, lang)) for v in value)
    return value


def msg(msgid: str, **params: Any) -> dict[str, Any]:
    """A nested message parameter (translated in the reader's language)."""
    return {"msgid": msgid, "params": params}


def short_date(value: date | None) -> str:
    if not value:
        return ""
    text = _SHORT.get(value)
    if text is None:  # a few thousand distinct days per 100,000 cases (issue 17 §4)
        text = value.strftime("%d.%m.%Y")
        if len(_SHORT) < 1 << 16:
            _SHORT[value] = text
    return text


_SHORT: dict[date, str] = {}


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a non-leap year
        return day.replace(year=day.year + years, day=28)


def add_months(day: date, months: int) -> date:
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)


# ---- facts: what services/eligibility.py gathers from the database -------------------------

@dataclass(frozen=True)
class PersonFacts:
    iin: str | None = None
    citizenship: str = "citizen"
    registered_since: date | None = None
    employment_status: str | None = None
    kandas_certificate_no: str | None = None
    kandas_certificate_date: date | None = None
    birth_date: date | None = None


@dataclass(frozen=True)
class DocumentFacts:
    """A paper of the case: its type and dates (``applicant``: not a family member's paper)."""

    doc_type: str
    issued_on: date | None = None
    expires_on: date | None = None
    applicant: bool = True


@dataclass(frozen=True)
class Place:
    """A territory as the rules need it: level, kind and the region it belongs to."""

    kato: str
    level: str
    region: str | None
    significance: str | None = None
    settlement_type: str | None = None
    names: dict[str, str] = field(default_factory=dict)  # {"kk", "ru"}
    region_names: dict[str, str] = field(default_factory=dict)

    @property
    def is_city(self) -> bool:
        return self.level == "city" or self.settlement_type == "city"

    def __hash__(self) -> int:  # one Place per KATO; the batch check keys rule answers by place (issue 17 §4)
        return hash(self.kato)


@dataclass(frozen=True)
class ListedSettlement:
    year: int
    kato: str
    kind: str
    potential: str
    fixed_on: date | None


@dataclass(frozen=True)
class QuotaFacts:
    found: bool = False
    region: Place | None = None
    counting: str = "persons"
    limit: int = 0
    allotted: bool = False
    slots: int = 0
    reserved: int = 0  # by every case of this office on this allotment
    held: int = 0  # by this case


@dataclass(frozen=True)
class EarlierCase:
    number: str
    status: str
    iin: str


@dataclass(frozen=True)
class CaseFacts:
    case_id: str
    number: str
    kind: str
    quota_year: int
    applied_on: date
    today: date
    office_code: str
    applicant: PersonFacts
    family: tuple[PersonFacts, ...] = ()
    origin: Place | None = None
    destination: Place | None = None
    housing: str | None = None
    has_job_offer: bool = False
    has_business_plan: bool = False
    list_exists: bool = False
    list_fixed_on: date | None = None
    listed: ListedSettlement | None = None
    duplicates: tuple[str, ...] = ()  # numbers of other active cases, same IIN and kind
    earlier: tuple[EarlierCase, ...] = ()
    quota: QuotaFacts = field(default_factory=QuotaFacts)
    documents: tuple[DocumentFacts, ...] = ()
    legal_representative: str | None = None  # full name of a minor applicant's representative
    representative_basis: str | None = None  # the paper that makes them the representative
    origin_listed: ListedSettlement | None = None  # the origin on the settlement list of the year

    @property
    def family_size(self) -> int:
        return 1 + len(self.family)


_FactT = TypeVar("_FactT")
_FIELDS: dict[type, frozenset[str]] = {}


def record(cls: type[_FactT], **values: Any) -> _FactT:
    """``cls(**values)`` for a frozen fact class, without its generated ``__init__``: that one
    sets each field through ``object.__setattr__``, and ``FactSource`` builds 550,000 facts per
    `check --all` (issue 17 §4: a tenth of the time). Given other than every field exactly, it
    is the plain constructor (defaults, errors and all)."""
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = frozenset(f.name for f in fields(cls))  # type: ignore[arg-type]
    if len(values) != len(names) or not names.issuperset(values):
        return cls(**values)
    obj = object.__new__(cls)
    obj.__dict__.update(values)
    return obj


@dataclass(frozen=True)
class Params:
    """Rule parameters of the quota year (reference data), plus the designated-region lists."""

    year: int
    values: dict[str, Any]
    designated: dict[str, frozenset[str]]  # kind -> region KATOs; empty dict: no list this year
    potential: dict[str, str] = field(default_factory=dict)  # KATO -> low | medium | high (⚠ sample)
    potential_sample: bool = False

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    @property
    def home_region(self) -> str:
        return str(self.values.get("home_region", "190000000"))


NOT_APPLICABLE = N_("does not apply to this kind of case")


@cache
def fixed(rule: str, result: str, msgid: str, reference: str, applies: bool = True) -> RuleResult:
    """An answer without parameters, one shared object per wording: the bulk check stores the
    same answer for thousands of cases and encodes it once (issue 17 §4). Never mutate it."""
    return RuleResult(rule, result, msgid, reference, applies=applies)


def not_applicable(rule: str, reference: str) -> RuleResult:
    """The answer of a rule to a kind of case it does not govern."""
    return fixed(rule, OK, NOT_APPLICABLE, reference, False)
