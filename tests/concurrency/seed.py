"""Data for the concurrency test, written into its own database by a separate process:
``python -c "import django; django.setup(); from tests.concurrency.seed import main; main()"``
with DJANGO_SETTINGS_MODULE and DATABASE_URL set. Prints the ids as JSON.

Users have no TOTP device, so they log in with username and password (accounts/views.py).
A second patient serves the eight-writer load scenario: ``ROUNDS`` drafts for ``lege_c`` to
issue and ``ROUNDS`` issued plans for each of ``farm_a`` and ``farm_b`` to verify, on a patient
whose measurements nobody changes meanwhile (new ones would change the doses of a draft)."""

import datetime
import json

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import timezone

PASSWORD = "Concurrency-password-2026"
ROUNDS = 3  # writes per user in the eight-writer load scenario
USERS = {
    # username: (role, first name, last name)
    "lege_a": ("lege", "Anna", "Lege"),
    "lege_b": ("lege", "Bjørn", "Lege"),
    "lege_c": ("lege", "Cato", "Lege"),
    "farm_a": ("farmasøyt", "Astrid", "Farmasøyt"),
    "farm_b": ("farmasøyt", "Bård", "Farmasøyt"),
    "farm_c": ("farmasøyt", "Cecilie", "Farmasøyt"),
    "spl_a": ("sykepleier", "Siri", "Sykepleier"),
    "spl_b": ("sykepleier", "Stine", "Sykepleier"),
    "spl_c": ("sykepleier", "Sander", "Sykepleier"),
}


def main():
    from accounts import roles
    from patients import actions, identity, plans

    role_names = {"lege": roles.PHYSICIAN, "farmasøyt": roles.PHARMACIST, "sykepleier": roles.NURSE}
    users = {}
    hashed = make_password(PASSWORD)  # one hash for every user: each costs a third of a second
    for username, (role, first, last) in USERS.items():
        user = get_user_model().objects.create(username=username, password=hashed, first_name=first,
                                               last_name=last, is_staff=role_names[role] in roles.STAFF_ROLES)
        user.groups.add(Group.objects.get(name=role_names[role]))
        users[username] = user
    physician, pharmacist = users["lege_a"], users["farm_c"]
    today = timezone.localdate()

    def treated_patient(name, birth_date, individual):
        patient = actions.register_patient(by=physician, name=name,
                                           national_id=identity.make(birth_date, individual, synthetic=True))
        actions.record_height_weight(by=physician, patient=patient, date=today, height_cm=180, weight_kg=80)
        actions.record_lab_result(by=physician, patient=patient, date=today, analyte="creatinine", value=80)
        line = actions.record_treatment_line(
            by=physician, patient=patient, line=1, regimen="VRd-induction",
            drugs=["bortezomib", "lenalidomide", "dexamethasone"], start_date=today - datetime.timedelta(days=90),
            best_response="VGPR",
        )
        return patient, line

    patient, line = treated_patient("Samtidig Testesen", datetime.date(1958, 5, 17), 412)
    busy, busy_line = treated_patient("Travel Testesen", datetime.date(1961, 3, 2), 433)
    plans_patient, _plans_line = treated_patient("Signert Testesen", datetime.date(1956, 9, 23), 455)

    def issue(plan):
        preview = plans.compute_for(plan, today=today)
        return actions.issue_plan(plan=plan, by=physician, password=PASSWORD,
                                  acknowledged_flags=[flag["key"] for flag in preview.flags],
                                  expected_fingerprint=preview.fingerprint)

    start = today + datetime.timedelta(days=3)

    def draft(on, by=physician):
        return actions.create_plan_draft(by=by, patient=on, regimen="VRd-induction", start_date=start, cycles=1)

    to_verify = issue(draft(patient))
    issued = issue(draft(patient))
    to_revise = actions.verify_plan(plan=issued, by=pharmacist, password=PASSWORD,
                                    expected_fingerprint=plans.issued_fingerprint(issued))
    load = {
        "patient": busy.pk, "line": busy_line.pk, "plans_patient": plans_patient.pk,
        "to_issue": [draft(plans_patient, by=users["lege_c"]).pk for _ in range(ROUNDS)],
        "to_verify": {name: [issue(draft(plans_patient)).pk for _ in range(ROUNDS)] for name in ("farm_a", "farm_b")},
    }
    print(json.dumps({"patient": patient.pk, "line": line.pk, "to_verify": to_verify.pk, "to_revise": to_revise.pk,
                      "load": load}))
