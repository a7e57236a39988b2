"""Patient pages."""

from django.contrib.auth.decorators import permission_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from patients import roles


@require_safe
@permission_required(roles.VIEW_PATIENTS, raise_exception=True)
def patient_list(request):
    return render(request, "patients/list.html", {"patients": []})
