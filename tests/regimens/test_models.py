"""Stored protocols: schema round trip, versions, history, the schedule notation."""

import datetime as dt

import pytest
from django.db import IntegrityError
from pydantic import ValidationError

from regimens import schema
from regimens.actions import create_draft_version
from regimens.models import Protocol
from regimens.notation import ScheduleSyntaxError, format_schedule, parse_schedule
from tests.regimens.factories import activate, protocol_author, stored
from tests.regimens.protocols import DEX_AGE, protocol

TECLISTAMAB = {
    "code": "T-teclistamab", "setting": "relapse", "cycles": None, "until_progression": True,
    "drugs": [{"drug": "teclistamab", "route": "sc", "dose": 1.5, "basis": "mg/kg", "min_interval_hours": 48,
               "rounding": {"step": 1, "max_deviation_pct": 5}, "max_single_dose_mg": 500,
               "schedule": [{"first_cycle": 1, "last_cycle": 1, "days": [1, 8, 15, 22]},
                            {"first_cycle": 2, "last_cycle": 2, "days": [1, 15]},
                            {"first_cycle": 3, "days": [1]}]}],
    "phases": [{"name": "step-up", "cycle_1_day_1": 5, "events": [{"day": 1, "text": "CRS monitoring"}],
                "drugs": [{"drug": "teclistamab", "route": "sc", "dose": 1.5, "basis": "mg/kg",
                           "schedule": [{"days": [1], "dose": 0.06, "label": "step-up 1"},
                                        {"days": [3], "dose": 0.3, "label": "step-up 2"}]}]}],
    "ambiguities": [{"source_text": "Syklus 3+", "interpretation": "monthly"}],
}

MEL_HMAS = {
    "code": "T-Mel-HMAS", "setting": "high_dose", "drugs": [], "cycles": None, "cycle_length_days": None,
    "phases": [{"name": "HMAS", "start_day": -1, "events": [{"day": 0, "text": "Reinfusjon stamceller"}],
                "drugs": [{"drug": "melphalan", "route": "iv", "dose": 200, "basis": "mg/m2",
                           "schedule": [{"days": [-1]}],
                           "rules": [{"kind": "renal", "comparison": "below", "threshold": 30, "dose": 140,
                                      "source_text": "Ved eGFR <30", "min_hours_to_next_event": 48}]}]}],
}


@pytest.mark.parametrize(
    "overrides",
    [
        pytest.param({"code": "T-VRd"}, id="vrd-with-renal-rule"),
        pytest.param({"code": "T-PCd", "drugs": [DEX_AGE], "cycles": None, "until_progression": True},
                     id="age-rule-until-progression"),
        pytest.param(TECLISTAMAB, id="step-up-phase-rounding-max-dose"),
        pytest.param({"code": "T-draft", "status": "draft", "drugs": [{"drug": "isatuximab", "route": "iv"}]},
                     id="draft-without-doses"),
        pytest.param({"code": "T-PCd", "cycles": None, "until_progression": True,
                      "drugs": [{**DEX_AGE, "rules": [{**DEX_AGE["rules"][0], "at_boundary": "rule"}]}]},
                     id="age-rule-at-boundary-rule"),
        pytest.param(MEL_HMAS, id="phase-rule-min-hours-to-next-event"),
    ],
)
def test_schema_round_trip(db, overrides):
    proto = protocol(**overrides)
    assert Protocol.from_schema(proto).to_schema() == proto


def test_code_and_version_are_unique(vrd):
    with pytest.raises(IntegrityError):
        stored(code="T-VRd", status="draft")


@pytest.mark.hazard("HAZ-007")
def test_at_most_one_active_version_per_code(vrd):
    with pytest.raises(IntegrityError):
        stored(code="T-VRd", version=2)


@pytest.mark.hazard("HAZ-007")
def test_edit_of_active_creates_a_draft_version_and_activation_retires_the_old(vrd, pharmacist):
    data = vrd.to_schema_data() | {"name": "VRd (edited)"}
    new = create_draft_version(data=data, reason="dexamethasone note", by=protocol_author())
    vrd.refresh_from_db()
    assert (new.version, new.status, new.edited) == (2, "draft", True)
    assert (vrd.status, vrd.name) == ("active", "VRd")
    activate(new, pharmacist)
    vrd.refresh_from_db()
    new.refresh_from_db()
    assert (vrd.status, new.status, new.activated_by) == ("retired", "active", pharmacist)
    assert new.activated_at is not None
    assert new.history.first().history_change_reason.startswith("activated by")


@pytest.mark.hazard("HAZ-011")
def test_activating_an_incomplete_draft_is_refused(draft, pharmacist):
    draft.name = "Isa-Pd (work)"
    draft._history_user = protocol_author()
    draft.save()
    with pytest.raises(ValidationError):
        activate(draft, pharmacist)
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_every_model_keeps_history(vrd):
    draft = create_draft_version(data=vrd.to_schema_data(), reason="history", by=protocol_author())
    line = draft.drug_lines.first()
    line.dose = 1.0
    line.save()
    assert line.history.count() == 2
    assert draft.history.exists() and draft.dose_rules.first().history.exists()


def test_events_must_be_day_colon_text(draft):
    phase = draft.phases.create(name="x", events="zero: reinfusion")
    with pytest.raises(ValueError, match="day: text"):
        phase.event_list()
    phase.events = "0 reinfusion"
    with pytest.raises(ValueError, match="day: text"):
        phase.event_list()


# ------------------------------------------------------------------ notation


@pytest.mark.parametrize(
    ("text", "blocks"),
    [
        pytest.param("C1-2: D1,8,15,22; C3-6: D1,15; C7+: D1",
                     [(1, 2, (1, 8, 15, 22), None, ""), (3, 6, (1, 15), None, ""), (7, None, (1,), None, "")],
                     id="daratumumab-C1-2-C3-6-C7+"),
        pytest.param("D1-21", [(1, None, tuple(range(1, 22)), None, "")], id="lenalidomide-D1-21"),
        pytest.param("C1: D1 @20; C1: D8,15; C2+: D1,8,15",
                     [(1, 1, (1,), 20.0, ""), (1, 1, (8, 15), None, ""), (2, None, (1, 8, 15), None, "")],
                     id="carfilzomib-20-then-70"),
        pytest.param("D1 @0.06 [step-up 1]; D3 @0.3 [step-up 2]",
                     [(1, None, (1,), 0.06, "step-up 1"), (1, None, (3,), 0.3, "step-up 2")], id="step-up"),
        pytest.param("D-1", [(1, None, (-1,), None, "")], id="melphalan-day-minus-1"),
        pytest.param("D1-21,29-49", [(1, None, (*range(1, 22), *range(29, 50)), None, "")], id="BPd-pomalidomide"),
    ],
)
def test_schedule_notation(text, blocks):
    parsed = parse_schedule(text)
    assert [(b.first_cycle, b.last_cycle, b.days, b.dose, b.label) for b in parsed] == blocks
    assert parse_schedule(format_schedule(parsed)) == parsed


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("Day 1, 8", "not a schedule block", id="words"),
        pytest.param("D21-1", "runs backwards", id="backwards"),
        pytest.param("D1,1", "listed twice", id="twice"),
        pytest.param("C3-2: D1", "before first_cycle", id="cycles-backwards"),
    ],
)
def test_schedule_notation_errors(text, message):
    with pytest.raises(ScheduleSyntaxError, match=message):
        parse_schedule(text)


def test_formatting_compacts_ranges():
    block = schema.DayBlock(days=(-1, 0, 1, 2, 5))
    assert format_schedule([block]) == "D-1-2,5"
    assert parse_schedule("D-1-2,5")[0].days == (-1, 0, 1, 2, 5)


def test_review_date_kept(vrd):
    assert vrd.review_date == dt.date(2027, 1, 1)


def test_every_shipped_protocol_round_trips_through_the_database(db):
    """YAML -> database (rules with at_boundary and min_hours_to_next_event, schedules in the admin's
    notation) -> schema: the same protocol, so the admin edits what the file says."""
    from regimens.loader import PROTOCOL_DIR, read_protocol_file

    for path in sorted(PROTOCOL_DIR.glob("*.yaml")):
        proto, _ = read_protocol_file(path)
        renamed = proto.model_copy(update={"code": f"RT-{proto.code}"})
        assert Protocol.from_schema(renamed).to_schema() == renamed, path.name
