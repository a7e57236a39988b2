"""Data for the concurrency test, written into its own database by a separate process:
``python -c "import django; django.setup(); from tests.concurrency.seed import main; main()"``
with DJANGO_SETTINGS_MODULE and DATABASE_URL set. Prints the ids as JSON.

Users have no TOTP device, so they log in with username and password (config/account.py)."""

import datetime
import json

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

PASSWORD = "Concurrency-password-2026"
USERS = {
    # username: (role, first name, last name)
    "lege_a": ("lege", "Anna", "Lege"),
    "lege_b": ("lege", "Bjørn", "Lege"),
    "farm_a": ("farmasøyt", "Astrid", "Farmasøyt"),
    "farm_b": ("farmasøyt", "Bård", "Farmasøyt"),
    "farm_c": ("farmasøyt", "Cecilie", "Farmasøyt"),
    "spl_a": ("sykepleier", "Siri", "Sykepleier"),
}


def main():
    from patients import actions, identity, plans, roles

    role_names = {"lege": roles.PHYSICIAN, "farmasøyt": roles.PHARMACIST, "sykepleier": roles.NURSE}
    users = {}
    for username, (role, first, last) in USERS.items():
        user = get_user_model().objects.create_user(username=username, password=PASSWORD, first_name=first,
                                                    last_name=last, is_staff=role_names[role] in roles.STAFF_ROLES)
        user.groups.add(Group.objects.get(name=role_names[role]))
        users[username] = user
    physician, pharmacist = users["lege_a"], users["farm_c"]
    today = timezone.localdate()
    patient = actions.register_patient(by=physician, name="Samtidig Testesen",
                                       national_id=identity.make(datetime.date(1958, 5, 17), 412, synthetic=True))
    actions.record_height_weight(by=physician, patient=patient, date=today, height_cm=180, weight_kg=80)
    actions.record_lab_result(by=physician, patient=patient, date=today, analyte="creatinine", value=80)
    line = actions.record_treatment_line(
        by=physician, patient=patient, line=1, regimen="VRd-induction",
        drugs=["bortezomib", "lenalidomide", "dexamethasone"], start_date=today - datetime.timedelta(days=90),
        best_response="VGPR",
    )

    def issue(plan):
        preview = plans.compute_for(plan, today=today)
        return actions.issue_plan(plan, by=physician, password=PASSWORD,
                                  acknowledged_flags=[flag["key"] for flag in preview.flags],
                                  expected_fingerprint=preview.fingerprint)

    start = today + datetime.timedelta(days=3)
    to_verify = issue(actions.create_plan_draft(by=physician, patient=patient, regimen="VRd-induction",
                                                start_date=start, cycles=1))
    issued = issue(actions.create_plan_draft(by=physician, patient=patient, regimen="VRd-induction",
                                             start_date=start, cycles=1))
    to_revise = actions.verify_plan(issued, by=pharmacist, password=PASSWORD,
                                    expected_fingerprint=plans.issued_fingerprint(issued))
    print(json.dumps({"patient": patient.pk, "line": line.pk, "to_verify": to_verify.pk, "to_revise": to_revise.pk}))
