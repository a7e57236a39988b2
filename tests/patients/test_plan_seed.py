"""seed_demo_patients: demo treatment plans signed by the demo users, idempotent; skipped without them."""

import io

from django.core.management import call_command

from patients.models import PlanStatus, TreatmentPlan


def _run(command):
    out = io.StringIO()
    call_command(command, stdout=out)
    return out.getvalue()


def test_demo_plans_need_the_demo_users(db):
    output = _run("seed_demo_patients")
    assert "seed_demo_users" in output
    assert not TreatmentPlan.objects.exists()


def test_demo_plans_one_verified_one_issued_and_idempotent(db):
    _run("seed_demo_users")
    _run("seed_demo_patients")
    by_status = {p.status: p for p in TreatmentPlan.objects.select_related("protocol", "issued_by", "verified_by")}
    assert set(by_status) == {PlanStatus.VERIFIED, PlanStatus.ISSUED}
    assert by_status[PlanStatus.VERIFIED].protocol.code == "Isa-Kd"
    assert by_status[PlanStatus.VERIFIED].issued_by.username == "lege"
    assert by_status[PlanStatus.VERIFIED].verified_by.username == "farmasoyt"
    assert by_status[PlanStatus.ISSUED].protocol.code == "PCd" and by_status[PlanStatus.ISSUED].verified_by is None
    output = _run("seed_demo_patients")
    assert TreatmentPlan.objects.count() == 2
    assert "exists   plan for" in output
