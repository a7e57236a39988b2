"""Norwegian national identity numbers (fødselsnummer, D-nummer): check digits,
birth date and sex.

Rules (Skatteetaten, "Fødselsnummer"; not from the clinical guidelines):

- 11 digits ``DDMMYY III K1 K2``; ``III`` is the individual number, K1 and K2
  are mod-11 check digits with the weights below. A remainder giving check
  digit 10 means the number cannot exist.
- D-number: the first digit is increased by 4 (day 41–71).
- Synthetic test numbers (Skatteetaten's Tenor test population) have the month
  increased by 80; they are accepted so that demo and training data never use
  a number that could belong to a real person. ``is_synthetic`` says so.
- Century from the individual number: 000–499 → 1900–1999; 500–749 with year
  54–99 → 1854–1899; 500–999 with year 00–39 → 2000–2039; 900–999 with year
  40–99 → 1940–1999. Any other combination is not issued and is refused.
- The third digit of the individual number (ninth digit) is odd for men, even
  for women.
- A birth date after the day the number is read cannot be anyone's: refused (the
  individual numbers 500–999 reach up to 2039, so the century rule alone allows it).

Pure Python: no Django, so the rules can be tested on their own.
"""

import datetime
from dataclasses import dataclass

K1_WEIGHTS = (3, 7, 6, 1, 8, 9, 4, 5, 2)
K2_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


class InvalidNationalId(ValueError):
    """The text is not a valid national identity number; ``code`` says why
    (length, check_digits, century, date, future); ``birth_date`` is the date the
    number gives when the code is future."""

    def __init__(self, message, code, birth_date=None):
        super().__init__(message)
        self.code = code
        self.birth_date = birth_date


@dataclass(frozen=True)
class NationalId:
    number: str
    birth_date: datetime.date
    sex: str  # "male" | "female" (guidelines.facts.Sex values)
    is_d_number: bool
    is_synthetic: bool


def _check_digit(digits, weights):
    remainder = sum(d * w for d, w in zip(digits, weights, strict=False)) % 11
    check = (11 - remainder) % 11
    return None if check == 10 else check


def check_digits(first_nine: str) -> tuple[int, int] | None:
    """The two check digits for the first nine digits, or None if none exist."""
    digits = [int(c) for c in first_nine]
    k1 = _check_digit(digits, K1_WEIGHTS)
    if k1 is None:
        return None
    k2 = _check_digit([*digits, k1], K2_WEIGHTS)
    if k2 is None:
        return None
    return k1, k2


def century(year2: int, individual: int) -> int | None:
    if individual <= 499:
        return 1900
    if individual <= 749 and year2 >= 54:
        return 1800
    if year2 <= 39:
        return 2000
    if individual >= 900:
        return 1900
    return None


def parse(value: str, *, today: datetime.date | None = None) -> NationalId:
    """Validate a national identity number and derive birth date and sex. ``today``: the day
    it is read on (default the system's date; Django code passes ``timezone.localdate()``)."""
    number = "".join((value or "").split())
    if len(number) != 11 or not number.isdigit():
        raise InvalidNationalId("A national identity number has exactly 11 digits.", "length")
    expected = check_digits(number[:9])
    if expected is None or (int(number[9]), int(number[10])) != expected:
        raise InvalidNationalId("The check digits do not match: the number is mistyped or not valid.", "check_digits")
    day, month, year2 = int(number[0:2]), int(number[2:4]), int(number[4:6])
    individual = int(number[6:9])
    is_d_number = day > 40
    if is_d_number:
        day -= 40
    is_synthetic = month > 80
    if is_synthetic:
        month -= 80
    base = century(year2, individual)
    if base is None:
        raise InvalidNationalId(
            "The individual number does not fit the birth year: no such number is issued.", "century"
        )
    try:
        birth_date = datetime.date(base + year2, month, day)
    except ValueError as exc:
        raise InvalidNationalId("The first six digits are not a valid birth date.", "date") from exc
    if birth_date > (today or datetime.date.today()):
        raise InvalidNationalId("The birth date the number gives lies in the future.", "future", birth_date)
    sex = "male" if int(number[8]) % 2 == 1 else "female"
    return NationalId(number, birth_date, sex, is_d_number, is_synthetic)


def make(birth_date: datetime.date, individual: int, *, synthetic=False, d_number=False,
         today: datetime.date | None = None) -> str:
    """Build a valid number (for demo data and tests); the caller picks an
    individual number that fits the century. Raises if no check digits exist
    (or the birth date is after ``today``)."""
    day = birth_date.day + (40 if d_number else 0)
    month = birth_date.month + (80 if synthetic else 0)
    first_nine = f"{day:02d}{month:02d}{birth_date.year % 100:02d}{individual:03d}"
    digits = check_digits(first_nine)
    if digits is None:
        raise InvalidNationalId(
            f"No check digits exist for {first_nine}; pick another individual number.", "check_digits"
        )
    number = f"{first_nine}{digits[0]}{digits[1]}"
    parsed = parse(number, today=today)
    if parsed.birth_date != birth_date:
        raise InvalidNationalId("The individual number does not give that birth year.", "century")
    return number
