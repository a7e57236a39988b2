"""The data `make bench` creates: the temporary database with a physician and two fictional patients
(their records: benchmarks/history.py), a dosing-sheet snapshot from the real dose engine, and a
verified treatment plan."""

import datetime
import secrets


def _setup_database():
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from accounts import roles
    from benchmarks.history import make_patient
    from patients.models import LabResult, TreatmentLine

    call_command("migrate", verbosity=0, interactive=False)
    from django.contrib.auth import get_user_model
    from django.db import transaction

    user = get_user_model().objects.create_user(username="bench", password=secrets.token_urlsafe(16),
                                                first_name="Bench", last_name="Lege")
    user.groups.add(Group.objects.get(name=roles.PHYSICIAN))
    with transaction.atomic():  # one commit instead of one per record: setup in seconds, same rows
        one = make_patient(by=user, name="Bench Ett-År", serial=11, years=1)
        ten = make_patient(by=user, name="Bench Ti-År", serial=12, years=10, lines=6)
    counts = {
        "labs_1y": LabResult.objects.filter(patient=one).count(),
        "labs_10y": LabResult.objects.filter(patient=ten).count(),
        "lines_1y": TreatmentLine.objects.filter(patient=one).count(),
        "lines_10y": TreatmentLine.objects.filter(patient=ten).count(),
    }
    return user, one, ten, counts


def _dosing_snapshot(cycles=None):
    """A plan snapshot (regimens/sheets.py) of the library's VRd induction for a
    fictional patient, doses from the real dose engine (``cycles`` None: the
    protocol's full course)."""
    from regimens import dosing
    from regimens.models import Protocol
    from regimens.presenters import next_monday, schedule_dict

    protocol = Protocol.objects.current("VRd-induction")
    proto = protocol.parsed()
    start = next_monday(datetime.date.today())
    schedule = dosing.calculate_schedule(
        proto, dosing.DosingPatient(weight_kg=80, height_cm=180, age=64, egfr_ml_min=88, sex="male"),
        start_date=start, cycles=cycles,
    )
    data = schedule_dict(schedule)
    return {
        "patient": {"name": "Bench Ti-År", "national_id": "01815012345", "birth_date": "1950-01-01",
                    "ward": "Benchmark"},
        "measurements": {"height_cm": 180, "height_date": start.isoformat(), "weight_kg": 80,
                         "weight_date": start.isoformat(), "bsa_m2": data["bsa_m2"], "bsa_formula": "Mosteller",
                         "egfr_ml_min": 88, "egfr_date": start.isoformat()},
        "protocol": {"code": protocol.code, "name": protocol.name, "version": protocol.version,
                     "source": f"{proto.source.document} — {proto.source.section}"},
        "schedule": data,
        "plan": {"id": 1, "version": 1, "status": "issued", "start_date": start.isoformat()},
        "signatures": [{"meaning": "Utstedt", "name": "Bench Lege", "role": "lege", "time": "2026-01-04 10:00"}],
    }


def _verified_plan(physician, patient):
    """A verified VRd-induction plan (the full course: 6 cycles) for ``patient`` through the plan
    actions, when the app has treatment plans and their dosing-sheet download;
    else None. Issuing needs a height and weight of the last 30 days and the
    issuer's password; verifying needs a pharmacist."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.urls import NoReverseMatch, reverse

    from accounts import roles
    from patients import actions

    try:
        from patients import plans
    except ImportError:
        return None
    if not hasattr(actions, "create_plan_draft"):
        return None
    try:
        reverse("patients:plan_sheet_pdf", args=[1, 1])
    except NoReverseMatch:
        return None
    password = secrets.token_urlsafe(16)
    physician.set_password(password)
    physician.save()
    pharmacist = get_user_model().objects.create_user(username="bench-farm", password=password,
                                                      first_name="Bench", last_name="Farmasøyt")
    pharmacist.groups.add(Group.objects.get(name=roles.PHARMACIST))
    codes = _signing_codes(physician, pharmacist)
    today = datetime.date.today()
    actions.record_height_weight(by=physician, patient=patient, date=today, height_cm="172", weight_kg="71")
    plan = actions.create_plan_draft(by=physician, patient=patient, regimen="VRd-induction",
                                     start_date=today + datetime.timedelta(days=3), cycles=6)
    preview = plans.compute_for(plan, today=today)
    plan = actions.issue_plan(plan=plan, by=physician, password=password,
                              acknowledged_flags=[flag["key"] for flag in preview.flags],
                              expected_fingerprint=preview.fingerprint, **codes[0])
    return actions.verify_plan(plan=plan, by=get_user_model().objects.get(pk=pharmacist.pk), password=password,
                               expected_fingerprint=plans.issued_fingerprint(plan), **codes[1])


def _signing_codes(*users):
    """Keyword arguments with each signer's current second-factor code (a TOTP device made
    for the benchmark), where signing needs one; empty where the app has no second factor."""
    try:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from accounts.second_factor import current_code
    except ImportError:
        return [{} for _ in users]
    return [{"otp_token": current_code(TOTPDevice.objects.create(user=user, name="bench", confirmed=True))}
            for user in users]
