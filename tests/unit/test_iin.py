from datetime import date

from hypothesis import assume, given
from hypothesis import strategies as st

from migreg_desktop.rules import iin


def test_worked_example_from_domain():
    r = iin.check("900315300123")
    assert r.valid and r.birth_date == date(1990, 3, 15) and r.sex == "M"


def test_each_failure_has_its_own_message():
    assert iin.check("90031530012").errors[0][0] == iin.MSG_LENGTH
    assert iin.check("9003153001x3").errors[0][0] == iin.MSG_DIGITS
    assert iin.check("900315900123").errors[0][0] == iin.MSG_CENTURY
    assert iin.check("900231300120").errors[0][0] == iin.MSG_DATE
    assert iin.check("900315300124").errors[0][0] == iin.MSG_CHECK


def test_leading_zero_kept_and_century_2000():
    r = iin.check("030303600051")
    assert r.valid and r.iin.startswith("0") and r.birth_date == date(2003, 3, 3) and r.sex == "F"


def test_century_zero_is_a_warning_without_date():
    # The first serial whose check digit exists (some 11-digit prefixes have none).
    first11, digit = next((p, d) for p in (f"9003150{n:04d}" for n in range(1, 100))
                          if (d := iin.check_digit(p)) is not None)
    r = iin.check(first11 + str(digit))
    assert r.valid and r.warnings and r.birth_date is None


def test_typed_values_compared_not_overwritten():
    r = iin.check("900315300123")
    warnings = iin.compare_typed(r, date(1990, 3, 16), "F")
    assert {w[0] for w in warnings} == {iin.MSG_BIRTH_MISMATCH, iin.MSG_SEX_MISMATCH}


births = st.dates(min_value=date(1900, 1, 1), max_value=date(2025, 12, 31))


@given(births, st.sampled_from(["M", "F"]), st.integers(0, 9999))
def test_made_iins_validate_and_round_trip(born, sex, serial):
    value = iin.make(born, sex, serial)
    if value is None:  # check sum 10 twice: such numbers are never issued
        return
    r = iin.check(value)
    assert r.valid, r.errors
    assert r.birth_date == born and r.sex == sex


@given(births, st.sampled_from(["M", "F"]), st.integers(0, 9999), st.integers(0, 11), st.integers(1, 9))
def test_any_single_digit_change_is_caught(born, sex, serial, pos, delta):
    value = iin.make(born, sex, serial)
    assume(value is not None)
    changed = value[:pos] + str((int(value[pos]) + delta) % 10) + value[pos + 1:]
    def first_sum(number: str) -> int:
        return sum(w * int(c) for w, c in zip(iin.WEIGHTS_1, number[:11], strict=True)) % 11

    # Weights 1..10 are invertible mod 11, so a change of digits 1–10 or of the check digit is
    # caught unless either number falls back to the second weights (sum 10). Weight 11 ≡ 0:
    # digit 11 only counts in that second pass, so it is left out of the claim.
    assume(pos != 10 and first_sum(changed) != 10 and first_sum(value) != 10)
    assert not iin.check(changed).valid


@given(st.text(max_size=20))
def test_never_crashes(raw):
    r = iin.check(raw)
    assert r.valid in (True, False)


@given(st.one_of(st.text(alphabet="0123456789", min_size=10, max_size=13),
                 st.text(alphabet="0123456789 ７٣", min_size=11, max_size=14), st.text(max_size=14)))
def test_a_packages_iin_is_judged_as_check_judges_it(raw):
    """cases/record_checks takes twelve plain digits by the fast path (issue 17 §3): the same
    value kept or the same first error as ``check`` itself."""
    from pydantic_core import PydanticCustomError

    from migreg_desktop.cases import record_checks

    result = iin.check(raw)
    try:
        got: object = record_checks._valid_iin(raw)
    except PydanticCustomError as exc:
        got = exc.message_template
    assert got == (result.errors[0][0] if result.errors else result.iin)


def test_twelve_plain_digits_pass_the_documents_text_rules_unchanged():
    from migreg_desktop.cases.case_document import _code, _iin

    for value in ("880214300125", "000000000000", "７8021430012５"):
        assert _iin(value) == fold_digits_of(_code(value))


def fold_digits_of(value: str) -> str:
    from migreg_desktop.safe_text import fold_digits

    return fold_digits(value)


def test_today_is_the_clocks_day_and_asks_again_after_midnight(monkeypatch):
    """rules/iin.today (the bulk check's day, issue 17 §4): date.today(), cached for its day only."""
    from datetime import date, datetime, timedelta

    assert iin.today() == date.today()
    day = date(2026, 3, 1)
    midnight = datetime.combine(day + timedelta(days=1), datetime.min.time()).timestamp()
    monkeypatch.setattr(iin, "_DAY", (midnight - 86400, midnight, day))  # a day that ends at midnight
    monkeypatch.setattr(iin.time, "time", lambda: midnight - 1)
    assert iin.today() == day  # still that day: not asked again
    monkeypatch.setattr(iin.time, "time", lambda: midnight + 1)
    assert iin.today() == date.today()  # the day has ended: the clock is asked
    monkeypatch.setattr(iin.time, "time", lambda: midnight - 86400 - 1)  # a clock set back before it
    assert iin.today() == date.today()
