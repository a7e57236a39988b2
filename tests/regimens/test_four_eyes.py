"""The protocol library's four-eyes rule for doses (issue 10, items 1-3).

1. Only a draft can be changed: an active or retired version is read-only in the admin (a POST
   saves nothing, inlines included) and below it (model and queryset writes are refused); a new
   draft copied from it is the way to change it, or to use an older version again.
2. Activating a draft is a page: differences against the version it replaces and the schedule
   preview, then password and second-factor code of someone who did not make the draft's last
   change; the checker is recorded (checked_by, activated_by/at).
3. The schedule preview works on drafts; a draft's history shows what changed against its
   predecessor.

Doses by hand (VRd, Handlingsprogram for myelomatose, "Induksjonsbehandlingen"): the sample patient
is 80 kg / 180 cm, Mosteller sqrt(180 x 80 / 3600) = 2.00 m2; bortezomib 1.3 mg/m2 x 2.00 m2 = 2.6 mg,
and a draft's 1.0 mg/m2 x 2.00 m2 = 2 mg.
"""

import re

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.second_factor import current_code
from regimens import actions
from regimens.models import DoseRule, DrugLine, Phase, Protocol, ProtocolLocked
from tests.personas import PASSWORD, in_norwegian
from tests.regimens.admin_forms import change_data, change_url
from tests.regimens.factories import activate, protocol_author, stored
from tests.regimens.review_helpers import change_table, draft_of

pytestmark = pytest.mark.usefixtures("english")  # these tests read the messages in English


def url(name, protocol):
    return reverse(f"admin:regimens_protocol_{name}", args=[protocol.pk])


def text_of(response):
    """The page's text without tags, whitespace collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def doses(protocol):
    return {line.drug: line.dose for line in DrugLine.objects.filter(protocol_id=protocol.pk)}




@pytest.fixture
def retired(vrd, pharmacist):
    """T-VRd version 1 retired: version 2 (bortezomib 1.0 mg/m2) was drafted by Eva Berg and activated."""
    activate(draft_of(vrd, protocol_author(), bortezomib={"dose": 1.0}), pharmacist)
    vrd.refresh_from_db()
    assert vrd.status == "retired"
    return vrd


@pytest.fixture
def versions(request):
    def get(status):
        return request.getfixturevalue("vrd" if status == "active" else "retired")

    return get


# ---------------------------------------------------------------- 1. only a draft can be changed


@pytest.mark.parametrize("status", ["active", "retired"])
@pytest.mark.hazard("HAZ-020")
def test_admin_post_to_an_active_or_retired_version_saves_nothing(client_for, pharmacist, versions, status):
    protocol = versions(status)
    count, before = Protocol.objects.count(), doses(protocol)
    lock = Protocol.objects.get(pk=protocol.pk).lock_version
    data = change_data(protocol, name="edited", change_reason="x", line_changes={"bortezomib": {"dose": "2.0"}},
                       **{"dose_rules-0-threshold": "20"})
    response = client_for(pharmacist).post(change_url(protocol), data)
    assert response.status_code == 403
    stored_now = Protocol.objects.get(pk=protocol.pk)
    assert (stored_now.name, stored_now.status, stored_now.lock_version) == ("VRd", status, lock)
    assert doses(protocol) == before == {"bortezomib": 1.3, "lenalidomide": 25, "dexamethasone": 40}
    assert DoseRule.objects.get(protocol_id=protocol.pk).threshold == 30
    assert Protocol.objects.count() == count  # no new version either


@pytest.mark.parametrize("status", ["active", "retired"])
@pytest.mark.hazard("HAZ-020")
def test_admin_change_view_of_an_active_or_retired_version_is_read_only(client_for, pharmacist, versions, status):
    protocol = versions(status)
    page = client_for(pharmacist).get(change_url(protocol))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'name="drug_lines-0-dose"' not in html and 'name="dose_rules-0-threshold"' not in html
    assert 'name="name"' not in html and 'name="_save"' not in html
    assert 'data-testid="read-only-version"' in html and "it is read-only" in html
    assert url("new_draft", protocol) in html
    assert url("activate", protocol) not in html


@pytest.mark.parametrize("status", ["active", "retired"])
@pytest.mark.parametrize("write", [
    "line-save", "rule-save", "phase-create", "line-delete", "queryset-update", "related-update",
    "bulk-create", "protocol-field", "protocol-update", "protocol-delete",
])
@pytest.mark.hazard("HAZ-020")
def test_no_code_path_changes_an_active_or_retired_version(versions, status, write):
    """Below the admin: the model and its querysets refuse (shell, loader, any future code)."""
    protocol = versions(status)
    line = DrugLine.objects.get(protocol_id=protocol.pk, drug="bortezomib")
    rule = DoseRule.objects.get(protocol_id=protocol.pk)
    writes = {
        "line-save": lambda: (setattr(line, "dose", 2.0), line.save()),
        "rule-save": lambda: (setattr(rule, "threshold", 20), rule.save()),
        "phase-create": lambda: protocol.phases.create(name="step-up"),
        "line-delete": line.delete,
        "queryset-update": lambda: DrugLine.objects.filter(pk=line.pk).update(dose=2.0),
        "related-update": lambda: protocol.drug_lines.update(schedule="D1"),
        "bulk-create": lambda: DrugLine.objects.bulk_create([DrugLine(protocol=protocol, drug="x", route="po")]),
        "protocol-field": lambda: (setattr(protocol, "cycles", 8), protocol.save()),
        "protocol-update": lambda: Protocol.objects.filter(pk=protocol.pk).update(cycle_length_days=21),
        "protocol-delete": lambda: Protocol.objects.filter(pk=protocol.pk).delete(),
    }
    with pytest.raises(ProtocolLocked, match="Only a draft can be changed"):
        writes[write]()
    fresh = Protocol.objects.get(pk=protocol.pk)
    assert (fresh.status, fresh.cycles, fresh.cycle_length_days) == (status, 6, 28)
    assert doses(protocol) == {"bortezomib": 1.3, "lenalidomide": 25, "dexamethasone": 40}
    assert DoseRule.objects.get(protocol_id=protocol.pk).threshold == 30
    assert not Phase.objects.filter(protocol_id=protocol.pk).exists()
    assert DrugLine.objects.get(pk=line.pk).schedule == "D1,8,15"


@pytest.mark.hazard("HAZ-020")
def test_a_line_cannot_be_moved_out_of_an_active_version(vrd, draft):
    line = DrugLine.objects.get(protocol=vrd, drug="bortezomib")
    line.protocol = draft
    with pytest.raises(ProtocolLocked):
        line.save()
    assert DrugLine.objects.get(pk=line.pk).protocol_id == vrd.pk


@pytest.mark.parametrize(("start", "to"), [("retired", "active"), ("retired", "draft"), ("active", "draft")])
@pytest.mark.hazard("HAZ-020")
def test_status_goes_only_draft_active_retired(versions, start, to):
    """A retired version is never flipped back to active (that would change which doses are used
    without a new version number): using it again is a new draft copied from it."""
    protocol = versions(start)
    protocol.status = to
    with pytest.raises(ProtocolLocked, match="cannot become"):
        protocol.save()
    assert Protocol.objects.get(pk=protocol.pk).status == start


@pytest.mark.hazard("HAZ-020")
def test_a_draft_stays_editable_below_the_admin(draft):
    line = DrugLine.objects.get(protocol=draft, drug="isatuximab")
    line.dose, line.basis, line.schedule = 10, "mg/kg", "D1,8,15,22"
    line.save()
    draft.phases.create(name="none yet")
    assert DrugLine.objects.get(pk=line.pk).dose == 10


@pytest.mark.parametrize(("status", "next_version"), [("active", 2), ("retired", 3)])
@pytest.mark.hazard("HAZ-020")
def test_new_draft_from_an_active_or_retired_version(client_for, pharmacist, versions, status, next_version):
    protocol = versions(status)
    client = client_for(pharmacist)
    assert f"Copies version 1 as draft version {next_version}" in text_of(client.get(url("new_draft", protocol)))
    response = client.post(url("new_draft", protocol), {"reason": "reimbursement text"})
    new = Protocol.objects.get(code="T-VRd", version=next_version)
    assert response.status_code == 302 and response["Location"] == change_url(new)
    assert (new.status, new.checked_by, new.edited) == ("draft", "", True)
    assert doses(new) == {"bortezomib": 1.3, "lenalidomide": 25, "dexamethasone": 40}  # version 1's doses
    assert new.history.first().history_change_reason == "new draft from version 1: reimbursement text"
    assert new.last_change().history_user == pharmacist
    assert Protocol.objects.get(pk=protocol.pk).status == status  # the source is unchanged


def test_new_draft_needs_a_reason(client_for, pharmacist, vrd):
    response = client_for(pharmacist).post(url("new_draft", vrd), {"reason": ""})
    assert response.status_code == 200 and Protocol.objects.filter(code="T-VRd").count() == 1


@pytest.mark.parametrize("persona", ["physician", "nurse"])
def test_new_draft_and_activation_pages_are_not_for_clinicians(request, client_for, vrd, persona):
    client = client_for(request.getfixturevalue(persona))
    for name in ("new_draft", "activate", "retire"):
        response = client.post(url(name, vrd), {"reason": "x", "password": PASSWORD})
        assert response.status_code == 302 and "login" in response["Location"]
    assert Protocol.objects.filter(code="T-VRd").count() == 1


# ---------------------------------------------------------------- 2. activation by a second pharmacist


@pytest.fixture
def edited_draft(vrd, second_pharmacist):
    """Eva Berg's draft version 2 of T-VRd: bortezomib 1.0 mg/m2 on days 1, 8 (not 15); the renal rule's
    threshold 30 → 40; 4 cycles instead of 6; premedication added."""
    data = vrd.to_schema_data()
    data["drugs"][0] = {**data["drugs"][0], "dose": 1.0, "schedule": [{"days": [1, 8]}]}
    rule = data["drugs"][1]["rules"][0]
    data["drugs"][1] = {**data["drugs"][1], "rules": [{**rule, "threshold": 40}]}
    data.update(cycles=4, premedication=["paracetamol 1 g"])
    return actions.create_draft_version(data=data, reason="second reading", by=second_pharmacist)




@pytest.mark.hazard("HAZ-021")
def test_activation_page_shows_the_differences_and_the_schedule(client_for, pharmacist, edited_draft):
    page = client_for(pharmacist).get(url("activate", edited_draft))
    assert page.status_code == 200
    text = text_of(page)
    assert "Differences against version 1 (active), which this version replaces" in text
    assert set(change_table(page)) == {
        ("protocol", "planned cycles", "6", "4"),
        ("protocol", "premedication", "—", "paracetamol 1 g"),
        ("bortezomib", "dose", "1.3", "1"),
        ("bortezomib", "schedule", "D1,8,15", "D1,8"),
        ("lenalidomide", "rule 1: threshold", "30", "40"),
    }
    # the preview of the draft: 1.0 mg/m2 x 2.00 m2 = 2 mg, on days 1 and 8 only, 4 cycles
    assert "1 mg/m2 x 2.00 m2" in text and "2 mg" in text and "cycles shown: 4" in text
    assert "Last changed by Eva Berg" in text
    assert 'data-testid="activation-form"' in page.content.decode()


@pytest.mark.hazard("HAZ-021")
def test_a_second_pharmacist_activates_and_is_recorded_as_the_checker(client_for, pharmacist, vrd, edited_draft):
    client = client_for(pharmacist)
    page = client.get(url("activate", edited_draft))
    form = page.context["form"]
    response = client.post(url("activate", edited_draft), {**form.initial, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == change_url(edited_draft)
    edited_draft.refresh_from_db()
    vrd.refresh_from_db()
    assert (edited_draft.status, edited_draft.checked_by, edited_draft.activated_by) == ("active", "Per Lie",
                                                                                        pharmacist)
    assert edited_draft.activated_at is not None
    assert vrd.status == "retired"
    assert edited_draft.history.first().history_user == pharmacist


@pytest.mark.hazard("HAZ-021")
def test_the_last_changer_cannot_activate_the_draft(client_for, pharmacist, second_pharmacist, edited_draft):
    """Per Lie changes Eva Berg's draft in the admin: now he made the last change, so she must check it."""
    client = client_for(pharmacist)
    data = change_data(edited_draft, change_reason="dexamethasone note",
                       line_changes={"dexamethasone": {"note": "morning"}})
    assert client.post(change_url(edited_draft), data).status_code == 302
    page = client.get(url("activate", edited_draft))
    assert "You made the last change to this draft" in text_of(page)
    assert 'data-testid="activation-form"' not in page.content.decode()
    assert "you are the second pair of eyes" not in text_of(page)  # refused: not told they are the checker
    digest = edited_draft.content_digest()
    lock = Protocol.objects.get(pk=edited_draft.pk).lock_version
    response = client.post(url("activate", edited_draft), {"password": PASSWORD, "reviewed_digest": digest,
                                                           "loaded_lock_version": lock})
    assert response.status_code == 200 and "You made the last change to this draft" in text_of(response)
    assert Protocol.objects.get(pk=edited_draft.pk).status == "draft"
    with pytest.raises(ValidationError, match="You made the last change"):
        activate(Protocol.objects.get(pk=edited_draft.pk), pharmacist)
    activated = activate(Protocol.objects.get(pk=edited_draft.pk), second_pharmacist)
    assert (activated.status, activated.checked_by) == ("active", "Eva Berg")


@pytest.mark.hazard("HAZ-021")
def test_a_change_to_a_drug_line_alone_makes_its_author_the_last_changer(pharmacist, second_pharmacist,
                                                                          edited_draft):
    line = DrugLine.objects.get(protocol=edited_draft, drug="dexamethasone")
    line.dose = 20
    line._history_user = pharmacist
    line.save()
    with pytest.raises(ValidationError, match="You made the last change"):
        activate(edited_draft, pharmacist)
    assert activate(edited_draft, second_pharmacist).status == "active"


def test_an_admin_may_check_a_pharmacists_draft(admin_user, edited_draft):
    assert activate(edited_draft, admin_user).checked_by == "Tor Admin"


@pytest.mark.hazard("HAZ-021")
def test_a_draft_changed_by_no_named_person_cannot_be_activated(pharmacist, vrd):
    """A draft from the loader or a shell: nobody can be shown to be the second person."""
    unnamed = stored(code="T-VRd", version=2, status="draft")
    with pytest.raises(ValidationError, match="by no named person"):
        activate(unnamed, pharmacist)
    assert Protocol.objects.get(pk=unnamed.pk).status == "draft"


@pytest.mark.parametrize("password", ["", "wrong-password"])
@pytest.mark.hazard("HAZ-021")
def test_activation_needs_the_checkers_password(client_for, pharmacist, edited_draft, password):
    client = client_for(pharmacist)
    form = client.get(url("activate", edited_draft)).context["form"]
    response = client.post(url("activate", edited_draft), {**form.initial, "password": password})
    assert response.status_code == 200
    assert Protocol.objects.get(pk=edited_draft.pk).status == "draft"
    assert Protocol.objects.get(code="T-VRd", version=1).status == "active"


@pytest.mark.hazard("HAZ-021")
def test_activation_needs_the_second_factor(client_for, pharmacist, edited_draft, settings):
    settings.SIGNING_REQUIRES_SECOND_FACTOR = True
    client = client_for(pharmacist)
    device = TOTPDevice.objects.get(user=pharmacist)
    page = client.get(url("activate", edited_draft))
    assert 'name="otp_token"' in page.content.decode()
    initial = page.context["form"].initial
    wrong = "111111" if current_code(device) != "111111" else "222222"
    for token in ("", wrong):
        response = client.post(url("activate", edited_draft), {**initial, "password": PASSWORD, "otp_token": token})
        assert "The code is not correct or already used" in text_of(response)
        assert Protocol.objects.get(pk=edited_draft.pk).status == "draft"
    TOTPDevice.objects.get(pk=device.pk).throttle_reset()  # the wrong code slowed the device down
    response = client.post(url("activate", edited_draft),
                           {**initial, "password": PASSWORD, "otp_token": current_code(device)})
    assert response.status_code == 302
    assert Protocol.objects.get(pk=edited_draft.pk).status == "active"


@pytest.mark.hazard("HAZ-021")
def test_activation_is_refused_when_the_draft_changed_after_the_page_was_opened(client_for, pharmacist,
                                                                                 second_pharmacist, edited_draft):
    """What the checker saw is what is activated: a dose changed meanwhile (even below the admin,
    leaving the protocol row's edit counter as it was) makes the activation fail."""
    client = client_for(pharmacist)
    initial = client.get(url("activate", edited_draft)).context["form"].initial
    line = DrugLine.objects.get(protocol=edited_draft, drug="bortezomib")
    line.dose = 1.5
    line._history_user = second_pharmacist
    line.save()
    response = client.post(url("activate", edited_draft), {**initial, "password": PASSWORD})
    assert "The draft was changed after you opened the activation page" in text_of(response)
    assert Protocol.objects.get(pk=edited_draft.pk).status == "draft"


@pytest.mark.hazard("HAZ-021")
def test_an_incomplete_draft_cannot_be_activated(client_for, pharmacist, second_pharmacist, draft):
    client = client_for(second_pharmacist)
    assert client.post(change_url(draft), change_data(draft, change_reason="start")).status_code == 302
    page = client_for(pharmacist).get(url("activate", draft))
    response = client_for(pharmacist).post(url("activate", draft), {**page.context["form"].initial,
                                                                    "password": PASSWORD})
    text = text_of(response)
    assert "cannot be activated" in text and "isatuximab" in text and "dose" in text
    assert Protocol.objects.get(pk=draft.pk).status == "draft"


@pytest.mark.parametrize("status", ["active", "retired"])
@pytest.mark.hazard("HAZ-020", "HAZ-021")
def test_an_active_or_retired_version_is_never_activated_again(pharmacist, second_pharmacist, versions, status):
    """Re-activating an older version is a new version (a copy), never a status flip back."""
    protocol = versions(status)
    with pytest.raises(ValidationError, match="only a draft can be activated"):
        activate(protocol, second_pharmacist)
    assert Protocol.objects.get(pk=protocol.pk).status == status


@pytest.mark.hazard("HAZ-020", "HAZ-021")
def test_an_older_version_is_used_again_through_a_checked_copy(client_for, pharmacist, second_pharmacist,
                                                                retired):
    """Version 1 (bortezomib 1.3) was replaced by version 2 (1.0): back to 1.3 is draft version 3,
    shown against version 2 and activated by the other pharmacist."""
    copy = actions.create_draft_from(protocol=retired, by=second_pharmacist, reason="back to 1.3 mg/m2")
    page = client_for(pharmacist).get(url("activate", copy))
    assert ("bortezomib", "dose", "1", "1.3") in change_table(page)
    assert "Differences against version 2 (active)" in text_of(page)
    activate(copy, pharmacist)
    assert list(Protocol.objects.filter(code="T-VRd").values_list("version", "status")) == [
        (3, "active"), (2, "retired"), (1, "retired")]


@pytest.mark.hazard("HAZ-021")
def test_there_is_no_bulk_activation(client_for, pharmacist, edited_draft):
    client = client_for(pharmacist)
    listing = client.get(reverse("admin:regimens_protocol_changelist"))
    assert b'value="activate"' not in listing.content
    client.post(reverse("admin:regimens_protocol_changelist"),
                {"action": "activate", "_selected_action": [edited_draft.pk]})
    assert Protocol.objects.get(pk=edited_draft.pk).status == "draft"


def test_staff_without_the_activate_right_cannot_open_the_activation_page(client_for, django_user_model,
                                                                          edited_draft):
    clerk = django_user_model.objects.create_user(username="clerk", password=PASSWORD, is_staff=True)
    clerk.user_permissions.set(Permission.objects.filter(content_type__app_label="regimens"))
    client = client_for(clerk)
    assert client.get(url("activate", edited_draft)).status_code == 403
    assert client.post(url("activate", edited_draft), {"password": PASSWORD}).status_code == 403
    with pytest.raises(PermissionDenied):
        activate(edited_draft, clerk)
    assert Protocol.objects.get(pk=edited_draft.pk).status == "draft"


def test_retiring_the_active_version_needs_a_reason_and_the_password(client_for, pharmacist, vrd):
    client = client_for(pharmacist)
    lock = vrd.lock_version
    client.post(url("retire", vrd), {"reason": "", "password": PASSWORD, "loaded_lock_version": lock})
    client.post(url("retire", vrd), {"reason": "withdrawn", "password": "wrong", "loaded_lock_version": lock})
    assert Protocol.objects.get(pk=vrd.pk).status == "active"
    response = client.post(url("retire", vrd), {"reason": "withdrawn", "password": PASSWORD,
                                                "loaded_lock_version": lock})
    assert response.status_code == 302
    vrd.refresh_from_db()
    assert vrd.status == "retired"
    assert vrd.history.first().history_change_reason == "retired by farm_lie: withdrawn"


# ---------------------------------------------------------------- 3. preview and history of drafts


@pytest.mark.hazard("HAZ-022")
def test_the_schedule_preview_works_on_a_draft(client_for, pharmacist, edited_draft):
    page = client_for(pharmacist).get(url("preview", edited_draft))
    text = text_of(page)
    assert page.status_code == 200 and 'data-testid="preview-table"' in page.content.decode()
    # bortezomib 1.0 mg/m2 x 2.00 m2 = 2 mg on days 1 and 8 of each of 4 cycles
    bortezomib = re.findall(r"<tr><td>(\d)</td><td>(\d+)</td><td>[\d.]+</td><td>bortezomib</td><td>([^<]*)</td>",
                            page.content.decode())
    assert bortezomib == [(str(c), str(d), "2 mg") for c in range(1, 5) for d in (1, 8)]
    assert "1 mg/m2 x 2.00 m2" in text and "cannot be dosed for a patient" in text


@pytest.mark.hazard("HAZ-022")
def test_the_preview_of_an_incomplete_draft_names_what_is_missing(client_for, pharmacist, draft):
    text = text_of(client_for(pharmacist).get(url("preview", draft)))
    assert "Not complete yet" in text and "isatuximab" in text and "dose" in text


@pytest.mark.hazard("HAZ-022")
def test_a_drafts_history_shows_what_changed_against_its_predecessor(client_for, pharmacist, edited_draft):
    page = client_for(pharmacist).get(reverse("admin:regimens_protocol_history", args=[edited_draft.pk]))
    assert page.status_code == 200
    assert "What changed against version 1 (active)" in text_of(page)
    assert ("bortezomib", "dose", "1.3", "1") in change_table(page)
    assert ("lenalidomide", "rule 1: threshold", "30", "40") in change_table(page)


@pytest.mark.hazard("HAZ-021")
def test_an_active_version_needs_the_days_of_every_drug():
    """Activation validates the draft as active: a dose without days is refused, as in the YAML files."""
    from pydantic import ValidationError as SchemaError

    from tests.regimens.protocols import protocol

    with pytest.raises(SchemaError, match="bortezomib: the days of administration"):
        protocol(drugs=[{"drug": "bortezomib", "route": "sc", "dose": 1.3, "basis": "mg/m2"}])
    assert protocol(status="draft", drugs=[{"drug": "bortezomib", "route": "sc", "dose": 1.3, "basis": "mg/m2"}])


def test_the_shipped_library_is_activated_by_the_loader_and_attributed_to_its_files(db):
    """The one activation without a second person in the app: the seed files, reviewed in the repository."""
    seed = Protocol.objects.get(code="VRd-induction", status="active")
    assert (seed.activated_by, seed.edited, len(seed.seed_hash)) == (None, False, 64)
    assert seed.activated_at is not None  # when the loader put it in use: no bare dash for «Aktivert»
    history = list(seed.history.all())
    assert {record.history_change_reason for record in history} == {"loaded from VRd-induction.yaml"}
    assert {record.history_user for record in history} == {None}


@pytest.mark.hazard("HAZ-021")
def test_a_draft_older_than_the_active_version_cannot_be_activated(pharmacist, second_pharmacist, vrd):
    """Two drafts of version 1: version 3 (bortezomib 1.0) is activated first; activating version 2
    afterwards would undo version 3's change without anyone having meant to."""
    stale = draft_of(vrd, second_pharmacist, reason="dexamethasone note")
    activate(draft_of(vrd, second_pharmacist, bortezomib={"dose": 1.0}), pharmacist)
    with pytest.raises(ValidationError, match="older than the active version 3"):
        activate(Protocol.objects.get(pk=stale.pk), pharmacist)
    assert Protocol.objects.get(pk=stale.pk).status == "draft"
    assert Protocol.objects.get(code="T-VRd", status="active").version == 3


def test_the_differences_name_the_drug_and_write_the_dose_in_bokmal(client_for, pharmacist, second_pharmacist,
                                                                    retired):
    copy = actions.create_draft_from(protocol=retired, by=second_pharmacist, reason="back to 1.3 mg/m2")
    page = in_norwegian(client_for(pharmacist)).get(url("activate", copy))
    assert ("bortezomib", "dose", "1", "1,3") in change_table(page)  # bortezomib: the same word in bokmål
    edited = draft_of(Protocol.objects.get(code="T-VRd", status="active"), second_pharmacist,
                      dexamethasone={"dose": 20.0})
    rows = change_table(in_norwegian(client_for(pharmacist)).get(url("activate", edited)))
    assert ("deksametason", "dose", "40", "20") in rows and not any(row[0] == "dexamethasone" for row in rows)
