"""facts_for: latest values with their dates; anything never recorded stays None."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from guidelines.facts import Del1p32, Frailty, Isotype, Plasmacytoma, Response, Sex
from patients import actions
from patients.facts import facts_for, facts_for_many
from tests.patients.factories import PATIENTS, clinical_patient, make_patient

TODAY = timezone.localdate()


def ago(days):
    return TODAY - datetime.timedelta(days=days)


@pytest.mark.hazard("HAZ-010")
def test_facts_for_empty_record_is_all_unknown(patient):
    facts, sources = facts_for(patient, as_of=datetime.date(2026, 3, 14))
    assert facts.age == 65 and facts.sex == Sex.FEMALE  # born 1961-03-14: 65 on her birthday
    assert facts.weight_kg is None and facts.height_cm is None
    assert facts.frailty is None and facts.symptoms is None and facts.transplant_contraindication is None
    assert all(value is None for value in vars(facts.labs).values())
    assert facts.marrow.clonal_plasma_cells_pct is None
    assert all(value is None for value in vars(facts.imaging).values())
    assert all(value is None for value in vars(facts.cytogenetics).values())
    assert all(value is None for value in vars(facts.poems).values())
    assert facts.treatment_history == ()
    assert set(sources) == {"age", "sex"}


@pytest.mark.hazard("HAZ-017")
def test_facts_for_age_the_day_before_birthday(patient):
    assert facts_for(patient, as_of=datetime.date(2026, 3, 13))[0].age == 64


@pytest.mark.hazard("HAZ-004")
def test_facts_for_takes_latest_height_and_weight_separately(nurse, patient):
    actions.record_height_weight(by=nurse, patient=patient, date=ago(300), height_cm=Decimal(168), weight_kg=70)
    actions.record_height_weight(by=nurse, patient=patient, date=ago(10), weight_kg=Decimal("66.5"))
    facts, sources = facts_for(patient)
    assert facts.weight_kg == 66.5 and facts.height_cm == 168.0
    assert sources["weight_kg"].date == ago(10) and sources["height_cm"].date == ago(300)


def test_facts_for_latest_lab_per_analyte_with_limits(nurse, patient):
    actions.record_lab_result(by=nurse, patient=patient, date=ago(60), analyte="hemoglobin", value=Decimal("11.0"))
    actions.record_lab_result(by=nurse, patient=patient, date=ago(5), analyte="hemoglobin", value=Decimal("9.4"),
                              lower_limit=Decimal("11.5"), upper_limit=Decimal("16"))
    actions.record_lab_result(by=nurse, patient=patient, date=ago(5), analyte="calcium", value=Decimal("2.7"))
    actions.record_lab_result(by=nurse, patient=patient, date=ago(5), analyte="ldh", value=300)
    actions.record_lab_result(by=nurse, patient=patient, date=ago(40), analyte="m_protein", value=30, isotype="IgA")
    actions.record_lab_result(by=nurse, patient=patient, date=ago(5), analyte="m_protein", value=22)
    facts, sources = facts_for(patient)
    labs = facts.labs
    assert labs.hemoglobin_g_dl == 9.4 and labs.hemoglobin_lower_limit_g_dl == 11.5
    assert sources["labs.hemoglobin_lower_limit_g_dl"].note == "reported limit"
    assert labs.calcium_mmol_l == 2.7 and labs.calcium_upper_limit_mmol_l == 2.51
    assert sources["labs.calcium_upper_limit_mmol_l"].note == "catalogue default reference limit"
    assert labs.ldh_u_l == 300 and labs.ldh_upper_limit_u_l == 205
    assert labs.serum_m_protein_g_l == 22 and labs.m_protein_isotype == Isotype.IGA
    assert sources["labs.m_protein_isotype"].date == ago(40)
    assert labs.creatinine_umol_l is None and labs.egfr_ml_min is None  # never defaulted


@pytest.mark.hazard("HAZ-004")
def test_facts_for_as_of_ignores_later_values(nurse, patient):
    actions.record_lab_result(by=nurse, patient=patient, date=ago(60), analyte="creatinine", value=90)
    actions.record_lab_result(by=nurse, patient=patient, date=ago(5), analyte="creatinine", value=200)
    facts, sources = facts_for(patient, as_of=ago(30))
    assert facts.labs.creatinine_umol_l == 90 and sources["labs.creatinine_umol_l"].date == ago(60)


def test_facts_for_findings_merged_field_by_field(physician, patient):
    actions.record_imaging(by=physician, patient=patient, date=ago(30), lytic_lesions=0, plasmacytoma="none")
    actions.record_imaging(by=physician, patient=patient, date=ago(20), mri_focal_lesions=3)
    actions.record_marrow(by=physician, patient=patient, date=ago(25), clonal_plasma_cells_pct=Decimal(12))
    actions.record_cytogenetics(by=physician, patient=patient, date=ago(20), del17p=False, del1p32="biallelic")
    actions.record_cytogenetics(by=physician, patient=patient, date=ago(10), tp53_mutation=True)
    actions.record_poems_findings(by=physician, patient=patient, date=ago(10), polyneuropathy=True, endocrinopathy=[])
    actions.record_clinical_status(by=physician, patient=patient, date=ago(15), frailty="fit", symptoms=False)
    actions.record_clinical_status(by=physician, patient=patient, date=ago(2), symptoms=True)
    facts, sources = facts_for(patient)
    assert facts.imaging.lytic_lesions == 0 and facts.imaging.mri_focal_lesions == 3
    assert facts.imaging.plasmacytoma == Plasmacytoma.NONE and facts.imaging.sclerotic_bone_lesions is None
    assert sources["imaging.lytic_lesions"].date == ago(30) and sources["imaging.mri_focal_lesions"].date == ago(20)
    assert facts.marrow.clonal_plasma_cells_pct == 12
    assert facts.cytogenetics.del17p is False and facts.cytogenetics.tp53_mutation is True
    assert facts.cytogenetics.del1p32 == Del1p32.BIALLELIC and facts.cytogenetics.t4_14 is None
    assert facts.poems.polyneuropathy is True and facts.poems.endocrinopathy == () and facts.poems.castleman is None
    assert facts.frailty == Frailty.FIT and facts.symptoms is True
    assert sources["frailty"].date == ago(15) and sources["symptoms"].date == ago(2)
    assert facts.transplant_contraindication is None


def test_facts_for_treatment_history_in_line_order(physician, patient):
    actions.record_treatment_line(by=physician, patient=patient, line=2, regimen="Isa-Kd",
                                  drugs=["isatuximab", "carfilzomib", "dexamethasone"], start_date=ago(100))
    actions.record_treatment_line(
        by=physician, patient=patient, line=1, regimen="VRd-induction",
        drugs=["bortezomib", "lenalidomide", "dexamethasone"], start_date=ago(900), end_date=ago(120),
        best_response="VGPR", refractory_to=["lenalidomide"], autologous_transplant=True,
        transplant_date=ago(700), months_from_transplant_to_progression=Decimal("19.5"),
        progression_date=ago(130),
    )
    facts, sources = facts_for(patient)
    first, second = facts.treatment_history
    assert (first.line, second.line) == (1, 2)
    assert first.refractory_to == ("lenalidomide",) and first.best_response == Response.VGPR
    assert first.autologous_transplant is True and first.months_from_transplant_to_progression == 19.5
    assert second.best_response is None and second.autologous_transplant is None
    assert sources["treatment_history[1]"].date == ago(100)
    assert first.progression_date == ago(130)
    assert len(facts_for(patient, as_of=ago(500))[0].treatment_history) == 1
    # a progression after the assessment date is not known on that date
    assert facts_for(patient, as_of=ago(200))[0].treatment_history[0].progression_date is None


@pytest.mark.parametrize("sex_patient, expected", [("patient", 11.7), ("other_patient", 13.4)],
                         ids=["female Hb lower limit", "male Hb lower limit"])
def test_facts_for_catalogue_hb_limit_by_sex(request, nurse, sex_patient, expected):
    who = request.getfixturevalue(sex_patient)
    actions.record_lab_result(by=nurse, patient=who, date=TODAY, analyte="hemoglobin", value=Decimal("12"))
    assert facts_for(who)[0].labs.hemoglobin_lower_limit_g_dl == expected


@pytest.mark.hazard("HAZ-076")
def test_facts_for_many_reads_each_patient_alone_in_a_fixed_number_of_queries(db, django_assert_max_num_queries):
    """The patient list reads every listed patient's facts at once: each patient gets exactly the facts
    facts_for gives them alone (no row of another patient), and eleven patients cost what one costs."""
    patients = [make_patient(clinical_patient(key), today=TODAY) for key in PATIENTS]
    one = CaptureQueriesContext(connection)
    with one:
        facts_for(patients[0])
    with django_assert_max_num_queries(len(one.captured_queries)):
        many = facts_for_many(patients)
    assert set(many) == {p.pk for p in patients}
    for patient in patients:
        assert many[patient.pk] == facts_for(patient), patient.name
    # the patients differ, so a mix-up would show: every M-protein is the patient's own latest value
    m_protein = {p.name: many[p.pk][0].labs.serum_m_protein_g_l for p in patients}
    assert m_protein["Berit Prøve-Solberg"] == 18.2 and m_protein["Solveig Prøve-Ulmen"] == 35
    assert m_protein["Per Prøve-Nydiagnose"] == 48 and m_protein["Hilde Prøve-Leukemi"] is None
