"""Valid national identity numbers worked out in the tests, independently of patients/identity.py:
Skatteetaten's mod-11 check digits, K1 = 11 - (Σ digit·(3 7 6 1 8 9 4 5 2) mod 11) and K2 the
same over the ten digits with (5 4 3 2 7 6 5 4 3 2); 11 gives 0, 10 means no such number."""


def _mod11(digits, weights):
    check = 11 - sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
    return 0 if check == 11 else check


def number_for(born, individuals, *, d_number=False, synthetic=False):
    """A number with valid check digits for ``born`` (a D-number: day + 40; synthetic: month + 80),
    with the first individual number of ``individuals`` for which check digits exist."""
    day = born.day + (40 if d_number else 0)
    month = born.month + (80 if synthetic else 0)
    for individual in individuals:
        digits = [int(c) for c in f"{day:02d}{month:02d}{born.year % 100:02d}{individual:03d}"]
        k1 = _mod11(digits, (3, 7, 6, 1, 8, 9, 4, 5, 2))
        if k1 == 10:
            continue
        k2 = _mod11([*digits, k1], (5, 4, 3, 2, 7, 6, 5, 4, 3, 2))
        if k2 != 10:
            return "".join(map(str, [*digits, k1, k2]))
    raise AssertionError("no individual number gives check digits")


BORN_2000S = range(500, 1000)  # individual numbers 500–999 with year 00–39: born 2000–2039
