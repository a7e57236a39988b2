"""Every write to a patient record: one function per clinical act.

Each action takes keyword arguments only, validates the whole record
(``full_clean``: field validators, physiological ranges, units, dates,
uniqueness) before anything is saved, and runs in one transaction, so a
refused record leaves nothing behind. ``by`` is the user who acts and
``reason`` the change reason; both go into the record's history
(django-simple-history).

Edits are optimistically locked (core/locking.py): an action that changes an
existing record takes ``loaded_version``, the record's ``lock_version`` when the
editor loaded it (forms carry it in a hidden field; default: the counter of the
instance passed in). It locks the stored row and refuses with ``StaleEdit``
("changed by X at T since you opened it") when the counter moved meanwhile, so
of two edits from the same loaded version exactly one is stored. New records
(lab results, observations) are plain inserts: none is ever lost.

The acts live by topic: ``records`` (the patient and every record kind), ``treatment_plans``
(drafting, signing, revising and cancelling plans), ``course`` (the plan's treatment line, ending
the course); ``common`` holds the one save helper
(``save``) every act stores through. Import them from here: ``actions.issue_plan``.
"""

from patients.actions.course import end_course
from patients.actions.findings import record_organ_function, record_skeletal_findings
from patients.actions.records import (
    LAB_CORRECTION_FIELDS,
    PANEL_ROW_FIELDS,
    PATIENT_FIELDS,
    TREATMENT_FIELDS,
    LabPanelRefused,
    correct_lab_result,
    delete_lab_result,
    record_clinical_status,
    record_cytogenetics,
    record_height_weight,
    record_imaging,
    record_lab_panel,
    record_lab_result,
    record_marrow,
    record_poems_findings,
    record_treatment_line,
    register_patient,
    update_patient,
    update_treatment_line,
)
from patients.actions.treatment_plans import (
    PLAN_CHANGE_FIELDS,
    SIGNING_ROLES,
    cancel_plan,
    create_plan_draft,
    issue_plan,
    return_plan,
    revise_plan,
    verify_plan,
)

__all__ = [
    "LAB_CORRECTION_FIELDS", "PANEL_ROW_FIELDS", "PATIENT_FIELDS", "PLAN_CHANGE_FIELDS", "SIGNING_ROLES",
    "TREATMENT_FIELDS", "LabPanelRefused", "cancel_plan", "correct_lab_result", "create_plan_draft", "end_course",
    "delete_lab_result", "issue_plan", "record_clinical_status", "record_cytogenetics", "record_height_weight",
    "record_imaging", "record_lab_panel", "record_lab_result", "record_marrow", "record_organ_function",
    "record_poems_findings", "record_skeletal_findings", "record_treatment_line", "register_patient", "return_plan",
    "revise_plan", "update_patient", "update_treatment_line", "verify_plan",
]
