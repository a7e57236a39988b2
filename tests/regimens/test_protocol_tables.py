"""Each row of each dosing table of the myeloma guideline, typed from the guideline
text (Handlingsprogram for myelomatose 1.2), checked against the protocol YAML.

One case per table row (and per cycle range where a row has several), id
"<code>-<drug as the guideline writes it>-<cycles>". Values are read from the
guideline, never from the YAML. "Dag 1-21" is written range(1, 22).
"""

import pytest

from .protocol_library import doses_in_cycle, drug_line, phase_doses, phase_line, protocols

D1_21 = tuple(range(1, 22))  # "Dag 1-21"
WEEKLY = (1, 8, 15, 22)  # "Dag 1, 8, 15, 22"
DEX_56 = (1, 8, 15, 22, 29, 36, 43, 50)  # "Dag 1, 8, 15, 22, 29, 36, 43, 50"
LATER = (3, 6, 12, 40)  # cycles checked for "og videre" / "til progresjon"

# (id, code, drug, cycles checked, {day: dose}, basis, route)
ROWS = [
    # Induksjonsbehandlingen — VRd, 28 d x 6 før HMAS
    ("VRd-induction-bortezomib", "VRd-induction", "bortezomib", (1, 6), dict.fromkeys((1, 8, 15), 1.3), "mg/m2", "sc"),
    ("VRd-induction-lenalidomid", "VRd-induction", "lenalidomide", (1, 6), dict.fromkeys(D1_21, 25), "mg", "po"),
    ("VRd-induction-deksametason", "VRd-induction", "dexamethasone", (1, 6), dict.fromkeys(WEEKLY, 40), "mg", "po"),
    # Dara-VRd før HMAS
    ("Dara-VRd-induction-daratumumab-syklus1-2", "Dara-VRd-induction", "daratumumab", (1, 2),
     dict.fromkeys(WEEKLY, 1800), "mg", "sc"),
    ("Dara-VRd-induction-daratumumab-syklus3-6", "Dara-VRd-induction", "daratumumab", (3, 6),
     dict.fromkeys((1, 15), 1800), "mg", "sc"),
    ("Dara-VRd-induction-bortezomib", "Dara-VRd-induction", "bortezomib", (1, 6),
     dict.fromkeys((1, 8, 15), 1.3), "mg/m2", "sc"),
    ("Dara-VRd-induction-lenalidomid", "Dara-VRd-induction", "lenalidomide", (1, 6),
     dict.fromkeys(D1_21, 25), "mg", "po"),
    ("Dara-VRd-induction-deksametason", "Dara-VRd-induction", "dexamethasone", (1, 6),
     dict.fromkeys(WEEKLY, 40), "mg", "po"),
    # Isa-VRd før HMAS ("Syklus 1: Dag 1, 8, 15, 22 / Syklus 3 og videre: Dag 1, 15")
    ("Isa-VRd-induction-isatuximab-syklus1", "Isa-VRd-induction", "isatuximab", (1,),
     dict.fromkeys(WEEKLY, 10), "mg/kg", "iv"),
    ("Isa-VRd-induction-isatuximab-syklus3-og-videre", "Isa-VRd-induction", "isatuximab", (3, 6),
     dict.fromkeys((1, 15), 10), "mg/kg", "iv"),
    # cycle 2 is not in the table: the interpretation recorded in the protocol's ambiguities
    ("Isa-VRd-induction-isatuximab-syklus2-tolkning", "Isa-VRd-induction", "isatuximab", (2,),
     dict.fromkeys((1, 15), 10), "mg/kg", "iv"),
    ("Isa-VRd-induction-bortezomib", "Isa-VRd-induction", "bortezomib", (1, 6),
     dict.fromkeys((1, 8, 15), 1.3), "mg/m2", "sc"),
    ("Isa-VRd-induction-lenalidomid", "Isa-VRd-induction", "lenalidomide", (1, 6),
     dict.fromkeys(D1_21, 25), "mg", "po"),
    ("Isa-VRd-induction-deksametason", "Isa-VRd-induction", "dexamethasone", (1, 6),
     dict.fromkeys(WEEKLY, 40), "mg", "po"),
    # Vedlikeholdsbehandling etter HMAS
    ("R-maintenance-lenalidomid", "R-maintenance", "lenalidomide", (1, *LATER), dict.fromkeys(D1_21, 15), "mg", "po"),
    ("VR-maintenance-bortezomib", "VR-maintenance", "bortezomib", (1, *LATER), dict.fromkeys((1, 15), 1.3),
     "mg/m2", "sc"),
    ("VR-maintenance-lenalidomid", "VR-maintenance", "lenalidomide", (1, *LATER), dict.fromkeys(D1_21, 15), "mg", "po"),
    ("Dara-R-maintenance-daratumumab", "Dara-R-maintenance", "daratumumab", (1, *LATER), {1: 1800}, "mg", "sc"),
    ("Dara-R-maintenance-lenalidomid", "Dara-R-maintenance", "lenalidomide", (1, *LATER), dict.fromkeys(D1_21, 15),
     "mg", "po"),
    ("Isa-R-maintenance-isatuximab", "Isa-R-maintenance", "isatuximab", (1, *LATER), {1: 10}, "mg/kg", "iv"),
    ("Isa-R-maintenance-lenalidomid", "Isa-R-maintenance", "lenalidomide", (1, *LATER), dict.fromkeys(D1_21, 15),
     "mg", "po"),
    # Pasienter som ikke er kandidater for HMAS — Dara-VRd
    ("Dara-VRd-daratumumab-syklus1-2", "Dara-VRd", "daratumumab", (1, 2), dict.fromkeys(WEEKLY, 1800), "mg", "sc"),
    ("Dara-VRd-daratumumab-syklus3-6", "Dara-VRd", "daratumumab", (3, 6), dict.fromkeys((1, 15), 1800), "mg", "sc"),
    ("Dara-VRd-daratumumab-syklus7-og-videre", "Dara-VRd", "daratumumab", (7, 12, 40), {1: 1800}, "mg", "sc"),
    ("Dara-VRd-bortezomib-syklus1-8", "Dara-VRd", "bortezomib", (1, 8), dict.fromkeys((1, 8, 15), 1.3), "mg/m2", "sc"),
    ("Dara-VRd-bortezomib-etter-syklus8", "Dara-VRd", "bortezomib", (9, 40), {}, "mg/m2", "sc"),
    ("Dara-VRd-lenalidomid", "Dara-VRd", "lenalidomide", (1, *LATER), dict.fromkeys(D1_21, 25), "mg", "po"),
    ("Dara-VRd-deksametason", "Dara-VRd", "dexamethasone", (1, *LATER), dict.fromkeys(WEEKLY, 40), "mg", "po"),
    # Isa-VRd (ikke HMAS)
    ("Isa-VRd-isatuximab-syklus1", "Isa-VRd", "isatuximab", (1,), dict.fromkeys(WEEKLY, 10), "mg/kg", "iv"),
    ("Isa-VRd-isatuximab-syklus2-17", "Isa-VRd", "isatuximab", (2, 17), dict.fromkeys((1, 15), 10), "mg/kg", "iv"),
    ("Isa-VRd-isatuximab-syklus18-og-videre", "Isa-VRd", "isatuximab", (18, 40), {1: 10}, "mg/kg", "iv"),
    ("Isa-VRd-bortezomib-syklus1-8", "Isa-VRd", "bortezomib", (1, 8), dict.fromkeys((1, 8, 15), 1.3), "mg/m2", "sc"),
    ("Isa-VRd-bortezomib-etter-syklus8", "Isa-VRd", "bortezomib", (9, 40), {}, "mg/m2", "sc"),
    ("Isa-VRd-lenalidomid", "Isa-VRd", "lenalidomide", (1, *LATER), dict.fromkeys(D1_21, 25), "mg", "po"),
    ("Isa-VRd-deksametason", "Isa-VRd", "dexamethasone", (1, *LATER), dict.fromkeys(WEEKLY, 40), "mg", "po"),
    # DRd
    ("DRd-daratumumab-syklus1-2", "DRd", "daratumumab", (1, 2), dict.fromkeys(WEEKLY, 1800), "mg", "sc"),
    ("DRd-daratumumab-syklus3-6", "DRd", "daratumumab", (3, 6), dict.fromkeys((1, 15), 1800), "mg", "sc"),
    ("DRd-daratumumab-syklus7-og-videre", "DRd", "daratumumab", (7, 40), {1: 1800}, "mg", "sc"),
    ("DRd-lenalidomid", "DRd", "lenalidomide", (1, *LATER), dict.fromkeys(D1_21, 25), "mg", "po"),
    ("DRd-deksametason", "DRd", "dexamethasone", (1, *LATER), dict.fromkeys(WEEKLY, 40), "mg", "po"),
    # Andrelinjebehandling — Isa-Kd
    ("Isa-Kd-isatuximab-syklus1", "Isa-Kd", "isatuximab", (1,), dict.fromkeys(WEEKLY, 10), "mg/kg", "iv"),
    ("Isa-Kd-isatuximab-syklus2-og-videre", "Isa-Kd", "isatuximab", (2, *LATER), dict.fromkeys((1, 15), 10),
     "mg/kg", "iv"),
    # "Syklus 1: Dag 1: 20 mg/m2, dag 8, 15: 70 mg/m2"
    ("Isa-Kd-karfilzomib-syklus1", "Isa-Kd", "carfilzomib", (1,), {1: 20, 8: 70, 15: 70}, "mg/m2", "iv"),
    # "Syklus 2 og videre: 70 mg/m2 dag 1, 8, 15"
    ("Isa-Kd-karfilzomib-syklus2-og-videre", "Isa-Kd", "carfilzomib", (2, *LATER), dict.fromkeys((1, 8, 15), 70),
     "mg/m2", "iv"),
    ("Isa-Kd-deksametason", "Isa-Kd", "dexamethasone", (1, *LATER), dict.fromkeys(WEEKLY, 40), "mg", "po"),
    # BPd, 56-dagers sykluser
    ("BPd-belantamab-syklus1", "BPd", "belantamab mafodotin", (1,), {1: 2.5}, "mg/kg", "iv"),
    ("BPd-belantamab-syklus2-og-videre", "BPd", "belantamab mafodotin", (2, *LATER), {1: 1.9}, "mg/kg", "iv"),
    ("BPd-pomalidomid", "BPd", "pomalidomide", (1, *LATER),
     dict.fromkeys((*range(1, 22), *range(29, 50)), 4), "mg", "po"),  # "Dag 1-21 og dag 29-49"
    ("BPd-deksametason", "BPd", "dexamethasone", (1, *LATER), dict.fromkeys(DEX_56, 40), "mg", "po"),
    # BVd, 56-dagers sykluser
    ("BVd-belantamab-syklus1", "BVd", "belantamab mafodotin", (1,), {1: 2.5}, "mg/kg", "iv"),
    ("BVd-belantamab-syklus2-og-videre", "BVd", "belantamab mafodotin", (2, *LATER), {1: 1.9}, "mg/kg", "iv"),
    ("BVd-bortezomib", "BVd", "bortezomib", (1, *LATER), dict.fromkeys((1, 8, 15, 29, 36, 43), 1.3), "mg/m2", "sc"),
    ("BVd-deksametason", "BVd", "dexamethasone", (1, *LATER), dict.fromkeys(DEX_56, 40), "mg", "po"),
    # Tredjelinjebehandling — PCd, and Pd "gis som PCd uten C"
    ("PCd-pomalidomid", "PCd", "pomalidomide", (1, *LATER), dict.fromkeys(D1_21, 4), "mg", "po"),
    ("PCd-cyklofosfamid", "PCd", "cyclophosphamide", (1, *LATER), dict.fromkeys((1, 8, 15), 400), "mg", "po"),
    ("PCd-deksametason", "PCd", "dexamethasone", (1, *LATER), dict.fromkeys(WEEKLY, 40), "mg", "po"),
    ("Pd-pomalidomid", "Pd", "pomalidomide", (1, *LATER), dict.fromkeys(D1_21, 4), "mg", "po"),
    ("Pd-deksametason", "Pd", "dexamethasone", (1, *LATER), dict.fromkeys(WEEKLY, 40), "mg", "po"),
    # Fjerdelinjebehandling — full doses after step-up
    ("teclistamab-syklus1", "teclistamab", "teclistamab", (1,), dict.fromkeys(WEEKLY, 1.5), "mg/kg", "sc"),
    ("teclistamab-syklus2", "teclistamab", "teclistamab", (2,), dict.fromkeys((1, 15), 1.5), "mg/kg", "sc"),
    ("teclistamab-syklus3+", "teclistamab", "teclistamab", LATER, {1: 1.5}, "mg/kg", "sc"),
    ("elranatamab-syklus1", "elranatamab", "elranatamab", (1,), dict.fromkeys(WEEKLY, 76), "mg", "sc"),
    ("elranatamab-syklus2", "elranatamab", "elranatamab", (2,), dict.fromkeys((1, 15), 76), "mg", "sc"),
    ("elranatamab-syklus3+", "elranatamab", "elranatamab", LATER, {1: 76}, "mg", "sc"),
    ("talquetamab-syklus1-og-2", "talquetamab", "talquetamab", (1, 2), dict.fromkeys((1, 15), 0.8), "mg/kg", "sc"),
    ("talquetamab-syklus3+", "talquetamab", "talquetamab", LATER, {1: 0.8}, "mg/kg", "sc"),
    # Behandling fra 5.linje — Venetoclax-Dex: "Venetoclax 400 mg 1–28", "Dexametason 40 mg ukentlig"
    ("Ven-Dex-venetoclax", "Ven-Dex", "venetoclax", (1, *LATER), dict.fromkeys(range(1, 29), 400), "mg", "po"),
    ("Ven-Dex-dexametason", "Ven-Dex", "dexamethasone", (1, *LATER), dict.fromkeys(WEEKLY, 40), "mg", "po"),
]


@pytest.mark.parametrize(("code", "drug", "cycles", "expected", "basis", "route"),
                         [row[1:] for row in ROWS], ids=[row[0] for row in ROWS])
def test_table_row(code, drug, cycles, expected, basis, route):
    line = drug_line(protocols()[code], drug)
    assert (line.basis, line.route) == (basis, route)
    for cycle in cycles:
        assert doses_in_cycle(line, cycle) == expected, f"cycle {cycle}"


# (code, "Sykluslengde" in days, "Antall sykluser" or None for "Gjentas til progresjon")
CYCLES = [
    ("VRd-induction", 28, 6), ("Dara-VRd-induction", 28, 6), ("Isa-VRd-induction", 28, 6),
    ("R-maintenance", 28, None), ("VR-maintenance", 28, None),
    ("Dara-R-maintenance", 28, None), ("Isa-R-maintenance", 28, None),  # "Behandlingsvarighet etter respons"
    ("Dara-VRd", 28, None), ("Isa-VRd", 28, None), ("DRd", 28, None), ("Isa-Kd", 28, None),
    ("BPd", 56, None), ("BVd", 56, None), ("PCd", 28, None), ("Pd", 28, None),
    ("teclistamab", 28, None), ("elranatamab", 28, None), ("talquetamab", 28, None),
    ("Ven-Dex", 28, None),  # "28-dagerssykluser"; no duration given (see the protocol's ambiguity)
]


@pytest.mark.parametrize(("code", "length", "count"), CYCLES, ids=[f"{c[0]}-sykluslengde" for c in CYCLES])
def test_cycle_length_and_count(code, length, count):
    protocol = protocols()[code]
    assert protocol.cycle_length_days == length
    assert protocol.cycles == count
    assert protocol.until_progression is (count is None)


def test_pd_is_pcd_without_cyclophosphamide():
    """'2. valg: Pomalidomid, deksametason (Pd) (Gis som PCd uten C)'."""
    pcd, pd = protocols()["PCd"], protocols()["Pd"]
    assert [line for line in pcd.drugs if line.drug != "cyclophosphamide"] == list(pd.drugs)
    assert pd.supportive_care == pcd.supportive_care


# Dose rules: (id, code, drug, kind, comparison, threshold, replacement dose, boundary undefined,
# side the exact boundary value takes). Sides (docs/adr/0003-undefined-boundaries.md): lenalidomide keeps
# 25 mg at eGFR 30 ("unngå unødvendig dosereduksjon", Behandling ved nyresvikt); dexamethasone is reduced
# at 75 ("Steroider ... bør dosereduseres først", "Ved tvil er det bedre å gå ned i dose enn å la være").
RULES = [
    *[(f"{code}-lenalidomid-eGFR<30", code, "lenalidomide", "renal", "below", 30, 15, True, "standard")
      for code in ("VRd-induction", "Dara-VRd-induction", "Isa-VRd-induction", "Dara-VRd", "Isa-VRd", "DRd")],
    *[(f"{code}-lenalidomid-darlig-toleranse", code, "lenalidomide", "tolerance", None, None, 10, False, "standard")
      for code in ("R-maintenance", "VR-maintenance", "Dara-R-maintenance", "Isa-R-maintenance")],
    *[(f"{code}-deksametason->75-ar", code, "dexamethasone", "age", "above", 75, 20, True, "rule")
      for code in ("Dara-VRd", "Isa-VRd", "DRd", "Isa-Kd", "BPd", "BVd", "PCd", "Pd")],
    # "Pasienter >75 år halverer dosen dexametason": 40 / 2 = 20; only ">75" is written, so 75 is defined
    ("Ven-Dex-dexametason->75-ar-halveres", "Ven-Dex", "dexamethasone", "age", "above", 75, 20, False, "standard"),
]


@pytest.mark.parametrize(("code", "drug", "kind", "comparison", "threshold", "dose", "undefined", "side"),
                         [r[1:] for r in RULES], ids=[r[0] for r in RULES])
def test_dose_rule(code, drug, kind, comparison, threshold, dose, undefined, side):
    (rule,) = drug_line(protocols()[code], drug).rules
    assert (rule.kind, rule.comparison, rule.threshold, rule.dose) == (kind, comparison, threshold, dose)
    assert rule.boundary_undefined is undefined
    assert rule.at_boundary == side
    if side == "rule":
        assert "Ved tvil er det bedre å gå ned i dose enn å la være" in rule.boundary_interpretation
        assert "bør dosereduseres først ved intoleranse" in rule.boundary_interpretation
    elif undefined:
        assert "unngå unødvendig dosereduksjon" in rule.boundary_interpretation
    assert not rule.omit


# Tables with no adjustment rule for a drug: the YAML must not invent one.
NO_RULES = [
    ("VRd-induction", "dexamethasone"), ("Dara-VRd-induction", "dexamethasone"),
    ("Isa-VRd-induction", "dexamethasone"), ("Isa-Kd", "carfilzomib"), ("BVd", "bortezomib"),
    ("PCd", "pomalidomide"), ("PCd", "cyclophosphamide"), ("Ven-Dex", "venetoclax"),
    ("Dara-VRd", "daratumumab"), ("Isa-VRd", "isatuximab"), ("BPd", "belantamab mafodotin"),
]


@pytest.mark.parametrize(("code", "drug"), NO_RULES, ids=[f"{c}-{d}-ingen-justering" for c, d in NO_RULES])
def test_no_invented_rule(code, drug):
    assert drug_line(protocols()[code], drug).rules == ()


@pytest.mark.parametrize("code", sorted(c for c, p in protocols().items() if any(
    line.drug == "bortezomib" for line in p.drugs)))
def test_bortezomib_at_least_72_hours_apart(code):
    assert drug_line(protocols()[code], "bortezomib").min_interval_hours == 72


# Step-up: (id, code, drug, {phase day: (dose, label)}, basis, minimum hours from last step-up to C1D1)
STEP_UP = [
    ("teclistamab-opptrapping", "teclistamab", "teclistamab",
     {1: (0.06, "step-up 1"), 3: (0.3, "step-up 2")}, "mg/kg", 48),
    ("elranatamab-opptrapping", "elranatamab", "elranatamab",
     {1: (12, "step-up 1"), 3: (32, "step-up 2")}, "mg", 72),
    ("talquetamab-opptrapping", "talquetamab", "talquetamab",
     {1: (0.01, "step-up 1"), 3: (0.06, "step-up 2"), 5: (0.4, "step-up 3")}, "mg/kg", 48),
]


@pytest.mark.parametrize(("code", "drug", "expected", "basis", "hours"), [s[1:] for s in STEP_UP],
                         ids=[s[0] for s in STEP_UP])
def test_step_up_phase(code, drug, expected, basis, hours):
    protocol = protocols()[code]
    (phase,) = protocol.phases
    line = phase_line(protocol, drug)
    assert phase.start_day == 1
    assert (line.basis, line.route) == (basis, "sc")
    assert phase_doses(line) == expected
    # "Første fulldose gis som ledd i syklus 1": cycle 1 day 1 is the first full dose,
    # at least `hours` after the last step-up (whole days, same time of day).
    last_step_up = max(expected)
    assert (phase.cycle_1_day_1 - last_step_up) * 24 >= hours
    assert (phase.cycle_1_day_1 - 1 - last_step_up) * 24 < hours  # and not later than needed


def test_teclistamab_3_mg_per_kg_is_a_note_not_a_dose():
    """'Her kan man eventuelt gi 3,0 mg/kg på dag 1' is an option, not the schedule."""
    line = drug_line(protocols()["teclistamab"], "teclistamab")
    assert "3,0 mg/kg" in line.note
    assert all(block.dose in (None, 1.5) for block in line.schedule)


def test_cyclophosphamide_mobilisation_course():
    """Høstekur med cyklofosfamid: 2 g/m2 dag 1; Uromitexan 800 mg/m2 x 4 dag 1; G-CSF fra dag 7."""
    protocol = protocols()["Cy-mobilisation"]
    (phase,) = protocol.phases
    assert protocol.drugs == () and phase.cycle_1_day_1 is None
    cyclo = phase_line(protocol, "cyclophosphamide")
    assert (cyclo.dose, cyclo.basis, cyclo.route, phase_doses(cyclo)) == (2, "g/m2", "iv", {1: (2, "")})
    mesna = phase_line(protocol, "mesna")
    assert (mesna.dose, mesna.basis, mesna.times_per_day, phase_doses(mesna)) == (800, "mg/m2", 4, {1: (800, "")})
    gcsf = phase_line(protocol, "filgrastim")
    assert (gcsf.dose, gcsf.basis, min(phase_doses(gcsf))) == (480, "microgram", 7)
    (rule,) = gcsf.rules
    assert (rule.kind, rule.comparison, rule.threshold, rule.dose) == ("weight", "below", 60, 300)
    assert rule.boundary_undefined  # "< 60kg / > 60kg": 60 kg itself is in neither
    assert rule.at_boundary == "standard"  # 480 microgram at exactly 60 kg, flagged
    assert any("varighet" in a.interpretation for a in protocol.ambiguities)


def test_high_dose_melphalan():
    """Melfalan 200 mg/m2 dag -1 (eGFR <30: 140 mg/m2), reinfusjon stamceller dag 0."""
    protocol = protocols()["Mel-HMAS"]
    (phase,) = protocol.phases
    assert protocol.drugs == () and phase.start_day == -1 and phase.cycle_1_day_1 is None
    mel = phase_line(protocol, "melphalan")
    assert (mel.dose, mel.basis, mel.route, phase_doses(mel)) == (200, "mg/m2", "iv", {-1: (200, "")})
    (rule,) = mel.rules
    assert (rule.kind, rule.comparison, rule.threshold, rule.dose) == ("renal", "below", 30, 140)
    assert not rule.boundary_undefined  # only "<30" is written; 30 and above get 200
    # "minst 48 timer mellom avsluttet melfalan til start av reinfusjon" (eGFR <30 only)
    assert rule.min_hours_to_next_event == 48 and "minst 48 timer" in rule.source_text
    (event,) = phase.events
    assert event.day == 0 and "2,0 x 10^6 CD34+" in event.text and "48 timer" in event.text


ZOSTER = "valaciklovir 250 mg x 2"
ASA = "acetylsalisylsyre 75 mg x 1"
# Støttebehandling / Forbehandling under each table, in the guideline's words:
# (code, phrases in supportive care, phrases absent from supportive care, phrases in premedication)
SUPPORT = [
    ("VRd-induction", (ZOSTER, ASA), (), ()),
    ("Dara-VRd-induction", (ZOSTER, ASA), (), ("cetirizin 10 mg og paracetamol 1000 mg", "montelukast")),
    ("Isa-VRd-induction", (ZOSTER, ASA), (), ("Deksametason behandlingsdose gis som forbehandling før isatuximab",)),
    ("Mel-HMAS", ("til 3 måneder etter HMAS",), (ASA,), ()),
    ("R-maintenance", (ASA,), (ZOSTER,), ()),
    ("VR-maintenance", (ZOSTER, ASA), (), ()),
    ("Dara-R-maintenance", (ZOSTER, ASA), (), ()),
    ("Isa-R-maintenance", (ZOSTER, ASA), (), ()),
    ("Dara-VRd", (ZOSTER, ASA), (), ("1-3 timer før daratumumabinjeksjon",)),
    ("Isa-VRd", (ZOSTER, ASA), (), ("Deksametason behandlingsdose gis som forbehandling før isatuximab",)),
    ("DRd", (ZOSTER, ASA), (), ("1-3 timer før daratumumabinjeksjon",)),
    ("Isa-Kd", (ZOSTER, "Sjekk vaksinasjonsstatus"), (ASA,), ("før alle doser isatuximab og karfilzomib",)),
    ("BPd", (ZOSTER, ASA, "Øyelegeundersøkelse før første dose"), (), ()),
    ("BVd", (ZOSTER, "Øyelegeundersøkelse før første dose"), (ASA,), ()),
    ("PCd", (ZOSTER, ASA, "Sjekk vaksinasjonsstatus"), (), ()),
    ("teclistamab", (ZOSTER, "pneumocystis jirovecii", "immunglobulinsubstitusjon fra 2. syklus"), (),
     ("Deksametason 16 mg", "begge step-up-doser og første fulldose")),
    ("elranatamab", (ZOSTER, "pneumocystis jirovecii", "immunglobulinsubstitusjon fra 2. syklus"), (),
     ("Deksametason 20 mg",)),
    ("talquetamab", (ZOSTER, "pneumocystis jirovecii", "mindre alvorlig hypogammaglobulinemi"), (),
     ("Deksametason 16 mg", "alle tre step-up-doser")),
]


@pytest.mark.parametrize(("code", "present", "absent", "premed"), SUPPORT,
                         ids=[f"{s[0]}-stottebehandling" for s in SUPPORT])
def test_supportive_care_and_premedication_in_the_guidelines_words(code, present, absent, premed):
    protocol = protocols()[code]
    supportive, premedication = " ".join(protocol.supportive_care), " ".join(protocol.premedication)
    assert all(phrase in supportive for phrase in present)
    assert not any(phrase in supportive for phrase in absent)
    assert all(phrase in premedication for phrase in premed)
    if not premed:
        assert protocol.premedication == ()


# (code, phrase the reimbursement note must hold); every other active protocol has none.
REIMBURSEMENT = [
    ("Dara-VRd-induction", "anti-CD38-VRd"), ("Isa-VRd-induction", "anti-CD38-VRd"),
    ("Dara-R-maintenance", "avvente godkjennelse av beslutningsforum"),
    ("Isa-R-maintenance", "avvente godkjennelse av beslutningsforum"),
    ("BPd", "Compassionate Use Program (CUP) (krever at man har brukt et CD38-antistoff tidligere)"),
    ("BVd", "Compassionate Use Program (CUP) (krever at man har brukt et CD38-antistoff tidligere)"),
    ("talquetamab", "når refundert"),
    ("Ven-Dex", "Off-label"),
]


@pytest.mark.parametrize(("code", "phrase"), REIMBURSEMENT, ids=[f"{r[0]}-refusjon" for r in REIMBURSEMENT])
def test_reimbursement_note(code, phrase):
    assert phrase in protocols()[code].reimbursement


def test_no_reimbursement_note_elsewhere():
    noted = {code for code, _ in REIMBURSEMENT}
    assert all(not p.reimbursement for code, p in protocols().items() if code not in noted)
