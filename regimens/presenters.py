"""Shape schedules and protocols for templates and the API (pure functions)."""

import datetime as dt

from core.formatting import format_date
from core.messages import drug_name, render
from regimens import dosing, schema, sheet_pages
from regimens.formatting import format_dose
from regimens.sheets import per_unit_line

SAMPLE_PATIENT = dosing.DosingPatient(weight_kg=80, height_cm=180, age=64, egfr_ml_min=88)


def next_monday(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=(7 - today.weekday()) % 7 or 7)


def schedule_rows(result: dosing.Schedule) -> list[dict]:
    """Rows of the on-screen schedule (the admin's preview), doses already formatted in the reader's
    separator: the dose to give as it is, the exact dose (four decimals), the rounding (exact -> given,
    deviation) and the achieved dose per unit beside the protocol's."""
    return [
        {"item": a, "drug": drug_name(a.drug), "dose": format_dose(a.dose, a.unit),
         "calculated": format_dose(a.calculated_dose, a.unit, places=4),
         "rounding": a.working.rounding,
         # the achieved dose per unit as the dosing sheet writes it (three significant figures)
         "per_unit": per_unit_line({"per_unit": {"basis": a.per_unit_basis, "achieved": a.per_unit_achieved,
                                                 "protocol": a.per_unit_protocol}} if a.per_unit_basis else {}),
         "date": format_date(a.date)}
        for a in result.administrations
    ]


def schedule_summary(rows: list[dict]) -> list[dict]:
    """Each distinct dose of the schedule once (``rows``: ``schedule_rows``), with the cycles and days it is
    given on, as the dosing sheet writes it (regimens/sheet_pages.py ``workings``): what the checking pharmacist
    reads first, before the list of every administration."""
    return sheet_pages.workings([_sheet_row(row["item"], row["dose"], row["per_unit"]) for row in rows])


def _sheet_row(a: dosing.Administration, dose: str, per_unit: str) -> dict:
    return {"phase": a.phase or "", "drug": a.drug, "label": render(a.label) if a.label else "", "dose": dose,
            "basis": render(a.basis), "rounding": render(a.working.rounding), "per_unit": per_unit, "working": "",
            "adjustments": [render(x) for x in a.adjustments], "route": str(a.route), "cycle": a.cycle,
            "day": a.day}


def _rounding_dict(rounding: schema.Rounding | None) -> dict | None:
    if rounding is None:
        return None
    limit = rounding.max_deviation_pct
    return {"step": float(rounding.step), "max_deviation_pct": float(limit) if limit is not None else None}


def administration_dict(item: dosing.Administration) -> dict:
    return {
        "cycle": item.cycle, "day": item.day, "date": item.date.isoformat(), "drug": item.drug,
        "dose": item.dose, "calculated_dose": item.calculated_dose, "unit": item.unit, "route": item.route,
        "basis": item.basis, "label": item.label, "adjustments": list(item.adjustments), "phase": item.phase,
        # the rounding policy (docs/adr/0014-dose-rounding-policy.md): "dose" is the dose to give
        "deviation_pct": item.deviation_pct, "rounding_step": item.rounding_step,
        "per_unit": ({"basis": item.per_unit_basis, "achieved": item.per_unit_achieved,
                      "protocol": item.per_unit_protocol} if item.per_unit_basis else None),
        "working": {
            "formula": item.working.formula, "inputs": list(item.working.inputs),
            "bsa_method": item.working.bsa_method, "adjustments": list(item.working.adjustments),
            "rounding": item.working.rounding, "per_unit": item.working.per_unit, "notes": list(item.working.notes),
            "boundary": list(item.working.boundary),
        },
    }


def schedule_dict(result: dosing.Schedule) -> dict:
    """The contract's POST /dosing response (shared/contract/api-v1.md) plus flags, events and inputs."""
    return {
        "regimen": result.regimen, "version": str(result.version), "status": result.status,
        "bsa_m2": round(result.bsa_m2, 4) if result.bsa_m2 is not None else None,
        "bsa_formula": result.bsa_formula, "cycle_length_days": result.cycle_length_days, "cycles": result.cycles,
        "administrations": [administration_dict(a) for a in result.administrations],
        "events": [{"phase": e.phase, "day": e.day, "date": e.date.isoformat(), "text": e.text}
                   for e in result.events],
        "premedication": list(result.premedication), "supportive_care": list(result.supportive_care),
        # Every flag's message is a warning too; a warning the engine also raised as a flag appears once.
        "warnings": list(dict.fromkeys([*result.warnings, *(f.message for f in result.flags)])),
        "flags": [{"key": f.key, "drug": f.drug, "kind": f.kind, "value": f.value, "threshold": f.threshold,
                   "source_text": f.source_text, "interpretation": f.interpretation, "message": f.message}
                  for f in result.flags],
        "inputs": list(result.inputs),
        "ambiguities": [a.model_dump() for a in result.ambiguities],
        # only a modified plan has the key (the contract's /dosing response has none)
        **({"modifications": list(result.modifications),
            "reduction_steps": [{"drug": st.drug, "cycle": st.cycle, "before": st.before, "after": st.after,
                                 "level": st.level, "levels": list(st.levels), "basis": st.basis}
                                for st in result.reduction_steps]}
           if result.modifications else {}),
    }


def _days_range(line: schema.DrugLine) -> str:
    from regimens.notation import format_schedule

    return format_schedule(line.schedule)


def protocol_dict(proto: schema.Protocol) -> dict:
    """GET /regimens/{code}: the library entry as it stands."""
    def line_dict(line: schema.DrugLine, phase: str = "") -> dict:
        return {
            "drug": line.drug, "atc": line.atc, "route": str(line.route), "dose": line.dose,
            "basis": str(line.basis) if line.basis else None, "schedule": _days_range(line),
            "days": sorted({d for b in line.schedule for d in b.days}), "phase": phase,
            "times_per_day": line.times_per_day, "note": line.note,
            "rules": [r.model_dump(mode="json") for r in line.rules],
            "rounding": _rounding_dict(line.rounding),
            "max_single_dose_mg": line.max_single_dose_mg,
        }

    return {
        "code": proto.code, "name": proto.name, "version": str(proto.version), "status": str(proto.status),
        "setting": str(proto.setting), "line": proto.line, "cycle_length_days": proto.cycle_length_days,
        "cycles": proto.cycles if not proto.until_progression else "until progression",
        "drugs": [*(line_dict(d, p.name) for p in proto.phases for d in p.drugs),
                  *(line_dict(d) for d in proto.drugs)],
        "phases": [{"name": p.name, "start_day": p.start_day, "cycle_1_day_1": p.cycle_1_day_1,
                    "events": [e.model_dump() for e in p.events], "note": p.note} for p in proto.phases],
        "premedication": list(proto.premedication), "supportive_care": list(proto.supportive_care),
        "reimbursement": proto.reimbursement,
        "citation": {"document": proto.source.document, "section": proto.source.section,
                     "table": proto.source.table},
        "authored_by": proto.authored_by, "checked_by": proto.checked_by,
        "review_date": proto.review_date.isoformat(),
        "ambiguities": [a.model_dump() for a in proto.ambiguities],
    }
