"""Patient records, observations, treatment history and plans, one module per topic:
``patient`` (the patient), ``observations`` (dated findings), ``treatment`` (treatment lines),
``plans`` (treatment plans and their status rules), ``common`` (what they share).
Import them from here: ``from patients.models import Patient``; every name imported below is
re-exported (pyproject.toml lets this file import names it does not use)."""

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
    signed_at,
    signed_by,
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
from patients.models.treatment import (
    EndReason,
    ProgressionInInductionChoice,
    ResponseChoice,
    TreatmentLine,
    validate_drugs,
)
