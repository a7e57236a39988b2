"""A fictional patient with a long record, for the benchmarks and the query-count
regression test: monthly labs, yearly findings, one treatment line every
``years / lines`` years. Written through patients/actions/ like real records,
so every row has its history row too. Values are plausible, not clinical cases."""

import datetime

from patients import actions, identity

ANALYTES = {
    "m_protein": ("18", "0.7"),  # start, step per visit (alternating sign)
    "flc_kappa": ("60", "3"),
    "flc_lambda": ("12", "0.5"),
    "hemoglobin": ("11.5", "0.2"),
    "creatinine": ("85", "4"),
}
DRUGS = [
    ["bortezomib", "lenalidomide", "dexamethasone"],
    ["lenalidomide"],
    ["daratumumab", "pomalidomide", "dexamethasone"],
    ["carfilzomib", "dexamethasone"],
    ["isatuximab", "pomalidomide", "dexamethasone"],
    ["elotuzumab", "pomalidomide", "dexamethasone"],
]


def _national_id(birth_date):
    for individual in range(400, 500):  # 400-499: born 1900-1999
        try:
            return identity.make(birth_date, individual, synthetic=True)
        except identity.InvalidNationalId:
            continue
    raise ValueError(f"no synthetic national identity number for {birth_date}")


def make_patient(*, by, name, serial, years, visits_per_year=12, lines=None, analytes=ANALYTES, today=None):
    """Register a patient and record ``years`` of history ending ``today``:
    ``visits_per_year`` lab visits per year with every analyte of ``analytes``,
    a marrow, imaging, cytogenetics and clinical status record per year,
    height/weight per visit, and ``lines`` treatment lines (default: one per
    two years, at least one, at most six)."""
    from decimal import Decimal

    today = today or datetime.date.today()
    start = today - datetime.timedelta(days=round(365.25 * years))
    national_id = _national_id(datetime.date(1950, 1, 1) + datetime.timedelta(days=serial))
    patient = actions.register_patient(by=by, name=name, national_id=national_id, ward="Benchmark")
    visits = max(1, round(years * visits_per_year))
    step = (today - start) / visits
    for i in range(visits):
        day = start + step * i
        for analyte, (base, delta) in analytes.items():
            value = Decimal(base) + Decimal(delta) * (i % 5) * (1 if i % 2 else -1) / 2
            actions.record_lab_result(by=by, patient=patient, date=day, analyte=analyte, value=value,
                                      isotype="IgG" if analyte == "m_protein" else "")
        actions.record_height_weight(by=by, patient=patient, date=day, height_cm="172", weight_kg=Decimal(70 + i % 4))
    for year in range(max(1, round(years))):
        day = start + datetime.timedelta(days=round(365.25 * year) + 10)
        actions.record_marrow(by=by, patient=patient, date=day, clonal_plasma_cells_pct=Decimal(20 + year % 10))
        actions.record_imaging(by=by, patient=patient, date=day, lytic_lesions=year % 4)
        actions.record_cytogenetics(by=by, patient=patient, date=day, del17p=False, t4_14=year % 2 == 0)
        actions.record_clinical_status(by=by, patient=patient, date=day, frailty="fit", symptoms=year % 3 == 0)
    count = lines if lines is not None else min(6, max(1, round(years / 2)))
    span = (today - start) / count
    for n in range(count):
        begin = start + span * n + datetime.timedelta(days=1)
        end = begin + span - datetime.timedelta(days=7)
        drugs = DRUGS[n % len(DRUGS)]
        actions.record_treatment_line(
            by=by, patient=patient, line=n + 1, regimen="+".join(drugs), drugs=drugs, start_date=begin,
            end_date=end if n < count - 1 else None, best_response="VGPR" if n % 2 == 0 else "PR",
            refractory_to=drugs[:1] if n < count - 1 else [],
        )
    return patient
