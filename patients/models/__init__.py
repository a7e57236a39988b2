"""Patient records, observations, treatment history and plans, one module per topic:
``patient`` (the patient), ``observations`` (dated findings), ``treatment`` (treatment lines),
``plans`` (treatment plans and their status rules), ``common`` (what they share).
Import them from here: ``from patients.models import Patient``."""

from patients.models.common import (
    NAME_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    REASON_MAX_LENGTH,
    REGIMEN_MAX_LENGTH,
    WARD_MAX_LENGTH,
    ClinicalRights,
    bounded_text,
    change_log,
    not_in_future,
)
from patients.models.findings import OrganFunction, SkeletalFindings
from patients.models.observations import (
    ClinicalStatus,
    CytogeneticsResult,
    Del1p32Choice,
    FrailtyChoice,
    HeightWeight,
    ImagingFinding,
    IsotypeChoice,
    LabResult,
    MarrowFinding,
    Observation,
    PlasmacytomaChoice,
    PoemsFindings,
    percent_validators,
)
from patients.models.patient import NATIONAL_ID_MESSAGES, Patient, SexChoice, new_data_token, validate_national_id
from patients.models.plans import (
    ISSUE_MEANING,
    PLAN_ACTS,
    PLAN_TRANSITIONS,
    VERIFY_MEANING,
    BsaFormula,
    PlanLocked,
    PlanStatus,
    TreatmentPlan,
)
from patients.models.treatment import EndReason, ResponseChoice, TreatmentLine, validate_drugs

__all__ = [
    "BsaFormula", "ClinicalRights", "ClinicalStatus", "CytogeneticsResult", "Del1p32Choice", "EndReason",
    "FrailtyChoice",
    "HeightWeight", "ISSUE_MEANING", "ImagingFinding", "IsotypeChoice", "LabResult", "MarrowFinding",
    "NAME_MAX_LENGTH", "NATIONAL_ID_MESSAGES", "NOTE_MAX_LENGTH", "Observation", "OrganFunction", "PLAN_ACTS",
    "PLAN_TRANSITIONS", "Patient", "PlanLocked", "PlanStatus", "PlasmacytomaChoice", "PoemsFindings",
    "REASON_MAX_LENGTH", "REGIMEN_MAX_LENGTH", "ResponseChoice", "SexChoice", "SkeletalFindings", "TreatmentLine",
    "TreatmentPlan", "VERIFY_MEANING", "WARD_MAX_LENGTH", "bounded_text", "change_log", "new_data_token",
    "not_in_future", "percent_validators", "validate_drugs", "validate_national_id",
]
