"""Regimen library pages: the list, and one page per regimen code. Like the API's regimen
endpoints (config/api_regimens.py), for users in a role (patients.view_patients)."""

from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.roles import VIEW_PATIENTS
from core.formatting import format_date
from guidelines.sources import document_name
from regimens.formatting import PER_UNIT_WORDS, format_dose, format_number
from regimens.models import Protocol, ProtocolInvalid
from regimens.pdf import render_pdf
from regimens.presenters import protocol_dict
from regimens.summary import protocol_summary_context


@require_safe
@permission_required(VIEW_PATIENTS, raise_exception=True)
def regimen_list(request):
    codes = Protocol.objects.order_by("code").values_list("code", flat=True).distinct()
    return render(request, "regimens/list.html", {"protocols": [Protocol.objects.current(code) for code in codes]})


def _requested_version(request, code):
    """The active version of a regimen (else its latest), or ``?version=N``; 404 for neither."""
    if "version" in request.GET:
        try:
            protocol = Protocol.objects.filter(code=code, version=int(request.GET["version"])).first()
        except ValueError:
            protocol = None
    else:
        protocol = Protocol.objects.current(code)
    if protocol is None:
        raise Http404("unknown regimen")
    return protocol


@require_safe
@permission_required(VIEW_PATIENTS, raise_exception=True)
def regimen_detail(request, code):
    """The active version of a regimen (else its latest), or ``?version=N``."""
    protocol = _requested_version(request, code)
    try:
        entry, error = protocol_dict(protocol.parsed()), ""
    except ProtocolInvalid as exc:
        entry, error = None, str(exc)
    if entry:
        for drug in entry["drugs"]:
            basis = PER_UNIT_WORDS.get(drug["basis"], drug["basis"])
            drug["dose_text"] = format_dose(drug["dose"], basis) if drug["dose"] is not None else ""
            for rule in drug["rules"]:
                rule["text"] = rule_text(rule, basis)
        # the page names the document and writes the date as the reader does (the API keeps key and ISO date)
        entry["citation"]["document"] = document_name(entry["citation"]["document"])
        entry["review_date"] = format_date(entry["review_date"])
    versions = Protocol.objects.filter(code=code).order_by("-version")
    return render(request, "regimens/detail.html",
                  {"protocol": protocol, "entry": entry, "error": error, "versions": versions})


@require_safe
@permission_required(VIEW_PATIENTS, raise_exception=True)
def regimen_summary_pdf(request, code):
    """The printable protocol summary of the version the regimen page shows (regimens/summary.py); a
    stored version that no longer validates has no summary (409, the regimen page says why)."""
    protocol = _requested_version(request, code)
    try:
        context = protocol_summary_context(protocol)
    except ProtocolInvalid as exc:
        return HttpResponse(str(exc), status=409, content_type="text/plain; charset=utf-8")
    response = HttpResponse(render_pdf("regimens/protocol_summary_pdf.html", context), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="protokoll-{protocol.code}-v{protocol.version}.pdf"'
    return response


def rule_text(rule, basis):
    """A dose rule in the reader's words: «alder > 75: 20 mg», «eGFR < 30: 15 mg», «redusert toleranse: utelates»."""
    names = {"renal": _("eGFR"), "age": _("age"), "weight": _("weight"), "tolerance": _("reduced tolerance")}
    words = names.get(rule["kind"], rule["kind"])
    if rule.get("comparison"):
        sign = "<" if rule["comparison"] == "below" else ">"
        words = f"{words} {sign} {format_number(rule['threshold'])}"
    effect = _("omit") if rule.get("omit") else format_dose(rule["dose"], basis)
    return f"{words}: {effect}"
