"""Audit trail: every change to patients, records, plans and protocols is in history with user,
time and reason; the patient change log (Endringslogg) shows plans too; no URL of the app can
alter a historical record."""

import datetime
import re

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from simple_history.models import HistoricalChanges

from patients import actions, plans
from patients.models import Patient, TreatmentLine, TreatmentPlan
from regimens.models import Protocol
from tests.patients.plan_helpers import draft, shown, verified
from tests.personas import PASSWORD, english_client, verify_second_factor
from tests.regimens.admin_forms import change_data, change_url
from tests.regimens.factories import activate, stored

pytestmark = pytest.mark.hazard("HAZ-015")

START = datetime.date(2025, 1, 6)


def _latest(instance):
    return type(instance).history.filter(id=instance.pk).order_by("-history_date", "-history_id").first()


def _assert_logged(instance, user, reason=None):
    record = _latest(instance)
    assert record.history_user_id == user.pk, f"{instance!r}: no user"
    assert record.history_date is not None
    assert (record.history_change_reason or "").strip(), f"{instance!r}: no reason"
    if reason is not None:
        assert record.history_change_reason == reason


def test_every_patient_action_records_user_time_and_reason(physician, second_physician, pharmacist, nurse,
                                                          vrd_patient):
    patient = vrd_patient
    _assert_logged(patient, physician, "Registered")
    _assert_logged(actions.update_patient(by=nurse, patient=patient, reason="Moved", ward="Post 2"), nurse, "Moved")
    day = START
    recorded = [
        actions.record_height_weight(by=nurse, patient=patient, date=day, height_cm=170, weight_kg=70),
        actions.record_lab_result(by=nurse, patient=patient, date=day, analyte="creatinine", value=90),
        actions.record_marrow(by=physician, patient=patient, date=day, clonal_plasma_cells_pct=30),
        actions.record_imaging(by=physician, patient=patient, date=day, lytic_lesions=2),
        actions.record_cytogenetics(by=physician, patient=patient, date=day, del17p=False),
        actions.record_poems_findings(by=physician, patient=patient, date=day, polyneuropathy=False),
        actions.record_clinical_status(by=physician, patient=patient, date=day, frailty="fit"),
    ]
    for record in recorded:
        _assert_logged(record, record.history.first().history_user)
    line = actions.record_treatment_line(by=physician, patient=patient, line=1, regimen="VRd-induction",
                                         drugs=["bortezomib"], start_date=day)
    _assert_logged(line, physician, "Recorded")
    actions.update_treatment_line(by=second_physician, treatment_line=line, reason="Best response known",
                                  best_response="PR")
    _assert_logged(line, second_physician, "Best response known")

    plan = draft(physician, patient)
    _assert_logged(plan, physician, "Draft created")
    plan = actions.issue_plan(plan=plan, by=physician, password=PASSWORD, acknowledged_flags=[],
                              expected_fingerprint=shown(plan))
    _assert_logged(plan, physician, "Issued")
    plan = actions.verify_plan(plan=plan, by=pharmacist, password=PASSWORD, expected_fingerprint=shown(plan))
    _assert_logged(plan, pharmacist, "Verified")
    revision = actions.revise_plan(plan=plan, by=second_physician, reason="Start postponed",
                                   start_date=START + datetime.timedelta(days=7))
    _assert_logged(revision, second_physician, "Start postponed")
    flags = [flag["key"] for flag in plans.compute_for(revision).flags]
    revision = actions.issue_plan(plan=revision, by=second_physician, password=PASSWORD, acknowledged_flags=flags,
                                  expected_fingerprint=shown(revision))
    _assert_logged(plan, second_physician, "Superseded by version 2: Start postponed")
    actions.cancel_plan(plan=revision, by=physician, reason="Patient declined")
    _assert_logged(revision, physician, "Cancelled: Patient declined")


def test_protocol_edits_in_the_admin_record_user_time_and_reason(client_for, pharmacist, admin_user):
    protocol = stored(code="T-Audit", status="draft")
    client = client_for(pharmacist)
    assert client.post(change_url(protocol), change_data(protocol, name="Renamed",
                                                         change_reason="Name as in the guideline")).status_code == 302
    _assert_logged(protocol, pharmacist, "Name as in the guideline")
    activate(Protocol.objects.get(pk=protocol.pk), admin_user)
    assert _latest(protocol).history_change_reason == f"activated by {admin_user}"
    _assert_logged(protocol, admin_user)


def test_change_log_shows_the_plan_lifecycle(client, physician, second_physician, pharmacist, vrd_patient):
    plan = verified(physician, pharmacist, vrd_patient, start_date=START)
    revision = actions.revise_plan(plan=plan, by=second_physician, reason="Start postponed",
                                   start_date=START + datetime.timedelta(days=7))
    flags = [flag["key"] for flag in plans.compute_for(revision).flags]
    revision = actions.issue_plan(plan=revision, by=second_physician, password=PASSWORD, acknowledged_flags=flags,
                                  expected_fingerprint=shown(revision))
    actions.cancel_plan(plan=revision, by=physician, reason="Patient declined")
    client = english_client()
    client.force_login(physician)
    verify_second_factor(client, physician)
    page = client.get(reverse("patients:history", args=[vrd_patient.pk])).text
    rows = re.findall(r"<tr>(.*?)</tr>", page, flags=re.S)
    plan_rows = [row for row in rows if "treatment plan #" in row]
    # Plan 1: drafted, issued, verified, superseded; plan 2: drafted, issued, cancelled.
    assert len(plan_rows) == 7
    text = " ".join(re.sub(r"<[^>]+>", " ", row) for row in plan_rows)
    text = re.sub(r"\s+", " ", text)
    for expected in ("draft → issued", "issued → verified", "verified → superseded", "issued → cancelled",
                     "Issued", "Verified", "Superseded by version 2: Start postponed", "Cancelled: Patient declined",
                     "Start postponed", "Per Lie", "Ola Berg", "Kari Hansen", "frozen dosing sheet"):
        assert expected in text, text[:3000]
    assert "lock_version" not in page and "edit counter" not in page


# --- no URL writes to history -------------------------------------------------------


def _templates(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _templates(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.name or ""


def _history_rows():
    rows = {}
    for model in apps.get_models():
        if issubclass(model, HistoricalChanges):
            for row in model.objects.values():
                rows[(model._meta.label, row["history_id"])] = row
    return rows


def _fill(template, name, values):
    """A concrete path for a URL template, or None when it takes a parameter this test has no value for."""
    admin_model = re.match(r"(\w+?)_(\w+?)_(simple_history|change|history|delete|preview)$", name)
    model_values = dict(values)
    if admin_model:
        try:
            model = apps.get_model(admin_model.group(1), admin_model.group(2))
        except LookupError:
            model = None
        obj = model._default_manager.order_by("pk").first() if model else None
        if obj is None:
            return None
        model_values["object_id"] = model_values["pk"] = obj.pk
        latest = getattr(obj, "history", None)
        if latest is not None and latest.exists():
            model_values["version_id"] = latest.first().history_id

    def converter(match):
        return str(model_values.get(match.group(1), "__missing__"))

    path = re.sub(r"<(?:\w+:)?(\w+)>", converter, template)
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", converter, path)
    unnamed = iter([model_values.get("object_id", "__missing__"), model_values.get("version_id", "__missing__")])
    path = re.sub(r"\(\[\^/\]\+\)", lambda _m: str(next(unnamed, "__missing__")), path)
    path = path.replace("^", "").replace("$", "").replace("\\Z", "")
    if "__missing__" in path or "(" in path:
        return None
    return "/" + path


def test_no_url_of_the_app_alters_a_historical_record(physician, pharmacist, admin_user, vrd_patient):
    """Every URL of the app, with every method, as a superuser (all permissions, second factor
    verified): historical rows may be added by the app's own actions, never changed or deleted."""
    admin_user.is_superuser = True
    admin_user.save()
    plan = verified(physician, pharmacist, vrd_patient, start_date=START)
    line = plan.treatment_line  # issuing the plan started its line (issue 15 item 1)
    protocol = Protocol.objects.get(pk=plan.protocol_id)
    values = {"pk": vrd_patient.pk, "plan_pk": plan.pk, "line_pk": line.pk, "code": protocol.code,
              "content_type_id": ContentType.objects.get_for_model(Protocol).pk, "object_id": protocol.pk,
              "app_label": "regimens", "url": "x", "uidb64": "x", "token": "x", "kind": "lab", "cycle": 1}
    before = _history_rows()
    assert any(label == "regimens.HistoricalProtocol" for label, _ in before)
    client = Client(raise_request_exception=False)
    visited = set()
    for template, name in _templates(get_resolver().url_patterns):
        path = _fill(template, name, values)
        if path is None or path in visited:
            continue
        visited.add(path)
        for method, data in (("get", None), ("post", {}), ("post", {"name": "tampered", "code": "tampered",
                                                                    "history_change_reason": "tampered"}),
                             ("put", None), ("patch", None), ("delete", None)):
            client.force_login(admin_user)
            verify_second_factor(client, admin_user)
            getattr(client, method)(path, data) if data is not None else getattr(client, method)(path)
    # The crawl reached the pages that show history.
    assert f"/patients/{vrd_patient.pk}/history/" in visited
    assert any(re.fullmatch(r"/admin/regimens/protocol/\d+/history/\d+/", p) for p in visited)
    after = _history_rows()
    changed = [key for key, row in before.items() if after.get(key) != row]
    assert changed == [], f"historical records changed or deleted: {changed[:5]}"
    assert Patient.objects.filter(pk=vrd_patient.pk).exists() and TreatmentLine.objects.filter(pk=line.pk).exists()
    assert TreatmentPlan.objects.filter(pk=plan.pk).exists()
