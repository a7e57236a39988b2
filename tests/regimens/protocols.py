"""Protocols for the regimen tests, built from the guideline's own dosing tables
(Handlingsprogram for myelomatose, "Behandling av myelomatose"). The real
library lives in regimens/protocols/*.yaml; these tests do not depend on it."""

import datetime as dt

from regimens import schema

SOURCE = {"document": "myeloma", "section": "Behandling av myelomatose", "table": "test"}
AGE_RULE = {
    "kind": "age", "comparison": "above", "threshold": 75, "dose": 20,
    "source_text": "<75 år: 40 mg / >75 år: 20 mg", "boundary_undefined": True,
    "boundary_interpretation": "75 years exactly: the standard 40 mg (the dose for > 75 applies from above 75)",
}
RENAL_RULE = {
    "kind": "renal", "comparison": "below", "threshold": 30, "dose": 15, "source_text": "Ved eGFR <30: 15 mg",
    "boundary_undefined": True,
    "boundary_interpretation": "eGFR 30 exactly: the standard 25 mg (the text gives 25 mg 'hvis >30')",
}
WEIGHT_RULE = {
    "kind": "weight", "comparison": "below", "threshold": 60, "dose": 300,
    "source_text": "G-CSF 300 ug hvis vekt < 60kg / 480 ug hvis vekt > 60kg", "boundary_undefined": True,
    "boundary_interpretation": "60 kg exactly: 480 microgram",
}


def protocol(**overrides) -> schema.Protocol:
    """A protocol dict with sensible defaults, validated by the schema."""
    data = {
        "code": "VRd-induction", "name": "VRd", "setting": "first_line_transplant",
        "cycle_length_days": 28, "cycles": 6, "source": SOURCE, "version": 1, "status": "active",
        "authored_by": "test", "review_date": dt.date(2027, 1, 1),
        "drugs": [
            {"drug": "bortezomib", "route": "sc", "dose": 1.3, "basis": "mg/m2", "schedule": [{"days": [1, 8, 15]}]},
            {"drug": "lenalidomide", "route": "po", "dose": 25, "basis": "mg",
             "schedule": [{"days": list(range(1, 22))}], "rules": [RENAL_RULE]},
            {"drug": "dexamethasone", "route": "po", "dose": 40, "basis": "mg",
             "schedule": [{"days": [1, 8, 15, 22]}]},
        ],
        "premedication": [], "supportive_care": ["valaciklovir 250 mg x 2", "acetylsalisylsyre 75 mg x 1"],
    }
    data.update(overrides)
    return schema.Protocol.model_validate(data)


def one_drug(line: dict, **overrides) -> schema.Protocol:
    return protocol(drugs=[line], **overrides)


DEX_AGE = {"drug": "dexamethasone", "route": "po", "dose": 40, "basis": "mg",
           "schedule": [{"days": [1, 8, 15, 22]}], "rules": [AGE_RULE]}
