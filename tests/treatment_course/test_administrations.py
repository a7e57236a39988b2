"""Recording administrations (issue 15 item 4, treatment_course/administer.py): nothing is recorded as
given on an unverified plan or an unreleased cycle; a parenteral anticancer drug (iv/sc) needs a second
nurse who is another user, with their password; records are append-only (a correction is a new row)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from tests.patients.plan_helpers import issued, today, verified
from tests.personas import PASSWORD
from treatment_course import actions, administer
from treatment_course.models import Administration, AdministrationConfirmation, AdministrationOutcome

pytestmark = pytest.mark.usefixtures("english")


def _item(plan, route):
    """The index of today's first item of ``route`` (VRd: bortezomib sc, lenalidomide/dexamethasone po)."""
    return next(i for i, a in enumerate(administer.items(plan)) if a["date"] == today().isoformat()
                and a["route"] == route)


def _released(physician, pharmacist, patient):
    plan = verified(physician, pharmacist, patient, start_date=today(), cycles=2)
    actions.release_cycle(plan=plan, cycle=1, by=physician, weight_kg=80)
    return plan


def _now():
    """Five minutes ago, but not before today's midnight (a dose of today is never recorded on yesterday)."""
    midnight = timezone.make_aware(datetime.datetime.combine(today(), datetime.time.min))
    return max(timezone.now() - datetime.timedelta(minutes=5), midnight)


@pytest.mark.hazard("HAZ-129")
def test_an_unverified_plan_is_not_recorded_as_given(physician, nurse, course_patient):
    plan = issued(physician, course_patient, start_date=today(), cycles=2)
    with pytest.raises(ValidationError, match="nothing is given before a pharmacist has verified it"):
        administer.record_administration(plan=plan, item=_item(plan, "sc"), by=nurse,
                                         outcome=AdministrationOutcome.GIVEN, given_at=_now())
    assert not Administration.objects.exists()


@pytest.mark.hazard("HAZ-129")
def test_an_unreleased_cycle_is_not_recorded_as_given(physician, pharmacist, nurse, course_patient):
    plan = verified(physician, pharmacist, course_patient, start_date=today(), cycles=2)
    for outcome in (AdministrationOutcome.GIVEN, AdministrationOutcome.REDUCED):
        with pytest.raises(ValidationError, match="Cycle 1 is not released"):
            administer.record_administration(plan=plan, item=_item(plan, "sc"), by=nurse, outcome=outcome,
                                             given_at=_now(), given_dose=0.5, reason="Neuropathy")
    made = administer.record_administration(plan=plan, item=_item(plan, "sc"), by=nurse,
                                            outcome=AdministrationOutcome.NOT_GIVEN, reason="Not released")
    assert made.outcome == AdministrationOutcome.NOT_GIVEN and made.given_at is None


@pytest.mark.hazard("HAZ-129")
def test_a_released_cycle_is_recorded_with_who_when_and_dose(physician, pharmacist, nurse, course_patient):
    plan = _released(physician, pharmacist, course_patient)
    index = _item(plan, "po")
    made = administer.record_administration(plan=plan, item=index, by=nurse, outcome=AdministrationOutcome.GIVEN,
                                            given_at=_now())
    scheduled = administer.items(plan)[index]
    assert made.recorded_by == nurse and made.given_dose == made.planned_dose
    assert float(made.planned_dose) == scheduled["dose"] and not made.needs_second_nurse
    assert made.history.first().history_change_reason.startswith(f"{scheduled['drug']} C1D1 given")


def test_a_nurse_role_is_needed(physician, pharmacist, course_patient):
    plan = _released(physician, pharmacist, course_patient)
    with pytest.raises(PermissionDenied):
        administer.record_administration(plan=plan, item=0, by=pharmacist, outcome=AdministrationOutcome.GIVEN,
                                         given_at=_now())


def test_a_reduced_dose_is_below_the_planned_one_with_a_reason(physician, pharmacist, nurse, course_patient):
    plan = _released(physician, pharmacist, course_patient)
    index = _item(plan, "sc")
    planned = administer.items(plan)[index]["dose"]
    with pytest.raises(ValidationError, match="below the planned"):
        administer.record_administration(plan=plan, item=index, by=nurse, outcome=AdministrationOutcome.REDUCED,
                                         given_at=_now(), given_dose=planned, reason="Neuropathy")
    with pytest.raises(ValidationError) as refused:
        administer.record_administration(plan=plan, item=index, by=nurse, outcome=AdministrationOutcome.REDUCED,
                                         given_at=_now(), given_dose=planned / 2)
    assert "reason" in refused.value.message_dict
    made = administer.record_administration(plan=plan, item=index, by=nurse, outcome=AdministrationOutcome.REDUCED,
                                            given_at=_now(), given_dose=planned / 2, reason="Neuropathy")
    assert made.needs_second_nurse


def test_not_given_needs_a_reason(physician, pharmacist, nurse, course_patient):
    plan = _released(physician, pharmacist, course_patient)
    with pytest.raises(ValidationError) as refused:
        administer.record_administration(plan=plan, item=0, by=nurse, outcome=AdministrationOutcome.NOT_GIVEN)
    assert "reason" in refused.value.message_dict


@pytest.mark.hazard("HAZ-130")
def test_the_second_nurse_is_another_user_with_their_password(physician, pharmacist, nurse, second_nurse,
                                                              course_patient):
    other = second_nurse
    plan = _released(physician, pharmacist, course_patient)
    made = administer.record_administration(plan=plan, item=_item(plan, "sc"), by=nurse,
                                            outcome=AdministrationOutcome.GIVEN, given_at=_now())
    assert made.needs_second_nurse  # bortezomib sc
    with pytest.raises(ValidationError, match="another person"):
        administer.confirm_administration(administration=made, by=nurse, password=PASSWORD)
    with pytest.raises(ValidationError, match="password is not correct"):
        administer.confirm_administration(administration=made, by=other, password="wrong")
    confirmed = administer.confirm_administration(administration=made, by=other, password=PASSWORD)
    assert confirmed.confirmed_by == other
    with pytest.raises(ValidationError, match="already confirmed"):
        administer.confirm_administration(administration=made, by=other, password=PASSWORD)


@pytest.mark.hazard("HAZ-131")
def test_records_are_append_only_a_correction_is_a_new_row(physician, pharmacist, nurse, course_patient):
    plan = _released(physician, pharmacist, course_patient)
    index = _item(plan, "po")
    first = administer.record_administration(plan=plan, item=index, by=nurse, outcome=AdministrationOutcome.GIVEN,
                                             given_at=_now())
    with pytest.raises(ValidationError, match="already recorded"):
        administer.record_administration(plan=plan, item=index, by=nurse, outcome=AdministrationOutcome.GIVEN,
                                         given_at=_now())
    with pytest.raises(ValidationError) as refused:
        administer.record_administration(plan=plan, item=index, by=nurse, outcome=AdministrationOutcome.NOT_GIVEN,
                                         corrects=first)
    assert "reason" in refused.value.message_dict
    second = administer.record_administration(plan=plan, item=index, by=nurse,
                                              outcome=AdministrationOutcome.NOT_GIVEN, corrects=first,
                                              reason="Patient vomited the tablets: wrong record")
    assert administer.latest_records(plan)[index] == second
    with pytest.raises(ValueError, match="never changed"):
        first.save()
    with pytest.raises(ValueError, match="never deleted"):
        first.delete()


@pytest.mark.hazard("HAZ-131")
def test_the_database_refuses_update_and_delete(physician, pharmacist, nurse, course_patient):
    plan = _released(physician, pharmacist, course_patient)
    made = administer.record_administration(plan=plan, item=_item(plan, "po"), by=nurse,
                                            outcome=AdministrationOutcome.GIVEN, given_at=_now())
    statements = ["UPDATE treatment_course_administration SET outcome = 'not_given' WHERE id = %s"]
    if connection.vendor == "postgresql":  # SQLite: no delete trigger (the test flush deletes every table)
        statements.append("DELETE FROM treatment_course_administration WHERE id = %s")
    for sql in statements:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [made.pk])
    with pytest.raises(ValueError, match="never changed"):
        Administration.objects.filter(pk=made.pk).update(reason="x")
    with pytest.raises(ValueError, match="never deleted"):
        Administration.objects.filter(pk=made.pk).delete()
    assert Administration.objects.get(pk=made.pk).outcome == AdministrationOutcome.GIVEN
    assert not AdministrationConfirmation.objects.exists()


@pytest.mark.hazard("HAZ-139")
def test_a_dose_planned_for_tomorrow_is_not_recorded_as_given_today(physician, pharmacist, nurse, course_patient):
    tomorrow = today() + datetime.timedelta(days=1)
    plan = verified(physician, pharmacist, course_patient, start_date=tomorrow, cycles=2)
    actions.release_cycle(plan=plan, cycle=1, by=physician, weight_kg=80)
    first = next(i for i, a in enumerate(administer.items(plan)) if a["date"] == tomorrow.isoformat())
    with pytest.raises(ValidationError, match=f"planned for {tomorrow:%d.%m.%Y}: it is not recorded as given"):
        administer.record_administration(plan=plan, item=first, by=nurse, outcome=AdministrationOutcome.GIVEN,
                                         given_at=timezone.now())
    assert not Administration.objects.exists()
    # deciding ahead that it is not given stays possible (with the reason)
    administer.record_administration(plan=plan, item=first, by=nurse, outcome=AdministrationOutcome.NOT_GIVEN,
                                     reason="Admitted with pneumonia")
    assert Administration.objects.get().outcome == AdministrationOutcome.NOT_GIVEN
