"""Hypothesis on the regimen admin's forms (regimens/admin.py, regimens/admin_forms.py): the protocol form and
the drug-line and dose-rule formsets, built by the admin itself for a pharmacist.

- Arbitrary values in any field of a protocol, a drug line or a dose rule never make
  cleaning raise (no 500 in the admin): the forms answer valid or invalid.
- Cleaning saves nothing; an invalid protocol form cannot be saved (the admin saves
  inline formsets only after every form and formset validated).
- Edits inside the ranges a protocol allows (positive doses in every basis the
  schema knows, days within the cycle, positive rounding steps and caps) are accepted.
"""

import os

import pytest
from django.contrib import admin
from django.http import QueryDict
from django.urls import resolve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regimens.models import DoseRule, DrugLine, Protocol
from tests.junk import JUNK
from tests.regimens.admin_forms import LINE_FIELDS, PROTOCOL_FIELDS, RULE_FIELDS, change_data, change_url

pytestmark = pytest.mark.fuzz

FUZZ = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")), deadline=None,
                derandomize=not os.environ.get("FUZZ_RANDOM"), database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def admin_forms(rf, user, protocol, data):
    """The protocol form and inline formsets the admin's change view validates."""
    model_admin = admin.site._registry[Protocol]
    query = QueryDict(mutable=True)
    for key, value in data.items():
        query[key] = str(value)
    url = change_url(protocol)
    request = rf.post(url, query)
    request.user = user
    request.resolver_match = resolve(url)  # the inlines offer the drug lines of this protocol only
    form = model_admin.get_form(request, protocol, change=True)(query, instance=protocol)
    formsets = [formset_class(query, instance=protocol, prefix=formset_class.get_default_prefix())
                for formset_class, _inline in model_admin.get_formsets_with_inlines(request, protocol)]
    return form, formsets


def snapshot():
    """Every stored protocol, drug line and rule (ids and last change), in a fixed order."""
    return [list(model.objects.order_by("pk").values_list(flat=False)) for model in (Protocol, DrugLine, DoseRule)]


def all_valid(form, formsets):
    results = [form.is_valid()] + [fs.is_valid() for fs in formsets]  # validate all, as the admin does
    return all(results)


FIELDS = ([*PROTOCOL_FIELDS, "change_reason", "ambiguities"]
          + [f"drug_lines-{i}-{name}" for i in range(3) for name in LINE_FIELDS]
          + [f"dose_rules-0-{name}" for name in (*RULE_FIELDS, "drug_line", "boundary_undefined", "omit")])


@pytest.mark.hazard("HAZ-002", "HAZ-016")
def test_admin_forms_never_raise_on_arbitrary_input(rf, pharmacist, vrd_draft):
    """On a draft: only a draft's change view has a form (an active version is read-only)."""
    vrd = vrd_draft
    base = change_data(vrd, change_reason="fuzz")
    before = snapshot()

    @FUZZ
    @given(changes=st.dictionaries(st.sampled_from(FIELDS), JUNK, min_size=1, max_size=6))
    def run(changes):
        form, formsets = admin_forms(rf, pharmacist, vrd, {**base, **changes})
        valid = all_valid(form, formsets)  # any exception here is a 500 in the admin
        assert snapshot() == before, "cleaning saved something"
        if not form.is_valid():
            with pytest.raises(ValueError):
                form.save()
        assert valid or any(fs.total_error_count() for fs in formsets) or form.errors
        assert snapshot() == before

    run()


def test_admin_forms_accept_the_unchanged_protocol(rf, pharmacist, vrd_draft):
    vrd = vrd_draft
    form, formsets = admin_forms(rf, pharmacist, vrd, change_data(vrd, change_reason="review"))
    assert all_valid(form, formsets), (form.errors, [fs.errors for fs in formsets])


@st.composite
def valid_edits(draw, protocol):
    length = draw(st.integers(7, 56))
    lines = {}
    for line in protocol.drug_lines.all():
        days = draw(st.lists(st.integers(1, length), min_size=1, max_size=4, unique=True))
        lines[line.drug] = {
            "dose": repr(draw(st.floats(0.001, 5000, allow_nan=False, allow_infinity=False))),
            "basis": draw(st.sampled_from(["mg", "mg/m2", "mg/kg", "microgram", "g/m2"])),
            "schedule": "D" + ",".join(map(str, sorted(days))),
            "rounding_step": draw(st.sampled_from(["", "0.1", "2.5", "5"])),
            "max_single_dose_mg": draw(st.sampled_from(["", "2", "40", "1000"])),
        }
    return lines, {"cycle_length_days": length, "cycles": draw(st.integers(1, 12))}


@pytest.mark.hazard("HAZ-002")
def test_admin_forms_accept_edits_within_the_protocol_ranges(rf, pharmacist, vrd_draft):
    vrd = vrd_draft
    before = snapshot()

    @FUZZ
    @given(edit=valid_edits(vrd))
    def run(edit):
        line_changes, changes = edit
        form, formsets = admin_forms(rf, pharmacist, vrd,
                                     change_data(vrd, line_changes=line_changes, change_reason="fuzz", **changes))
        assert all_valid(form, formsets), (form.errors, [fs.errors for fs in formsets])
        assert snapshot() == before

    run()
