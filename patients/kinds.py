"""The kinds of record a patient's page records: the one registry of them.

Each kind (the ``<kind>`` of ``/patients/<pk>/record/<kind>/``) has its form, the action that
stores it, the page's title, the permission that records it and its model (the form's). The record page, the
overview's links, the assessment's links to missing facts and the change log all read it here.
Treatment history and clinical status drive the treatment advice: they are physician judgements
(``RECORD_CLINICAL_ASSESSMENT``); the other kinds are observations (``RECORD_OBSERVATIONS``).
"""

from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

from accounts import roles
from patients import actions, findings_forms, forms


class RecordKind(NamedTuple):
    form: type
    action: object
    title: str
    permission: str
    model: type


def _kind(form, action, title, permission=roles.RECORD_OBSERVATIONS):
    return RecordKind(form, action, title, permission, form._meta.model)


JUDGEMENT = roles.RECORD_CLINICAL_ASSESSMENT
RECORD_KINDS = {
    "height-weight": _kind(forms.HeightWeightForm, actions.record_height_weight, _("Record height and weight")),
    "lab": _kind(forms.LabResultForm, actions.record_lab_result, _("Record lab result")),
    "marrow": _kind(forms.MarrowForm, actions.record_marrow, _("Record bone marrow finding")),
    "imaging": _kind(forms.ImagingForm, actions.record_imaging, _("Record imaging finding")),
    "cytogenetics": _kind(forms.CytogeneticsForm, actions.record_cytogenetics, _("Record cytogenetics")),
    "poems": _kind(forms.PoemsForm, actions.record_poems_findings, _("Record POEMS findings")),
    "treatment-line": _kind(forms.TreatmentLineForm, actions.record_treatment_line, _("Record treatment line"),
                            JUDGEMENT),
    "clinical-status": _kind(forms.ClinicalStatusForm, actions.record_clinical_status, _("Record clinical status"),
                             JUDGEMENT),
    "skeletal": _kind(findings_forms.SkeletalFindingsForm, actions.record_skeletal_findings,
                      _("Record skeletal and emergency findings"), JUDGEMENT),
    "organ-function": _kind(findings_forms.OrganFunctionForm, actions.record_organ_function,
                            _("Record organ function and comorbidity (CAR-T)")),
}


def permission_of(kind):
    """The permission that records ``kind``; for an unknown kind the observations' one (its page
    is then a 404 for a user who holds it, a 403 for everyone else)."""
    return RECORD_KINDS[kind].permission if kind in RECORD_KINDS else roles.RECORD_OBSERVATIONS


def allowed_kinds(user):
    """The kinds ``user`` may record."""
    return {kind for kind, record in RECORD_KINDS.items() if user.has_perm(record.permission)}
