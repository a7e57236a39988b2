"""The kinds of record a patient's page records: the one registry of them.

Each kind (the ``<kind>`` of ``/patients/<pk>/record/<kind>/``) has its form, the action that
stores it, the page's title, the permission that records it and its model. The record page, the
overview's links, the assessment's links to missing facts and the change log all read it here.
Treatment history and clinical status drive the treatment advice: they are physician judgements
(``RECORD_CLINICAL_ASSESSMENT``); the other kinds are observations (``RECORD_OBSERVATIONS``).
"""

from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

from accounts import roles
from patients import actions, forms, models


class RecordKind(NamedTuple):
    form: type
    action: object
    title: str
    permission: str
    model: type


RECORD_KINDS = {
    "height-weight": RecordKind(forms.HeightWeightForm, actions.record_height_weight, _("Record height and weight"),
                                roles.RECORD_OBSERVATIONS, models.HeightWeight),
    "lab": RecordKind(forms.LabResultForm, actions.record_lab_result, _("Record lab result"),
                      roles.RECORD_OBSERVATIONS, models.LabResult),
    "marrow": RecordKind(forms.MarrowForm, actions.record_marrow, _("Record bone marrow finding"),
                         roles.RECORD_OBSERVATIONS, models.MarrowFinding),
    "imaging": RecordKind(forms.ImagingForm, actions.record_imaging, _("Record imaging finding"),
                          roles.RECORD_OBSERVATIONS, models.ImagingFinding),
    "cytogenetics": RecordKind(forms.CytogeneticsForm, actions.record_cytogenetics, _("Record cytogenetics"),
                               roles.RECORD_OBSERVATIONS, models.CytogeneticsResult),
    "poems": RecordKind(forms.PoemsForm, actions.record_poems_findings, _("Record POEMS findings"),
                        roles.RECORD_OBSERVATIONS, models.PoemsFindings),
    "treatment-line": RecordKind(forms.TreatmentLineForm, actions.record_treatment_line, _("Record treatment line"),
                                 roles.RECORD_CLINICAL_ASSESSMENT, models.TreatmentLine),
    "clinical-status": RecordKind(forms.ClinicalStatusForm, actions.record_clinical_status,
                                  _("Record clinical status"), roles.RECORD_CLINICAL_ASSESSMENT,
                                  models.ClinicalStatus),
}


def permission_of(kind):
    """The permission that records ``kind``; for an unknown kind the observations' one (its page
    is then a 404 for a user who holds it, a 403 for everyone else)."""
    return RECORD_KINDS[kind].permission if kind in RECORD_KINDS else roles.RECORD_OBSERVATIONS


def allowed_kinds(user):
    """The kinds ``user`` may record."""
    return {kind for kind, record in RECORD_KINDS.items() if user.has_perm(record.permission)}
