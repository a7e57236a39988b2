"""The rounding policy at activation (issue 14 item 1): a draft whose rounding step could move a dose of
a patient in the realistic range (BSA 1.4-2.6 m2, weight 40-150 kg) by more than the hospital's limit
is not activated, and the page says which drug and from which dose; the shipped library passes.

By hand: bortezomib 1.3 mg/m2 at the smallest BSA 1.4 m2 = 1.82 mg. A 1 mg step moves a dose by up to
0.5 mg: more than 5 % of every dose below 0.5 / 0.05 = 10 mg, and 0.5 / 1.82 = 27.47 % of 1.82 mg.
A 0.1 mg step: at most 0.05 / 1.82 = 2.75 %."""

import html
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from regimens.dosing import DosingError, DosingPatient, calculate_schedule, rounding_problems
from regimens.refusals import dose_refusal, rounding_refusals
from tests.regimens.dosing_cases import MONDAY
from tests.regimens.factories import activate, protocol_author
from tests.regimens.protocol_library import protocols
from tests.regimens.protocols import protocol
from tests.regimens.review_helpers import change_table, draft_of

pytestmark = pytest.mark.usefixtures("english")

REFUSAL = ("bortezomib: the rounding step 1 mg can move a dose by up to half a step, more than 5 % for every dose "
           "below 10 mg. The protocol gives doses down to 1.3 mg/m² × body surface area 1.4 m² = 1.82 mg "
           "(BSA 1.4–2.6 m², weight 40–150 kg), which it can move by up to 27.47 %. Choose a smaller step.")


def text_of(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.mark.hazard("HAZ-040")
def test_a_step_too_coarse_for_the_smallest_dose_is_not_activated(pharmacist, vrd):
    coarse = draft_of(vrd, protocol_author(), bortezomib={"rounding": {"step": 1}})
    with pytest.raises(ValidationError) as exc:
        activate(coarse, pharmacist)
    assert REFUSAL in exc.value.messages
    coarse.refresh_from_db()
    vrd.refresh_from_db()
    assert (coarse.status, vrd.status) == ("draft", "active")


@pytest.mark.hazard("HAZ-040")
def test_a_fine_enough_step_is_activated(pharmacist, vrd):
    fine = activate(draft_of(vrd, protocol_author(), bortezomib={"rounding": {"step": 0.1}}), pharmacist)
    assert fine.status == "active"
    assert fine.parsed().drugs[0].rounding.step == Decimal("0.1")


@pytest.mark.hazard("HAZ-040")
def test_the_activation_page_names_the_drug_and_the_dose_before_the_checker_signs(client_for, pharmacist, vrd):
    coarse = draft_of(vrd, protocol_author(), bortezomib={"rounding": {"step": 1}})
    page = client_for(pharmacist).get(reverse("admin:regimens_protocol_activate", args=[coarse.pk]))
    assert 'data-testid="rounding-refused"' in page.content.decode()
    assert REFUSAL in text_of(page)
    assert 'data-testid="activation-form"' not in page.content.decode()  # nothing to sign
    # the step is a difference the checker sees, in the dose's unit
    rows = [tuple(html.unescape(cell) for cell in row) for row in change_table(page)]
    assert ("bortezomib", "rounding step (in the dose's unit)", "—", "1") in rows


@pytest.mark.hazard("HAZ-040")
@pytest.mark.parametrize("code", sorted(protocols()))
def test_the_shipped_library_passes_the_activation_check(code):
    # no shipped protocol has a rounding step (the guideline gives none): three significant figures, and
    # the smallest dose, talquetamab 0.01 mg/kg x 40 kg = 0.4 mg, moves by at most 0.005 / 0.4 = 1.25 %
    assert rounding_problems(protocols()[code], max_deviation_pct=5) == ()


@pytest.mark.hazard("HAZ-040")
def test_the_activation_refusal_without_a_step_names_the_smallest_dose():
    # a flat 0.06 mg without a step: two decimals move it by up to 0.005 / 0.06 = 8.33 % > 5 %; it fails
    # below 0.5 / 5 = 0.1 mg
    proto = protocol(drugs=[{"drug": "x", "route": "sc", "dose": 0.06, "basis": "mg", "schedule": [{"days": [1]}]}])
    (text,) = rounding_refusals(proto)
    assert text == ("x: without a rounding step a dose is given at three significant figures and at most two "
                    "decimals, which can move a dose below 0.1 mg by more than 5 %. The protocol gives doses down "
                    "to 0.06 mg (BSA 1.4–2.6 m², weight 40–150 kg), up to 8.33 %. Give a rounding step or the dose "
                    "in a smaller unit.")


@pytest.mark.hazard("HAZ-040")
def test_the_activation_refusal_of_a_per_kg_phase_drug_names_weight_and_phase():
    # teclistamab step-up 0.06 mg/kg x 40 kg = 2.4 mg; a 1 mg step: 0.5 / 2.4 = 20.83 %
    proto = protocol(code="T-tec", drugs=[], cycles=None, cycle_length_days=None, phases=[
        {"name": "step-up", "drugs": [{"drug": "teclistamab", "route": "sc", "dose": 0.06, "basis": "mg/kg",
                                       "schedule": [{"days": [1]}], "rounding": {"step": 1}}]}])
    (text,) = rounding_refusals(proto)
    assert text.startswith("teclistamab (step-up): the rounding step 1 mg")
    assert "0.06 mg/kg × weight 40 kg = 2.4 mg" in text and "20.83 %" in text


@pytest.mark.hazard("HAZ-040", "HAZ-042")
@pytest.mark.parametrize(("line", "patient", "limit", "expected"), [
    # 0.064 mg flat: two decimals give 0.06 mg, -6.25 %
    pytest.param({"drug": "x", "route": "sc", "dose": 0.064, "basis": "mg", "schedule": [{"days": [1]}]},
                 DosingPatient(), 5,
                 "x: the dose 0.064 mg cannot be given at three significant figures and two decimals within 5 % "
                 "(it would be 0.06 mg, \u22126.25 %). The protocol must give a rounding step or the dose in a "
                 "smaller unit.", id="two-decimals"),
    # 1 mg/kg x 50 kg = 50 mg, step 27.51 mg: 55.02 mg = 1.1004 mg/kg, more than 110 % of 1 mg/kg
    pytest.param({"drug": "x", "route": "iv", "dose": 1, "basis": "mg/kg", "schedule": [{"days": [1]}],
                  "rounding": {"step": 27.51}}, DosingPatient(weight_kg=50), 20,
                 "x: the dose to give 55.02 mg is 1.1004 mg/kg, more than 10 % above the protocol's 1 mg/kg. "
                 "Check the protocol's rounding step and the patient's height and weight.", id="per-unit"),
])
def test_the_plan_time_refusals_in_words(line, patient, limit, expected):
    with pytest.raises(DosingError) as exc:
        calculate_schedule(protocol(drugs=[line], cycles=1), patient, start_date=MONDAY, max_deviation_pct=limit)
    assert dose_refusal(exc.value) == expected


def test_a_refusal_without_a_code_reads_as_the_engines_message():
    with pytest.raises(DosingError) as exc:
        calculate_schedule(protocol(cycles=1), DosingPatient(), start_date=MONDAY)
    assert dose_refusal(exc.value) == exc.value.message
