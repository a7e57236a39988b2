"""Response tracker: the IMWG response (Handlingsprogram for myelomatose, "Vurdering av
behandlingsrespons og kontroll", Tabell 8.2) at every assessment date of the current
treatment line, and the POEMS VEGF and haematological responses (POEMS guideline,
"Responsevaluering") for POEMS patients.

``lab_series`` reads the record; ``track`` and ``track_poems`` are pure: they pass each
time point to guidelines.response and show what it returned (category, measurable
parameters, reasons, missing facts). Interpretations this module makes are listed in
``INTERPRETATIONS`` and shown on the page.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from core.formatting import format_quantity
from guidelines.diagnosis import Code, classify
from guidelines.poems_response import poems_haematological_response, poems_vegf_response
from guidelines.response import Measurement, imwg_response, measurable_disease
from guidelines.response_series import Day, nadir_of
from guidelines.rules import dedupe
from patients.factlabels import MEASUREMENT_LABELS, fact_label
from patients.facts import facts_for
from patients.models import ImagingFinding, LabResult, MarrowFinding, TreatmentLine
from patients.quantities import fact_text

# analyte code → Measurement field
RESPONSE_ANALYTES = {
    "m_protein": "serum_m_protein_g_l",
    "urine_m_protein": "urine_m_protein_mg_24h",
    "flc_kappa": "flc_kappa_mg_l",
    "flc_lambda": "flc_lambda_mg_l",
}
MARROW_FIELD = "marrow_plasma_cells_pct"
VEGF = "vegf"

INTERPRETATIONS = (
    gettext_lazy(
        "Baseline: for each parameter, the last value recorded on or before the start date of the treatment line "
        "(a sample taken on the first day is taken before the first dose)."),
    gettext_lazy(
        "Assessment dates: every date after the start of the line with a serum or urine M-component, a free light "
        "chain or a bone marrow result. Each date is judged on the values measured that day only; a value measured "
        "on another day is not carried over."),
    gettext_lazy(
        "Nadir: the lowest value of each parameter on the earlier assessment dates of the same line (for dFLC, the "
        "kappa/lambda pair of one day with the lowest dFLC of the chain involved at baseline)."),
    gettext_lazy(
        "Immunofixation, MRD, FLC-ratio normalisation, clonal marrow cells and new CRAB events are not recorded in "
        "MyeloPath: categories that need them (sCR, CR, MRD-negative CR; PD by new CRAB) cannot be confirmed here."),
)

# Missing current.* paths of imwg_response → the form that records them (None: not recorded in MyeloPath).
CURRENT_FORMS = {
    "current.serum_m_protein_g_l": ("lab", "m_protein"),
    "current.urine_m_protein_mg_24h": ("lab", "urine_m_protein"),
    "current.flc_kappa_mg_l": ("lab", "flc_kappa"),
    "current.flc_lambda_mg_l": ("lab", "flc_lambda"),
    "current.marrow_plasma_cells_pct": ("marrow", None),
    "current.serum_ife_negative": None,
    "current.urine_ife_negative": None,
    "current.flc_ratio_normal": None,
    "current.plasmacytoma_reduction_pct": None,
}


def current_form(path, patient_pk):
    """URL of the form recording a response fact, or None if MyeloPath keeps no record of it."""
    form = CURRENT_FORMS.get(path)
    if form is None:
        return None
    kind, analyte = form
    url = reverse("patients:record", args=[patient_pk, kind])
    return url + "?" + urlencode({"analyte": analyte}) if analyte else url


@dataclass(frozen=True)
class Series:
    """The line's baseline (field → (value, date)) and its assessment points (the engine's ``Day``), oldest
    first."""

    line: object
    baseline: dict
    points: tuple
    extramedullary: bool | None = None
    vegf_baseline: tuple | None = None  # (value, date)
    vegf_points: tuple = ()  # ((date, value), ...)


def current_line(patient, *, number=None, today=None):
    """The treatment line ``number``, else the line with the highest number that has started."""
    lines = TreatmentLine.objects.filter(patient=patient, start_date__lte=today or timezone.localdate())
    if number is not None:
        return lines.filter(line=number).first()
    return lines.order_by("-line").first()


def lab_series(patient, line):
    """Baseline and assessment points of ``line`` from the record."""
    start = line.start_date
    labs = LabResult.objects.filter(patient=patient, analyte__in=[*RESPONSE_ANALYTES, VEGF]).order_by("date", "id")
    baseline, by_date, vegf_baseline, vegf_points = {}, {}, None, []
    for result in labs:
        value = float(result.value)
        if result.analyte == VEGF:
            if result.date <= start:
                vegf_baseline = (value, result.date)
            else:
                vegf_points.append((result.date, value))
            continue
        name = RESPONSE_ANALYTES[result.analyte]
        if result.date <= start:
            baseline[name] = (value, result.date)  # ascending: the last one wins
        else:
            by_date.setdefault(result.date, {})[name] = value  # the later-entered result of a day wins
    for finding in MarrowFinding.objects.filter(patient=patient).order_by("date", "id"):
        value = float(finding.clonal_plasma_cells_pct)
        if finding.date <= start:
            baseline[MARROW_FIELD] = (value, finding.date)
        else:
            by_date.setdefault(finding.date, {})[MARROW_FIELD] = value
    imaging = (ImagingFinding.objects.filter(patient=patient, date__lte=start).exclude(plasmacytoma="")
               .order_by("-date", "-id").first())
    extramedullary = None if imaging is None else imaging.plasmacytoma == "extramedullary"
    points = tuple(Day(day, values) for day, values in sorted(by_date.items()))
    return Series(line, baseline, points, extramedullary, vegf_baseline, tuple(vegf_points))


def _texts(values):
    """Each measured value under its readable label (factlabels.MEASUREMENT_LABELS, which names the unit)
    at its kind's precision (patients/quantities.py)."""
    return {MEASUREMENT_LABELS.get(name, name): _value_text(name, value) for name, value in values.items()}


def _value_text(name, value):
    if isinstance(value, bool):  # immunofixation negative, new CRAB: yes / no in the reader's language
        return gettext("yes") if value else gettext("no")
    return fact_text(name, value)


def track(series, *, patient_pk):
    """One row per assessment date: values, nadir, the IMWG category, measurable_by, reasons
    and missing facts (with the form that records them), plus the ambiguities and citations of
    the rules applied."""
    baseline = Measurement(**{name: value for name, (value, _d) in series.baseline.items()},
                           extramedullary_plasmacytoma=series.extramedullary)
    _measurable, chain = measurable_disease(baseline)
    rows, ambiguities, citations = [], [], []
    for index, point in enumerate(series.points):
        nadir = nadir_of(series.points[:index], chain)
        result = imwg_response(baseline, nadir, Measurement(**point.values))
        ambiguities += result.ambiguities
        citations += result.citations
        rows.append({
            "date": point.date,
            "values": point.values,
            "nadir": {} if nadir is None else {k: v for k, v in vars(nadir).items() if v is not None},
            "values_text": _texts(point.values),
            "nadir_text": {} if nadir is None else _texts({k: v for k, v in vars(nadir).items() if v is not None}),
            "response": str(result.response),
            "measurable_by": list(result.measurable_by),
            # the parameters (serum, urine, flc) in the reader's language (guidelines.rules.TERMS)
            "measurable_by_text": [gettext(m) for m in result.measurable_by],
            "reasons": list(result.reasons),
            "missing": [{"path": p, "label": fact_label(p), "url": current_form(p, patient_pk)}
                        for p in result.missing],
        })
    return {
        "rows": rows,
        "baseline": [{"name": name, "label": MEASUREMENT_LABELS.get(name, name), "value": value,
                      "text": _value_text(name, value), "date": day}
                     for name, (value, day) in series.baseline.items()],
        "extramedullary": series.extramedullary,
        "ambiguities": list(dedupe(ambiguities)),
        "citations": list(dedupe(citations)),
    }


def _marrow_negative(pct):
    """A marrow result as the POEMS rule reads it: no clonal plasma cells = «negativ knoglemarv»."""
    return None if pct is None else pct == 0


def _poems_row(day, value, r):
    return {"date": day, "value": value, "category": r.category, "code": r.code, "reasons": list(r.reasons),
            "missing": list(r.missing), "missing_labels": [fact_label(p) for p in r.missing]}


def track_poems(series):
    """POEMS VEGF response (CRV/PRV/NRV) per VEGF date after the start of the line, and the
    haematological response (CRH/VGPRH/PRH) per serum M-protein date (POEMS guideline,
    Responsevaluering; guidelines/poems_response.py). Immunofixation is not recorded, so it is passed as
    unknown; a marrow result is read as negative when it has no clonal plasma cells."""
    vegf_rows, haem_rows, ambiguities = [], [], []
    if series.vegf_baseline is not None:
        base, _day = series.vegf_baseline
        for day, value in series.vegf_points:
            r = poems_vegf_response(baseline_vegf_ng_l=base, current_vegf_ng_l=value)
            ambiguities += r.ambiguities
            vegf_rows.append(_poems_row(day, value, r))
    base_m = series.baseline.get("serum_m_protein_g_l")
    base_marrow = series.baseline.get(MARROW_FIELD)
    for point in series.points:
        if "serum_m_protein_g_l" not in point.values:
            continue
        r = poems_haematological_response(
            baseline_m_g_l=base_m[0] if base_m else None, current_m_g_l=point.values["serum_m_protein_g_l"],
            serum_ife_negative=None, urine_ife_negative=None,
            marrow_negative=_marrow_negative(point.values.get(MARROW_FIELD)),
            baseline_marrow_negative=_marrow_negative(base_marrow[0] if base_marrow else None),
        )
        ambiguities += r.ambiguities
        haem_rows.append(_poems_row(point.date, point.values["serum_m_protein_g_l"], r))
    vegf_text = None if series.vegf_baseline is None else format_quantity(series.vegf_baseline[0], VEGF)
    m_text = None if base_m is None else fact_text("serum_m_protein_g_l", base_m[0], unit=True)
    return {"vegf_baseline": series.vegf_baseline, "vegf_baseline_text": vegf_text, "vegf": vegf_rows,
            "m_baseline": base_m, "m_baseline_text": m_text,
            "haematological": haem_rows, "ambiguities": list(dedupe(ambiguities))}


def responses(patient, *, line_number=None):
    """The tracker's context: the lines to choose from, the chosen line, its IMWG rows and,
    for a patient whose record meets the POEMS criteria, the POEMS responses."""
    lines = list(TreatmentLine.objects.filter(patient=patient).order_by("line"))
    line = current_line(patient, number=line_number)
    context = {"lines": lines, "line": line, "interpretations": INTERPRETATIONS, "imwg": None, "poems": None}
    if line is None:
        return context
    series = lab_series(patient, line)
    context["imwg"] = track(series, patient_pk=patient.pk)
    for provide in LINE_CONTEXT_PROVIDERS:
        context.update(provide(line))
    facts, _sources = facts_for(patient)
    if classify(facts).code == Code.POEMS:
        context["poems"] = track_poems(series)
    return context


# The course of treatment (the app above patients) adds per line the series computation, the response per
# cycle start and the progression proposals: treatment_course/progression.py ``line_response_context``,
# registered in its AppConfig.ready().
LINE_CONTEXT_PROVIDERS = []
