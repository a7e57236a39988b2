"""Pre-cycle criteria are protocol data (regimens/course_schema.py): the library ships only what the
guideline states. Handlingsprogram for myelomatose, «Fjerdelinjebehandling», teklistamab, elranatamab
and talkvetamab: «Man må ikke gi ny opptrappingsdose eller første fulldose under pågående CRS/ICANs og
man må ha vært fri for CRS uten behandling i minst 24 timer før neste dose gis»; «Behandling skal
aldri starte under pågående infeksjon»; «Det må gå minst 48 timer fra 2. opptrappingdose og første
fulldose» (teklistamab; elranatamab 72 timer; talkvetamab 48 timer fra 3. opptrappingdose)."""

import datetime

import pytest
from pydantic import ValidationError as SchemaError

from patients import plans
from regimens.course_schema import PrecycleCriterion
from regimens.loader import PROTOCOL_DIR, read_protocol_file
from regimens.models import Protocol
from tests.patients.plan_helpers import today, verified
from treatment_course import actions
from treatment_course.models import ReleaseOutcome

pytestmark = pytest.mark.usefixtures("english")

GUIDELINE = [  # (protocol, analyte, comparison, threshold, action, applies to, words of the guideline)
    *((code, "crs_icans_ongoing", "present", None, "hold", "every_cycle", "under pågående CRS/ICANs")
      for code in ("teclistamab", "elranatamab", "talquetamab")),
    *((code, "hours_free_of_crs", "below", 24, "hold", "every_cycle", "fri for CRS uten behandling i minst 24 timer")
      for code in ("teclistamab", "elranatamab", "talquetamab")),
    *((code, "infection_ongoing", "present", None, "hold", "first_cycle", "aldri starte under pågående infeksjon")
      for code in ("teclistamab", "elranatamab", "talquetamab")),
    ("teclistamab", "hours_since_last_step_up", "below", 48, "hold", "first_cycle", "minst 48 timer fra 2."),
    ("elranatamab", "hours_since_last_step_up", "below", 72, "hold", "first_cycle", "minst 72 timer fra 2."),
    ("talquetamab", "hours_since_last_step_up", "below", 48, "hold", "first_cycle", "minst 48 timer fra 3."),
]


@pytest.mark.hazard("HAZ-112")
@pytest.mark.parametrize(("code", "analyte", "comparison", "threshold", "action", "applies_to", "words"), GUIDELINE,
                         ids=[f"{row[0]}-{row[1]}" for row in GUIDELINE])
def test_the_library_ships_the_guidelines_criteria(code, analyte, comparison, threshold, action, applies_to, words):
    proto, _digest = read_protocol_file(PROTOCOL_DIR / f"{code}.yaml")
    found = [c for c in proto.precycle_criteria if c.analyte == analyte]
    assert len(found) == 1
    c = found[0]
    assert (c.comparison, c.threshold, c.action, c.applies_to) == (comparison, threshold, action, applies_to)
    assert words in c.source_text and c.source_section == "Fjerdelinjebehandling"


@pytest.mark.hazard("HAZ-112")
def test_no_other_protocol_carries_a_criterion():
    """The guideline states none for the other regimens: the app invents none."""
    with_criteria = sorted(path.stem for path in PROTOCOL_DIR.glob("*.yaml")
                           if read_protocol_file(path)[0].precycle_criteria)
    assert with_criteria == ["elranatamab", "talquetamab", "teclistamab"]


@pytest.mark.hazard("HAZ-112")
@pytest.mark.parametrize("data", [
    {"analyte": "platelets", "comparison": "below", "action": "hold"},  # no threshold
    {"analyte": "crs_icans_ongoing", "comparison": "present", "threshold": 1, "action": "hold"},
    {"analyte": "infection_ongoing", "comparison": "below", "threshold": 1, "action": "hold"},
    {"analyte": "platelets", "comparison": "below", "threshold": 50, "action": "hold", "source_text": ""},
], ids=["threshold-missing", "present-with-threshold", "yes-no-with-threshold", "no-source"])
def test_a_criterion_without_its_threshold_or_source_is_refused(data):
    base = {"source_document": "local", "source_section": "Lokal prosedyre", "source_text": "Lokal prosedyre 12"}
    with pytest.raises(SchemaError):
        PrecycleCriterion.model_validate({**base, **data})


def test_the_stored_protocol_carries_the_criteria(db):
    assert len(Protocol.objects.current("teclistamab").parsed().precycle_criteria) == 4


def _teclistamab(physician, pharmacist, patient, *, days_ago=1):
    start = today() - datetime.timedelta(days=days_ago)
    flags = plans.compute(patient, Protocol.objects.current("teclistamab"), start_date=start, cycles=2).flags
    return verified(physician, pharmacist, patient, regimen="teclistamab", cycles=2, start_date=start,
                    acknowledge=[flag["key"] for flag in flags])


ANSWERED = {"crs_icans_ongoing": False, "infection_ongoing": False}


@pytest.mark.hazard("HAZ-112")
@pytest.mark.parametrize(("answers", "outcome"), [
    (ANSWERED, ReleaseOutcome.RELEASED),
    ({**ANSWERED, "crs_icans_ongoing": True}, ReleaseOutcome.HELD),
    ({**ANSWERED, "infection_ongoing": True}, ReleaseOutcome.HELD),
    ({**ANSWERED, "hours_free_of_crs": 23.5}, ReleaseOutcome.HELD),
    ({**ANSWERED, "hours_free_of_crs": 24}, ReleaseOutcome.RELEASED),  # «minst 24 timer»
    ({**ANSWERED, "hours_since_last_step_up": 47}, ReleaseOutcome.HELD),
    ({**ANSWERED, "hours_since_last_step_up": 48}, ReleaseOutcome.RELEASED),  # «minst 48 timer»
], ids=["none-met", "ongoing-crs", "ongoing-infection", "crs-free-23.5-h", "crs-free-24-h", "step-up-47-h",
        "step-up-48-h"])
def test_the_bispecific_criteria_hold_cycle_1(physician, pharmacist, course_patient, answers, outcome):
    plan = _teclistamab(physician, pharmacist, course_patient)
    made = actions.release_cycle(plan=plan, cycle=1, by=physician, weight_kg=80, answers=answers)
    assert made.outcome == outcome
    assert [c["met"] for c in made.seen["criteria"]].count(True) == (outcome == ReleaseOutcome.HELD)


@pytest.mark.hazard("HAZ-112")
def test_an_unanswered_finding_refuses_the_release(physician, pharmacist, course_patient):
    plan = _teclistamab(physician, pharmacist, course_patient)
    with pytest.raises(Exception, match="infection_ongoing"):
        actions.release_cycle(plan=plan, cycle=1, by=physician, weight_kg=80, answers={"crs_icans_ongoing": False})


def test_the_start_criteria_are_not_asked_at_cycle_2(physician, pharmacist, course_patient):
    plan = _teclistamab(physician, pharmacist, course_patient, days_ago=25)  # cycle 2 begins in 3 days
    actions.release_cycle(plan=plan, cycle=1, by=physician, weight_kg=80, answers=ANSWERED)
    made = actions.release_cycle(plan=plan, cycle=2, by=physician, weight_kg=80,
                                 answers={"crs_icans_ongoing": False})
    assert made.outcome == ReleaseOutcome.RELEASED
    assert [c["analyte"] for c in made.seen["criteria"]] == ["crs_icans_ongoing", "hours_free_of_crs"]


def test_a_local_lab_criterion_is_compared_with_the_latest_result(physician, pharmacist, course_patient):
    from patients import actions as patient_actions
    from treatment_course import release

    patient_actions.record_lab_result(by=physician, patient=course_patient, date=today(), analyte="platelets",
                                      value=40)
    local = {"analyte": "platelets", "comparison": "below", "threshold": 50, "action": "hold",
             "applies_to": "every_cycle", "source_document": "local", "source_section": "Lokal prosedyre",
             "source_text": "Lokal prosedyre 12 (test value)"}
    labs = [{"analyte": "platelets", "value": "40", "old": False}]
    assert release.evaluate([local], labs, {})[0]["met"] is True
    assert release.evaluate([local], [{"analyte": "platelets", "value": None, "old": True}], {})[0]["met"] is None
    # a result older than CYCLE_LAB_MAX_AGE_DAYS at the cycle's start is no value: the threshold is not checked
    assert release.evaluate([local], [{"analyte": "platelets", "value": "40", "old": True}], {})[0]["met"] is None
