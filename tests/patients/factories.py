"""Patients for the clinical tests, written through patients/actions/ as a clinician records them.

Independent of the demo data (``manage.py seed_demo_patients``), which may change for a
demonstration without changing what a test proves. One patient per diagnosis of the myeloma action
programme («Handlingsprogram for myelomatose», "Diagnostiske kriterier") and of the POEMS guideline
("Diagnostiske kriterier"), and one per relapse line («Behandling av tilbakefall»); each spec's comment
says which criteria its values meet. Observation dates are days before ``today``; ages come from the
birth date in the synthetic national identity number (tests/patients/national_ids.py, month + 80).

``make_patient(clinical_patient(key, imaging=[...]), today=...)``: the spec is a copy, extra records
are appended to its lists, and a test may change it before the patient is written.
"""

import copy
import datetime

from patients import actions, identity
from tests.patients.national_ids import number_for

# Synthetic (Tenor-style, month + 80) numbers: valid check digits, never a real person.
ANNE_ID = identity.make(datetime.date(1961, 3, 14), 412, synthetic=True)  # female (ninth digit 2)
OLE_ID = identity.make(datetime.date(1948, 11, 2), 163, synthetic=True)  # male (ninth digit 3)

# Individual numbers 000–499: born 1900–1999; the ninth digit is odd for men, even for women.
INDIVIDUALS = {"female": range(300, 500, 2), "male": range(301, 500, 2)}

# Line 1 of a transplant-eligible patient (Førstegangsbehandling, «VRd ... etterfulgt av HMAS» and
# lenalidomide maintenance).
VRD_HMAS_R = {
    "regimen": "VRd-induction + Mel-HMAS + R-maintenance",
    "drugs": ["bortezomib", "lenalidomide", "dexamethasone", "melphalan"],
}
ISA_KD = {"regimen": "Isa-Kd", "drugs": ["isatuximab", "carfilzomib", "dexamethasone"]}
PCD = {"regimen": "PCd", "drugs": ["pomalidomide", "cyclophosphamide", "dexamethasone"]}

PATIENTS = {
    # MGUS: clonal plasma cells 6 % (< 10 %), serum M 18.2 g/L (< 30 g/L), no CRAB/SLiM event
    # (Hb 13.1 g/dL, creatinine 78 µmol/L, calcium 2.35 mmol/L, no lytic lesion).
    "MGUS": {
        "name": "Berit Prøve-Solberg", "born": datetime.date(1959, 2, 3), "sex": "female",
        "ward": "Hematologisk poliklinikk",
        "height_weight": [(400, "165", "68"), (20, None, "67.5")],
        "labs": {
            "m_protein": [(700, "17.5"), (400, "18"), (30, "18.2")],
            "flc_kappa": [(700, "27"), (400, "28"), (30, "28")], "flc_lambda": [(700, "14"), (400, "14"), (30, "14")],
            "hemoglobin": [(700, "13.2"), (400, "13.1"), (30, "13.1")],
            "creatinine": [(700, "76"), (400, "78"), (30, "78")], "calcium": [(700, "2.33"), (30, "2.35")],
            "albumin": [(30, "41")],
        },
        "isotype": "IgG",
        "marrow": [(690, "6")],
        "imaging": [(690, {"lytic_lesions": 0})],
        "status": [(30, {"symptoms": False, "frailty": "fit"})],
    },
    # Ulmende myelomatose: serum M 35 g/L (≥ 30) and marrow 15 % (10–59 %); no myeloma-defining event
    # (one MRI focal lesion, below the two of «M»; FLC ratio 95/9 ≈ 10.6, below 100).
    "SMOLDERING_MYELOMA": {
        "name": "Solveig Prøve-Ulmen", "born": datetime.date(1964, 9, 21), "sex": "female",
        "ward": "Hematologisk poliklinikk",
        "height_weight": [(300, "170", "72")],
        "labs": {
            "m_protein": [(360, "31"), (180, "33"), (20, "35")],
            "flc_kappa": [(360, "80"), (180, "88"), (20, "95")], "flc_lambda": [(360, "9"), (180, "9"), (20, "9")],
            "hemoglobin": [(360, "13.0"), (180, "12.9"), (20, "12.8")],
            "creatinine": [(360, "82"), (180, "84"), (20, "85")], "calcium": [(360, "2.38"), (20, "2.40")],
            "albumin": [(20, "39")], "beta2m": [(20, "2.4")], "ldh": [(20, "170")],
        },
        "isotype": "IgG",
        "marrow": [(350, "15")],
        "imaging": [(345, {"lytic_lesions": 0}), (340, {"mri_focal_lesions": 1})],
        "cytogenetics": [(350, {"del17p": False, "t4_14": False, "t14_16": False, "t11_14": False,
                                "gain1q": False, "tp53_mutation": False, "del1p32": "none"})],
        "status": [(20, {"symptoms": False, "frailty": "fit"})],
    },
    # Behandlingskrevende myelomatose: marrow 40 % (≥ 10 %) with «A» (Hb 9.2 g/dL < 10) and «B»
    # (4 lytic lesions); born 1968, under 70 and fit: a candidate for HMAS.
    "ACTIVE_MYELOMA transplant-eligible": {
        "name": "Per Prøve-Nydiagnose", "born": datetime.date(1968, 4, 10), "sex": "male",
        "ward": "Hematologisk sengepost",
        "height_weight": [(40, "182", "86"), (3, "182", "84")],
        "labs": {
            "m_protein": [(60, "44"), (30, "46"), (5, "48")],
            "flc_kappa": [(60, "380"), (5, "420")], "flc_lambda": [(60, "8"), (5, "8")],
            "hemoglobin": [(60, "10.1"), (30, "9.6"), (5, "9.2")],
            "creatinine": [(60, "92"), (30, "94"), (5, "96")], "calcium": [(60, "2.58"), (5, "2.62")],
            "albumin": [(5, "33")], "beta2m": [(5, "4.1")], "ldh": [(5, "190")], "platelets": [(5, "182")],
        },
        "isotype": "IgG",
        "marrow": [(25, "40")],
        "imaging": [(28, {"lytic_lesions": 4, "plasmacytoma": "none"})],
        "cytogenetics": [(20, {"del17p": False, "tp53_mutation": False, "t4_14": False, "t14_16": False,
                               "t14_20": False, "t11_14": False, "gain1q": True, "del1p32": "none"})],
        "status": [(5, {"frailty": "fit", "transplant_contraindication": False, "symptoms": True,
                        "note": "Ryggsmerter, lytiske lesjoner i columna."})],
    },
    # Behandlingskrevende myelomatose: marrow 35 % with «A» (Hb 9.6), «B» (2 lytic lesions) and «R»
    # (creatinine 190 µmol/L > 177); born 1950 (70–80 years), unfit: not a candidate for HMAS.
    "ACTIVE_MYELOMA non-transplant": {
        "name": "Ingrid Prøve-Eldre", "born": datetime.date(1950, 6, 15), "sex": "female",
        "ward": "Hematologisk sengepost",
        "height_weight": [(7, "158", "61")],
        "labs": {
            "m_protein": [(50, "24"), (25, "25"), (4, "26")],
            "flc_kappa": [(50, "12"), (4, "12")], "flc_lambda": [(50, "340"), (4, "380")],
            "hemoglobin": [(50, "10.2"), (25, "9.9"), (4, "9.6")],
            "creatinine": [(50, "165"), (25, "181"), (4, "190")], "calcium": [(50, "2.44"), (4, "2.45")],
            "albumin": [(4, "31")], "beta2m": [(4, "6.2")], "ldh": [(4, "230")], "platelets": [(4, "160")],
        },
        "isotype": "IgA",
        "marrow": [(20, "35")],
        "imaging": [(22, {"lytic_lesions": 2, "plasmacytoma": "none"})],
        "cytogenetics": [(15, {"del17p": False, "tp53_mutation": False, "t4_14": False, "t14_16": False,
                               "t14_20": False, "t11_14": False, "gain1q": False, "del1p32": "none"})],
        "status": [(4, {"frailty": "unfit", "transplant_contraindication": True, "symptoms": True,
                        "note": "Redusert allmenntilstand, hjertesvikt NYHA II."})],
    },
    # Solitært plasmacytom: one biopsy-proven bone lesion, no further lesion on CT or MRI, marrow 3 %
    # (clonal but < 10 %), no myeloma-defining event.
    "SOLITARY_PLASMACYTOMA": {
        "name": "Knut Prøve-Solitær", "born": datetime.date(1964, 1, 28), "sex": "male",
        "ward": "Hematologisk poliklinikk",
        "height_weight": [(40, "178", "80")],
        "labs": {
            "m_protein": [(45, "4"), (10, "4")],
            "flc_kappa": [(45, "18"), (10, "17")], "flc_lambda": [(45, "12"), (10, "12")],
            "hemoglobin": [(45, "14.0"), (10, "13.9")], "creatinine": [(45, "82"), (10, "82")],
            "calcium": [(45, "2.30"), (10, "2.31")], "albumin": [(10, "42")],
        },
        "isotype": "IgG",
        "marrow": [(30, "3")],
        "imaging": [(35, {"lytic_lesions": 0, "mri_focal_lesions": 0, "plasmacytoma": "bone",
                          "plasmacytoma_biopsy_proven": True, "plasmacytoma_count": 1})],
        "status": [(10, {"symptoms": True, "frailty": "fit", "note": "Smerter høyre os ilium (biopsert)."})],
    },
    # Plasmacelleleukemi: circulating plasma cells 22 % of leukocytes (> 5 %).
    "PLASMA_CELL_LEUKEMIA": {
        "name": "Hilde Prøve-Leukemi", "born": datetime.date(1972, 8, 5), "sex": "female",
        "ward": "Hematologisk sengepost",
        "height_weight": [(10, "167", "63")],
        "labs": {
            "circulating_plasma_cells": [(12, "14"), (3, "22")],
            "urine_m_protein": [(10, "1800")],
            "flc_kappa": [(12, "1900"), (3, "2400")], "flc_lambda": [(12, "5"), (3, "5")],
            "hemoglobin": [(12, "8.8"), (3, "8.1")], "platelets": [(12, "80"), (3, "62")],
            "creatinine": [(12, "131"), (3, "150")], "calcium": [(12, "2.81"), (3, "2.90")],
            "albumin": [(3, "34")], "beta2m": [(3, "7.4")], "ldh": [(3, "620")],
        },
        "isotype": None,
        "marrow": [(8, "70")],
        "imaging": [(9, {"lytic_lesions": 1, "plasmacytoma": "none"})],
        "cytogenetics": [(5, {"del17p": True, "tp53_mutation": False, "t4_14": False, "t14_16": False,
                              "t14_20": False, "t11_14": True, "gain1q": False, "del1p32": "none"})],
        "status": [(3, {"frailty": "fit", "transplant_contraindication": False, "symptoms": True})],
    },
    # POEMS: both mandatory criteria (polyneuropathy; a monoclonal plasma cell disorder, serum M 6 g/L),
    # major criteria (sclerotic bone lesions; VEGF 780 ng/L > 200), minor criteria (organomegaly,
    # extravascular volume overload, endocrinopathy, skin changes, thrombocytosis 520 × 10⁹/L).
    "POEMS": {
        "name": "Morten Prøve-Nevropati", "born": datetime.date(1977, 5, 30), "sex": "male",
        "ward": "Nevrologisk poliklinikk",
        "height_weight": [(60, "181", "74"), (10, None, "78")],
        "labs": {
            "m_protein": [(90, "5"), (10, "6")],
            "flc_kappa": [(90, "22"), (10, "22")], "flc_lambda": [(90, "38"), (10, "41")],
            "vegf": [(60, "690"), (10, "780")], "platelets": [(90, "470"), (10, "520")],
            "hemoglobin": [(90, "14.6"), (10, "14.5")], "creatinine": [(90, "86"), (10, "88")],
            "calcium": [(10, "2.30")], "albumin": [(10, "38")],
        },
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
    # Andrelinjebehandling: progression on lenalidomide maintenance after VRd + HMAS (line 1,
    # refractory to lenalidomide, not exposed to an anti-CD38 antibody); marrow 20 %.
    "RELAPSE_LINE_2 lenalidomide-refractory": {
        "name": "Arne Prøve-Andrelinje", "born": datetime.date(1960, 3, 12), "sex": "male",
        "ward": "Hematologisk poliklinikk",
        "height_weight": [(20, "176", "79")],
        "labs": {
            "m_protein": [(120, "4"), (60, "9"), (7, "15")],
            "flc_kappa": [(120, "30"), (7, "85")], "flc_lambda": [(120, "10"), (7, "9")],
            "hemoglobin": [(120, "12.6"), (60, "12.2"), (7, "11.8")],
            "creatinine": [(120, "88"), (60, "90"), (7, "92")], "calcium": [(7, "2.41")],
            "albumin": [(7, "38")], "beta2m": [(7, "3.1")], "ldh": [(7, "180")], "platelets": [(7, "170")],
        },
        "isotype": "IgG",
        "marrow": [(10, "20")],
        "cytogenetics": [(1200, {"del17p": False, "t4_14": False, "t14_16": False, "t11_14": False,
                                 "gain1q": False})],
        "lines": [
            {**VRD_HMAS_R, "line": 1, "start": 1250, "end": 90, "best_response": "VGPR",
             "refractory_to": ["lenalidomide"], "autologous_transplant": True, "transplant": 1080, "months": "30"},
        ],
        "status": [(7, {"frailty": "fit", "transplant_contraindication": False, "symptoms": False})],
    },
    # Tredjelinjebehandling: after line 1 (lenalidomide-refractory) and line 2 Isa-Kd (refractory to
    # isatuximab and carfilzomib); marrow 25 %.
    "RELAPSE_LINE_3 after Isa-Kd": {
        "name": "Randi Prøve-Tredjelinje", "born": datetime.date(1955, 10, 2), "sex": "female",
        "ward": "Hematologisk poliklinikk",
        "height_weight": [(15, "163", "59")],
        "labs": {
            "m_protein": [(200, "6"), (90, "11"), (6, "19")],
            "flc_kappa": [(200, "12"), (6, "12")], "flc_lambda": [(200, "70"), (6, "160")],
            "hemoglobin": [(200, "11.9"), (90, "11.4"), (6, "10.8")],
            "creatinine": [(200, "70"), (90, "74"), (6, "79")], "calcium": [(6, "2.39")],
            "albumin": [(6, "37")], "platelets": [(6, "140")],
        },
        "isotype": "IgA",
        "marrow": [(12, "25")],
        "lines": [
            {**VRD_HMAS_R, "line": 1, "start": 2100, "end": 900, "best_response": "VGPR",
             "refractory_to": ["lenalidomide"], "autologous_transplant": True, "transplant": 1950, "months": "34"},
            {**ISA_KD, "line": 2, "start": 880, "end": 40, "best_response": "PR",
             "refractory_to": ["isatuximab", "carfilzomib"]},
        ],
        "status": [(6, {"frailty": "fit", "symptoms": False})],
    },
    # Fjerdelinjebehandling, triple-class exposed: an IMiD (lenalidomide, pomalidomide), a proteasome
    # inhibitor (bortezomib, carfilzomib) and an anti-CD38 antibody (isatuximab) over three lines.
    "RELAPSE_LINE_4 triple-class exposed": {
        "name": "Geir Prøve-Fjerdelinje", "born": datetime.date(1958, 7, 19), "sex": "male",
        "ward": "Hematologisk sengepost",
        "height_weight": [(25, "185", "88")],
        "labs": {
            "m_protein": [(150, "10"), (75, "16"), (8, "24")],
            "flc_kappa": [(150, "140"), (8, "310")], "flc_lambda": [(150, "7"), (8, "6")],
            "hemoglobin": [(150, "11.2"), (75, "10.6"), (8, "10.1")],
            "creatinine": [(150, "95"), (75, "101"), (8, "104")], "calcium": [(8, "2.50")],
            "albumin": [(8, "35")], "platelets": [(8, "118")],
        },
        "isotype": "IgG",
        "marrow": [(14, "35")],
        "lines": [
            {**VRD_HMAS_R, "line": 1, "start": 2500, "end": 1500, "best_response": "CR",
             "refractory_to": ["lenalidomide"], "autologous_transplant": True, "transplant": 2350, "months": "28"},
            {**ISA_KD, "line": 2, "start": 1480, "end": 700, "best_response": "VGPR",
             "refractory_to": ["isatuximab", "carfilzomib"]},
            {**PCD, "line": 3, "start": 690, "end": 60, "best_response": "PR", "refractory_to": ["pomalidomide"]},
        ],
        "status": [(8, {"frailty": "fit", "symptoms": True})],
    },
    # Femte linje og senere, with t(11;14): four lines (the last teclistamab, a BCMA bispecific),
    # unfit and not a transplant candidate.
    "RELAPSE_LINE_5_PLUS t(11;14)": {
        "name": "Liv Prøve-Femtelinje", "born": datetime.date(1953, 12, 8), "sex": "female",
        "ward": "Hematologisk sengepost",
        "height_weight": [(18, "161", "57")],
        "labs": {
            "m_protein": [(140, "8"), (70, "14"), (6, "21")],
            "flc_kappa": [(140, "18"), (6, "16")], "flc_lambda": [(140, "150"), (6, "290")],
            "hemoglobin": [(140, "10.9"), (70, "10.5"), (6, "10.2")],
            "creatinine": [(140, "84"), (70, "90"), (6, "97")], "calcium": [(6, "2.44")],
            "albumin": [(6, "34")], "platelets": [(6, "96")],
        },
        "isotype": "IgG",
        "marrow": [(10, "30")],
        "cytogenetics": [(12, {"t11_14": True, "del17p": False, "t4_14": False, "t14_16": False, "t14_20": False,
                               "tp53_mutation": False, "gain1q": True, "del1p32": "none"})],
        "lines": [
            {**VRD_HMAS_R, "line": 1, "start": 3000, "end": 2000, "best_response": "VGPR",
             "refractory_to": ["lenalidomide"], "autologous_transplant": True, "transplant": 2850, "months": "30"},
            {**ISA_KD, "line": 2, "start": 1990, "end": 1200, "best_response": "VGPR",
             "refractory_to": ["isatuximab", "carfilzomib"]},
            {**PCD, "line": 3, "start": 1190, "end": 560, "best_response": "PR", "refractory_to": ["pomalidomide"]},
            {"regimen": "teclistamab", "drugs": ["teclistamab"], "line": 4, "start": 550, "end": 50,
             "best_response": "VGPR", "refractory_to": ["teclistamab"]},
        ],
        "status": [(6, {"frailty": "unfit", "transplant_contraindication": True, "symptoms": True})],
    },
}


def clinical_patient(key, **extra):
    """A copy of the spec of ``PATIENTS[key]`` with ``extra`` records appended to its lists
    (``imaging=[(5, {...})]``: one more imaging record, 5 days ago)."""
    spec = copy.deepcopy(PATIENTS[key])
    for name, records in extra.items():
        spec[name] = spec.get(name, []) + records
    return spec


def national_id(born, sex):
    return number_for(born, INDIVIDUALS[sex], synthetic=True)


def make_patient(spec, *, today, by=None):
    """Register the patient of ``spec`` and record everything it lists, dated back from ``today``."""

    def ago(days):
        return today - datetime.timedelta(days=days)

    patient = actions.register_patient(by=by, name=spec["name"], national_id=national_id(spec["born"], spec["sex"]),
                                       ward=spec["ward"])
    for days, height, weight in spec.get("height_weight", []):
        actions.record_height_weight(by=by, patient=patient, date=ago(days), height_cm=height, weight_kg=weight)
    for analyte, points in spec.get("labs", {}).items():
        isotype = (spec.get("isotype") or "") if analyte == "m_protein" else ""
        for days, value in points:
            actions.record_lab_result(by=by, patient=patient, date=ago(days), analyte=analyte, value=value,
                                      isotype=isotype)
    for days, pct in spec.get("marrow", []):
        actions.record_marrow(by=by, patient=patient, date=ago(days), clonal_plasma_cells_pct=pct)
    for kind, record in (("imaging", actions.record_imaging), ("cytogenetics", actions.record_cytogenetics),
                         ("poems", actions.record_poems_findings), ("skeletal", actions.record_skeletal_findings),
                         ("organ_function", actions.record_organ_function)):
        for days, values in spec.get(kind, []):
            record(by=by, patient=patient, date=ago(days), **values)
    for line in spec.get("lines", []):
        actions.record_treatment_line(
            by=by, patient=patient, line=line["line"], regimen=line["regimen"], drugs=line["drugs"],
            start_date=ago(line["start"]), end_date=ago(line["end"]) if "end" in line else None,
            best_response=line.get("best_response", ""), refractory_to=line.get("refractory_to", []),
            autologous_transplant=line.get("autologous_transplant"),
            transplant_date=ago(line["transplant"]) if "transplant" in line else None,
            months_from_transplant_to_progression=line.get("months"),
            progression_date=ago(line["progression"]) if "progression" in line else None,
        )
    for days, status in spec.get("status", []):
        actions.record_clinical_status(by=by, patient=patient, date=ago(days), **status)
    return patient
