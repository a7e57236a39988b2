"""Response endpoints of API v1.1: POST /poems-response and POST /response-series
(shared/contract/api-v1.md, the v1.1 sections).

Strict input as every endpoint (config/api_inputs.py): no coercion, no unknown fields, numbers within
their range, dates within 1900-01-01 … today + 2 years; 422 names the field. The engine does the rest
(guidelines/poems_response.py, guidelines/response_series.py); every text is rendered in the
language of ``Accept-Language`` with its structured message beside it (config/api_messages.py).
"""

from ninja import Field, Router

from config.api_inputs import ApiDate, StrictSchema
from config.api_messages import localized
from config.api_schemas import ERRORS
from guidelines.poems_response import PoemsMeasurement, poems_response
from guidelines.response_series import ANALYTES, Event, Observation, response_series

router = Router(tags=["response"])


def _num(low, high, unit, what, *, low_open=False):
    kind = "gt" if low_open else "ge"
    return Field(None, **{kind: low}, le=high,
                 description=f"{what}, {unit}. Accepted range {'> ' if low_open else ''}{low}–{high}.")


class PoemsBaselineIn(StrictSchema):
    serum_m_protein_g_l: float | None = _num(0, 200, "g/L", "Serum M-protein at baseline")
    vegf_ng_l: float | None = _num(0, 100000, "ng/L", "Plasma VEGF-A at baseline")
    pet_suv_max: float | None = _num(0, 100, "SUV", "SUVmax of the FDG-positive lesions on the baseline PET")
    marrow_involved: bool | None = Field(None, description="Clonal plasma cells in the baseline marrow.")


class PoemsCurrentIn(StrictSchema):
    serum_m_protein_g_l: float | None = _num(0, 200, "g/L", "Serum M-protein now (0: not seen on electrophoresis)")
    serum_ife_negative: bool | None = None
    urine_ife_negative: bool | None = None
    marrow_involved: bool | None = None
    vegf_ng_l: float | None = _num(0, 100000, "ng/L", "Plasma VEGF-A now (same method as at baseline)")
    vegf_upper_limit_ng_l: float | None = _num(0, 1000, "ng/L", "Laboratory upper reference limit of VEGF",
                                               low_open=True)
    pet_suv_max: float | None = _num(0, 100, "SUV", "SUVmax now")
    pet_lesions_resolved: bool | None = Field(None, description="The initially FDG-positive lesions have gone.")


class PoemsResponseIn(StrictSchema):
    baseline: PoemsBaselineIn
    current: PoemsCurrentIn


def _citations(items):
    return [{"document": c.document, "section": c.section, "detail": c.detail} for c in items]


def _ambiguities(items):
    return [{"source_text": a.source_text, "interpretation": a.interpretation,
             "citation": _citations([a.citation])[0]} for a in items]


def _part(part):
    return {"code": part.code, "category": part.category, "reasons": list(part.reasons), "missing": list(part.missing)}


@router.post("/poems-response", response={200: dict, **ERRORS}, summary="POEMS response (Responsevaluering)")
def poems_response_view(request, payload: PoemsResponseIn):
    """Haematological, VEGF and FDG-PET response, each on its own (Danish POEMS guideline,
    «Responsevaluering»); ``details`` gives each with the guideline's own category (CRH, CRV, PRR …)."""
    r = poems_response(PoemsMeasurement(**payload.baseline.model_dump()),
                       PoemsMeasurement(**payload.current.model_dump()))
    return localized({
        "haematological": r.haematological.code, "vegf": r.vegf.code, "pet": r.pet.code,
        "reasons": list(r.reasons), "missing": list(r.missing), "notes": list(r.notes),
        "details": {"haematological": _part(r.haematological), "vegf": _part(r.vegf), "pet": _part(r.pet)},
        "citations": _citations(r.citations), "ambiguities": _ambiguities(r.ambiguities),
    }, request)


class SeriesMeasurementIn(StrictSchema):
    date: ApiDate
    serum_m_protein_g_l: float | None = _num(0, 200, "g/L", "Serum M-component")
    urine_m_protein_mg_24h: float | None = _num(0, 100000, "mg/24 h", "Urine M-component (24-hour urine)")
    flc_kappa_mg_l: float | None = _num(0, 100000, "mg/L", "Serum free kappa")
    flc_lambda_mg_l: float | None = _num(0, 100000, "mg/L", "Serum free lambda")
    marrow_plasma_cells_pct: float | None = _num(0, 100, "%", "Bone marrow plasma cells")
    serum_ife_negative: bool | None = None
    urine_ife_negative: bool | None = None
    flc_ratio_normal: bool | None = None
    marrow_clonal_cells_absent: bool | None = None
    mrd_negative: bool | None = None
    new_crab: bool | None = Field(None, description="New CRAB criteria on this date (tabell 8.2, PD).")


class ResponseSeriesIn(StrictSchema):
    treatment_start: ApiDate
    measurements: list[SeriesMeasurementIn] = Field(..., max_length=1000)


FIELD_ANALYTES = {fieldname: (code, unit) for code, (fieldname, unit) in ANALYTES.items()}


def to_observations(measurements):
    """The contract's rows (one object per date) as the engine's observations and events."""
    observations, events = [], []
    for row in measurements:
        for name, value in row.model_dump(exclude={"date", "new_crab"}).items():
            if value is None:
                continue
            code, unit = FIELD_ANALYTES.get(name, (name, ""))
            observations.append(Observation(row.date, code, value, unit))
        if row.new_crab:
            events.append(Event(row.date, "new_crab"))
    return observations, events


@router.post("/response-series", response={200: dict, **ERRORS}, summary="IMWG response over a dated series")
def response_series_view(request, payload: ResponseSeriesIn):
    """IMWG response (tabell 8.2) on every assessment date after ``treatment_start``: the program finds the
    baseline (last value on or before the start), the nadir, confirmation by the next assessment, the best
    confirmed response and the proposed progression date."""
    observations, events = to_observations(payload.measurements)
    r = response_series(treatment_start=payload.treatment_start, measurements=observations, events=events)
    return localized({
        "assessments": [{"date": a.date.isoformat(), "response": str(a.response), "confirmed": a.confirmed,
                         "reasons": list(a.reasons), "missing": list(a.missing), "nadir": a.nadir}
                        for a in r.assessments],
        "best_response": str(r.best_response),
        "progression_date": None if r.progression is None else r.progression.date.isoformat(),
        "progression": None if r.progression is None else {
            "date": r.progression.date.isoformat(),
            "confirmed_on": None if r.progression.confirmed_on is None else r.progression.confirmed_on.isoformat(),
            "reasons": list(r.progression.reasons)},
        "baseline": {name: {"value": value, "date": d.isoformat()} for name, (value, d) in r.baseline.items()},
        "measurable_by": list(r.measurable_by),
        "nadir": {name: value for name, (value, _d) in r.nadir.items()},
        "nadir_dates": {name: d.isoformat() for name, (_v, d) in r.nadir.items()},
        "reasons": list(r.reasons), "missing": list(r.missing),
        "citations": _citations(r.citations), "ambiguities": _ambiguities(r.ambiguities),
    }, request)
