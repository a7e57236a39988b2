"""POEMS progression after radiotherapy (issue 13 item 4): Danish guideline, Quick guide item 5 «samt patienter
med tegn på progression 3-6 mdr efter afsluttet strålebehandling (D)», «Strålebehandling»: «Systemisk salvage
terapi kan initieres efter failure af strålebehandling», «Relaps behandling»: «Relapsbehandling kan være
svarende til myelomatose algoritmer mhp systemisk behandling». Radiotherapy is never offered again after it
failed; the 3–6 months are shown as the seed states them (RADIOTHERAPY_FAILURE_AMBIGUITY)."""

from datetime import date

import pytest

from guidelines.facts import Frailty, TreatmentLine
from guidelines.poems_treatment import RADIOTHERAPY_FAILURE_AMBIGUITY, months_after, treatment
from tests.guidelines.factories import POEMS_PATIENT, make

RT_END = date(2026, 1, 10)  # 3 months: 2026-04-10, 6 months: 2026-07-10


def irradiated(progression=None, *, end=RT_END, gy=45, regimen="strålebehandling", later=()):
    line = TreatmentLine(line=1, regimen=regimen, radiotherapy_gy=gy, start_date=date(2025, 12, 1), end_date=end,
                         progression_date=progression)
    return make(POEMS_PATIENT, treatment_history=(line, *later))


def regimens(advice):
    return [o.regimen for o in advice.options]


def test_without_radiotherapy_localised_poems_still_gets_radiotherapy():
    # 4. «Strålebehandling 40-50 Gy til lokaliseret sygdom (≤ 2 (3) foci), kurativt intenderet»
    advice = treatment(POEMS_PATIENT)
    assert advice.setting == "POEMS_RADIOTHERAPY" and regimens(advice) == ["radiotherapy-40-50Gy"]


@pytest.mark.hazard("HAZ-117")
@pytest.mark.parametrize(("progression", "words"), [
    pytest.param(date(2026, 4, 9), "before 3 months after the end of radiotherapy", id="salvage-before-3-months"),
    pytest.param(date(2026, 4, 10), "3–6 months after the end of radiotherapy", id="item-5-exactly-3-months"),
    pytest.param(date(2026, 5, 20), "3–6 months after the end of radiotherapy", id="item-5-within-3-6-months"),
    pytest.param(date(2026, 7, 10), "3–6 months after the end of radiotherapy", id="item-5-exactly-6-months"),
    pytest.param(date(2026, 7, 11), "more than 6 months after the end of radiotherapy", id="relapse-after-6-months"),
])
def test_item_5_progression_after_radiotherapy_gets_systemic_treatment(progression, words):
    # 5. «Systemisk cytoreduktiv behandling ... samt patienter med tegn på progression 3-6 mdr efter afsluttet
    # strålebehandling (D)»; «Systemisk salvage terapi kan initieres efter failure af strålebehandling»
    advice = treatment(irradiated(progression))
    assert advice.setting == "POEMS_SYSTEMIC"
    assert "radiotherapy-40-50Gy" not in regimens(advice)
    assert regimens(advice) == ["lenalidomide-dexamethasone", "melphalan-dexamethasone"]  # not fit: Rd, then MD
    assert words in advice.reasons[0] and "radiotherapy is not offered again" in advice.reasons[0]
    assert "2026-04-10 – 2026-07-10" in advice.reasons[0]  # the 3–6 months as dates
    assert RADIOTHERAPY_FAILURE_AMBIGUITY in advice.ambiguities


@pytest.mark.hazard("HAZ-117")
def test_item_5_young_fit_patient_after_radiotherapy_failure_gets_hdt_asct():
    # 5. «herunder højdosis behandling med ASCT hos yngre ( fysiologisk <70 år), egnede patienter»
    facts = make(irradiated(date(2026, 5, 1)), frailty=Frailty.FIT)
    advice = treatment(facts)
    assert regimens(advice)[0] == "Mel-HMAS" and "radiotherapy-40-50Gy" not in regimens(advice)


@pytest.mark.hazard("HAZ-117")
def test_salvage_after_radiotherapy_without_its_end_date_lists_it_missing():
    # «Systemisk salvage terapi kan initieres efter failure af strålebehandling»: systemic whatever the time;
    # the 3–6 months of item 5 cannot be dated without the end of radiotherapy
    advice = treatment(irradiated(date(2026, 5, 1), end=None))
    assert advice.setting == "POEMS_SYSTEMIC" and "radiotherapy-40-50Gy" not in regimens(advice)
    assert "treatment_history[0].end_date" in advice.missing
    assert "cannot be dated" in advice.reasons[0]


@pytest.mark.hazard("HAZ-117")
def test_progression_recorded_on_a_later_line_counts_as_after_radiotherapy():
    later = TreatmentLine(line=2, regimen="lenalidomide-dexamethasone", drugs=("lenalidomide", "dexamethasone"),
                          progression_date=date(2026, 9, 1))
    advice = treatment(irradiated(None, later=(later,)))
    assert advice.setting == "POEMS_SYSTEMIC" and "radiotherapy-40-50Gy" not in regimens(advice)


@pytest.mark.hazard("HAZ-117")
def test_radiotherapy_recorded_by_its_words_alone_counts():
    advice = treatment(irradiated(date(2026, 5, 1), gy=None, regimen="RT 45 Gy mot bekken"))
    assert advice.setting == "POEMS_SYSTEMIC" and "dose not recorded" in advice.reasons[0]


@pytest.mark.hazard("HAZ-117")
def test_radiotherapy_without_recorded_progression_offers_no_new_radiotherapy():
    # «Der bør ses respons indenfor 6 mdr»: a treated patient is followed; progression decides the next step
    advice = treatment(irradiated(None))
    assert advice.setting == "NONE" and advice.options == ()
    assert "treatment_history[0].progression_date" in advice.missing


def test_calendar_months_use_the_last_day_when_the_month_lacks_the_day():
    assert months_after(date(2025, 11, 30), 3) == date(2026, 2, 28)
    assert months_after(date(2026, 1, 10), 6) == date(2026, 7, 10)


def test_a_line_with_radiotherapy_gy_and_no_regimen_or_drugs_is_radiotherapy_alone():
    from guidelines.history import radiotherapy_only

    assert radiotherapy_only(TreatmentLine(line=1, radiotherapy_gy=45))
    assert not radiotherapy_only(TreatmentLine(line=1, drugs=("lenalidomide",), radiotherapy_gy=8))
    assert not radiotherapy_only(TreatmentLine(line=1, regimen="Kd", radiotherapy_gy=8))
