"""Create a handful of FICTIONAL demo patients: one per diagnosis and one per
relapse line, each with labs and findings over time.

Idempotent: a patient whose national identity number is already registered
is left untouched. The numbers are synthetic (Skatteetaten Tenor style,
month + 80): valid check digits, never a real person's number.

Values follow the myeloma action programme, "Diagnostiske kriterier"
(MGUS: M < 30 g/L and marrow < 10 %; smouldering: M >= 30 g/L and/or marrow
10–59 %, no myeloma-defining event; active myeloma: marrow >= 10 % and at
least one CRAB/SLiM event; solitary plasmacytoma: one biopsied lesion, no
further lesions, no myeloma-defining event; plasma cell leukaemia: plasma
cells > 5 % of leukocytes in blood) and the POEMS guideline, "Diagnostiske
kriterier" (both mandatory criteria, a major criterion, a minor criterion).
Observation dates are relative to the day the command runs. The patients are data, in
``demo_patients.yaml`` beside this file.

Demo treatment plans (when the demo users of ``seed_demo_users`` exist): one
plan issued by the demo physician and verified by the demo pharmacist, and one
issued but not yet verified, each through the same actions (and password
checks) as in the app. The demo physician acknowledges every flag the plan
raises. A patient who already has a plan is left as it is.
"""

import datetime
from pathlib import Path

import yaml
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.management.commands.seed_demo_users import DEMO_USERS
from patients import actions, plans
from patients.models import Patient, TreatmentPlan
from regimens.presenters import next_monday

REASON = "Demo data (fictional patient)"

# The patients, one per diagnosis and relapse line: data, in demo_patients.yaml beside this file.
DEMO_PATIENTS = yaml.safe_load((Path(__file__).with_name("demo_patients.yaml")).read_text(encoding="utf-8"))["patients"]


def seed_patient(spec, *, today, by=None):
    """Register one demo patient with all records; returns the patient."""

    def ago(days):
        return today - datetime.timedelta(days=days)

    patient = actions.register_patient(
        by=by, name=spec["name"], national_id=spec["national_id"], ward=spec["ward"], reason=REASON
    )
    for days, height, weight in spec.get("height_weight", []):
        actions.record_height_weight(by=by, patient=patient, date=ago(days), height_cm=height, weight_kg=weight,
                                     reason=REASON)
    for analyte, points in spec.get("labs", {}).items():
        for days, value in points:
            isotype = (spec.get("isotype") or "") if analyte == "m_protein" else ""
            actions.record_lab_result(by=by, patient=patient, date=ago(days), analyte=analyte, value=value,
                                      isotype=isotype, reason=REASON)
    for days, pct in spec.get("marrow", []):
        actions.record_marrow(by=by, patient=patient, date=ago(days), clonal_plasma_cells_pct=pct, reason=REASON)
    for days, finding in spec.get("imaging", []):
        actions.record_imaging(by=by, patient=patient, date=ago(days), reason=REASON, **finding)
    for days, result in spec.get("cytogenetics", []):
        actions.record_cytogenetics(by=by, patient=patient, date=ago(days), reason=REASON, **result)
    for days, findings in spec.get("poems", []):
        actions.record_poems_findings(by=by, patient=patient, date=ago(days), reason=REASON, **findings)
    for line in spec.get("lines", []):
        actions.record_treatment_line(
            by=by, patient=patient, line=line["line"], regimen=line["regimen"], drugs=line["drugs"],
            start_date=ago(line["start"]), end_date=ago(line["end"]) if "end" in line else None,
            best_response=line.get("best_response", ""), refractory_to=line.get("refractory_to", []),
            autologous_transplant=line.get("autologous_transplant"),
            transplant_date=ago(line["transplant"]) if "transplant" in line else None,
            months_from_transplant_to_progression=line.get("months"), reason=REASON,
        )
    for days, status in spec.get("status", []):
        actions.record_clinical_status(by=by, patient=patient, date=ago(days), reason=REASON, **status)
    return patient


# national identity number, regimen, cycles, verified by the pharmacist too
DEMO_PLANS = [
    ("12836030123", "Isa-Kd", 2, True),  # Arne, second line, lenalidomide-refractory
    ("02905530006", "PCd", 2, False),  # Randi, third line
]
DEMO_PHYSICIAN, DEMO_PHARMACIST = "lege", "farmasoyt"


def seed_plans(*, today, write):
    """The demo plans, signed by the demo users; skipped (with a message) when they do not exist."""
    passwords = {row[0]: row[4] for row in DEMO_USERS}
    users = {u.username: u for u in get_user_model().objects.filter(username__in=[DEMO_PHYSICIAN, DEMO_PHARMACIST])}
    if len(users) < 2:
        write("  skipped  demo treatment plans: run `manage.py seed_demo_users` first to create the signers")
        return
    physician, pharmacist = users[DEMO_PHYSICIAN], users[DEMO_PHARMACIST]
    codes_used = {}

    def code(user):
        """The signer's next TOTP code: each code is accepted once, so a second signature in the
        same 30-second step takes the next step's code (within the device's tolerance)."""
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from accounts.second_factor import current_code

        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            return None
        steps = codes_used[user.pk] = codes_used.get(user.pk, -1) + 1
        return current_code(device, steps_ahead=steps)
    for national_id, regimen, cycles, verify in DEMO_PLANS:
        patient = Patient.objects.filter(national_id=national_id).first()
        if patient is None:
            continue
        if TreatmentPlan.objects.filter(patient=patient).exists():
            write(f"  exists   plan for {patient.name}")
            continue
        try:
            with transaction.atomic():
                plan = actions.create_plan_draft(by=physician, patient=patient, regimen=regimen,
                                                 start_date=next_monday(today), cycles=cycles, reason=REASON)
                preview = plans.compute_for(plan, today=today)
                plan = actions.issue_plan(plan=plan, by=physician, password=passwords[DEMO_PHYSICIAN],
                                          acknowledged_flags=[flag["key"] for flag in preview.flags],
                                          expected_fingerprint=preview.fingerprint, today=today,
                                          otp_token=code(physician))
                if verify:
                    plan = actions.verify_plan(plan=plan, by=pharmacist, password=passwords[DEMO_PHARMACIST],
                                               expected_fingerprint=plans.issued_fingerprint(plan),
                                               otp_token=code(pharmacist))
        except (ValidationError, PermissionDenied) as exc:
            write(f"  skipped  plan {regimen} for {patient.name}: {' '.join(getattr(exc, 'messages', [str(exc)]))}")
            continue
        write(f"  created  plan {regimen} for {patient.name} ({plan.status})")


class Command(BaseCommand):
    help = "Create the fictional demo patients (idempotent: existing ones are left as they are)."

    @transaction.atomic
    def handle(self, *args, **options):
        today = timezone.localdate()
        for spec in DEMO_PATIENTS:
            if Patient.objects.filter(national_id=spec["national_id"]).exists():
                self.stdout.write(f"  exists   {spec['name']} ({spec['key']})")
                continue
            seed_patient(spec, today=today)
            self.stdout.write(f"  created  {spec['name']} ({spec['key']})")
        seed_plans(today=today, write=self.stdout.write)
