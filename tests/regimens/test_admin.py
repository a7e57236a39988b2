"""The regimen library admin: validation messages, versions, activation, permissions, preview.
(The four-eyes rule itself: tests/regimens/test_four_eyes.py.)"""

import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from regimens.models import Protocol
from tests.personas import PASSWORD, in_norwegian
from tests.regimens.admin_forms import change_data, change_url
from tests.regimens.factories import protocol_author


@pytest.mark.parametrize("persona", ["physician", "nurse"])
def test_admin_physician_and_nurse_get_no_admin(request, client_for, persona):
    client = client_for(request.getfixturevalue(persona))
    response = client.get(reverse("admin:regimens_protocol_changelist"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_admin_pharmacist_sees_the_library_and_history(client_for, pharmacist, vrd):
    client = client_for(pharmacist)
    assert b"T-VRd" in client.get(reverse("admin:regimens_protocol_changelist")).content
    page = client.get(change_url(vrd))
    assert page.status_code == 200 and b"preview" in page.content
    assert client.get(reverse("admin:regimens_protocol_history", args=[vrd.pk])).status_code == 200


def test_admin_edit_of_active_goes_through_a_new_draft(client_for, pharmacist, vrd):
    """Was: saving an edit of the active version stored a new draft. Now the active version is
    read-only: "New draft from this version" makes the draft, which is then edited in place."""
    client = client_for(pharmacist)
    response = client.post(reverse("admin:regimens_protocol_new_draft", args=[vrd.pk]), {"reason": "typo in name"})
    draft = Protocol.objects.get(code="T-VRd", version=2)
    assert response.status_code == 302 and response["Location"] == change_url(draft)
    response = client.post(change_url(draft), change_data(draft, name="VRd edited", change_reason="typo"))
    assert response.status_code == 302, response.content.decode()[:3000]
    vrd.refresh_from_db()
    draft.refresh_from_db()
    assert (vrd.name, vrd.status, vrd.version) == ("VRd", "active", 1)
    assert (draft.name, draft.status, draft.edited) == ("VRd edited", "draft", True)
    assert draft.history.first().history_change_reason == "typo"
    assert draft.history.last().history_change_reason == "new draft from version 1: typo in name"
    assert draft.drug_lines.count() == 3 and draft.dose_rules.count() == 1


def test_admin_new_draft_of_active_needs_a_reason(client_for, pharmacist, vrd):
    response = client_for(pharmacist).post(reverse("admin:regimens_protocol_new_draft", args=[vrd.pk]),
                                           {"reason": ""})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert Protocol.objects.filter(code="T-VRd").count() == 1


def test_admin_edit_of_a_draft_saves_in_place(client_for, pharmacist, draft):
    response = client_for(pharmacist).post(change_url(draft), change_data(draft, name="Isa-Pd (work)"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.name, draft.version, draft.edited) == ("Isa-Pd (work)", 1, True)


def test_admin_a_textarea_sent_back_unchanged_is_no_change(client_for, pharmacist, vrd_draft):
    """A browser ends a textarea's lines with CR LF; the library's text ends them with LF. The supportive care
    sent back as it was shown, and a drug's note typed on two lines, are stored with LF: the history lists no
    change of the supportive care, which nobody changed (a walk through the admin, stop 23)."""
    vrd_draft.supportive_care = "Herpes zoster profylakse\nTromboseprofylakse"
    vrd_draft.save()
    before = vrd_draft.history.count()
    sent = change_data(vrd_draft, supportive_care="Herpes zoster profylakse\r\nTromboseprofylakse",
                       line_changes={"bortezomib": {"note": "s.c.\r\nroter stikkstedet"}})
    assert client_for(pharmacist).post(change_url(vrd_draft), sent).status_code == 302
    vrd_draft.refresh_from_db()
    assert vrd_draft.supportive_care == "Herpes zoster profylakse\nTromboseprofylakse"
    assert vrd_draft.drug_lines.get(drug="bortezomib").note == "s.c.\nroter stikkstedet"
    latest, previous = vrd_draft.history.all()[:2]
    assert vrd_draft.history.count() == before + 1
    assert "supportive_care" not in {change.field for change in latest.diff_against(previous).changes}


@pytest.mark.parametrize(
    ("line_changes", "message"),
    [
        pytest.param({"bortezomib": {"schedule": "D1,8,29"}}, "bortezomib: day 29 is outside the 28-day cycle",
                     id="day-beyond-cycle"),
        pytest.param({"bortezomib": {"basis": ""}}, "bortezomib: a dose needs a basis", id="missing-basis"),
        pytest.param({"bortezomib": {"dose": "0"}}, "bortezomib: the dose must be greater than 0", id="dose-zero"),
        pytest.param({"bortezomib": {"schedule": "Day 1 and 8"}}, "is not a schedule block", id="notation"),
        pytest.param({"bortezomib": {"rounding_step": "-1"}}, "must be greater than 0", id="rounding-negative"),
    ],
)
def test_admin_refuses_an_inconsistent_protocol(client_for, pharmacist, vrd_draft, line_changes, message):
    data = change_data(vrd_draft, line_changes=line_changes, change_reason="test")
    response = client_for(pharmacist).post(change_url(vrd_draft), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    line = vrd_draft.drug_lines.get(drug="bortezomib")
    assert (line.dose, line.basis, line.schedule, line.rounding_step) == (1.3, "mg/m2", "D1,8,15", None)


@pytest.mark.parametrize(
    ("line_changes", "message"),
    [
        pytest.param({"bortezomib": {"dose": "", "basis": ""}}, "dose", id="no-dose"),
        pytest.param({"bortezomib": {"schedule": ""}}, "schedule", id="no-days"),
    ],
)
def test_admin_a_draft_may_lack_doses_but_is_not_activated_without_them(client_for, pharmacist, vrd_draft,
                                                                        line_changes, message):
    """Was: "required outside drafts" on save (an active version was saved through the form). Only
    drafts are saved now, and a draft may be unfinished; activation refuses it, naming the field."""
    author = client_for(protocol_author())
    data = change_data(vrd_draft, line_changes=line_changes, change_reason="work in progress")
    assert author.post(change_url(vrd_draft), data).status_code == 302
    checker = client_for(pharmacist)
    page = checker.get(reverse("admin:regimens_protocol_activate", args=[vrd_draft.pk]))
    response = checker.post(reverse("admin:regimens_protocol_activate", args=[vrd_draft.pk]),
                            {**page.context["form"].initial, "password": PASSWORD})
    text = response.content.decode()
    assert "cannot be activated" in text and message in text
    assert Protocol.objects.get(pk=vrd_draft.pk).status == "draft"


def test_admin_refuses_an_incomplete_rule(client_for, pharmacist, vrd_draft):
    data = change_data(vrd_draft, change_reason="test", **{"dose_rules-0-threshold": ""})
    response = client_for(pharmacist).post(change_url(vrd_draft), data)
    assert response.status_code == 200
    assert "a renal rule needs comparison and threshold" in response.content.decode()


def test_admin_refuses_an_undefined_boundary_without_interpretation(client_for, pharmacist, vrd_draft):
    data = change_data(vrd_draft, change_reason="test", **{"dose_rules-0-boundary_interpretation": ""})
    response = client_for(pharmacist).post(change_url(vrd_draft), data)
    assert "an undefined boundary needs the interpretation used" in response.content.decode()


def test_admin_add_creates_a_draft(client_for, pharmacist):
    data = {"code": "T-new", "name": "New", "setting": "relapse", "source_document": "myeloma",
            "source_section": "Behandling", "authored_by": "farm_lie", "review_date": "2027-01-01",
            "ambiguities": "[]", "cycle_length_days": 28, "until_progression": "on"}
    for prefix in ("phases", "drug_lines", "dose_rules"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    response = client_for(pharmacist).post(reverse("admin:regimens_protocol_add"), data)
    assert response.status_code == 302
    new = Protocol.objects.get(code="T-new")
    assert (new.status, new.version, new.edited) == ("draft", 1, True)


def _activate(client, protocol):
    """The activation page, as the checker uses it: open it, confirm with the password."""
    activate_url = reverse("admin:regimens_protocol_activate", args=[protocol.pk])
    page = client.get(activate_url)
    if page.status_code != 200:
        return page
    return client.post(activate_url, {**page.context["form"].initial, "password": PASSWORD}, follow=True)


def test_admin_pharmacist_activates_and_the_old_version_retires(client_for, pharmacist, vrd, vrd_draft):
    response = _activate(client_for(pharmacist), vrd_draft)
    assert "activated, checked by Per Lie" in response.content.decode()
    vrd_draft.refresh_from_db()
    vrd.refresh_from_db()
    assert (vrd_draft.status, vrd_draft.activated_by, vrd.status) == ("active", pharmacist, "retired")
    assert vrd_draft.activated_at is not None and vrd_draft.checked_by == "Per Lie"


def test_admin_incomplete_draft_cannot_be_activated(client_for, pharmacist, draft):
    author = client_for(protocol_author())
    assert author.post(change_url(draft), change_data(draft, change_reason="start")).status_code == 302
    response = _activate(client_for(pharmacist), draft)
    assert "cannot be activated" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_admin_staff_without_activate_permission_cannot_activate(client_for, django_user_model, vrd_draft):
    clerk = django_user_model.objects.create_user(username="clerk", password=PASSWORD, is_staff=True)
    clerk.user_permissions.set(Permission.objects.filter(content_type__app_label="regimens"))
    client = client_for(clerk)
    page = client.get(change_url(vrd_draft))
    assert page.status_code == 200
    assert reverse("admin:regimens_protocol_activate", args=[vrd_draft.pk]).encode() not in page.content
    assert _activate(client, vrd_draft).status_code == 403
    vrd_draft.refresh_from_db()
    assert vrd_draft.status == "draft"


def test_admin_preview_for_the_sample_patient(client_for, pharmacist, vrd):
    page = client_for(pharmacist).get(reverse("admin:regimens_protocol_preview", args=[vrd.pk]))
    text = page.content.decode()
    # bortezomib 1.3 mg/m2 x 2.00 m2 (80 kg, 180 cm) = 2.6 mg
    assert page.status_code == 200 and "1.3 mg/m2 x 2.00 m2" in text and "2.6 mg" in text


def test_admin_preview_of_an_incomplete_draft_says_why(client_for, pharmacist, draft):
    """Was: "a pharmacist must complete and activate" (the preview refused every draft). Issue 10:
    the preview works on drafts; an incomplete one names what is missing."""
    page = client_for(pharmacist).get(reverse("admin:regimens_protocol_preview", args=[draft.pk]))
    text = page.content.decode()
    assert "Not complete yet" in text and "isatuximab" in text


def test_admin_sets_the_side_of_an_undefined_boundary(client_for, pharmacist, vrd, vrd_draft):
    """The renal rule of T-VRd (boundary undefined) edited, in a draft, to give the rule's dose at exactly
    the threshold."""
    data = change_data(vrd_draft, change_reason="second reading", **{"dose_rules-0-at_boundary": "rule"})
    response = client_for(pharmacist).post(change_url(vrd_draft), data)
    assert response.status_code == 302
    draft = Protocol.objects.get(code="T-VRd", version=2)
    (rule,) = draft.to_schema().drugs[1].rules
    assert rule.at_boundary == "rule"
    assert vrd.dose_rules.get().at_boundary == "standard"  # the active version is unchanged


def test_admin_refuses_a_boundary_side_on_a_defined_boundary(client_for, pharmacist, vrd_draft):
    data = change_data(vrd_draft, change_reason="test", **{"dose_rules-0-at_boundary": "rule",
                                                           "dose_rules-0-boundary_undefined": ""})
    response = client_for(pharmacist).post(change_url(vrd_draft), data)
    assert response.status_code == 200
    assert "at_boundary: rule is only for a boundary the guideline leaves undefined" in response.content.decode()
    rule = vrd_draft.dose_rules.get()
    assert (rule.at_boundary, rule.boundary_undefined) == ("standard", True)


@pytest.mark.hazard("HAZ-056")
@pytest.mark.parametrize("separator", [",", "."], ids=["comma", "point"])
def test_admin_reads_a_dose_and_a_step_with_either_separator(client_for, pharmacist, vrd_draft, separator):
    changes = {"bortezomib": {"dose": f"1{separator}4", "rounding_step": f"0{separator}5"}}
    data = change_data(vrd_draft, line_changes=changes, change_reason="dose typed with a comma")
    response = client_for(pharmacist).post(change_url(vrd_draft), data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302, response.content.decode()[:2000]
    line = vrd_draft.drug_lines.get(drug="bortezomib")
    assert (line.dose, line.rounding_step) == (1.4, 0.5)  # never 14 or 5


@pytest.mark.hazard("HAZ-057")
def test_admin_refuses_an_ambiguous_dose_naming_the_field(client_for, pharmacist, vrd_draft):
    data = change_data(vrd_draft, line_changes={"bortezomib": {"dose": "1,300"}}, change_reason="ambiguous")
    response = in_norwegian(client_for(pharmacist)).post(change_url(vrd_draft), data)
    assert response.status_code == 200
    assert "«1,300» kan leses på to måter" in response.content.decode()
    assert vrd_draft.drug_lines.get(drug="bortezomib").dose == 1.3


def test_admin_number_inputs_are_text_in_the_readers_separator(client_for, pharmacist, vrd_draft):
    page = in_norwegian(client_for(pharmacist)).get(change_url(vrd_draft)).content.decode()
    line = vrd_draft.drug_lines.get(drug="bortezomib")
    index = list(vrd_draft.drug_lines.all()).index(line)
    field = re.search(rf'<input[^>]*name="drug_lines-{index}-dose"[^>]*>', page).group(0)
    assert 'type="text"' in field and 'inputmode="decimal"' in field and 'value="1,3"' in field
    assert 'type="number"' not in page


def test_admin_names_who_checked_and_activated_each_version_and_the_library_for_the_shipped_files(
        client_for, pharmacist, second_pharmacist, vrd):
    """No bare dash: a version the loader activated names the library file it came from (docs/adr/0007), a
    version a pharmacist activated names the pharmacist (by name, not user name)."""
    from tests.regimens.factories import activate
    from tests.regimens.review_helpers import draft_of

    activate(draft_of(vrd, second_pharmacist, bortezomib={"dose": 1.0}), pharmacist)
    client = in_norwegian(client_for(pharmacist))
    listing = client.get(reverse("admin:regimens_protocol_changelist")).content.decode()
    assert '<td class="field-checked_by_listed">protokollbibliotek</td>' in listing
    assert pharmacist.get_full_name() in listing and pharmacist.get_full_name() != pharmacist.get_username()
    seed = Protocol.objects.get(code="VRd-induction", status="active")
    page = client.get(change_url(seed)).content.decode()
    assert page.count("protokollbiblioteket (VRd-induction.yaml), gjennomgått i kodelageret") == 2  # checked, activated


def test_admin_says_correct_the_error_below_in_bokmal(client_for, pharmacist, vrd_draft):
    """Django's catalogue has the heading as two singular texts, its template asks for a plural."""
    data = change_data(vrd_draft, line_changes={"bortezomib": {"dose": "0"}}, change_reason="test")
    page = in_norwegian(client_for(pharmacist)).post(change_url(vrd_draft), data).content.decode()
    assert "Rett feilen nedenfor." in page or "Rett feilene nedenfor." in page
    assert "Please correct the" not in page


def test_admin_preview_of_a_regimen_until_progression_shows_each_pattern_of_its_days(client_for, pharmacist):
    """Isa-Kd («Andrelinjebehandling», «Gjentas til progresjon»): isatuximab «Syklus 1: Dag 1, 8, 15, 22 /
    Syklus 2 og videre: Dag 1, 15»; the preview shows cycle 2 as well, each dose once with its days."""
    isa_kd = Protocol.objects.get(code="Isa-Kd", status="active")
    page = in_norwegian(client_for(pharmacist)).get(reverse("admin:regimens_protocol_preview", args=[isa_kd.pk]))
    html = page.content.decode()
    assert "viste sykluser: 2" in html
    row = re.search(r'data-testid="preview-dose" data-drug="isatuximab">(.*?)</tr>', html, flags=re.S).group(1)
    assert "syklus 1, dag 1, 8, 15, 22<br>syklus 2, dag 1, 15" in row


def test_admin_history_writes_the_apps_reasons_in_the_readers_language(client_for, pharmacist, vrd):
    from regimens.actions import create_draft_from

    draft = create_draft_from(protocol=vrd, by=protocol_author(), reason="skrivefeil i navnet")
    page = in_norwegian(client_for(pharmacist)).get(
        reverse("admin:regimens_protocol_history", args=[draft.pk])).content.decode()
    assert "nytt utkast fra versjon 1: skrivefeil i navnet" in page and "new draft from version" not in page


def test_admin_a_schedule_error_is_norwegian_and_names_the_drug_as_the_library_does(client_for, pharmacist,
                                                                                     vrd_draft):
    client = in_norwegian(client_for(pharmacist))
    data = change_data(vrd_draft, line_changes={"lenalidomide": {"schedule": "D1-99x"}})
    page = client.post(change_url(vrd_draft), data).content.decode()
    assert "lenalidomid: «D1-99x» er ikke en doseringsblokk; skriv f.eks." in page
    assert "is not a schedule block" not in page
    assert Protocol.objects.get(pk=vrd_draft.pk).drug_lines.get(drug="lenalidomide").schedule != "D1-99x"
    page = client.post(change_url(vrd_draft), change_data(
        vrd_draft, line_changes={"lenalidomide": {"rounding_step": "-5"}})).content.decode()
    assert "lenalidomid: Avrundingstrinn (i dosens enhet) må være større enn 0." in page  # names the field


def test_admin_a_missing_cycle_length_is_asked_for_once_at_its_field(client_for, pharmacist, vrd_draft):
    page = in_norwegian(client_for(pharmacist)).post(change_url(vrd_draft), change_data(
        vrd_draft, cycle_length_days="")).content.decode()
    wanted = "Oppgi sykluslengden: bortezomib, lenalidomid, deksametason gis på dager i en syklus."
    assert page.count(wanted) == 1 and "protokollen har ingen sykluslengde" not in page
    field = page[page.index('name="cycle_length_days"') - 2000:page.index('name="cycle_length_days"')]
    assert wanted in field or wanted in page[page.index('name="cycle_length_days"'):][:2000]
    assert Protocol.objects.get(pk=vrd_draft.pk).cycle_length_days == vrd_draft.cycle_length_days
