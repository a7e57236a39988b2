"""Shared by the tests (not a test module)."""

from django.utils import timezone

from tests.patients.factories import clinical_patient, make_patient


def seed(key, **extra):
    return make_patient(clinical_patient(key, **extra), today=timezone.localdate())


NEW_BONE_LESION = [(5, {"lytic_lesions": 1, "mri_focal_lesions": 1, "plasmacytoma": "none"})]

