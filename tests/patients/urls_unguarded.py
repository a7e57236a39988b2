"""A URLconf with a patient-bound view that forgot its loader (tests/patients/test_loaders.py)."""

from django.http import HttpResponse
from django.urls import include, path


def unguarded(request, pk):
    return HttpResponse("the patient's data")


urlpatterns = [path("patients/", include(([path("<int:pk>/unguarded/", unguarded)], "patients")))]
