"""The assessment page's supportive care follows the treatment (issue 13 item 3): each item shows its category,
and a measure the guideline dates from an event shows its due date as dd.mm.åååå (core.formatting).

Handlingsprogram, «Infeksjonsforebyggende behandling», «Særlig anbefaling for HMAS»: «Revaksinasjon med 3 doser
PKV20 (Apexxnar/Prevenar20) 3, 4 og 5 måneder etter reinfusjon»; valaciklovir «HMAS: Til 3 måneder etter
reinfusjon». Reinfusion 20.02.2026 → 20.05.2026, 20.06.2026, 20.07.2026 (counted by hand)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from patients import actions
from tests.patients.factories import clinical_patient, make_patient

VRD = ["bortezomib", "lenalidomide", "dexamethasone"]


def remission_after_hmas(physician):
    """Today's labs read as MGUS by the table (M-component 18.2 g/L, 6 % plasma cells); VRd + HMAS with
    reinfusion 20.02.2026, CR, no progression recorded, on lenalidomide maintenance."""
    patient = make_patient(clinical_patient("MGUS"), today=timezone.localdate(), by=physician)
    actions.record_treatment_line(by=physician, patient=patient, line=1, regimen="VRd-induction + Mel-HMAS + "
                                  "R-maintenance", drugs=[*VRD, "melphalan"], start_date=datetime.date(2025, 9, 1),
                                  best_response="CR", autologous_transplant=True,
                                  transplant_date=datetime.date(2026, 2, 20))
    return patient


def supportive_section(client, patient):
    response = client.get(reverse("patients:assessment", args=[patient.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    return re.search(r'<ul[^>]*data-testid="supportive-care"[^>]*>.*?</ul>', html, re.S).group(0)


def items(section):
    return re.findall(r'<li class="list-group-item" data-testid="supportive-item" data-category="(\w+)">(.*?)</li>',
                      section, re.S)


@pytest.mark.hazard("HAZ-115")
@pytest.mark.hazard("HAZ-116")
def test_assessment_remission_after_hmas_shows_category_and_due_dates(client_for, physician):
    patient = remission_after_hmas(physician)
    section = supportive_section(client_for(physician), patient)
    rows = items(section)
    assert rows and {category for category, _ in rows} >= {"bone", "vaccine", "infection", "thrombosis"}
    pcv20 = [body for category, body in rows if category == "vaccine" and "PCV20 (Apexxnar/Prevenar20) —" in body]
    due = [re.search(r'data-testid="supportive-due-date"[^>]*>[^<]*?(\d\d\.\d\d\.\d{4})', body).group(1)
           for body in pcv20]
    assert due == ["20.05.2026", "20.06.2026", "20.07.2026"]
    assert 'data-due-date="2026-05-20"' in section
    valaciclovir = [body for category, body in rows if category == "infection" and "HMAS: valaci" in body
                    and "supportive-due-date" in body]
    assert valaciclovir and "20.05.2026" in valaciclovir[0]


def test_assessment_untreated_mgus_shows_no_due_date(client_for, physician):
    patient = make_patient(clinical_patient("MGUS"), today=timezone.localdate(), by=physician)
    section = supportive_section(client_for(physician), patient)
    assert 'data-testid="supportive-due-date"' not in section
    assert not [c for c, _ in items(section) if c in ("bone", "vaccine")]


def test_assessment_anonymous_is_sent_to_login(client, physician):
    patient = make_patient(clinical_patient("MGUS"), today=timezone.localdate(), by=physician)
    response = client.get(reverse("patients:assessment", args=[patient.pk]))
    assert response.status_code == 302 and "login" in response["Location"]
