"""IMWG response over a dated series (Handlingsprogram for myelomatose, «Vurdering av behandlingsrespons og
kontroll», Responskriterier and Tabell 8.2; «Behandling av tilbakefall» for the absolute minimums).

The rows used, as the seed writes them:

- measurable: «10 g/L for serum M-komponent, 200 mg/døgn for urin M-komponent i døgnurin, og 100 mg/L for
  involvert lettkjede. Lettkjedemåling skal bare brukes hvis det ikke er målbar sykdom for serum-M-komponent
  eller urin-M-komponent.»
- VGPR «≥90 % reduksjon av serum M-komponent»; PR «≥50 % reduksjon av serum M-komponent … Hvis ikke målbar M
  komponent i serum eller urin, reduksjon av dFLC >50 %»; MR «≥25% reduksjon av serum M-komponent».
- PD «Stigning av M-komponent på ≥25 % fra baseline (men minst 5 g/L) og/eller urin M-komponent (minst ≥200 mg/24
  timer). Hos pasienter uten målbar M komponent i serum eller urin: ≥25 % stigning av dFLC (absolutt stigning
  skal være >100 mg/L).» «Utvikling av nye CRAB kriterier.»
- «Hvis det ikke gjøres døgnurin … Det er da viktig å vurdere økning i lette kjeder som tegn på progresjon.»

Expected values are worked by hand from these rows in each case's id or comment.
"""

import datetime

import pytest

from guidelines.facts import Response
from guidelines.response_series import Event, Observation, response_series

START = datetime.date(2026, 1, 5)
BEFORE = datetime.date(2026, 1, 3)


def day(n):
    """``n`` four-week cycles after the start."""
    return START + datetime.timedelta(days=28 * n)


def serum(date, value):
    return Observation(date, "m_protein", value, "g/L")


def urine(date, value):
    return Observation(date, "urine_m_protein", value, "mg/24 h")


def flc(date, kappa, lam):
    return [Observation(date, "flc_kappa", kappa, "mg/L"), Observation(date, "flc_lambda", lam, "mg/L")]


def serum_run(baseline, *values):
    return [serum(BEFORE, baseline)] + [serum(day(i), v) for i, v in enumerate(values, start=1)]


def responses(result):
    return [str(a.response) for a in result.assessments]


def run(measurements, events=()):
    return response_series(treatment_start=START, measurements=measurements, events=events)


# --- baseline, measurability, confirmation ------------------------------------------------------

@pytest.mark.hazard("HAZ-107")
def test_baseline_is_the_last_value_on_or_before_the_start():
    r = run([serum(datetime.date(2025, 12, 1), 20), serum(START, 30), serum(day(1), 14), serum(day(2), 14)])
    assert r.baseline == {"serum_m_protein_g_l": (30.0, START)}
    # from 30: 14 is a 53 % fall → PR (from the older 20 it would be a 30 % fall, MR)
    assert responses(r) == ["PR", "PR"]


@pytest.mark.hazard("HAZ-107")
@pytest.mark.parametrize(("baseline", "measurable"), [
    pytest.param([serum(BEFORE, 10)], ("serum",), id="Responskriterier serum M 10 g/L measurable"),
    pytest.param([serum(BEFORE, 9.9)], (), id="Responskriterier serum M 9.9 g/L not measurable"),
    pytest.param([urine(BEFORE, 200)], ("urine",), id="Responskriterier urine M 200 mg/24 h measurable"),
    pytest.param([urine(BEFORE, 199)], (), id="Responskriterier urine M 199 mg/24 h not measurable"),
    pytest.param(flc(BEFORE, 100, 10), ("flc",), id="Responskriterier involved FLC 100 mg/L measurable"),
    pytest.param(flc(BEFORE, 99, 10), (), id="Responskriterier involved FLC 99 mg/L not measurable"),
    pytest.param([serum(BEFORE, 12), *flc(BEFORE, 500, 10)], ("serum",),
                 id="Responskriterier FLC only if serum and urine not measurable"),
])
def test_measurability_at_baseline(baseline, measurable):
    assert run(baseline).measurable_by == measurable


@pytest.mark.hazard("HAZ-107")
def test_without_a_baseline_nothing_is_evaluable_and_the_baseline_is_missing():
    r = run([serum(day(1), 14), serum(day(2), 12)])
    assert responses(r) == ["NOT_EVALUABLE", "NOT_EVALUABLE"]
    assert r.best_response == Response.NOT_EVALUABLE and "measurements" in r.missing


@pytest.mark.hazard("HAZ-107")
@pytest.mark.parametrize(("values", "expected", "confirmed", "best"), [
    # PR 30 → 14 (53 %) twice: the first confirmed by the second
    pytest.param((14, 14), ["PR", "PR"], [True, None], "PR", id="Tabell 8.2 PR confirmed by the next PR"),
    # one PR only: awaits confirmation, best response not yet PR
    pytest.param((14,), ["PR"], [None], "SD", id="Tabell 8.2 PR unconfirmed on the last assessment"),
    # PR then VGPR (30 → 3 is 90 %) then VGPR: VGPR confirmed
    pytest.param((14, 3, 2), ["PR", "VGPR", "VGPR"], [True, True, None], "VGPR",
                 id="Tabell 8.2 VGPR ≥ 90 % confirmed"),
    # VGPR then PR (30 → 5.5 is 81.7 %; nadir 3 → 5.5 is +2.5 g/L < 5, not PD): the confirmed response is PR
    pytest.param((3, 5.5), ["VGPR", "PR"], [True, None], "PR", id="Tabell 8.2 VGPR then PR confirms PR"),
    # VGPR boundary: 30 → 3.1 is 89.7 % → PR
    pytest.param((3.1, 3.1), ["PR", "PR"], [True, None], "PR", id="Tabell 8.2 VGPR not at 89.7 %"),
    # MR: 30 → 22.5 is 25 % (≥ 25 %); 30 → 22.6 is 24.7 % → SD
    pytest.param((22.5, 22.5), ["MR", "MR"], [True, None], "MR", id="Tabell 8.2 MR 25 % fall"),
    pytest.param((22.6, 22.6), ["SD", "SD"], [None, None], "SD", id="Tabell 8.2 MR not at 24.7 %: SD"),
])
def test_confirmation_by_two_consecutive_assessments(values, expected, confirmed, best):
    r = run(serum_run(30, *values))
    assert responses(r) == expected
    assert [a.confirmed for a in r.assessments] == confirmed
    assert str(r.best_response) == best


@pytest.mark.hazard("HAZ-107")
def test_a_not_evaluable_date_is_skipped_when_confirming():
    # day 2 has only light chains: the serum path is measurable, the serum value is missing → not evaluable
    measurements = [serum(BEFORE, 30), serum(day(1), 14), *flc(day(2), 20, 10), serum(day(3), 13)]
    r = run(measurements)
    assert responses(r) == ["PR", "NOT_EVALUABLE", "PR"]
    assert r.assessments[0].confirmed is True and r.best_response == Response.PR
    assert "measurements[].serum_m_protein_g_l" in r.missing


# --- progression ----------------------------------------------------------------------------------

@pytest.mark.hazard("HAZ-106")
@pytest.mark.parametrize(("values", "expected", "progression"), [
    # nadir 10 (67 % fall: PR) → 15: +5 g/L (men minst 5 g/L) and +50 % → PD, confirmed by 16
    pytest.param((10, 15, 16), ["PR", "PD", "PD"], 2, id="Tabell 8.2 PD serum +5 g/L (minst 5 g/L)"),
    # nadir 10 → 14: +4 g/L < 5 → not PD (53 % below baseline: PR)
    pytest.param((10, 14, 14), ["PR", "PR", "PR"], None, id="Tabell 8.2 PD not at serum +4 g/L"),
    # nadir 24 (20 % fall: SD) → 30: +6 g/L and +25 % (≥25 %) → PD
    pytest.param((24, 30, 31), ["SD", "PD", "PD"], 2, id="Tabell 8.2 PD serum +25 % from nadir"),
    # nadir 24 → 29.9: +5.9 g/L but +24.6 % < 25 % → not PD
    pytest.param((24, 29.9, 29.9), ["SD", "SD", "SD"], None, id="Tabell 8.2 PD not at serum +24.6 %"),
    # PD once, then back below: not confirmed, no progression
    pytest.param((10, 15, 12), ["PR", "PD", "PR"], None, id="Tabell 8.2 PD not confirmed by the next assessment"),
])
def test_serum_progression_with_its_absolute_minimum(values, expected, progression):
    r = run(serum_run(30, *values))
    assert responses(r) == expected
    if progression is None:
        assert r.progression is None
    else:
        assert r.progression.date == day(progression) and r.progression.confirmed_on == day(progression + 1)
        assert any(reason.startswith("PD: serum M-component") for reason in r.progression.reasons)


@pytest.mark.hazard("HAZ-106")
def test_single_pd_on_the_last_date_awaits_confirmation():
    r = run(serum_run(30, 10, 15))
    assert responses(r) == ["PR", "PD"] and r.assessments[-1].confirmed is None and r.progression is None
    assert any("awaits confirmation" in reason for reason in r.reasons)


@pytest.mark.hazard("HAZ-106")
@pytest.mark.parametrize(("value", "expected"), [
    # baseline 1000, nadir 100 (90 % fall, < 200: PR) → 300: +200 mg/24 h (minst ≥200 mg/24 timer), +200 % → PD
    pytest.param(300, "PD", id="Tabell 8.2 PD urine +200 mg/24 h"),
    # → 299: +199 mg/24 h → not PD; 70.1 % fall, not ≥ 90 % and not < 200 → MR (> 50 %)
    pytest.param(299, "MR", id="Tabell 8.2 PD not at urine +199 mg/24 h"),
])
def test_urine_progression_with_its_absolute_minimum(value, expected):
    r = run([urine(BEFORE, 1000), urine(day(1), 100), urine(day(2), value)])
    assert r.measurable_by == ("urine",)
    assert responses(r) == ["PR", expected]


@pytest.mark.hazard("HAZ-106")
@pytest.mark.parametrize(("kappa", "expected"), [
    # light-chain path: baseline dFLC 400 − 10 = 390; nadir 110 − 10 = 100 (74 % fall > 50 %: PR).
    # 211 − 10 = 201: rise 101 > 100 mg/L and ≥ 25 % → PD
    pytest.param(211, "PD", id="Tabell 8.2 PD dFLC rise 101 mg/L (> 100)"),
    # 210 − 10 = 200: rise 100, not > 100 → not PD; 390 → 200 is a 48.7 % fall (> 25 %): MR
    pytest.param(210, "MR", id="Tabell 8.2 PD not at dFLC rise 100 mg/L"),
])
def test_light_chain_progression(kappa, expected):
    r = run([serum(BEFORE, 2), urine(BEFORE, 0), *flc(BEFORE, 400, 10), *flc(day(1), 110, 10),
             *flc(day(2), kappa, 10)])
    assert r.measurable_by == ("flc",)
    assert responses(r) == ["PR", expected]


@pytest.mark.parametrize(("kappa", "expected"), [
    # dFLC 390 → 194: fall 50.3 % > 50 % → PR; → 195: exactly 50 %, not > 50 → MR
    pytest.param(204, "PR", id="Tabell 8.2 PR dFLC fall 50.3 % (> 50 %)"),
    pytest.param(205, "MR", id="Tabell 8.2 PR not at dFLC fall 50 %"),
])
def test_light_chain_partial_response(kappa, expected):
    r = run([serum(BEFORE, 2), urine(BEFORE, 0), *flc(BEFORE, 400, 10), *flc(day(1), kappa, 10)])
    assert responses(r) == [expected]


@pytest.mark.hazard("HAZ-106")
def test_new_crab_event_is_progression_on_its_date_without_waiting():
    r = run(serum_run(30, 10, 10), events=[Event(day(2), "new_crab")])
    assert responses(r) == ["PR", "PD"]
    assert r.progression.date == day(2) and r.progression.confirmed_on is None
    assert "Utvikling av nye CRAB kriterier" in r.progression.reasons[0]


@pytest.mark.hazard("HAZ-106")
@pytest.mark.parametrize(("kappa", "flagged"), [
    # baseline dFLC 50 − 10 = 40, no 24-hour urine; 151 − 10 = 141: rise 101 > 100 and ≥ 25 % → flagged
    pytest.param(151, True, id="Responskriterier no døgnurin: dFLC rise 101 mg/L flagged"),
    pytest.param(150, False, id="Responskriterier no døgnurin: dFLC rise 100 mg/L not flagged"),
])
def test_light_chains_rising_without_24_hour_urine_are_flagged(kappa, flagged):
    r = run([serum(BEFORE, 30), *flc(BEFORE, 50, 10), serum(day(1), 14), *flc(day(1), kappa, 10)])
    assert responses(r) == ["PR"]  # not PD by the table while serum is measurable
    assert any("døgnurin" in reason for reason in r.assessments[0].reasons) is flagged


def test_nadir_is_the_lowest_after_the_start_with_its_date():
    r = run(serum_run(30, 14, 8, 9, 9))
    assert r.nadir == {"serum_m_protein_g_l": (8.0, day(2))}
    assert r.assessments[2].nadir == {"serum_m_protein_g_l": 8.0}


@pytest.mark.parametrize("bad", [
    pytest.param(lambda: Observation(START, "m_protein", 30, "mg/L"), id="wrong unit"),
    pytest.param(lambda: Observation(START, "m_protein", True, "g/L"), id="a boolean for a number"),
    pytest.param(lambda: Observation(START, "m_protein", -1, "g/L"), id="negative"),
    pytest.param(lambda: Observation(START, "igg", 3, "g/L"), id="unknown analyte"),
    pytest.param(lambda: Observation(START, "serum_ife_negative", 1, ""), id="a number for a finding"),
    pytest.param(lambda: Event(START, "fracture"), id="unknown event"),
])
def test_inputs_are_refused_never_converted(bad):
    with pytest.raises(ValueError):
        bad()


# --- best response ends at the progression --------------------------------------------------------

@pytest.mark.hazard("HAZ-122")
def test_best_response_is_the_one_before_a_confirmed_progression():
    """«Hensikten er å registrere beste behandlingsrespons etter behandling og deretter å oppdage tilbakefall»
    (Vurdering av behandlingsrespons og kontroll): the best response is reached before the relapse; a fall after
    a confirmed progression is not this line's best response.

    Serum M 30 → 22 (26.7 % ≥ 25 %: MR), 22 (MR, confirms) → nadir 22 → 28 (+6 g/L ≥ 5 and +27 % ≥ 25 %: PD),
    29 (+7 g/L, PD: confirms, progression on day 3) → 3 (90 % from baseline: VGPR), 3 (VGPR, confirms)."""
    r = run(serum_run(30, 22, 22, 28, 29, 3, 3))
    assert responses(r) == ["MR", "MR", "PD", "PD", "VGPR", "VGPR"]
    assert r.progression is not None and r.progression.date == day(3)
    assert r.best_response == Response.MR
    assert any("not counted as the best response" in reason for reason in r.assessments[4].reasons)


@pytest.mark.hazard("HAZ-122")
def test_stable_disease_after_a_confirmed_progression_is_not_the_best_response():
    """Tabell 8.2 PD «Stigning av M-komponent på ≥25 % fra baseline (men minst 5 g/L)»: 30 → 40 (+10 g/L, +33 %:
    PD), 41 (PD, confirms) with no response before it; 25 afterwards (16.7 % fall < 25 %: SD) comes after the
    relapse, so the line's best response stays PD («beste behandlingsrespons … og deretter å oppdage
    tilbakefall»)."""
    r = run(serum_run(30, 40, 41, 25))
    assert responses(r) == ["PD", "PD", "SD"]
    assert r.best_response == Response.PD
