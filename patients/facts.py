"""From a patient's record to the guideline engine's input.

``facts_for`` takes, for every fact, the latest value recorded on or before
``as_of`` and says in ``sources`` where and when it came from. A fact never
recorded stays ``None``: nothing is defaulted, so the engine lists it as
missing instead of reasoning from a guess.

Findings recorded in parts (imaging by CT one day and MRI another, FISH and
TP53 reported separately) are merged field by field: each field takes its
latest recorded value, with its own date.
"""

import datetime
from dataclasses import dataclass

from django.db.models import F, OrderBy, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext_noop

from guidelines import facts as f
from patients import labcatalogue, models


@dataclass(frozen=True)
class Source:
    """Where a fact came from: the date of the value and what recorded it."""

    date: datetime.date
    record: str  # e.g. "lab result #12", "national identity number"
    note: str = ""


def _num(value):
    return None if value is None else float(value)


def _latest_per_field(queryset, fields, *, prefix, sources, label, blank=(None,)):
    """Latest value per field (None and blank strings do not count as values)."""
    values = {}
    for record in queryset:  # newest first
        for name in fields:
            if name in values:
                continue
            value = getattr(record, name)
            if value in blank:
                continue
            values[name] = value
            sources[f"{prefix}.{name}"] = Source(record.date, f"{label} #{record.pk}")
        if len(values) == len(fields):
            break
    return values


def facts_for(patient, as_of=None):
    """(PatientFacts, sources) for ``patient`` on ``as_of`` (default: today)."""
    return facts_for_many([patient], as_of=as_of)[patient.pk]


def facts_for_many(patients, as_of=None):
    """{patient pk: (PatientFacts, sources)} for each of ``patients`` on ``as_of`` (default: today),
    read in the same fixed number of queries however many patients (the patient list shows each
    patient's diagnosis; tests/patients/test_patient_list.py counts them). One patient is read
    the same way, so the list and the assessment cannot disagree."""
    as_of = as_of or timezone.localdate()
    records = _Records([p.pk for p in patients], as_of)
    return {p.pk: _facts(p, as_of, records.of(p.pk)) for p in patients}


def _order(model):
    """``model``'s order, newest first, as expressions (LabResult orders a day's results by sampling time)."""
    return [OrderBy(F(name.lstrip("-")), descending=name.startswith("-")) if isinstance(name, str) else name
            for name in model._meta.ordering]


def _latest(queryset, partition):
    """The newest row of ``queryset`` per value of the ``partition`` fields (a window, one query)."""
    model = queryset.model
    ranked = queryset.annotate(_newest=Window(RowNumber(), partition_by=[F(f) for f in partition],
                                              order_by=_order(model)))
    return ranked.filter(_newest=1)


class _Records:
    """The rows facts_for reads, for many patients at once: the newest row where only the newest
    counts (height, weight, each lab analyte, the isotyped M-protein, the marrow), every row newest
    first where findings merge field by field, and the treatment lines. Twelve queries."""

    MERGED = (models.ImagingFinding, models.CytogeneticsResult, models.PoemsFindings, models.ClinicalStatus,
              models.SkeletalFindings, models.OrganFunction)

    def __init__(self, patient_ids, as_of):
        def upto(model):
            return model.objects.filter(patient_id__in=patient_ids, date__lte=as_of)

        self.height = {r.patient_id: r for r in _latest(upto(models.HeightWeight).filter(height_cm__isnull=False),
                                                        ["patient_id"])}
        self.weight = {r.patient_id: r for r in _latest(upto(models.HeightWeight).filter(weight_kg__isnull=False),
                                                        ["patient_id"])}
        analytes = [code for code, spec in labcatalogue.ANALYTES.items() if spec.facts_field]
        self.labs = {(r.patient_id, r.analyte): r
                     for r in _latest(upto(models.LabResult).filter(analyte__in=analytes), ["patient_id", "analyte"])}
        self.isotyped = {r.patient_id: r for r in _latest(
            upto(models.LabResult).filter(analyte="m_protein").exclude(isotype=""), ["patient_id"])}
        self.marrow = {r.patient_id: r for r in _latest(upto(models.MarrowFinding), ["patient_id"])}
        self.merged = {}
        for model in self.MERGED:
            for row in upto(model).order_by("patient_id", "-date", "-id"):
                self.merged.setdefault((model, row.patient_id), []).append(row)
        self.lines = {}
        for line in models.TreatmentLine.objects.filter(patient_id__in=patient_ids, start_date__lte=as_of).order_by(
                "patient_id", "line"):
            self.lines.setdefault(line.patient_id, []).append(line)

    def of(self, pk):
        """This patient's rows."""
        return _PatientRows(self, pk)


@dataclass(frozen=True)
class _PatientRows:
    records: _Records
    pk: int

    def body(self, field):
        return (self.records.height if field == "height_cm" else self.records.weight).get(self.pk)

    def lab(self, analyte):
        return self.records.labs.get((self.pk, analyte))

    def isotyped(self):
        return self.records.isotyped.get(self.pk)

    def marrow(self):
        return self.records.marrow.get(self.pk)

    def merged(self, model):
        return self.records.merged.get((model, self.pk), [])

    def lines(self):
        return self.records.lines.get(self.pk, [])


def _facts(patient, as_of, rows):
    sources = {
        "age": Source(patient.birth_date, "national identity number", f"age on {as_of.isoformat()}"),
        "sex": Source(patient.birth_date, "national identity number"),
    }

    body = {}
    for field in ("weight_kg", "height_cm"):
        row = rows.body(field)
        body[field] = _num(getattr(row, field)) if row else None
        if row:
            sources[field] = Source(row.date, f"height/weight #{row.pk}")

    labs = {}
    for code, spec in labcatalogue.ANALYTES.items():
        if not spec.facts_field:
            continue
        row = rows.lab(code)
        if row is None:
            continue
        labs[spec.facts_field] = float(row.value)
        record = f"lab result #{row.pk}"
        sources[f"labs.{spec.facts_field}"] = Source(row.date, record)
        limits = ((spec.lower_limit_field, row.lower_limit), (spec.upper_limit_field, row.upper_limit))
        for limit_field, limit in limits:
            if limit_field and limit is not None:
                labs[limit_field] = float(limit)
                note = CATALOGUE_LIMIT if row.limits_from_catalogue else REPORTED_LIMIT
                sources[f"labs.{limit_field}"] = Source(row.date, record, note)
    isotyped = rows.isotyped()
    if isotyped:
        labs["m_protein_isotype"] = f.Isotype(isotyped.isotype)
        sources["labs.m_protein_isotype"] = Source(isotyped.date, f"lab result #{isotyped.pk}")

    marrow_row = rows.marrow()
    marrow = f.Marrow()
    if marrow_row:
        marrow = f.Marrow(clonal_plasma_cells_pct=float(marrow_row.clonal_plasma_cells_pct))
        sources["marrow.clonal_plasma_cells_pct"] = Source(marrow_row.date, f"bone marrow finding #{marrow_row.pk}")

    imaging = _latest_per_field(
        rows.merged(models.ImagingFinding),
        ("lytic_lesions", "mri_focal_lesions", "plasmacytoma", "plasmacytoma_biopsy_proven",
         "plasmacytoma_count", "sclerotic_bone_lesions", "sclerotic_bone_lesion_count", "extramedullary_disease",
         "plasmacytoma_size_cm"),
        prefix="imaging", sources=sources, label="imaging finding", blank=(None, ""),
    )
    if "plasmacytoma" in imaging:
        imaging["plasmacytoma"] = f.Plasmacytoma(imaging["plasmacytoma"])
    if "plasmacytoma_size_cm" in imaging:
        imaging["plasmacytoma_size_cm"] = _num(imaging["plasmacytoma_size_cm"])

    cyto = _latest_per_field(
        rows.merged(models.CytogeneticsResult), (*models.CytogeneticsResult.BOOLEAN_FIELDS, "del1p32"),
        prefix="cytogenetics", sources=sources, label="cytogenetics result", blank=(None, ""),
    )
    if "del1p32" in cyto:
        cyto["del1p32"] = f.Del1p32(cyto["del1p32"])

    poems = _latest_per_field(
        rows.merged(models.PoemsFindings), (*models.PoemsFindings.BOOLEAN_FIELDS, "endocrinopathy"),
        prefix="poems", sources=sources, label="POEMS findings", blank=(None,),
    )
    if "endocrinopathy" in poems:
        poems["endocrinopathy"] = tuple(poems["endocrinopathy"])

    status = _latest_per_field(
        rows.merged(models.ClinicalStatus), ("frailty", "transplant_contraindication", "symptoms"),
        prefix="status", sources=sources, label="clinical status", blank=(None, ""),
    )
    for name in list(status):  # the contract has these at the top level
        sources[name] = sources.pop(f"status.{name}")
    if "frailty" in status:
        status["frailty"] = f.Frailty(status["frailty"])

    history = []
    for index, line in enumerate(rows.lines()):
        history.append(
            f.TreatmentLine(
                line=line.line,
                regimen=line.regimen or None,
                drugs=tuple(line.drugs),
                refractory_to=tuple(line.refractory_to),
                intolerant_to=tuple(line.intolerant_to),
                autologous_transplant=line.autologous_transplant,
                months_from_transplant_to_progression=_num(line.months_from_transplant_to_progression),
                best_response=f.Response(line.best_response) if line.best_response else None,
                transplant_date=line.transplant_date,
                # a progression after the assessment date is not known on that date
                progression_date=line.progression_date if line.progression_date and line.progression_date <= as_of
                else None,
                progression_in_induction=f.ProgressionInInduction(line.progression_in_induction)
                if line.progression_in_induction else None,
                start_date=line.start_date,
                # an end after the assessment date is not known on that date (the line is still running)
                end_date=line.end_date if line.end_date and line.end_date <= as_of else None,
                tandem_transplant_date=line.tandem_transplant_date
                if line.tandem_transplant_date and line.tandem_transplant_date <= as_of else None,
                radiotherapy_gy=_num(line.radiotherapy_gy),
            )
        )
        sources[f"treatment_history[{index}]"] = Source(line.start_date, f"treatment line #{line.pk}")

    facts = f.PatientFacts(
        **_findings(rows, sources, as_of),
        age=patient.age_on(as_of),
        sex=f.Sex(patient.sex),
        **body,
        **status,
        labs=f.Labs(**labs),
        marrow=marrow,
        imaging=f.Imaging(**imaging),
        cytogenetics=f.Cytogenetics(**cyto),
        poems=f.PoemsFindings(**poems),
        treatment_history=tuple(history),
    )
    return facts, sources


MAINTENANCE_WORDS = ("maintenance", "vedlikehold")
# Source notes of a reference limit: the catalogue's default, or the limit the laboratory reported
CATALOGUE_LIMIT = gettext_noop("catalogue default reference limit")
REPORTED_LIMIT = gettext_noop("reported limit")
OLDEST_FISH = gettext_noop("the oldest of the FISH/TP53 results used")  # a Source note, translated on the page


def _current_treatment(lines, sources, as_of):
    """``current_treatment`` from the latest recorded line: ended on or before ``as_of`` → off_treatment (a
    treatment pause); running → maintenance for a maintenance regimen, else induction (the contract's words for
    «under behandling»); docs/adr/0019-radiotherapy-and-surgery-indications.md."""
    if not lines:
        return f.CurrentTreatment()
    line = lines[-1]
    if line.end_date is not None and line.end_date <= as_of:
        phase = f.Phase.OFF_TREATMENT
    elif any(word in (line.regimen or "").lower() for word in MAINTENANCE_WORDS):
        phase = f.Phase.MAINTENANCE
    else:
        phase = f.Phase.INDUCTION
    sources["current_treatment.phase"] = Source(line.end_date if phase == f.Phase.OFF_TREATMENT else line.start_date,
                                                f"treatment line #{line.pk}")
    months = _num(line.mrd_negative_months)
    if months is not None:
        sources["current_treatment.mrd_negative_months"] = Source(line.start_date, f"treatment line #{line.pk}")
    return f.CurrentTreatment(regimen=line.regimen or None, phase=phase, start_date=line.start_date,
                              mrd_negative_months=months)


def _findings(rows, sources, as_of):
    """The v1.1 blocks: the skeletal and emergency findings, the organ function for CAR-T with the date of the
    FISH/TP53 results used (the oldest of them: the high-risk status rests on them all), the current treatment."""
    emergency = _latest_per_field(rows.merged(models.SkeletalFindings), models.SkeletalFindings.FINDINGS,
                                  prefix="emergency", sources=sources, label="skeletal and emergency findings")
    organ = _latest_per_field(rows.merged(models.OrganFunction), models.OrganFunction.FINDINGS, prefix="car_t",
                              sources=sources, label="organ function and comorbidity (CAR-T)")
    for name in ("lvef_pct", "spo2_room_air_pct"):
        if name in organ:
            organ[name] = _num(organ[name])
    fish = [(source.date, source.record) for path, source in sources.items() if path.startswith("cytogenetics.")]
    if fish:
        day, record = min(fish)
        organ["fish_tp53_date"] = day
        sources["car_t.fish_tp53_date"] = Source(day, record, OLDEST_FISH)
    return {"emergency": f.Emergency(**emergency), "car_t": f.CarTFindings(**organ),
            "current_treatment": _current_treatment(rows.lines(), sources, as_of)}
