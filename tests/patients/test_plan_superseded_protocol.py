"""A plan whose protocol version was superseded says so on screen and on paper (issue 10, item 4),
whichever way the library moved on: a new version checked and activated; an older version used again
(a checked copy: a new version number, never the old version flipped back); the version retired with
no active successor. The plan's doses stay its frozen snapshot throughout (VRd before HMAS,
Handlingsprogram for myelomatose: bortezomib 1.3 mg/m2 x 2.00 m2 = 2.6 mg)."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from regimens import actions as regimen_actions
from regimens.models import Protocol
from tests.patients.plan_helpers import verified
from tests.personas import PASSWORD, in_english
from tests.regimens.factories import activate, protocol_author

pytestmark = [pytest.mark.hazard("HAZ-023"), pytest.mark.usefixtures("english")]  # messages read in English

FLAG = "Issued on a superseded protocol"
CALENDAR_FLAG = "Forordnet på en erstattet protokoll"  # the patient calendar is always in bokmål (issue 14 item 3)


def url(name, plan):
    return reverse(f"patients:{name}", args=[plan.patient_id, plan.pk])


def pdf_text(response):
    assert response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def new_version(source, checker, **line_changes):
    """A draft copied from ``source`` by Eva Berg, with changed drug lines, activated by ``checker``."""
    draft = regimen_actions.create_draft_from(protocol=source, by=protocol_author(), reason="test")
    for drug, changes in line_changes.items():
        line = draft.drug_lines.get(drug=drug)
        for field, value in changes.items():
            setattr(line, field, value)
        line._history_user = protocol_author()
        line.save()
    return activate(draft, checker)


def new_version_activated(pharmacist):
    active = Protocol.objects.get(code="VRd-induction", status="active")
    new_version(active, pharmacist, bortezomib={"dose": 1.0})


def older_version_used_again(pharmacist):
    """The plan's version N is replaced by N+1, then brought back as the checked copy N+2."""
    original = Protocol.objects.get(code="VRd-induction", status="active")
    new_version(original, pharmacist, bortezomib={"dose": 1.0})
    original.refresh_from_db()
    with pytest.raises(ValidationError, match="only a draft can be activated"):  # never flipped back
        activate(original, pharmacist)
    copy = new_version(original, pharmacist)
    assert copy.version == original.version + 2 and copy.drug_lines.get(drug="bortezomib").dose == 1.3


def retired_without_successor(pharmacist):
    active = Protocol.objects.get(code="VRd-induction", status="active")
    regimen_actions.retire_protocol(protocol=active, by=pharmacist, password=PASSWORD, reason="withdrawn")
    assert not Protocol.objects.filter(code="VRd-induction", status="active").exists()


PATHS = [
    pytest.param(new_version_activated, id="new-version-activated"),
    pytest.param(older_version_used_again, id="older-version-used-again-as-a-copy"),
    pytest.param(retired_without_successor, id="retired-without-an-active-version"),
]


@pytest.fixture
def plan(physician, pharmacist, vrd_patient):
    return verified(physician, pharmacist, vrd_patient, cycles=1)


def test_a_plan_on_the_active_version_is_not_flagged(client_for, nurse, plan):
    client = client_for(nurse)
    assert plan.on_superseded_protocol is False
    assert 'data-testid="superseded-protocol-alert"' not in client.get(url("plan_detail", plan)).text
    assert FLAG not in pdf_text(in_english(client).get(url("plan_sheet_pdf", plan)))
    assert CALENDAR_FLAG not in pdf_text(in_english(client).get(url("plan_calendar_pdf", plan)))


@pytest.mark.parametrize("library_moves_on", PATHS)
def test_a_superseded_plan_says_so_on_screen_and_on_both_papers(client_for, nurse, pharmacist, plan,
                                                                  library_moves_on):
    library_moves_on(pharmacist)
    plan.refresh_from_db()
    assert plan.on_superseded_protocol is True
    client = client_for(nurse)
    page = in_english(client).get(url("plan_detail", plan)).text
    assert 'data-testid="superseded-protocol-alert"' in page and 'data-testid="sheet-superseded-protocol"' in page
    assert "2.6 mg" in page  # the frozen doses
    sheet = pdf_text(in_english(client).get(url("plan_sheet_pdf", plan)))
    calendar = " ".join(pdf_text(in_english(client).get(url("plan_calendar_pdf", plan))).split())
    assert FLAG in sheet and "2.6 mg" in sheet
    assert CALENDAR_FLAG in calendar and "Bortezomib 2,6 mg" in calendar


def test_a_plan_on_the_version_between_is_flagged_when_the_older_one_comes_back(
        client_for, physician, nurse, pharmacist, vrd_patient):
    """Version N+1 (bortezomib 1.0 mg/m2 x 2.00 m2 = 2 mg) replaced by N+2, the copy of N: its plan too."""
    original = Protocol.objects.get(code="VRd-induction", status="active")
    new_version(original, pharmacist, bortezomib={"dose": 1.0})
    between = verified(physician, pharmacist, vrd_patient, cycles=1)
    assert between.on_superseded_protocol is False
    new_version(Protocol.objects.get(pk=original.pk), pharmacist)
    between.refresh_from_db()
    assert between.on_superseded_protocol is True
    calendar = " ".join(pdf_text(in_english(client_for(nurse)).get(url("plan_calendar_pdf", between))).split())
    assert CALENDAR_FLAG in calendar and "Bortezomib 2 mg" in calendar
