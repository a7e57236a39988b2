"""«Vedlikeholdsbehandling etter HMAS» (guidelines/treatment/maintenance.py, issue 13 item 7): the maintenance
window 8–14 weeks after HMAS as dates, and the CD38 antibody's stop rule after MRD-negative CR > 12 months.

Expected values are the guideline's own numbers: «8-14 uker etter HMAS»; «Hvis pasienten har vært i MRD negativ
CR > 12 måneder kan daratumumab avsluttes. Lenalidomid kontinueres.» (isatuximab: the same words)."""

from datetime import date, timedelta

import pytest

from guidelines.facts import CurrentTreatment, Labs, Marrow, PatientFacts, Phase
from guidelines.treatment.maintenance import TANDEM_AMBIGUITY
from tests.guidelines.treatment.helpers import advise, line, notes

REINFUSION = date(2026, 2, 20)  # + 8 weeks = 2026-04-17, + 14 weeks = 2026-05-29
HMAS = line(1, "VRd-induction", autologous_transplant=True, transplant_date=REINFUSION)


NOT_ON_TREATMENT = CurrentTreatment()


def in_remission(*lines, current=NOT_ON_TREATMENT):
    return PatientFacts(age=60, labs=Labs(serum_m_protein_g_l=0, flc_kappa_mg_l=10, flc_lambda_mg_l=10),
                        marrow=Marrow(clonal_plasma_cells_pct=0), treatment_history=tuple(lines),
                        current_treatment=current)


def advice_for(facts):
    return advise(facts, "NO_PLASMA_CELL_DISORDER")


@pytest.mark.hazard("HAZ-119")
def test_maintenance_8_14_weeks_after_hmas_as_dates():
    # «Det anbefales oppstart av vedlikeholdsbehandling med lenalidomid 8-14 uker etter HMAS»
    assert REINFUSION + timedelta(weeks=8) == date(2026, 4, 17)
    advice = advice_for(in_remission(HMAS))
    assert "start between 2026-04-17 and 2026-05-29" in notes(advice)
    assert "«Det anbefales oppstart av vedlikeholdsbehandling med lenalidomid 8-14 uker etter HMAS»" in notes(advice)


@pytest.mark.hazard("HAZ-119")
def test_maintenance_after_hmas_recorded_as_its_own_line():
    hmas = line(2, "Mel-HMAS", drugs=("melphalan",), autologous_transplant=True, transplant_date=REINFUSION)
    advice = advice_for(in_remission(line(1, "VRd-induction"), hmas))
    assert "start between 2026-04-17 and 2026-05-29" in notes(advice)


@pytest.mark.hazard("HAZ-119")
def test_maintenance_window_after_tandem_hmas_counts_from_the_second():
    # «Tandem HMAS anbefales ...»: the window from the last reinfusion 2026-05-01 (+ 8 w 2026-06-26, + 14 w 2026-08-07)
    tandem = line(1, "VRd-induction", autologous_transplant=True, transplant_date=REINFUSION,
                  tandem_transplant_date=date(2026, 5, 1))
    advice = advice_for(in_remission(tandem))
    assert "start between 2026-06-26 and 2026-08-07" in notes(advice)
    assert any(a.interpretation == TANDEM_AMBIGUITY.interpretation for a in advice.ambiguities)


@pytest.mark.hazard("HAZ-119")
def test_maintenance_window_without_transplant_date_is_missing_not_guessed():
    advice = advice_for(in_remission(line(1, "VRd-induction", autologous_transplant=True)))
    assert "treatment_history[0].transplant_date" in advice.missing
    assert "cannot be dated" in notes(advice) and "start between" not in notes(advice)


def test_no_maintenance_window_without_hmas_or_after_progression():
    assert "8–14 weeks" not in notes(advice_for(in_remission(line(1, "VRd-induction", autologous_transplant=False))))
    progressed = line(1, "VRd-induction", autologous_transplant=True, transplant_date=REINFUSION,
                      progression_date=date(2026, 8, 1))
    assert "8–14 weeks" not in notes(advice_for(in_remission(progressed)))


@pytest.mark.hazard("HAZ-119")
@pytest.mark.parametrize(("start", "place"), [
    pytest.param(date(2026, 4, 16), "before the window", id="8-weeks-minus-1-day"),
    pytest.param(date(2026, 4, 17), "within the window", id="8-weeks"),
    pytest.param(date(2026, 5, 29), "within the window", id="14-weeks"),
    pytest.param(date(2026, 5, 30), "after the window", id="14-weeks-plus-1-day"),
])
def test_running_maintenance_placed_against_the_8_14_weeks(start, place):
    current = CurrentTreatment(regimen="R-maintenance", phase=Phase.MAINTENANCE, start_date=start)
    advice = advice_for(in_remission(HMAS, line(2, "R-maintenance", start_date=start), current=current))
    assert any(place in r for r in advice.reasons)


def on(regimen, months, phase=Phase.MAINTENANCE):
    current = CurrentTreatment(regimen=regimen, phase=phase, start_date=date(2026, 5, 1), mrd_negative_months=months)
    return in_remission(HMAS, line(2, regimen, start_date=date(2026, 5, 1)), current=current)


@pytest.mark.hazard("HAZ-118")
@pytest.mark.parametrize(("regimen", "months", "words"), [
    pytest.param("Dara-R-maintenance", 13, "daratumumab can be stopped, lenalidomide continues", id="dara-13-months"),
    pytest.param("Dara-R-maintenance", 12.5, "daratumumab can be stopped", id="dara-12.5-months"),
    pytest.param("Dara-R-maintenance", 12, "daratumumab continues", id="dara-12-months-not-more-than-12"),
    pytest.param("Dara-R-maintenance", 6, "daratumumab continues", id="dara-6-months"),
    pytest.param("Isa-R-maintenance", 13, "isatuximab can be stopped, lenalidomide continues", id="isa-13-months"),
    pytest.param("Isa-R-maintenance", 12, "isatuximab continues", id="isa-12-months"),
])
def test_cd38_antibody_stops_after_mrd_negative_cr_more_than_12_months(regimen, months, words):
    # «Hvis pasienten har vært i MRD negativ CR > 12 måneder kan daratumumab avsluttes. Lenalidomid kontinueres.»
    # «Vi anbefaler at man stopper isatuximab etter samme regler som for daratumumab.»
    advice = advice_for(on(regimen, months))
    assert words in notes(advice)
    antibody = words.split()[0]
    quote = f"kan {antibody} avsluttes. Lenalidomid kontinueres.»"
    assert quote in notes(advice)


@pytest.mark.hazard("HAZ-118")
def test_cd38_stop_rule_months_unknown_is_missing():
    # «Det tas beinmargsaspirat til MRD ved EuroFlow av alle pasienter som er i mistenkt komplett respons (CR)»
    advice = advice_for(on("Dara-R-maintenance", None))
    assert "current_treatment.mrd_negative_months" in advice.missing
    assert "can be stopped" in notes(advice) and "is not recorded" in notes(advice)


@pytest.mark.hazard("HAZ-118")
def test_cd38_stop_rule_not_for_a_regimen_without_a_cd38_antibody():
    advice = advice_for(on("R-maintenance", 30))
    assert "can be stopped" not in notes(advice) and "continues;" not in notes(advice)
    assert "current_treatment.mrd_negative_months" not in advice.missing


@pytest.mark.hazard("HAZ-118")
def test_cd38_stop_rule_written_for_maintenance_is_not_applied_to_continuous_dara_vrd():
    # the rule stands under «Daratumumab og lenalidomid vedlikehold»; Dara-VRd is «Gjentas til progresjon»
    advice = advice_for(on("Dara-VRd", 20, phase=Phase.INDUCTION))
    assert "is not applied" in notes(advice) and "can be stopped," not in notes(advice)


@pytest.mark.hazard("HAZ-118")
def test_cd38_stop_rule_asks_for_the_phase_when_unknown():
    advice = advice_for(on("Dara-R-maintenance", 20, phase=None))
    assert "current_treatment.phase" in advice.missing and "can be stopped," not in notes(advice)


@pytest.mark.hazard("HAZ-118")
def test_cd38_found_among_the_drugs_recorded_on_a_free_text_maintenance_line():
    # a regimen the library does not hold: its drugs as recorded on the line (never a list of names here)
    current = CurrentTreatment(regimen="Dara-R vedlikehold", phase=Phase.MAINTENANCE, mrd_negative_months=14)
    recorded = line(2, "Dara-R vedlikehold", drugs=("daratumumab", "lenalidomide"))
    assert "daratumumab can be stopped" in notes(advice_for(in_remission(HMAS, recorded, current=current)))
    unknown = CurrentTreatment(regimen="vedlikehold", phase=Phase.MAINTENANCE, mrd_negative_months=14)
    assert "can be stopped" not in notes(advice_for(in_remission(HMAS, current=unknown)))


def test_cd38_outside_maintenance_without_mrd_months_says_nothing():
    advice = advice_for(on("Dara-VRd", None, phase=Phase.INDUCTION))
    assert "MRD-negative" not in notes(advice) and "current_treatment.mrd_negative_months" not in advice.missing


@pytest.mark.hazard("HAZ-119")
def test_maintenance_window_also_when_old_findings_still_read_as_active_myeloma():
    # no progression recorded: «continue the current treatment» — the window 8–14 weeks after HMAS still applies
    facts = PatientFacts(age=60, treatment_history=(HMAS,))
    advice = advise(facts, "ACTIVE_MYELOMA")
    assert advice.setting == "RELAPSE_LINE_2" and "start between 2026-04-17 and 2026-05-29" in notes(advice)
