"""Assessment endpoints of the API: POST /evaluate and POST /response
(shared/contract/api-v1.md).

Request schemas validate types strictly (no "12" for 12, no 1 for true), reject unknown
fields and codes, and reject values outside the physiological ranges given in each field's
description with 422 naming the field. Height, weight, age, eGFR, creatinine and the free
light chains use the accepted ranges of guidelines/limits.py (the record's forms use the
same); dates lie within 1900-01-01 … today + 2 years (config/api_inputs.py). A value derived
from the input (eGFR, BSA, FLC ratio, involved FLC, dFLC) outside its own accepted range is
never used: /evaluate answers 422 naming the field it derives from. Valid requests become
guidelines.facts dataclasses; the guideline engine (guidelines.evaluate, guidelines.response)
does the rest.
"""

import dataclasses
from typing import Literal

from ninja import Field, Router, Status
from pydantic import create_model, field_validator
from pydantic_core import PydanticCustomError

from config.api_findings import CarTIn, CurrentTreatmentIn, EmergencyIn, findings
from config.api_inputs import DATE_WINDOW, ApiDate, StrictSchema, accepted
from config.api_messages import localized
from config.api_schemas import ERRORS
from guidelines import facts as f
from guidelines import limits
from guidelines.evaluate import derive
from guidelines.evaluate import evaluate as run_evaluation
from guidelines.response import Measurement, imwg_response
from regimens.library import from_database as protocol_library

router = Router(tags=["assessment"])

ResponseCode = Literal["MRD_NEGATIVE_CR", "SCR", "CR", "VGPR", "PR", "MR", "SD", "PD", "NOT_EVALUABLE"]
Drug = Literal[f.DRUGS]  # type: ignore[valid-type]
Endocrinopathy = Literal[f.ENDOCRINOPATHIES]  # type: ignore[valid-type]


def _num(low: float, high: float, unit: str, what: str):
    """An optional number within a physiological range (inclusive), documented in the schema."""
    return Field(None, ge=low, le=high, description=f"{what}, {unit}. Accepted range {low}–{high}.")


class LabsIn(StrictSchema):
    hemoglobin_g_dl: float | None = _num(1, 25, "g/dL", "Haemoglobin")
    hemoglobin_lower_limit_g_dl: float | None = _num(5, 20, "g/dL", "Laboratory lower reference limit of Hb")
    calcium_mmol_l: float | None = _num(0.5, 6, "mmol/L", "Albumin-corrected calcium")
    calcium_upper_limit_mmol_l: float | None = _num(1.5, 4, "mmol/L", "Laboratory upper reference limit of calcium")
    creatinine_umol_l: float | None = accepted(limits.CREATININE_UMOL_L, "Creatinine")
    egfr_ml_min: float | None = accepted(limits.EGFR_ML_MIN, "eGFR (absent: CKD-EPI 2021 from creatinine, age, sex)")
    albumin_g_l: float | None = _num(5, 70, "g/L", "Serum albumin")
    beta2m_mg_l: float | None = _num(0, 200, "mg/L", "Serum β2-microglobulin")
    ldh_u_l: float | None = _num(0, 20000, "U/L", "Lactate dehydrogenase (LD)")
    ldh_upper_limit_u_l: float | None = Field(None, gt=0, le=2000,
                                              description="Upper limit of LD, U/L. Range > 0–2000.")
    serum_m_protein_g_l: float | None = _num(0, 200, "g/L", "Serum M-component")
    m_protein_isotype: Literal["IgG", "IgA", "IgM", "IgD", "IgE", "light_chain"] | None = None
    urine_m_protein_mg_24h: float | None = _num(0, 100000, "mg/24 h", "Urine M-component")
    flc_kappa_mg_l: float | None = accepted(limits.FLC_MG_L, "Serum free kappa light chain")
    flc_lambda_mg_l: float | None = accepted(limits.FLC_MG_L, "Serum free lambda light chain")
    circulating_plasma_cells_pct: float | None = _num(0, 100, "% of leukocytes", "Plasma cells in the blood smear")
    vegf_ng_l: float | None = _num(0, 100000, "ng/L", "Plasma VEGF-A")
    platelets_10e9_l: float | None = _num(0, 5000, "10^9/L", "Platelets")
    igg_g_l: float | None = _num(0, 200, "g/L", "Polyclonal serum IgG (supportive care; extra optional field)")


class MarrowIn(StrictSchema):
    clonal_plasma_cells_pct: float | None = _num(0, 100, "%", "Clonal plasma cells in the bone marrow")


class ImagingIn(StrictSchema):
    lytic_lesions: int | None = Field(None, ge=0, le=1000, description="Osteolytic lesions ≥ 5 mm on low-dose CT / "
                                      "X-ray, not counting a biopsied plasmacytoma. Range 0–1000.")
    mri_focal_lesions: int | None = Field(None, ge=0, le=1000, description="Focal lesions ≥ 5 mm on whole-body MRI, "
                                          "not counting a biopsied plasmacytoma. Range 0–1000.")
    plasmacytoma: Literal["none", "bone", "extramedullary"] | None = None
    plasmacytoma_biopsy_proven: bool | None = None
    plasmacytoma_count: int | None = Field(None, ge=0, le=100, description="Number of plasmacytomas / bone foci. "
                                           "Range 0–100.")
    sclerotic_bone_lesions: bool | None = None
    sclerotic_bone_lesion_count: int | None = Field(
        None, ge=0, le=1000, description="Number of osteosclerotic (or mixed) bone lesions on CT: the POEMS foci that "
        "decide radiotherapy versus systemic treatment. Extra optional field. Range 0–1000.")
    extramedullary_disease: bool | None = Field(None, description="True extramedullary disease: a plasmacytoma not "
                                                "related to bone (CAR-T prioritisation).")
    plasmacytoma_size_cm: float | None = _num(0.1, 50, "cm", "Size of the (largest) plasmacytoma")


def _engine_findings(name: str, group, **declared):
    """A request schema of the fields of the engine's dataclass ``group`` (guidelines/facts.py,
    guidelines/response.py), by its names and in its order (the contract's): each an optional ``bool``
    unless ``declared`` gives its type, or (type, field) for an optional number with its range."""
    def field(name):
        spec = declared.get(name, bool | None)
        return spec if isinstance(spec, tuple) else (spec, None)

    return create_model(name, __base__=StrictSchema, __module__=__name__,
                        **{f.name: field(f.name) for f in dataclasses.fields(group)})


CytogeneticsIn = _engine_findings("CytogeneticsIn", f.Cytogenetics,
                                  del1p32=Literal["none", "monoallelic", "biallelic"] | None)
PoemsIn = _engine_findings("PoemsIn", f.PoemsFindings, endocrinopathy=list[Endocrinopathy] | None)


class TreatmentLineIn(StrictSchema):
    line: int = Field(..., ge=1, le=30, description="Line of treatment, 1–30.")
    regimen: str | None = Field(None, max_length=200, description="A regimen code or free text.")
    drugs: list[Drug] = []
    refractory_to: list[Drug] = []
    intolerant_to: list[Drug] = []
    autologous_transplant: bool | None = None
    months_from_transplant_to_progression: float | None = _num(0, 600, "months", "Transplant to progression")
    best_response: ResponseCode | None = None
    transplant_date: ApiDate | None = Field(
        None, description=f"Date of HMAS stem cell reinfusion, ISO YYYY-MM-DD {DATE_WINDOW}, for the dated "
        "revaccination schedule. Extra optional field.")
    progression_date: ApiDate | None = Field(
        None, description="Date the disease progressed on or after this line (IMWG progressive disease, guideline "
        "table 8.2), also when it was more than 60 days after stopping; ISO YYYY-MM-DD "
        f"{DATE_WINDOW}. Extra optional field.")
    progression_in_induction: Literal["early", "late", "none"] | None = Field(
        None, description="«Primært refraktær sykdom»: progression early in induction, late in induction, or none "
        "(suboptimal response); absent = unknown.")
    start_date: ApiDate | None = Field(None, description=f"Start of the line, ISO YYYY-MM-DD {DATE_WINDOW}.")
    end_date: ApiDate | None = Field(
        None, description=f"End of the line, ISO YYYY-MM-DD {DATE_WINDOW}; on a radiotherapy line the end of the "
        "radiotherapy (POEMS: «progression 3-6 mdr efter afsluttet strålebehandling»).")
    tandem_transplant_date: ApiDate | None = Field(
        None, description=f"Reinfusion (day 0) of the second, tandem HMAS, ISO YYYY-MM-DD {DATE_WINDOW}; needs "
        "transplant_date, on or after it.")
    radiotherapy_gy: float | None = accepted(limits.RADIOTHERAPY_GY, "Radiotherapy given on this line (total dose)")

    @field_validator("end_date")
    @classmethod
    def _end_after_start(cls, value, info):
        """The line's dates in the order the record's form requires (patients/models/treatment.py)."""
        start = info.data.get("start_date")
        if value is not None and start is not None and value < start:
            raise PydanticCustomError("date_order", "the end date is before start_date")
        return value

    @field_validator("tandem_transplant_date")
    @classmethod
    def _tandem_after_first(cls, value, info):
        """A tandem HMAS is the second: it needs the first (transplant_date) and does not precede it."""
        first = info.data.get("transplant_date")
        if value is not None and first is None:
            raise PydanticCustomError("tandem_without_transplant", "a tandem HMAS needs transplant_date (the first)")
        if value is not None and value < first:
            raise PydanticCustomError("date_order", "the tandem HMAS is before transplant_date")
        return value


class EvaluateIn(StrictSchema):
    age: int = accepted(limits.AGE_YEARS, "Age (adult guidelines; CKD-EPI is for adults)", ...)
    sex: Literal["male", "female"] | None = None
    weight_kg: float | None = accepted(limits.WEIGHT_KG, "Body weight")
    height_cm: float | None = accepted(limits.HEIGHT_CM, "Height")
    frailty: Literal["fit", "unfit", "frail"] | None = None
    transplant_contraindication: bool | None = None
    symptoms: bool | None = Field(None, description="Symptoms plausibly caused by the plasma cell disease.")
    labs: LabsIn = LabsIn()
    marrow: MarrowIn = MarrowIn()
    imaging: ImagingIn = ImagingIn()
    cytogenetics: CytogeneticsIn = CytogeneticsIn()
    poems: PoemsIn = PoemsIn()
    treatment_history: list[TreatmentLineIn] = []
    current_treatment: CurrentTreatmentIn = CurrentTreatmentIn()
    emergency: EmergencyIn = EmergencyIn()
    car_t: CarTIn = CarTIn()

    @field_validator("treatment_history")
    @classmethod
    def _one_entry_per_line(cls, value):
        """Each line number once: the latest line (the highest number) decides relapse questions."""
        numbers = [t.line for t in value]
        repeated = sorted({n for n in numbers if numbers.count(n) > 1})
        if repeated:
            raise ValueError(f"each line number once; repeated: {', '.join(map(str, repeated))}")
        return value


# The engine's Measurement: the numbers with their ranges, the findings yes/no.
MeasurementIn = _engine_findings(
    "MeasurementIn", Measurement,
    serum_m_protein_g_l=(float | None, _num(0, 200, "g/L", "Serum M-component")),
    urine_m_protein_mg_24h=(float | None, _num(0, 100000, "mg/24 h", "Urine M-component (24-hour urine)")),
    flc_kappa_mg_l=(float | None, _num(0, 100000, "mg/L", "Serum free kappa")),
    flc_lambda_mg_l=(float | None, _num(0, 100000, "mg/L", "Serum free lambda")),
    marrow_plasma_cells_pct=(float | None, _num(0, 100, "%", "Bone marrow plasma cells")),
    extramedullary_plasmacytoma=(bool | None, Field(None, description="Baseline: soft-tissue plasmacytoma present.")),
    plasmacytoma_reduction_pct=(float | None, _num(0, 100, "%", "Size reduction of soft-tissue plasmacytomas")),
)


class ResponseIn(StrictSchema):
    baseline: MeasurementIn
    nadir: MeasurementIn | None = None
    current: MeasurementIn


def to_facts(data: EvaluateIn) -> f.PatientFacts:
    """The validated request as the engine's input dataclasses."""
    labs = data.labs.model_dump()
    if labs["m_protein_isotype"] is not None:
        labs["m_protein_isotype"] = f.Isotype(labs["m_protein_isotype"])
    imaging = data.imaging.model_dump()
    if imaging["plasmacytoma"] is not None:
        imaging["plasmacytoma"] = f.Plasmacytoma(imaging["plasmacytoma"])
    cyto = data.cytogenetics.model_dump()
    if cyto["del1p32"] is not None:
        cyto["del1p32"] = f.Del1p32(cyto["del1p32"])
    poems = data.poems.model_dump()
    if poems["endocrinopathy"] is not None:
        poems["endocrinopathy"] = tuple(poems["endocrinopathy"])
    history = tuple(
        f.TreatmentLine(
            line=t.line, regimen=t.regimen, drugs=tuple(t.drugs), refractory_to=tuple(t.refractory_to),
            intolerant_to=tuple(t.intolerant_to), autologous_transplant=t.autologous_transplant,
            months_from_transplant_to_progression=t.months_from_transplant_to_progression,
            best_response=None if t.best_response is None else f.Response(t.best_response),
            transplant_date=t.transplant_date, progression_date=t.progression_date,
            progression_in_induction=None if t.progression_in_induction is None
            else f.ProgressionInInduction(t.progression_in_induction),
            start_date=t.start_date, end_date=t.end_date, tandem_transplant_date=t.tandem_transplant_date,
            radiotherapy_gy=t.radiotherapy_gy,
        )
        for t in data.treatment_history
    )
    return f.PatientFacts(
        age=data.age,
        sex=None if data.sex is None else f.Sex(data.sex),
        weight_kg=data.weight_kg, height_cm=data.height_cm,
        frailty=None if data.frailty is None else f.Frailty(data.frailty),
        transplant_contraindication=data.transplant_contraindication, symptoms=data.symptoms,
        labs=f.Labs(**labs), marrow=f.Marrow(**data.marrow.model_dump()), imaging=f.Imaging(**imaging),
        cytogenetics=f.Cytogenetics(**cyto), poems=f.PoemsFindings(**poems), treatment_history=history,
        **findings(data.emergency, data.car_t, data.current_treatment),
    )


@router.post("/evaluate", response={200: dict, **ERRORS}, summary="Evaluate one patient against the guidelines")
def evaluate(request, payload: EvaluateIn):
    """Diagnosis, workup tier, staging and risk, treatment setting and options, POEMS assessment,
    follow-up and supportive care, with reasons, missing facts, citations and ambiguities.
    Every text is in the language of ``Accept-Language`` (nb or en) with its structured message
    beside it (config/api_messages.py). A derived value outside its accepted range
    (guidelines/limits.py) answers 422 naming the field it derives from, before any rule runs."""
    facts = to_facts(payload)
    refused = derive(facts).refused
    if refused:
        errors = [{"field": field, "message": message, "type": "derived_range"} for field, message in refused]
        return Status(422, localized({"detail": "Invalid input", "errors": errors}, request))
    return localized(run_evaluation(facts, library=protocol_library()).to_dict(), request)


@router.post("/response", response={200: dict, **ERRORS}, summary="IMWG response (table 8.2)")
def response(request, payload: ResponseIn):
    """IMWG response between a baseline, the lowest earlier value (nadir) and now."""
    result = imwg_response(
        Measurement(**payload.baseline.model_dump()),
        None if payload.nadir is None else Measurement(**payload.nadir.model_dump()),
        Measurement(**payload.current.model_dump()),
    )
    return localized({
        "response": str(result.response),
        "measurable_by": list(result.measurable_by),
        "reasons": list(result.reasons),
        "missing": list(result.missing),
        "citations": [{"document": c.document, "section": c.section, "detail": c.detail} for c in result.citations],
        "ambiguities": [{"source_text": a.source_text, "interpretation": a.interpretation,
                         "citation": {"document": a.citation.document, "section": a.citation.section,
                                      "detail": a.citation.detail}} for a in result.ambiguities],
    }, request)
