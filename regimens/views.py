"""Regimen library pages."""

from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def regimen_list(request):
    return render(request, "regimens/list.html", {"protocols": []})
