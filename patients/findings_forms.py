"""Forms of the skeletal and emergency findings and of the organ function for CAR-T
(patients/models/findings.py), laid out like the other observation forms (patients/forms.py)."""

from crispy_forms.layout import Column, Row

from patients import models
from patients.forms import ObservationForm, _helper


class SkeletalFindingsForm(ObservationForm):
    class Meta(ObservationForm.Meta):
        model = models.SkeletalFindings
        fields = ["date", *models.SkeletalFindings.BOOLEAN_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Row(Column("date"), Column("spinal_cord_compression")),
            Row(*(Column(name) for name in ("painful_lesion", "fracture", "impending_fracture", "postoperative"))),
            Row(Column("space_occupying")),
        )


class OrganFunctionForm(ObservationForm):
    class Meta(ObservationForm.Meta):
        model = models.OrganFunction
        fields = ["date", *models.OrganFunction.FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Row(Column("date"), Column("lvef_pct"), Column("spo2_room_air_pct")),
            Row(Column("liver_cirrhosis"), Column("serious_comorbidity"), Column("al_amyloidosis")),
        )
