"""Every action: success, refusal, nothing half-saved, history with user and reason."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from patients import actions
from patients.models import (
    ClinicalStatus,
    CytogeneticsResult,
    HeightWeight,
    ImagingFinding,
    LabResult,
    MarrowFinding,
    Patient,
    PoemsFindings,
    TreatmentLine,
)
from tests.patients.factories import ANNE_ID

TODAY = timezone.localdate()
YESTERDAY = TODAY - datetime.timedelta(days=1)
TOMORROW = TODAY + datetime.timedelta(days=1)
VRD = ["bortezomib", "lenalidomide", "dexamethasone"]


def _latest_history(model):
    return model.history.order_by("-history_id").first()


# --- register_patient ---

def test_register_patient_derives_birth_date_and_sex_and_records_history(physician):
    patient = actions.register_patient(by=physician, name=" Anne Testesen ", national_id="148361 41211",
                                       reason="Henvist fra fastlege")
    assert patient.national_id == ANNE_ID and patient.name == "Anne Testesen"
    assert patient.birth_date == datetime.date(1961, 3, 14) and patient.sex == "female"
    history = patient.history.get()
    assert history.history_user == physician and history.history_change_reason == "Henvist fra fastlege"


def test_register_patient_refuses_bad_check_digits(physician):
    with pytest.raises(ValidationError) as exc:
        actions.register_patient(by=physician, name="X", national_id="14836141212")
    assert "national_id" in exc.value.message_dict
    assert not Patient.objects.exists() and not Patient.history.exists()


@pytest.mark.hazard("HAZ-001")
def test_register_patient_refuses_duplicate(physician, patient):
    with pytest.raises(ValidationError) as exc:
        actions.register_patient(by=physician, name="Another", national_id=ANNE_ID)
    assert "national_id" in exc.value.message_dict
    assert Patient.objects.count() == 1


def test_register_patient_refuses_empty_name(physician):
    with pytest.raises(ValidationError) as exc:
        actions.register_patient(by=physician, name="  ", national_id=ANNE_ID)
    assert "name" in exc.value.message_dict


# --- record_height_weight ---

def test_record_height_weight_weight_alone(nurse, patient):
    row = actions.record_height_weight(by=nurse, patient=patient, date=TODAY, weight_kg=Decimal("70.5"))
    assert row.height_cm is None and row.weight_kg == Decimal("70.5")
    assert _latest_history(HeightWeight).history_user == nurse


@pytest.mark.parametrize("kwargs, field", [
    ({"weight_kg": Decimal("19.9")}, "weight_kg"),
    ({"weight_kg": Decimal("350.1")}, "weight_kg"),
    ({"height_cm": Decimal("99")}, "height_cm"),
    ({"height_cm": Decimal("231")}, "height_cm"),
    ({}, "__all__"),
], ids=["weight < 20", "weight > 350", "height < 100", "height > 230", "neither"])
def test_record_height_weight_refuses_implausible(nurse, patient, kwargs, field):
    with pytest.raises(ValidationError) as exc:
        actions.record_height_weight(by=nurse, patient=patient, date=TODAY, **kwargs)
    assert field in exc.value.message_dict
    assert not HeightWeight.objects.exists() and not HeightWeight.history.exists()


@pytest.mark.parametrize("kwargs", [{"weight_kg": Decimal(20)}, {"weight_kg": Decimal(350)},
                                    {"height_cm": Decimal(100)}, {"height_cm": Decimal(230)}],
                         ids=["weight 20", "weight 350", "height 100", "height 230"])
def test_record_height_weight_accepts_limits(nurse, patient, kwargs):
    assert actions.record_height_weight(by=nurse, patient=patient, date=TODAY, **kwargs).pk


def test_record_height_weight_refuses_future_date(nurse, patient):
    with pytest.raises(ValidationError) as exc:
        actions.record_height_weight(by=nurse, patient=patient, date=TOMORROW, weight_kg=70)
    assert "date" in exc.value.message_dict
    assert not HeightWeight.objects.exists()


# --- record_lab_result ---

def test_record_lab_result_fills_catalogue_limits_for_sex(nurse, patient):
    hb = actions.record_lab_result(by=nurse, patient=patient, date=TODAY, analyte="hemoglobin", value=Decimal("12.1"))
    assert (hb.lower_limit, hb.upper_limit) == (Decimal("11.7"), Decimal("15.3"))  # female
    assert hb.limits_from_catalogue
    assert _latest_history(LabResult).history_change_reason == "Recorded"


def test_record_lab_result_keeps_reported_limits(nurse, patient):
    ca = actions.record_lab_result(by=nurse, patient=patient, date=TODAY, analyte="calcium", value=Decimal("2.4"),
                                   lower_limit=Decimal("2.20"), upper_limit=Decimal("2.60"))
    assert ca.upper_limit == Decimal("2.60") and not ca.limits_from_catalogue


def test_record_lab_result_ldh_limit_depends_on_age(nurse, patient, other_patient):
    young = actions.record_lab_result(by=nurse, patient=patient, date=TODAY, analyte="ldh", value=200)  # 65 y
    old = actions.record_lab_result(by=nurse, patient=other_patient, date=TODAY, analyte="ldh", value=200)  # 78 y
    assert young.upper_limit == 205 and old.upper_limit == 255


@pytest.mark.hazard("HAZ-002")
@pytest.mark.parametrize("analyte, value, unit", [
    ("creatinine", Decimal("1.1"), "mg/dL"),
    ("hemoglobin", Decimal("121"), "g/L"),
    ("calcium", Decimal("9.8"), "mg/dL"),
    ("albumin", Decimal("3.9"), "g/dL"),
    ("ldh", Decimal("3.2"), "µkat/L"),
], ids=["creatinine in mg/dL", "Hb in g/L", "calcium in mg/dL", "albumin in g/dL", "LD in µkat/L"])
def test_record_lab_result_refuses_other_unit(nurse, patient, analyte, value, unit):
    with pytest.raises(ValidationError) as exc:
        actions.record_lab_result(by=nurse, patient=patient, date=TODAY, analyte=analyte, value=value)
    message = exc.value.message_dict["value"][0]
    assert unit in message
    assert not LabResult.objects.exists() and not LabResult.history.exists()


def test_record_lab_result_refuses_negative_and_isotype_on_other_analyte(nurse, patient):
    with pytest.raises(ValidationError) as exc:
        actions.record_lab_result(by=nurse, patient=patient, date=TODAY, analyte="m_protein", value=-1)
    assert "value" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        actions.record_lab_result(by=nurse, patient=patient, date=TODAY, analyte="creatinine", value=80, isotype="IgG")
    assert "isotype" in exc.value.message_dict
    assert not LabResult.objects.exists()


def test_record_lab_result_refuses_unknown_analyte_and_future(nurse, patient):
    with pytest.raises(ValidationError) as exc:
        actions.record_lab_result(by=nurse, patient=patient, date=TOMORROW, analyte="sodium", value=140)
    assert {"analyte", "date"} <= set(exc.value.message_dict)


def test_record_lab_result_refuses_date_before_birth(nurse, patient):
    with pytest.raises(ValidationError) as exc:
        actions.record_lab_result(by=nurse, patient=patient, date=datetime.date(1950, 1, 1), analyte="creatinine",
                                  value=80)
    assert "date" in exc.value.message_dict


# --- record_marrow ---

def test_record_marrow(physician, patient):
    finding = actions.record_marrow(by=physician, patient=patient, date=TODAY, clonal_plasma_cells_pct=Decimal(15))
    assert finding.clonal_plasma_cells_pct == 15
    assert _latest_history(MarrowFinding).history_user == physician


@pytest.mark.parametrize("pct", [Decimal("-1"), Decimal("100.1")], ids=["negative", "over 100"])
def test_record_marrow_refuses_out_of_range(physician, patient, pct):
    with pytest.raises(ValidationError) as exc:
        actions.record_marrow(by=physician, patient=patient, date=TODAY, clonal_plasma_cells_pct=pct)
    assert "clonal_plasma_cells_pct" in exc.value.message_dict
    assert not MarrowFinding.objects.exists()


# --- record_imaging ---

def test_record_imaging_partial_findings_stay_unknown(physician, patient):
    finding = actions.record_imaging(by=physician, patient=patient, date=TODAY, lytic_lesions=3)
    assert finding.mri_focal_lesions is None and finding.sclerotic_bone_lesions is None


@pytest.mark.parametrize("kwargs, field", [
    ({"plasmacytoma": "none", "plasmacytoma_count": 2}, "plasmacytoma_count"),
    ({"plasmacytoma": "bone", "plasmacytoma_count": 0}, "plasmacytoma_count"),
    ({}, "__all__"),
    ({"plasmacytoma": "lung"}, "plasmacytoma"),
], ids=["count with none", "bone with zero", "nothing", "unknown site"])
def test_record_imaging_refuses_contradictions(physician, patient, kwargs, field):
    with pytest.raises(ValidationError) as exc:
        actions.record_imaging(by=physician, patient=patient, date=TODAY, **kwargs)
    assert field in exc.value.message_dict
    assert not ImagingFinding.objects.exists()


# --- record_cytogenetics ---

def test_record_cytogenetics(physician, patient):
    result = actions.record_cytogenetics(by=physician, patient=patient, date=TODAY, t11_14=True, del1p32="monoallelic")
    assert result.t11_14 is True and result.del17p is None
    assert _latest_history(CytogeneticsResult).history_user == physician


def test_record_cytogenetics_refuses_empty_and_unknown(physician, patient):
    with pytest.raises(ValidationError):
        actions.record_cytogenetics(by=physician, patient=patient, date=TODAY)
    with pytest.raises(ValidationError) as exc:
        actions.record_cytogenetics(by=physician, patient=patient, date=TODAY, del1p32="triallelic")
    assert "del1p32" in exc.value.message_dict
    with pytest.raises(TypeError):
        actions.record_cytogenetics(by=physician, patient=patient, date=TODAY, t8_14=True)
    assert not CytogeneticsResult.objects.exists()


# --- record_poems_findings ---

def test_record_poems_findings(physician, patient):
    finding = actions.record_poems_findings(by=physician, patient=patient, date=TODAY, polyneuropathy=True,
                                            endocrinopathy=("gonadal",))
    assert finding.endocrinopathy == ["gonadal"] and finding.castleman is None
    assert _latest_history(PoemsFindings).history_user == physician


def test_record_poems_findings_refuses_unknown_endocrinopathy(physician, patient):
    with pytest.raises(ValidationError) as exc:
        actions.record_poems_findings(by=physician, patient=patient, date=TODAY, endocrinopathy=["liver"])
    assert "endocrinopathy" in exc.value.message_dict
    assert not PoemsFindings.objects.exists()


# --- record_treatment_line / update_treatment_line ---

def _line(user, patient, **kwargs):
    defaults = {"line": 1, "regimen": "VRd-induction", "drugs": VRD, "start_date": YESTERDAY}
    return actions.record_treatment_line(by=user, patient=patient, **{**defaults, **kwargs})


def test_record_treatment_line(physician, patient):
    line = _line(physician, patient, best_response="VGPR", autologous_transplant=True, transplant_date=TODAY,
                 months_from_transplant_to_progression=Decimal(18), refractory_to=["lenalidomide"])
    assert line.drugs == VRD and line.refractory_to == ["lenalidomide"]
    assert _latest_history(TreatmentLine).history_user == physician


@pytest.mark.parametrize("kwargs, field", [
    ({"drugs": ["aspirin"]}, "drugs"),
    ({"best_response": "GOOD"}, "best_response"),
    ({"refractory_to": ["pomalidomide"]}, "refractory_to"),
    ({"end_date": YESTERDAY - datetime.timedelta(days=1)}, "end_date"),
    ({"start_date": TOMORROW}, "start_date"),
    ({"months_from_transplant_to_progression": Decimal(5)}, "months_from_transplant_to_progression"),
    ({"line": 0}, "line"),
    ({"progression_date": YESTERDAY - datetime.timedelta(days=1)}, "progression_date"),
    ({"progression_date": TOMORROW}, "progression_date"),
], ids=["unknown drug", "unknown response", "refractory to a drug not given", "end before start", "future start",
        "months without transplant", "line 0", "progression before start", "progression in the future"])
def test_record_treatment_line_refuses(physician, patient, kwargs, field):
    with pytest.raises(ValidationError) as exc:
        _line(physician, patient, **kwargs)
    assert field in exc.value.message_dict
    assert not TreatmentLine.objects.exists() and not TreatmentLine.history.exists()


def test_record_treatment_line_refuses_duplicate_line_number(physician, patient):
    _line(physician, patient)
    with pytest.raises(ValidationError) as exc:
        _line(physician, patient, regimen="DRd")
    assert "line" in exc.value.message_dict
    assert TreatmentLine.objects.count() == 1


def test_update_treatment_line_records_old_new_user_reason(physician, second_physician, patient):
    line = _line(physician, patient, best_response="PR")
    actions.update_treatment_line(by=second_physician, treatment_line=line, reason="Ny responsvurdering",
                                  best_response="VGPR", end_date=TODAY)
    line.refresh_from_db()
    assert line.best_response == "VGPR" and line.end_date == TODAY
    new, old = line.history.order_by("-history_id")[:2]
    assert new.history_user == second_physician and new.history_change_reason == "Ny responsvurdering"
    changes = {c.field: (c.old, c.new) for c in new.diff_against(old).changes}
    assert changes["best_response"] == ("PR", "VGPR")


def test_update_treatment_line_refuses_without_reason(physician, patient):
    line = _line(physician, patient, best_response="PR")
    with pytest.raises(ValidationError) as exc:
        actions.update_treatment_line(by=physician, treatment_line=line, reason=" ", best_response="CR")
    assert "reason" in exc.value.message_dict
    line.refresh_from_db()
    assert line.best_response == "PR" and line.history.count() == 1


def test_update_treatment_line_records_a_progression_date_and_refuses_a_bad_one(physician, patient):
    line = _line(physician, patient)
    with pytest.raises(ValidationError) as exc:
        actions.update_treatment_line(by=physician, treatment_line=line, reason="Progresjon", best_response="PR",
                                      progression_date=TOMORROW)
    assert "progression_date" in exc.value.message_dict
    line.refresh_from_db()
    assert line.progression_date is None and line.best_response == "" and line.history.count() == 1
    actions.update_treatment_line(by=physician, treatment_line=line, reason="Progresjon", progression_date=TODAY)
    line.refresh_from_db()
    assert line.progression_date == TODAY and line.history.count() == 2


def test_update_treatment_line_refuses_invalid_change_and_saves_nothing(physician, patient):
    line = _line(physician, patient, best_response="PR")
    with pytest.raises(ValidationError) as exc:
        actions.update_treatment_line(by=physician, treatment_line=line, reason="x", best_response="CR",
                                      end_date=YESTERDAY - datetime.timedelta(days=3))
    assert "end_date" in exc.value.message_dict
    line.refresh_from_db()
    assert line.best_response == "PR" and line.history.count() == 1


# --- record_clinical_status ---

def test_record_clinical_status(physician, patient):
    status = actions.record_clinical_status(by=physician, patient=patient, date=TODAY, frailty="unfit",
                                            reason="Geriatrisk vurdering")
    assert status.frailty == "unfit" and status.symptoms is None
    history = _latest_history(ClinicalStatus)
    assert history.history_user == physician and history.history_change_reason == "Geriatrisk vurdering"


def test_record_clinical_status_refuses_empty_and_unknown_frailty(physician, patient):
    with pytest.raises(ValidationError):
        actions.record_clinical_status(by=physician, patient=patient, date=TODAY)
    with pytest.raises(ValidationError) as exc:
        actions.record_clinical_status(by=physician, patient=patient, date=TODAY, frailty="strong")
    assert "frailty" in exc.value.message_dict
    assert not ClinicalStatus.objects.exists()
