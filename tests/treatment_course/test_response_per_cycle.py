"""The rules of tabell 8.2 the lab series uses, read from the record (treatment_course/progression.py runs
guidelines/response_series.py over the patient's labs since the line started).

Handlingsprogram for myelomatose, «Vurdering av behandlingsrespons og kontroll», Tabell 8.2 Definisjon av
responskategorier. Each case: a baseline before the line's start, then dated results; the expected category
is the table's, per row.
"""

import datetime

import pytest
from django.utils import timezone

from guidelines.facts import Response
from patients import actions
from treatment_course import progression

pytestmark = pytest.mark.hazard("HAZ-134")

TODAY = timezone.localdate()


def ago(n):
    return TODAY - datetime.timedelta(days=n)


def _line(physician, patient, labs):
    """labs: [(days ago, analyte, value)]; the line starts 100 days ago."""
    line = actions.record_treatment_line(by=physician, patient=patient, line=1, regimen="VRd",
                                         drugs=["bortezomib", "lenalidomide", "dexamethasone"], start_date=ago(100))
    for days, analyte, value in labs:
        actions.record_lab_result(by=physician, patient=patient, date=ago(days), analyte=analyte, value=value,
                                  isotype="IgG" if analyte == "m_protein" else "")
    return line


def _responses(line):
    return [a.response for a in progression.series_for(line).assessments]


@pytest.mark.django_db
@pytest.mark.parametrize("later, expected", [
    # PR: «≥50 % reduksjon av serum M-komponent»
    pytest.param("15", Response.PR, id="PR-serum-50-percent"),
    # VGPR: «≥90 % reduksjon av serum M-komponent og urin M-komponent <100 mg/ 24 timer»
    pytest.param("3", Response.VGPR, id="VGPR-serum-90-percent-urine-below-100"),
    # MR: «≥25% reduksjon av serum M-komponent»
    pytest.param("22.5", Response.MR, id="MR-serum-25-percent"),
    # SD: «Tilfredsstiller ikke kriterier for sCR, CR, VGPR, PR eller PD»
    pytest.param("25", Response.SD, id="SD-neither"),
])
def test_serum_rows_of_tabell_8_2(physician, patient, later, expected):
    """Baseline serum M 30 g/L and urine M 50 mg/24 h before the start; one assessment after it."""
    line = _line(physician, patient, [(101, "m_protein", "30"), (101, "urine_m_protein", "50"),
                                      (70, "m_protein", later), (70, "urine_m_protein", "50")])
    assert _responses(line) == [expected]


@pytest.mark.django_db
@pytest.mark.parametrize("rise_to, expected", [
    # PD: «Stigning av M-komponent på ≥25 % … (men minst 5 g/L)»: from the nadir 10 g/L, 15 g/L is +5 g/L (50 %)
    pytest.param("15", Response.PD, id="PD-serum-rise-5-g-per-l"),
    # 14 g/L is +40 % but only 4 g/L: below the absolute minimum, not PD
    pytest.param("14", Response.PR, id="no-PD-serum-rise-below-5-g-per-l"),
])
def test_serum_progression_needs_its_absolute_minimum(physician, patient, rise_to, expected):
    line = _line(physician, patient, [(101, "m_protein", "30"), (101, "urine_m_protein", "50"),
                                      (70, "m_protein", "10"), (70, "urine_m_protein", "50"),
                                      (40, "m_protein", rise_to), (40, "urine_m_protein", "50")])
    assert _responses(line)[-1] == expected


@pytest.mark.django_db
def test_confirmed_serum_progression_is_the_proposal_dated_to_the_first_pd(physician, patient):
    """PD on two consecutive assessments (response_series CONFIRMATION_AMBIGUITY): proposed, dated to the first."""
    line = _line(physician, patient, [(101, "m_protein", "30"), (70, "m_protein", "10"),
                                      (40, "m_protein", "16"), (10, "m_protein", "17")])
    proposal = progression.propose(line)
    assert proposal.progression_date == ago(40) and proposal.confirmed_on == ago(10)
    assert any("PD" in str(r) for r in proposal.reason_messages)


@pytest.mark.django_db
@pytest.mark.parametrize("kappa, expected", [
    # PD: «Hos pasienter uten målbar M komponent i serum eller urin: ≥25 % stigning av dFLC (absolutt stigning
    # skal være >100 mg/L)»: nadir dFLC 190 mg/L; 301 → 291 mg/L is +101 mg/L (53 %)
    pytest.param("301", Response.PD, id="PD-dFLC-rise-above-100-mg-per-l"),
    # 300 → 290 mg/L is +100 mg/L: not above 100 mg/L
    pytest.param("300", "not PD", id="no-PD-dFLC-rise-of-exactly-100-mg-per-l"),
])
def test_light_chain_progression_needs_more_than_100_mg_per_l(physician, patient, kappa, expected):
    """Light-chain disease: serum M 0 g/L and urine M 0 mg/24 h (not measurable), κ 500 / λ 10 mg/L at baseline;
    κ 200 (dFLC 190 mg/L, «reduksjon av dFLC >50 %»: PR), then κ ``kappa``."""
    labs = [(101, "m_protein", "0"), (101, "urine_m_protein", "0"), (101, "flc_kappa", "500"),
            (101, "flc_lambda", "10")]
    for days, k in ((70, "200"), (40, kappa)):
        labs += [(days, "m_protein", "0"), (days, "urine_m_protein", "0"), (days, "flc_kappa", k),
                 (days, "flc_lambda", "10")]
    line = _line(physician, patient, labs)
    responses = _responses(line)
    assert responses[0] == Response.PR
    assert (responses[-1] == Response.PD) if expected == Response.PD else (responses[-1] != Response.PD)


@pytest.mark.django_db
def test_each_cycle_start_shows_the_latest_assessment_before_it(physician, patient, monkeypatch):
    """«Vurdering gjøres i forbindelse med hver syklusstart»: cycle 2 (72 days ago) shows the PR of 80 days ago
    (the latest after cycle 1's start), cycle 3 (38 days ago) the PD of 40 days ago, cycle 4 (5 days ago) none."""
    line = _line(physician, patient, [(101, "m_protein", "30"), (90, "m_protein", "20"), (80, "m_protein", "10"),
                                      (40, "m_protein", "16")])
    monkeypatch.setattr(progression, "cycle_starts",
                        lambda _line: [(1, ago(100)), (2, ago(72)), (3, ago(38)), (4, ago(5))])
    rows = {r["cycle"]: r for r in progression.per_cycle(line)}
    assert rows[1]["assessment"] is None
    assert rows[2]["assessment"].date == ago(80) and rows[2]["assessment"].response == Response.PR
    assert rows[3]["assessment"].date == ago(40) and rows[3]["assessment"].response == Response.PD
    assert rows[4]["assessment"] is None
