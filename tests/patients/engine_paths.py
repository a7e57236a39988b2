"""Every JSON path the guideline engine reads (guidelines/facts.py): the assessment tests check that each
maps to a form and has a readable name."""

import dataclasses

from guidelines import facts as gf

GROUPS = {"labs": gf.Labs, "marrow": gf.Marrow, "imaging": gf.Imaging, "cytogenetics": gf.Cytogenetics,
          "poems": gf.PoemsFindings, "emergency": gf.Emergency, "car_t": gf.CarTFindings,
          "current_treatment": gf.CurrentTreatment}


def engine_paths():
    """Every JSON path of the evaluate request (guidelines/facts.py dataclass fields), the group names
    (treatment rules ask for "cytogenetics" as a whole) and the non-fact paths supportive care names."""
    paths = []
    for f in dataclasses.fields(gf.PatientFacts):
        if f.name in GROUPS:
            paths.append(f.name)
            paths += [f"{f.name}.{inner.name}" for inner in dataclasses.fields(GROUPS[f.name])]
        elif f.name == "treatment_history":
            paths.append("treatment_history")
            paths += [f"treatment_history[0].{inner.name}" for inner in dataclasses.fields(gf.TreatmentLine)]
        else:
            paths.append(f.name)
    return paths + ["igg_g_l", "reinfusion_date"]
