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
Observation dates are relative to the day the command runs.

Demo treatment plans (when the demo users of ``seed_demo_users`` exist): one
plan issued by the demo physician and verified by the demo pharmacist, and one
issued but not yet verified, each through the same actions (and password
checks) as in the app. The demo physician acknowledges every flag the plan
raises. A patient who already has a plan is left as it is.
"""

import datetime

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

VRD_HMAS_R = {
    "regimen": "VRd-induction + Mel-HMAS + R-maintenance",
    "drugs": ["bortezomib", "lenalidomide", "dexamethasone", "melphalan"],
}


def _labs(**series):
    """analyte -> [(days_ago, value), ...]"""
    return series


DEMO_PATIENTS = [
    {
        "key": "MGUS",
        "name": "Berit Demo-Solberg", "national_id": "03825930050", "ward": "Hematologisk poliklinikk",
        "height_weight": [(400, "165", "68"), (20, None, "67.5")],
        "labs": _labs(
            m_protein=[(700, "17.5"), (400, "18"), (30, "18.2")],
            flc_kappa=[(700, "27"), (400, "28"), (30, "28")], flc_lambda=[(700, "14"), (400, "14"), (30, "14")],
            hemoglobin=[(700, "13.2"), (400, "13.1"), (30, "13.1")],
            creatinine=[(700, "76"), (400, "78"), (30, "78")], calcium=[(700, "2.33"), (30, "2.35")],
            albumin=[(30, "41")],
        ),
        "isotype": "IgG",
        "marrow": [(690, "6")],
        "imaging": [(690, {"lytic_lesions": 0})],
        "status": [(30, {"symptoms": False, "frailty": "fit"})],
    },
    {
        "key": "SMOLDERING_MYELOMA",
        "name": "Solveig Demo-Ulmen", "national_id": "21896430421", "ward": "Hematologisk poliklinikk",
        "height_weight": [(300, "170", "72")],
        "labs": _labs(
            m_protein=[(360, "31"), (180, "33"), (20, "35")],
            flc_kappa=[(360, "80"), (180, "88"), (20, "95")], flc_lambda=[(360, "9"), (180, "9"), (20, "9")],
            hemoglobin=[(360, "13.0"), (180, "12.9"), (20, "12.8")],
            creatinine=[(360, "82"), (180, "84"), (20, "85")], calcium=[(360, "2.38"), (20, "2.40")],
            albumin=[(20, "39")], beta2m=[(20, "2.4")], ldh=[(20, "170")],
        ),
        "isotype": "IgG",
        "marrow": [(350, "15")],
        "imaging": [(345, {"lytic_lesions": 0}), (340, {"mri_focal_lesions": 1})],
        "cytogenetics": [(350, {"del17p": False, "t4_14": False, "t14_16": False, "t11_14": False,
                                "gain1q": False, "tp53_mutation": False, "del1p32": "none"})],
        "status": [(20, {"symptoms": False, "frailty": "fit"})],
    },
    {
        "key": "ACTIVE_MYELOMA transplant-eligible",
        "name": "Per Demo-Nydiagnose", "national_id": "10846830192", "ward": "Hematologisk sengepost",
        "height_weight": [(40, "182", "86"), (3, "182", "84")],
        "labs": _labs(
            m_protein=[(60, "44"), (30, "46"), (5, "48")],
            flc_kappa=[(60, "380"), (5, "420")], flc_lambda=[(60, "8"), (5, "8")],
            hemoglobin=[(60, "10.1"), (30, "9.6"), (5, "9.2")],
            creatinine=[(60, "92"), (30, "94"), (5, "96")], calcium=[(60, "2.58"), (5, "2.62")],
            albumin=[(5, "33")], beta2m=[(5, "4.1")], ldh=[(5, "190")], platelets=[(5, "182")],
        ),
        "isotype": "IgG",
        "marrow": [(25, "40")],
        "imaging": [(28, {"lytic_lesions": 4, "plasmacytoma": "none"})],
        "cytogenetics": [(20, {"del17p": False, "tp53_mutation": False, "t4_14": False, "t14_16": False,
                               "t14_20": False, "t11_14": False, "gain1q": True, "del1p32": "none"})],
        "status": [(5, {"frailty": "fit", "transplant_contraindication": False, "symptoms": True,
                        "note": "Ryggsmerter, lytiske lesjoner i columna."})],
    },
    {
        "key": "ACTIVE_MYELOMA non-transplant",
        "name": "Ingrid Demo-Eldre", "national_id": "15865030263", "ward": "Hematologisk sengepost",
        "height_weight": [(7, "158", "61")],
        "labs": _labs(
            m_protein=[(50, "24"), (25, "25"), (4, "26")],
            flc_kappa=[(50, "12"), (4, "12")], flc_lambda=[(50, "340"), (4, "380")],
            hemoglobin=[(50, "10.2"), (25, "9.9"), (4, "9.6")],
            creatinine=[(50, "165"), (25, "181"), (4, "190")], calcium=[(50, "2.44"), (4, "2.45")],
            albumin=[(4, "31")], beta2m=[(4, "6.2")], ldh=[(4, "230")], platelets=[(4, "160")],
        ),
        "isotype": "IgA",
        "marrow": [(20, "35")],
        "imaging": [(22, {"lytic_lesions": 2, "plasmacytoma": "none"})],
        "cytogenetics": [(15, {"del17p": False, "tp53_mutation": False, "t4_14": False, "t14_16": False,
                               "t14_20": False, "t11_14": False, "gain1q": False, "del1p32": "none"})],
        "status": [(4, {"frailty": "unfit", "transplant_contraindication": True, "symptoms": True,
                        "note": "Redusert allmenntilstand, hjertesvikt NYHA II."})],
    },
    {
        "key": "SOLITARY_PLASMACYTOMA",
        "name": "Knut Demo-Solitær", "national_id": "28816430102", "ward": "Hematologisk poliklinikk",
        "height_weight": [(40, "178", "80")],
        "labs": _labs(
            m_protein=[(45, "4"), (10, "4")],
            flc_kappa=[(45, "18"), (10, "17")], flc_lambda=[(45, "12"), (10, "12")],
            hemoglobin=[(45, "14.0"), (10, "13.9")], creatinine=[(45, "82"), (10, "82")],
            calcium=[(45, "2.30"), (10, "2.31")], albumin=[(10, "42")],
        ),
        "isotype": "IgG",
        "marrow": [(30, "3")],
        "imaging": [(35, {"lytic_lesions": 0, "mri_focal_lesions": 0, "plasmacytoma": "bone",
                          "plasmacytoma_biopsy_proven": True, "plasmacytoma_count": 1})],
        "status": [(10, {"symptoms": True, "frailty": "fit", "note": "Smerter høyre os ilium (biopsert)."})],
    },
    {
        "key": "PLASMA_CELL_LEUKEMIA",
        "name": "Hilde Demo-Leukemi", "national_id": "05887230260", "ward": "Hematologisk sengepost",
        "height_weight": [(10, "167", "63")],
        "labs": _labs(
            circulating_plasma_cells=[(12, "14"), (3, "22")],
            urine_m_protein=[(10, "1800")],
            flc_kappa=[(12, "1900"), (3, "2400")], flc_lambda=[(12, "5"), (3, "5")],
            hemoglobin=[(12, "8.8"), (3, "8.1")], platelets=[(12, "80"), (3, "62")],
            creatinine=[(12, "131"), (3, "150")], calcium=[(12, "2.81"), (3, "2.90")],
            albumin=[(3, "34")], beta2m=[(3, "7.4")], ldh=[(3, "620")],
        ),
        "isotype": None,
        "marrow": [(8, "70")],
        "imaging": [(9, {"lytic_lesions": 1, "plasmacytoma": "none"})],
        "cytogenetics": [(5, {"del17p": True, "tp53_mutation": False, "t4_14": False, "t14_16": False,
                              "t14_20": False, "t11_14": True, "gain1q": False, "del1p32": "none"})],
        "status": [(3, {"frailty": "fit", "transplant_contraindication": False, "symptoms": True})],
    },
    {
        "key": "POEMS",
        "name": "Morten Demo-Nevropati", "national_id": "30857730131", "ward": "Nevrologisk poliklinikk",
        "height_weight": [(60, "181", "74"), (10, None, "78")],
        "labs": _labs(
            m_protein=[(90, "5"), (10, "6")],
            flc_kappa=[(90, "22"), (10, "22")], flc_lambda=[(90, "38"), (10, "41")],
            vegf=[(60, "690"), (10, "780")], platelets=[(90, "470"), (10, "520")],
            hemoglobin=[(90, "14.6"), (10, "14.5")], creatinine=[(90, "86"), (10, "88")],
            calcium=[(10, "2.30")], albumin=[(10, "38")],
        ),
        "isotype": "IgA",
        "marrow": [(50, "5")],
        "imaging": [(55, {"lytic_lesions": 0, "sclerotic_bone_lesions": True, "plasmacytoma": "none"})],
        "poems": [(10, {
            "polyneuropathy": True, "polyneuropathy_severe_rapidly_progressive": True,
            "demyelinating_neuropathy_suspected_cidp": True, "castleman": False, "organomegaly": True,
            "extravascular_volume_overload": True, "endocrinopathy": ["gonadal", "hypothyroidism"],
            "skin_changes": True, "papilledema": False, "thrombocytosis_or_polycythemia": True,
            "refractory_ascites": False, "gynecomastia": False,
        })],
        "status": [(10, {"frailty": "fit", "symptoms": True,
                         "note": "Distal demyeliniserende polynevropati, IVIG uten effekt."})],
    },
    {
        "key": "RELAPSE_LINE_2 lenalidomide-refractory",
        "name": "Arne Demo-Andrelinje", "national_id": "12836030123", "ward": "Hematologisk poliklinikk",
        "height_weight": [(20, "176", "79")],
        "labs": _labs(
            m_protein=[(120, "4"), (60, "9"), (7, "15")],
            flc_kappa=[(120, "30"), (7, "85")], flc_lambda=[(120, "10"), (7, "9")],
            hemoglobin=[(120, "12.6"), (60, "12.2"), (7, "11.8")],
            creatinine=[(120, "88"), (60, "90"), (7, "92")], calcium=[(7, "2.41")],
            albumin=[(7, "38")], beta2m=[(7, "3.1")], ldh=[(7, "180")], platelets=[(7, "170")],
        ),
        "isotype": "IgG",
        "marrow": [(10, "20")],
        "cytogenetics": [(1200, {"del17p": False, "t4_14": False, "t14_16": False, "t11_14": False, "gain1q": False})],
        "lines": [
            {**VRD_HMAS_R, "line": 1, "start": 1250, "end": 90, "best_response": "VGPR",
             "refractory_to": ["lenalidomide"], "autologous_transplant": True, "transplant": 1080, "months": "30"},
        ],
        "status": [(7, {"frailty": "fit", "transplant_contraindication": False, "symptoms": False})],
    },
    {
        "key": "RELAPSE_LINE_3 after Isa-Kd",
        "name": "Randi Demo-Tredjelinje", "national_id": "02905530006", "ward": "Hematologisk poliklinikk",
        "height_weight": [(15, "163", "59")],
        "labs": _labs(
            m_protein=[(200, "6"), (90, "11"), (6, "19")],
            flc_kappa=[(200, "12"), (6, "12")], flc_lambda=[(200, "70"), (6, "160")],
            hemoglobin=[(200, "11.9"), (90, "11.4"), (6, "10.8")],
            creatinine=[(200, "70"), (90, "74"), (6, "79")], calcium=[(6, "2.39")],
            albumin=[(6, "37")], platelets=[(6, "140")],
        ),
        "isotype": "IgA",
        "marrow": [(12, "25")],
        "lines": [
            {**VRD_HMAS_R, "line": 1, "start": 2100, "end": 900, "best_response": "VGPR",
             "refractory_to": ["lenalidomide"], "autologous_transplant": True, "transplant": 1950, "months": "34"},
            {"line": 2, "regimen": "Isa-Kd", "drugs": ["isatuximab", "carfilzomib", "dexamethasone"],
             "start": 880, "end": 40, "best_response": "PR", "refractory_to": ["isatuximab", "carfilzomib"]},
        ],
        "status": [(6, {"frailty": "fit", "symptoms": False})],
    },
    {
        "key": "RELAPSE_LINE_4 triple-class exposed",
        "name": "Geir Demo-Fjerdelinje", "national_id": "19875830166", "ward": "Hematologisk sengepost",
        "height_weight": [(25, "185", "88")],
        "labs": _labs(
            m_protein=[(150, "10"), (75, "16"), (8, "24")],
            flc_kappa=[(150, "140"), (8, "310")], flc_lambda=[(150, "7"), (8, "6")],
            hemoglobin=[(150, "11.2"), (75, "10.6"), (8, "10.1")],
            creatinine=[(150, "95"), (75, "101"), (8, "104")], calcium=[(8, "2.50")],
            albumin=[(8, "35")], platelets=[(8, "118")],
        ),
        "isotype": "IgG",
        "marrow": [(14, "35")],
        "lines": [
            {**VRD_HMAS_R, "line": 1, "start": 2500, "end": 1500, "best_response": "CR",
             "refractory_to": ["lenalidomide"], "autologous_transplant": True, "transplant": 2350, "months": "28"},
            {"line": 2, "regimen": "Isa-Kd", "drugs": ["isatuximab", "carfilzomib", "dexamethasone"],
             "start": 1480, "end": 700, "best_response": "VGPR", "refractory_to": ["isatuximab", "carfilzomib"]},
            {"line": 3, "regimen": "PCd", "drugs": ["pomalidomide", "cyclophosphamide", "dexamethasone"],
             "start": 690, "end": 60, "best_response": "PR", "refractory_to": ["pomalidomide"]},
        ],
        "status": [(8, {"frailty": "fit", "symptoms": True})],
    },
    {
        "key": "RELAPSE_LINE_5_PLUS t(11;14)",
        "name": "Liv Demo-Femtelinje", "national_id": "08925330079", "ward": "Hematologisk sengepost",
        "height_weight": [(18, "161", "57")],
        "labs": _labs(
            m_protein=[(140, "8"), (70, "14"), (6, "21")],
            flc_kappa=[(140, "18"), (6, "16")], flc_lambda=[(140, "150"), (6, "290")],
            hemoglobin=[(140, "10.9"), (70, "10.5"), (6, "10.2")],
            creatinine=[(140, "84"), (70, "90"), (6, "97")], calcium=[(6, "2.44")],
            albumin=[(6, "34")], platelets=[(6, "96")],
        ),
        "isotype": "IgG",
        "marrow": [(10, "30")],
        "cytogenetics": [(12, {"t11_14": True, "del17p": False, "t4_14": False, "t14_16": False, "t14_20": False,
                               "tp53_mutation": False, "gain1q": True, "del1p32": "none"})],
        "lines": [
            {**VRD_HMAS_R, "line": 1, "start": 3000, "end": 2000, "best_response": "VGPR",
             "refractory_to": ["lenalidomide"], "autologous_transplant": True, "transplant": 2850, "months": "30"},
            {"line": 2, "regimen": "Isa-Kd", "drugs": ["isatuximab", "carfilzomib", "dexamethasone"],
             "start": 1990, "end": 1200, "best_response": "VGPR", "refractory_to": ["isatuximab", "carfilzomib"]},
            {"line": 3, "regimen": "PCd", "drugs": ["pomalidomide", "cyclophosphamide", "dexamethasone"],
             "start": 1190, "end": 560, "best_response": "PR", "refractory_to": ["pomalidomide"]},
            {"line": 4, "regimen": "teclistamab", "drugs": ["teclistamab"],
             "start": 550, "end": 50, "best_response": "VGPR", "refractory_to": ["teclistamab"]},
        ],
        "status": [(6, {"frailty": "unfit", "transplant_contraindication": True, "symptoms": True})],
    },
]


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
