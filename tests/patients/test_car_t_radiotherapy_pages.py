"""Issue 13 items 5 and 6 on the pages: the skeletal and emergency findings and the organ function for CAR-T as
dated records, read into the engine's facts, and the assessment page's CAR-T criteria and radiotherapy and
surgery indications, in bokmål. Expected values come from the guideline text quoted in each test."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from guidelines.facts import Phase
from patients import actions, models
from patients.facts import facts_for
from tests.patients.factories import clinical_patient, make_patient

RELAPSE = "RELAPSE_LINE_2 lenalidomide-refractory"


def today():
    return timezone.localdate()


def record_url(patient, kind):
    return reverse("patients:record", args=[patient.pk, kind])


def page(client, patient):
    response = client.get(reverse("patients:assessment", args=[patient.pk]))
    assert response.status_code == 200
    return response.content.decode()


# --- recording the findings ------------------------------------------------------------------------

def test_record_skeletal_anonymous_is_sent_to_login(client, patient):
    response = client.get(record_url(patient, "skeletal"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_record_skeletal_nurse_may_not(client_for, nurse, patient):
    # a physician's judgement, like the clinical status (patients/kinds.py)
    assert client_for(nurse).get(record_url(patient, "skeletal")).status_code == 403


def test_record_skeletal_nothing_entered_is_refused(client_for, physician, patient):
    response = client_for(physician).post(record_url(patient, "skeletal"), {"date": today().isoformat()})
    assert response.status_code == 200 and not models.SkeletalFindings.objects.exists()
    assert "Fyll inn minst ett funn." in response.content.decode()


def test_record_skeletal_success(client_for, physician, patient):
    response = client_for(physician).post(record_url(patient, "skeletal"), {
        "date": today().isoformat(), "spinal_cord_compression": "true"})
    assert response.status_code == 302
    finding = models.SkeletalFindings.objects.get()
    assert finding.spinal_cord_compression is True and finding.painful_lesion is None


def test_record_organ_function_nurse_may(client_for, nurse, patient):
    response = client_for(nurse).post(record_url(patient, "organ-function"), {
        "date": today().isoformat(), "lvef_pct": "55,5", "spo2_room_air_pct": "96", "liver_cirrhosis": "false"})
    assert response.status_code == 302
    row = models.OrganFunction.objects.get()
    assert (str(row.lvef_pct), row.liver_cirrhosis, row.serious_comorbidity) == ("55.5", False, None)


@pytest.mark.parametrize(("field", "value"), [
    pytest.param("lvef_pct", "101", id="LVEF-over-100"),
    pytest.param("spo2_room_air_pct", "49", id="SpO2-under-50"),
])
def test_record_organ_function_out_of_range_names_the_field(client_for, physician, patient, field, value):
    response = client_for(physician).post(record_url(patient, "organ-function"), {
        "date": today().isoformat(), field: value})
    assert response.status_code == 200 and not models.OrganFunction.objects.exists()
    assert field in response.context["form"].errors


# --- the record as the engine's facts ---------------------------------------------------------------

def test_facts_read_the_findings_the_organ_function_and_the_oldest_fish_date(physician):
    spec = clinical_patient(RELAPSE, skeletal=[(3, {"painful_lesion": True, "spinal_cord_compression": False})],
                            organ_function=[(5, {"lvef_pct": "45", "spo2_room_air_pct": "95"})],
                            cytogenetics=[(20, {"tp53_mutation": False})],
                            imaging=[(9, {"extramedullary_disease": False, "plasmacytoma_size_cm": "3.5"})])
    patient = make_patient(spec, today=today(), by=physician)
    facts, sources = facts_for(patient)
    assert facts.emergency.painful_lesion is True and facts.emergency.spinal_cord_compression is False
    assert facts.emergency.fracture is None  # not assessed stays unknown, never "no"
    assert (facts.car_t.lvef_pct, facts.car_t.spo2_room_air_pct, facts.car_t.liver_cirrhosis) == (45.0, 95.0, None)
    # FISH 1200 days ago, TP53 20 days ago: the high-risk status rests on both, so the older date counts
    assert facts.car_t.fish_tp53_date == today() - datetime.timedelta(days=1200)
    assert sources["car_t.fish_tp53_date"].date == facts.car_t.fish_tp53_date
    assert (facts.imaging.extramedullary_disease, facts.imaging.plasmacytoma_size_cm) == (False, 3.5)


@pytest.mark.hazard("HAZ-103")
@pytest.mark.parametrize(
    ("end", "regimen", "phase"),
    [
        # «i behandlingspause»: the latest line has ended
        pytest.param(30, "Isa-Kd", Phase.OFF_TREATMENT, id="siste-linje-avsluttet-behandlingspause"),
        # «under behandling»
        pytest.param(None, "Isa-Kd", Phase.INDUCTION, id="siste-linje-pågår-under-behandling"),
        pytest.param(None, "R-maintenance", Phase.MAINTENANCE, id="vedlikehold-pågår"),
    ],
)
def test_facts_read_on_treatment_or_a_pause_from_the_latest_line(physician, patient, end, regimen, phase):
    actions.record_treatment_line(by=physician, patient=patient, line=1, regimen=regimen, drugs=["lenalidomide"],
                                  start_date=today() - datetime.timedelta(days=200),
                                  end_date=None if end is None else today() - datetime.timedelta(days=end))
    assert facts_for(patient)[0].current_treatment.phase == phase


# --- the assessment page ------------------------------------------------------------------------------

@pytest.mark.hazard("HAZ-101")
@pytest.mark.hazard("HAZ-104")
def test_spinal_cord_compression_warns_in_the_summary_with_its_date(client_for, physician):
    # «Kompresjon av medulla spinalis … er en medisinsk akuttsituasjon»; «Strålebehandling 3 Gy x10 startes innen
    # 24 timer»; «Dexametason 40 mg x1 startes umiddelbart» (quoted, not engine data)
    spec = clinical_patient("ACTIVE_MYELOMA transplant-eligible",
                            skeletal=[(2, {"spinal_cord_compression": True})])
    patient = make_patient(spec, today=today(), by=physician)
    html = page(client_for(physician), patient)
    assert "Medisinsk akuttsituasjon: truende tverrsnittslesjon" in html
    section = re.search(r'<section[^>]*data-testid="radiotherapy"[^>]*>.*?</section>', html, re.S).group(0)
    assert 'data-indication="spinal_cord_compression"' in section and 'data-urgency="emergency"' in section
    assert "3 Gy × 10" in section and "«Dexametason 40 mg x1 startes umiddelbart»" in section
    day = (today() - datetime.timedelta(days=2)).strftime("%d.%m.%Y")
    assert f"Funnet registrert {day}" in section


@pytest.mark.hazard("HAZ-104")
def test_a_later_finding_without_compression_ends_the_emergency(client_for, physician):
    # each finding counts by its latest record: a compression treated and recorded «no» is no longer an emergency
    spec = clinical_patient("ACTIVE_MYELOMA transplant-eligible",
                            skeletal=[(20, {"spinal_cord_compression": True}), (1, {"spinal_cord_compression": False})])
    patient = make_patient(spec, today=today(), by=physician)
    html = page(client_for(physician), patient)
    assert "Medisinsk akuttsituasjon" not in html and 'data-testid="radiotherapy"' not in html


def test_radiotherapy_indications_on_the_page_in_bokmal(client_for, physician):
    # «enkel fraksjonering 8 Gy x 1»; «Fraktur bør behandles kirurgisk hvis ortopedisk indikasjon»
    spec = clinical_patient("ACTIVE_MYELOMA transplant-eligible",
                            skeletal=[(2, {"painful_lesion": True, "fracture": True})])
    patient = make_patient(spec, today=today(), by=physician)
    html = page(client_for(physician), patient)
    assert re.findall(r'data-testid="radiotherapy" data-indication="(\w+)"', html) == ["painful_lesion", "fracture"]
    assert "8 Gy × 1" in html and "Fraktur: kirurgi hvis ortopedisk indikasjon" in html
    # the fracture not known to be operated: asked for, named as the form names it
    assert 'data-path="emergency.postoperative"' in html and "Etter frakturkirurgi" in html


@pytest.mark.hazard("HAZ-100")
def test_car_t_criteria_with_reasons_and_missing_facts_in_bokmal(client_for, physician):
    patient = make_patient(clinical_patient(RELAPSE), today=today(), by=physician)
    html = page(client_for(physician), patient)
    block = re.search(r'<section[^>]*data-testid="car-t".*?</section>', html, re.S).group(0)
    assert 'data-verdict="UNDETERMINED"' in block
    assert re.findall(r'data-criterion="(\w+)"', block) == [
        "extramedullary", "earlier_bcma", "high_risk", "indication", "blood_smear", "egfr", "lvef", "spo2",
        "cirrhosis", "comorbidity", "non_bcma_t_cell_engager"]
    assert "Ingen BCMA-rettet behandling i sykehistorien." in block
    # each missing fact named as the ward reads it, linked to the form that records it
    assert re.search(r'data-path="car_t\.lvef_pct" data-kind="organ-function">LVEF \(%\)</a>', block)
    assert "Oksygenmetning på romluft (%)" in block and "Levercirrhose" in block
    assert 'data-path="imaging.extramedullary_disease"' in block
    assert "car_t.lvef_pct" not in re.sub(r'data-path="[^"]*"', "", block)  # no internal key shown


@pytest.mark.hazard("HAZ-100")
def test_car_t_prioritised_when_the_record_holds_every_criterion(client_for, physician):
    # «Pasienter som prioriteres til CAR-T vil være de som ikke har kjent ekstramedullær sykdom, ikke har prøvd
    # BCMA-rettet behandling, og ikke har cytogenetisk høyrisikosykdom» — and the organ function of
    # «Komorbiditet og organfunksjon», with a FISH/TP53 after the last relapse
    spec = clinical_patient(
        RELAPSE, imaging=[(9, {"extramedullary_disease": False})],
        cytogenetics=[(5, {"del17p": False, "tp53_mutation": False, "t4_14": False, "t14_16": False,
                           "t14_20": False, "t11_14": False, "gain1q": False, "del1p32": "none"})],
        organ_function=[(5, {"lvef_pct": "55", "spo2_room_air_pct": "97", "liver_cirrhosis": False,
                             "serious_comorbidity": False, "al_amyloidosis": False})])
    spec["cytogenetics"] = spec["cytogenetics"][1:]  # only the analysis after the relapse
    spec["labs"]["circulating_plasma_cells"] = [(7, "0")]
    spec["lines"][0]["progression"] = 60
    patient = make_patient(spec, today=today(), by=physician)
    html = page(client_for(physician), patient)
    assert 'data-testid="car-t" data-verdict="PRIORITISED"' in html
    assert "Prioritert for CAR-T" in html
