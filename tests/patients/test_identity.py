"""National identity numbers (Skatteetaten's rules, see patients/identity.py). No database."""

import datetime

import pytest

from patients import identity
from tests.patients.national_ids import BORN_2000S, number_for

# 15076500565: a published test fødselsnummer (15.07.1965, individual 005 → male).
# Check digits by hand for 150765005: K1 = 11 - (1·3+5·7+0·6+7·1+6·8+5·9+0·4+0·5+5·2) mod 11
#   = 11 - (148 mod 11 = 5) = 6; K2 = 11 - (1·5+5·4+0·3+7·2+6·7+5·6+0·5+0·4+5·3+6·2) mod 11
#   = 11 - (138 mod 11 = 6) = 5  →  15076500565.


@pytest.mark.hazard("HAZ-001")
def test_valid_number_gives_birth_date_and_sex():
    parsed = identity.parse("15076500565")
    assert parsed.birth_date == datetime.date(1965, 7, 15)
    assert parsed.sex == "male"  # ninth digit 5 is odd
    assert not parsed.is_d_number and not parsed.is_synthetic


def test_spaces_are_ignored():
    assert identity.parse("150765 00565").number == "15076500565"


@pytest.mark.hazard("HAZ-001")
@pytest.mark.parametrize("number", ["15076500566", "15076500575", "25076500565"],
                         ids=["K2 wrong", "K1 wrong", "digit mistyped"])
def test_bad_check_digits_refused(number):
    with pytest.raises(identity.InvalidNationalId) as exc:
        identity.parse(number)
    assert exc.value.code == "check_digits"


@pytest.mark.parametrize("number", ["", "1507650056", "150765005650", "1507650056x"],
                         ids=["empty", "10 digits", "12 digits", "letter"])
def test_wrong_length_or_characters_refused(number):
    with pytest.raises(identity.InvalidNationalId) as exc:
        identity.parse(number)
    assert exc.value.code == "length"


def test_d_number_first_digit_plus_four():
    number = identity.make(datetime.date(1965, 7, 15), 5, d_number=True)
    assert number.startswith("55")
    parsed = identity.parse(number)
    assert parsed.is_d_number and parsed.birth_date == datetime.date(1965, 7, 15)


def test_synthetic_number_month_plus_eighty():
    number = identity.make(datetime.date(1961, 3, 14), 412, synthetic=True)
    assert number[2:4] == "83"
    parsed = identity.parse(number)
    assert parsed.is_synthetic and parsed.birth_date == datetime.date(1961, 3, 14) and parsed.sex == "female"


@pytest.mark.parametrize("birth, individual", [
    (datetime.date(1965, 7, 15), 5),      # 000–499 → 1900–1999
    (datetime.date(1999, 12, 31), 499),   # upper end of 000–499
    (datetime.date(1860, 1, 1), 512),     # 500–749 with year 54–99 → 1854–1899
    (datetime.date(2005, 5, 5), 600),     # 500–999 with year 00–39 → 2000–2039
    (datetime.date(2039, 1, 1), 990),     # 500–999, year 39 → 2039
    (datetime.date(1945, 2, 2), 950),     # 900–999 with year 40–99 → 1940–1999
], ids=["000-499 1900s", "499 1999", "500-749 1800s", "500-999 2000s", "990 year 39", "900-999 1940s"])
def test_century_from_individual_number(birth, individual):
    read_on = datetime.date(2040, 1, 1)  # after every birth date here (2039 lies in the future today)
    for candidate in range(individual, individual + 10):
        try:
            number = identity.make(birth, candidate, today=read_on)
        except identity.InvalidNationalId:
            continue  # no check digits exist for this one; try the next
        break
    assert identity.parse(number, today=read_on).birth_date == birth


@pytest.mark.hazard("HAZ-001")
def test_individual_number_not_issued_for_that_year_refused():
    # individual 800 with year 65: 750–899 is only issued for years 00–39.
    first_nine = "150765800"
    for individual in range(800, 900):
        first_nine = f"150765{individual:03d}"
        digits = identity.check_digits(first_nine)
        if digits:
            break
    with pytest.raises(identity.InvalidNationalId) as exc:
        identity.parse(f"{first_nine}{digits[0]}{digits[1]}")
    assert exc.value.code == "century"


def test_impossible_date_refused():
    first_nine = "310265005"  # 31 February
    for individual in range(5, 400):
        first_nine = f"310265{individual:03d}"
        digits = identity.check_digits(first_nine)
        if digits:
            break
    with pytest.raises(identity.InvalidNationalId) as exc:
        identity.parse(f"{first_nine}{digits[0]}{digits[1]}")
    assert exc.value.code == "date"


def test_female_has_even_ninth_digit():
    number = identity.make(datetime.date(1965, 7, 15), 4)
    assert identity.parse(number).sex == "female"


# --- A birth date in the future ------------------------------------------------------------
# Numbers from tests/patients/national_ids.py (check digits worked out there, not by identity.py).

JUDGED_ON = datetime.date(2030, 6, 15)
FUTURE = [
    (datetime.date(2030, 6, 16), {}),  # the next day
    (datetime.date(2039, 12, 31), {}),  # the last day the individual numbers 500–999 reach
    (datetime.date(2031, 1, 1), {"d_number": True}),
    (datetime.date(2030, 7, 1), {"synthetic": True}),
]


@pytest.mark.hazard("HAZ-031")
@pytest.mark.parametrize(("born", "kind"), FUTURE, ids=["tomorrow", "2039", "D-number", "synthetic"])
def test_birth_date_in_the_future_refused(born, kind):
    number = number_for(born, BORN_2000S, **kind)
    with pytest.raises(identity.InvalidNationalId) as exc:
        identity.parse(number, today=JUDGED_ON)
    assert exc.value.code == "future"


def test_birth_date_on_the_day_judged_is_accepted():
    born_today = number_for(JUDGED_ON, BORN_2000S)
    assert identity.parse(born_today, today=JUDGED_ON).birth_date == JUDGED_ON
    tomorrow = number_for(datetime.date(2030, 6, 16), BORN_2000S)
    assert identity.parse(tomorrow, today=datetime.date(2030, 6, 16)).birth_date == datetime.date(2030, 6, 16)


@pytest.mark.hazard("HAZ-031")
def test_birth_date_in_the_future_refused_by_default_on_the_systems_date():
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    with pytest.raises(identity.InvalidNationalId) as exc:
        identity.parse(number_for(tomorrow, BORN_2000S))
    assert exc.value.code == "future"
