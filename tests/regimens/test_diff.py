"""What changed between two protocol versions (regimens/diff.py): per drug, field, old → new.
Pure functions over the YAML format; the cases are edits a pharmacist makes to the VRd table of
Handlingsprogram for myelomatose ("Induksjonsbehandlingen")."""

from decimal import Decimal

import pytest

from regimens.diff import Change, content_digest, protocol_changes
from tests.regimens.protocols import RENAL_RULE, protocol

pytestmark = pytest.mark.hazard("HAZ-022")


def data(**overrides):
    return protocol(**overrides).model_dump()


BASE = data()
LINES = BASE["drugs"]


def lines(index, **changes):
    out = [dict(line) for line in LINES]
    out[index] = {**out[index], **changes}
    return out


@pytest.mark.parametrize(
    ("new", "expected"),
    [
        pytest.param(data(drugs=lines(0, dose=1.0)), [Change("drug", "bortezomib", "dose", 1.3, 1.0)],
                     id="bortezomib-dose"),
        pytest.param(data(drugs=lines(0, schedule=[{"days": [1, 8]}])),
                     [Change("drug", "bortezomib", "schedule", "D1,8,15", "D1,8")], id="schedule"),
        pytest.param(data(drugs=lines(0, basis="mg", dose=2.6)),
                     [Change("drug", "bortezomib", "dose", 1.3, 2.6), Change("drug", "bortezomib", "basis",
                                                                              "mg/m2", "mg")], id="basis"),
        pytest.param(data(drugs=lines(1, rules=[{**RENAL_RULE, "threshold": 40, "dose": 10}])),
                     [Change("rule", "lenalidomide", "threshold", 30, 40, rule=1),
                      Change("rule", "lenalidomide", "dose", 15, 10, rule=1)], id="renal-rule"),
        pytest.param(data(drugs=lines(1, rules=[])),
                     [Change("rule", "lenalidomide", "removed", "Ved eGFR <30: 15 mg", "", rule=1)],
                     id="rule-removed"),
        pytest.param(data(drugs=lines(0, rounding={"step": 0.1})),
                     # no limit of the protocol's own: the hospital's applies (issue 14)
                     [Change("drug", "bortezomib", "rounding_step", None, Decimal("0.1"))],
                     id="rounding"),
        pytest.param(data(cycles=4, premedication=["paracetamol 1 g"]),
                     [Change("protocol", "", "cycles", 6, 4),
                      Change("protocol", "", "premedication", "", "paracetamol 1 g")], id="cycles-premedication"),
        pytest.param(data(drugs=LINES[:2]),
                     [Change("drug", "dexamethasone", "removed", "40 mg po D1,8,15,22", "")], id="drug-removed"),
        pytest.param(data(drugs=[*LINES, {"drug": "daratumumab", "route": "sc", "dose": 1800, "basis": "mg",
                                          "schedule": [{"days": [1, 8, 15, 22]}]}]),
                     [Change("drug", "daratumumab", "added", "", "1800 mg sc D1,8,15,22")], id="drug-added"),
        pytest.param(data(name="VRd", checked_by="Per Lie", version=2, status="draft"), [],
                     id="version-status-checker-are-not-differences"),
    ],
)
def test_protocol_changes(new, expected):
    assert protocol_changes(BASE, new) == expected


def test_a_phase_and_its_events_are_compared():
    hmas = {"name": "HMAS", "start_day": -1, "events": [{"day": 0, "text": "Reinfusjon stamceller"}],
            "drugs": [{"drug": "melphalan", "route": "iv", "dose": 200, "basis": "mg/m2",
                       "schedule": [{"days": [-1]}]}]}
    old = data(code="T-Mel", drugs=[], cycles=None, cycle_length_days=None, phases=[hmas])
    new = data(code="T-Mel", drugs=[], cycles=None, cycle_length_days=None,
               phases=[{**hmas, "events": [{"day": 1, "text": "Reinfusjon stamceller"}],
                        "drugs": [{**hmas["drugs"][0], "dose": 140}]}])
    assert protocol_changes(old, new) == [
        Change("phase", "HMAS", "events", "0: Reinfusjon stamceller", "1: Reinfusjon stamceller"),
        Change("drug", "melphalan (HMAS)", "dose", 200, 140),
    ]


def test_without_a_predecessor_every_drug_is_added():
    assert [c.where for c in protocol_changes(None, BASE)] == ["bortezomib", "lenalidomide", "dexamethasone"]
    assert {c.field for c in protocol_changes(None, BASE)} == {"added"}


def test_the_digest_changes_with_any_dose_and_only_with_content():
    assert content_digest(BASE) == content_digest(data())
    assert content_digest(BASE) != content_digest(data(drugs=lines(2, dose=20)))
    assert content_digest(BASE) != content_digest(data(drugs=lines(1, rules=[{**RENAL_RULE, "threshold": 31}])))
