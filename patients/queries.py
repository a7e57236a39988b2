"""The reads of the patient pages: the views call these and hand what they return to the pure
functions of presenters.py (STYLE.md §4), which shape it for the templates without a query.

Each read is a fixed number of queries, however long the patient's history (no query per
record: tests/patients/test_overview_queries.py)."""

from django.db.models import F, FloatField, Q
from django.db.models.functions import Cast

from patients import labcatalogue, models
from patients.kinds import RECORD_KINDS
from regimens.models import Protocol

# The overview's charts: (key, analytes charted together).
CHARTS = (
    ("m_protein", ("m_protein",)),
    ("flc", ("flc_kappa", "flc_lambda")),
    ("creatinine", ("creatinine",)),
    ("hemoglobin", ("hemoglobin",)),
)
CHARTED_ANALYTES = tuple(code for _key, group in CHARTS for code in group)
FINDING_MODELS = (models.MarrowFinding, models.ImagingFinding, models.CytogeneticsResult, models.PoemsFindings,
                  models.ClinicalStatus, models.SkeletalFindings, models.OrganFunction)
# Not shown in the change log: the row id and patient (the entry names them) and the
# optimistic-lock counter (core/locking.py), which changes with every save.
LOG_HIDDEN_FIELDS = {"id", "patient", "lock_version"}


def search(query, limit=50):
    """Patients whose name contains the query or whose national identity number starts with its digits."""
    query = (query or "").strip()
    patients = models.Patient.objects.all()
    if query:
        digits = "".join(query.split())
        condition = Q(name__icontains=query)
        if digits.isdigit():
            condition |= Q(national_id__startswith=digits)
        patients = patients.filter(condition)
    return list(patients[:limit])


def latest_body(patient):
    """{"height_cm": the latest row with a height, "weight_kg": the latest with a weight} (None: none)."""
    return {field: models.HeightWeight.objects.filter(patient=patient, **{f"{field}__isnull": False}).first()
            for field in ("height_cm", "weight_kg")}


def treatment_lines(patient):
    return list(models.TreatmentLine.objects.filter(patient=patient).order_by("line"))


def lab_results(patient, analyte=None, limit=30):
    """The latest results (of ``analyte`` only, when it is a catalogue analyte)."""
    results = models.LabResult.objects.filter(patient=patient)
    if analyte in labcatalogue.ANALYTES:
        results = results.filter(analyte=analyte)
    return list(results[:limit])


def chart_values(patient):
    """(analyte, date, value) of every charted result, oldest first, in one query reading only
    those columns: ten years of monthly labs are hundreds of rows, so no model instances. The
    chart draws floats: read as such, not as a Decimal per value converted back (the same
    number: the column holds at most 10 significant digits)."""
    return list(
        models.LabResult.objects.filter(patient=patient, analyte__in=CHARTED_ANALYTES)
        .order_by("date", F("sampling_time").asc(nulls_first=True), "id")  # the day's last sample wins
        .values_list("analyte", "date", Cast("value", FloatField()))
    )


def latest_findings(patient):
    """The latest record of each finding kind that has one."""
    records = (model.objects.filter(patient=patient).first() for model in FINDING_MODELS)
    return [record for record in records if record is not None]


# Models of the apps above patients whose rows have a ``patient`` and belong in the patient's change log
# (treatment_course's cycle releases, administrations): each app adds its own in its AppConfig.ready().
CHANGE_LOG_MODELS = []


def change_log(patient):
    """Every historical version of the patient and of the patient's records and plans, as
    [(model, its versions in order)], and the rows their relations name ({(model, pk): row})."""
    sources = [(models.Patient, models.Patient.history.filter(id=patient.pk))]
    sources += [(model, model.history.filter(patient_id=patient.pk))
                for model in (*(kind.model for kind in RECORD_KINDS.values()), models.TreatmentPlan,
                              *CHANGE_LOG_MODELS)]
    versions = [(model, list(queryset.order_by("id", "history_date", "history_id").select_related("history_user")))
                for model, queryset in sources]
    wanted = {}
    for model, rows in versions:
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is not None and field.name not in LOG_HIDDEN_FIELDS:
                wanted.setdefault(field.related_model, set()).update(
                    getattr(row, field.attname) for row in rows if getattr(row, field.attname) not in (None, ""))
    related = {}
    for model, ids in wanted.items():
        related.update({(model, pk): row for pk, row in model._base_manager.in_bulk(ids).items()})
    return versions, related


def plans(patient):
    return list(models.TreatmentPlan.objects.filter(patient=patient).select_related(
        "protocol", "previous", "created_by", "issued_by", "verified_by", "returned_by"))


def active_versions():
    """{regimen code: the primary key of its active protocol version} (TreatmentPlan.on_superseded_protocol_in)."""
    return dict(Protocol.objects.active().values_list("code", "pk"))


def active_regimens():
    """{code: name} of every regimen with an active version, by code."""
    return dict(Protocol.objects.active().order_by("code").values_list("code", "name"))


# --- the patient list and the start pages ----------------------------------------------

LIVE_PLAN_STATUSES = (models.PlanStatus.DRAFT, models.PlanStatus.ISSUED, models.PlanStatus.RETURNED,
                      models.PlanStatus.VERIFIED)


def live_plans(patients):
    """{patient pk: the patient's plans that are neither superseded nor cancelled, newest first}, one query."""
    found = {}
    for plan in models.TreatmentPlan.objects.filter(patient__in=patients, status__in=LIVE_PLAN_STATUSES).select_related(
            "protocol"):
        found.setdefault(plan.patient_id, []).append(plan)
    return found


def _worklist(plans, *order, limit):
    related = ("patient", "protocol", "previous", "created_by", "issued_by", "verified_by", "returned_by")
    return list(plans.select_related(*related).order_by(*order)[:limit])


def plans_awaiting_verification(user, limit=100):
    """Issued plans another person issued: the ones ``user`` may verify, longest waiting first."""
    plans = models.TreatmentPlan.objects.filter(status=models.PlanStatus.ISSUED).exclude(issued_by=user)
    return _worklist(plans, "issued_at", "id", limit=limit)


def drafts_of(user, limit=100):
    """The drafts ``user`` made, newest first."""
    plans = models.TreatmentPlan.objects.filter(status=models.PlanStatus.DRAFT, created_by=user)
    return _worklist(plans, "-created_at", "-id", limit=limit)


def plans_returned_to(user, limit=100):
    """The plans ``user`` issued that a pharmacist returned, latest returned first."""
    plans = models.TreatmentPlan.objects.filter(status=models.PlanStatus.RETURNED, issued_by=user)
    return _worklist(plans, "-returned_at", "-id", limit=limit)


def verified_plans(limit=100):
    """Verified plans (issued and countersigned: the ones to give and to print), latest start first."""
    plans = models.TreatmentPlan.objects.filter(status=models.PlanStatus.VERIFIED)
    return _worklist(plans, "-start_date", "-id", limit=limit)
