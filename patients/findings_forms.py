"""Forms of the skeletal and emergency findings and of the organ function for CAR-T
(patients/models/findings.py), laid out like the other observation forms (patients/forms.py)."""

from crispy_forms.layout import Column, Row

from patients import models
from patients.forms import ObservationForm, _helper


def _findings_form(record, *rows):
    """The form of a record of findings: its date and ``record.FINDINGS``, laid out in ``rows`` (each a
    tuple of field names, one column each)."""

    class Form(ObservationForm):
        class Meta(ObservationForm.Meta):
            model = record
            fields = ["date", *record.FINDINGS]

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.helper = _helper(*(Row(*(Column(name) for name in row)) for row in rows))

    Form.__name__ = Form.__qualname__ = f"{record.__name__}Form"
    return Form


SkeletalFindingsForm = _findings_form(
    models.SkeletalFindings,
    ("date", "spinal_cord_compression"),
    ("painful_lesion", "fracture", "impending_fracture", "postoperative"),
    ("space_occupying",),
)
OrganFunctionForm = _findings_form(
    models.OrganFunction,
    ("date", "lvef_pct", "spo2_room_air_pct"),
    ("liver_cirrhosis", "serious_comorbidity", "al_amyloidosis"),
)
