"""The assessment page: presenter on the clinical test patients per diagnosis
(tests/patients/factories.py), every missing fact a link to the form that records it, and the view
(anonymous, wrong role, invalid date, success, htmx).

Expected diagnosis codes, tiers and first options come from the guideline text quoted in each
case's id/comment (Handlingsprogram for myelomatose; POEMS-retningslinjen), not from the engine."""

import datetime
import pathlib
import re

import pytest
from django.urls import resolve, reverse
from django.utils import timezone
from django.utils.translation import override

from guidelines import facts as gf
from patients import assessment, forms, labcatalogue
from patients.kinds import RECORD_KINDS
from tests.patients.assessment_helpers import NEW_BONE_LESION, seed
from tests.patients.engine_paths import engine_paths
from tests.patients.factories import PATIENTS, clinical_patient, make_patient
from tests.personas import in_english

HTMX = {"HTTP_HX_REQUEST": "true"}




# A relapse is treated when it is a myeloma-defining progression (Behandling av tilbakefall); the
# relapse patients have no imaging, so the diagnosis would be undecided. These add one new lytic lesion
# (B) and a whole-body MRI, recorded 5 days ago, so the relapse rules can be reached.

CASES = [
    # key, extra records, diagnosis code, workup tier, treatment setting, first-rank regimens
    pytest.param("MGUS", {}, "MGUS", "HIGH_RISK", "OBSERVE", [],
                 id="MGUS (M < 30 g/L, marrow < 10 %, no MDE); IgG M-komponent >15 g/L → høyrisikoutredning; "
                    "oppfølging, no treatment"),
    pytest.param("SMOLDERING_MYELOMA", {}, "SMOLDERING_MYELOMA", "FULL", "OBSERVE", [],
                 id="Ulmende myelomatose (M ≥ 30 g/L, marrow 10–59 %, no MDE) → fullutredning; no treatment"),
    pytest.param("ACTIVE_MYELOMA transplant-eligible", {}, "ACTIVE_MYELOMA", "FULL", "FIRST_LINE_TRANSPLANT",
                 ["VRd-induction"],
                 id="Behandlingskrevende myelomatose < 70 y → HMAS; «Anbefalt induksjonsregime i Norge er ... VRd»"),
    pytest.param("ACTIVE_MYELOMA non-transplant", {}, "ACTIVE_MYELOMA", "FULL", "FIRST_LINE_NON_TRANSPLANT",
                 ["Dara-VRd", "Isa-VRd"],
                 id="Ikke kandidat for HMAS, 70–80 y → «daratumumab/isatuximab, bortezomib, lenalidomid og "
                    "deksametason»"),
    pytest.param("SOLITARY_PLASMACYTOMA", {}, "SOLITARY_PLASMACYTOMA", "FULL", "SOLITARY_PLASMACYTOMA_RADIOTHERAPY",
                 ["radiotherapy-2Gy-x20"],
                 id="Solitært plasmacytom with clonal marrow → fullutredning; «2 Gy x 20»"),
    pytest.param("PLASMA_CELL_LEUKEMIA", {}, "PLASMA_CELL_LEUKEMIA", "FULL", "PLASMA_CELL_LEUKEMIA",
                 ["Anti-CD38-KRd-PCL"],
                 id="Plasmacelleleukemi (> 5 % plasma cells in blood) → «anti-CD-38 monoklonalt antistoff+KRd»"),
    pytest.param("POEMS", {"imaging": [(5, {"plasmacytoma_count": 1})]}, "POEMS", "FULL", "POEMS_SYSTEMIC",
                 ["Mel-HMAS"],
                 id="POEMS (2 mandatory, major, minor) → the POEMS guideline's Udredning (FULL); marrow involved → "
                    "systemic; < 70 y and fit → HDT with ASCT"),
    pytest.param("RELAPSE_LINE_2 lenalidomide-refractory", {"imaging": NEW_BONE_LESION}, "ACTIVE_MYELOMA", "FULL",
                 "RELAPSE_LINE_2", ["BVd"],
                 id="Andrelinje, refraktær mot lenalidomid, ikke CD38: «1. valg: ... (BVd)»"),
    pytest.param("RELAPSE_LINE_4 triple-class exposed", {"imaging": NEW_BONE_LESION}, "ACTIVE_MYELOMA", "FULL",
                 "RELAPSE_LINE_4", ["teclistamab", "elranatamab"],
                 id="Fjerdelinje after IMiD, PI and CD38 → «Teklistamab eller Elranatamab»"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("key, extra, code, tier, setting, first", CASES)
def test_assessment_presenter_per_diagnosis(key, extra, code, tier, setting, first):
    result = assessment.assess(seed(key, **extra))
    assert result["diagnosis"]["code"] == code
    assert result["workup"]["tier"] == tier
    assert result["treatment"]["setting"] == setting
    assert sorted(result["treatment"]["first"]) == sorted(first)


@pytest.mark.django_db
def test_assessment_options_link_to_regimen_and_new_plan():
    patient = seed("ACTIVE_MYELOMA transplant-eligible")
    options = {o["regimen"]: o for o in assessment.assess(patient)["treatment"]["options"]}
    vrd = options["VRd-induction"]
    assert vrd["detail_url"] == reverse("regimens:detail", args=["VRd-induction"])
    assert vrd["plan_url"] == f"/patients/{patient.pk}/plans/new/?regimen=VRd-induction"
    assert options["Dara-VRd-induction"]["awaiting_reimbursement"] is True
    assert "Pasienter som er kandidater for HMAS" in vrd["citation_text"]


@pytest.mark.django_db
def test_assessment_option_outside_the_regimen_library_has_no_links():
    """Radiotherapy (Strålebehandling) is not a drug regimen of the library: no detail page, no plan."""
    options = assessment.assess(seed("SOLITARY_PLASMACYTOMA"))["treatment"]["options"]
    assert options[0]["regimen"] == "radiotherapy-2Gy-x20"
    assert options[0]["detail_url"] is None and options[0]["plan_url"] is None


@pytest.mark.django_db
def test_assessment_stages_mark_r2_iss_as_outside_the_guideline():
    stages = {s["name"]: s for s in assessment.assess(seed("ACTIVE_MYELOMA transplant-eligible"))["staging"]["stages"]}
    # ISS table: β2m 4.1 mg/L is neither < 3.5 (with albumin ≥ 35) nor ≥ 5.5 → stage II.
    assert stages["ISS"]["stage"] == "II" and stages["ISS"]["in_guideline"]
    assert stages["R-ISS"]["in_guideline"]
    assert stages["R2-ISS"]["in_guideline"] is False


@pytest.mark.django_db
def test_assessment_workup_checklist_shows_what_is_on_record():
    """Fullutredning orders CT, marrow, FISH/TP53 and virology; the test patient has CT (28 days ago),
    marrow (25 days ago) and the full FISH panel; virology is not recorded in MyeloPath."""
    today = timezone.localdate()
    checklist = {row["text"]: row for row in assessment.assess(seed("ACTIVE_MYELOMA transplant-eligible"))[
        "workup"]["checklist"]}
    from guidelines import workup

    assert checklist[workup.CT]["status"] == "done"
    assert checklist[workup.CT]["recorded"] == [{"path": "imaging.lytic_lesions",
                                                 "date": today - datetime.timedelta(days=28)}]
    assert checklist[workup.MARROW]["status"] == "done"
    assert checklist[workup.FISH]["status"] == "done"
    assert checklist[workup.VIROLOGY]["status"] == "not_recordable"
    blood = checklist[workup.BLOOD_AND_URINE]
    assert blood["status"] == "partial"  # no blood smear (circulating plasma cells) on record
    assert [row["path"] for row in blood["open"]] == ["labs.circulating_plasma_cells_pct"]
    # issue 12 item 7: a missing lab opens the lab panel, which returns to the assessment
    url = blood["open"][0]["form"]["url"]
    assert "/labs/panel/?analyte=circulating_plasma_cells&next=%2Fpatients%2F" in url
    assert url.endswith("%2Fassessment%2F")


@pytest.mark.django_db
def test_assessment_facts_used_carry_their_dates():
    today = timezone.localdate()
    with override("en"):  # in bokmål «18,2» (tests/patients/test_numbers_on_pages.py)
        rows = {r["path"]: r for r in assessment.assess(seed("MGUS"))["facts_used"]}
    assert rows["labs.serum_m_protein_g_l"]["value"] == "18.2"
    assert rows["labs.serum_m_protein_g_l"]["date"] == today - datetime.timedelta(days=30)
    assert rows["marrow.clonal_plasma_cells_pct"]["date"] == today - datetime.timedelta(days=690)
    assert rows["weight_kg"]["value"] == "67.5"  # the latest weight, 20 days ago
    assert rows["weight_kg"]["date"] == today - datetime.timedelta(days=20)
    assert rows["labs.calcium_upper_limit_mmol_l"]["note"] == "catalogue default reference limit"


@pytest.mark.django_db
def test_assessment_lists_ambiguities_and_citations():
    result = assessment.assess(seed("ACTIVE_MYELOMA transplant-eligible"))
    assert any("Verken I eller II" in a["source_text"] or "neither" in a["interpretation"]
               for a in result["ambiguities"])
    assert all(a["source_text"] and a["interpretation"] and a["citation_text"] for a in result["ambiguities"])
    sections = {c["section"] for c in result["citations"]}
    assert "Nivåer og rekkefølge på utredning" in sections
    documents = {c["document_name"].split(" ")[0] for c in result["citations"]}
    assert documents <= {"Handlingsprogram", "Klinisk"}


@pytest.mark.django_db
def test_assessment_missing_facts_link_to_their_forms():
    """MGUS test patient: no MRI, no 24 h urine → each a link to its form. Staging (β2m, LD, FISH) is that
    of myeloma: missing for the third-line relapse patient (no β2m, LD or FISH on record), not for the MGUS."""
    patient = seed("MGUS")
    rows = {r["path"]: r for r in assessment.assess(patient)["missing"]}
    record = f"/patients/{patient.pk}/record/"
    # issue 12 item 7: a missing lab opens the lab panel, which returns to the assessment
    panel, back = f"/patients/{patient.pk}/labs/panel/", f"&next=%2Fpatients%2F{patient.pk}%2Fassessment%2F"
    assert rows["imaging.mri_focal_lesions"]["form"]["url"] == record + "imaging/"
    assert rows["labs.urine_m_protein_mg_24h"]["form"]["url"] == panel + "?analyte=urine_m_protein" + back
    assert all(r["link"] for r in rows.values())
    assert not {"labs.beta2m_mg_l", "labs.ldh_upper_limit_u_l", "cytogenetics.del17p"} & set(rows)

    patient = seed("RELAPSE_LINE_3 after Isa-Kd", imaging=NEW_BONE_LESION)
    rows = {r["path"]: r for r in assessment.assess(patient)["missing"]}
    panel, back = f"/patients/{patient.pk}/labs/panel/", f"&next=%2Fpatients%2F{patient.pk}%2Fassessment%2F"
    record = f"/patients/{patient.pk}/record/"
    assert rows["labs.beta2m_mg_l"]["form"]["url"] == panel + "?analyte=beta2m" + back
    assert rows["labs.ldh_upper_limit_u_l"]["form"]["url"] == panel + "?analyte=ldh" + back
    assert rows["cytogenetics.del17p"]["form"]["url"] == record + "cytogenetics/"
    assert all(r["link"] for r in rows.values())


@pytest.mark.django_db
def test_assessment_missing_treatment_line_fact_opens_that_line():
    """Behandling av tilbakefall needs, per earlier line, the drugs and refractoriness; a gap in line 1
    opens the correction form of that very line."""
    patient = seed("RELAPSE_LINE_2 lenalidomide-refractory")
    line_pk = patient.treatmentline_set.get().pk
    form = assessment.form_for_path("treatment_history[0].refractory_to", patient_pk=patient.pk, line_pks=[line_pk])
    assert form["url"] == reverse("patients:treatment_line_edit", args=[patient.pk, line_pk])


# --- every path the engine can emit maps to a form ----------------------------------------------





LITERAL_PATH = re.compile(
    r"""["'](?:missing: )?((?:labs|marrow|imaging|cytogenetics|poems)\.[a-z0-9_]+|weight_kg|height_cm|frailty|"""
    r"""transplant_contraindication|symptoms|sex|igg_g_l|reinfusion_date)["']|"""
    r"""f["']treatment_history\[\{index\}\]\.([a-z_]+)["']|lack\(["']([a-z_.0-9]+)["']\)"""
)


def paths_in_engine_source():
    """Path literals written in guidelines/*.py (missing lists, lack(), supportive 'missing: ...')."""
    found = set()
    for source in pathlib.Path(gf.__file__).parent.glob("*.py"):
        for m in LITERAL_PATH.finditer(source.read_text()):
            if m.group(1):
                found.add(m.group(1))
            elif m.group(2):
                found.add(f"treatment_history[0].{m.group(2)}")
            else:
                found.add(m.group(3))
    return found


def test_engine_source_paths_are_all_enumerated():
    assert paths_in_engine_source() - set(engine_paths()) == set()
    assert len(paths_in_engine_source()) > 30  # the regex found the engine's paths


FORM_FIELD = {"lab": "analyte"}


# Every extra input of the evaluate API is now recorded: current_treatment.mrd_negative_months on the treatment
# line (migration 0018, issue 13 item 7), the POEMS foci count on the imaging record (migration 0020).
# v1.1 facts the record derives from another record's field (patients/facts.py): the date of the FISH/TP53
# results, whether the latest line has ended.
DERIVED_FROM = {"car_t.fish_tp53_date": "date", "current_treatment.phase": "end_date"}


@pytest.mark.parametrize("path", engine_paths())
def test_every_engine_path_maps_to_a_form(path):
    form = assessment.form_for_path(path, patient_pk=7, line_pks=[11])
    assert form is not None, path
    match = resolve(form["url"].split("?")[0])
    if form["kind"] == "patient":
        assert match.url_name == "overview"  # age and sex come from the national identity number
        return
    if form["kind"] == "treatment-line-edit":
        assert match.url_name == "treatment_line_edit" and match.kwargs["line_pk"] == 11
        form_class = forms.TreatmentLineUpdateForm
    elif form["kind"] == "lab":  # issue 12 item 7: the lab panel, whose rows are the lab form's analytes
        assert match.url_name == "lab_panel"
        form_class = RECORD_KINDS["lab"][0]
    else:
        assert match.url_name == "record" and match.kwargs["kind"] == form["kind"]
        form_class = RECORD_KINDS[form["kind"]][0]
    leaf = DERIVED_FROM.get(path, re.sub(r"^.*\.", "", path))
    if form["kind"] == "lab":
        if path != "labs":
            assert form["analyte"] in labcatalogue.ANALYTES
            assert form["analyte"] in dict(form_class.base_fields["analyte"].choices)
    elif form["kind"] in ("treatment-line", "treatment-line-edit") and "." not in path:
        assert "line" in form_class.base_fields
    elif path == "reinfusion_date":
        assert "transplant_date" in form_class.base_fields
    elif "." in path or path in ("weight_kg", "height_cm", "frailty", "transplant_contraindication", "symptoms"):
        # the form has the very field (treatment lines: best_response etc.; line: the line number)
        assert leaf in form_class.base_fields, (path, form_class)


def test_lab_paths_map_to_the_analyte_that_supplies_them():
    cases = {
        "labs.beta2m_mg_l": "beta2m", "labs.hemoglobin_lower_limit_g_dl": "hemoglobin",
        "labs.calcium_upper_limit_mmol_l": "calcium", "labs.egfr_ml_min": "creatinine",
        "labs.m_protein_isotype": "m_protein", "labs.vegf_ng_l": "vegf",
    }
    for path, analyte in cases.items():
        assert assessment.form_for_path(path, patient_pk=1)["analyte"] == analyte, path


def test_unknown_path_maps_to_no_form():
    assert assessment.form_for_path("current.serum_ife_negative", patient_pk=1) is None
    assert assessment.form_for_path("labs.no_such_field", patient_pk=1) is None


def test_missing_links_respect_the_users_record_rights():
    rows = assessment.missing_links(["frailty", "labs.albumin_g_l", "sex"], patient_pk=1,
                                    allowed_kinds={"lab"})
    assert [r["link"] for r in rows] == [False, True, True]


# --- the view ----------------------------------------------------------------------------------

@pytest.fixture
def mgus(db):
    return seed("MGUS")


def url(patient, **query):
    base = reverse("patients:assessment", args=[patient.pk])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_patient_assessment_anonymous_redirects_to_login(client, mgus):
    response = client.get(url(mgus))
    assert response.status_code == 302 and "login" in response["Location"]


def test_patient_assessment_without_view_right_is_forbidden(client_for, no_rights_user, mgus):
    assert client_for(no_rights_user).get(url(mgus)).status_code == 403


def test_patient_assessment_names_the_codes_in_norwegian(client_for, physician, mgus):
    # The guideline's own names: «MGUS», «høyrisikoutredning»; the code stays beside the name.
    text = client_for(physician).get(url(mgus), HTTP_ACCEPT_LANGUAGE="nb").text
    assert 'Diagnose: MGUS <code class="small" data-testid="diagnosis-code">MGUS</code>' in text
    assert 'Høyrisikoutredning <code class="small" data-testid="workup-tier">HIGH_RISK</code>' in text
    assert 'Observasjon og oppfølging <code class="small" data-testid="treatment-setting">OBSERVE</code>' in text


def test_patient_assessment_unknown_patient_is_404(client_for, physician, db):
    assert client_for(physician).get(reverse("patients:assessment", args=[999999])).status_code == 404


def test_patient_assessment_shows_the_assessment(client_for, physician, mgus):
    response = in_english(client_for(physician)).get(url(mgus))
    assert response.status_code == 200
    text = response.text
    assert "<html" in text
    assert 'data-testid="diagnosis-code">MGUS<' in text
    assert 'data-testid="workup-tier">HIGH_RISK<' in text
    assert 'data-testid="r2-iss-note"' in text
    links = re.findall(r'<a href="([^"]+)" data-testid="missing-link" data-path="([^"]+)"', text)
    by_path = dict((p, u) for u, p in links)
    assert by_path["labs.beta2m_mg_l"] == (f"/patients/{mgus.pk}/labs/panel/?analyte=beta2m"  # issue 12 item 7
                                           f"&amp;next=%2Fpatients%2F{mgus.pk}%2Fassessment%2F")
    assert 'data-testid="missing-nolink"' not in text  # a physician may record every fact
    assert "Guideline assessment" in text


def test_patient_assessment_nurse_sees_clinical_facts_without_link(client_for, nurse, physician, db):
    """Clinical status is the physician's assessment (patients/kinds.py): without any clinical status a
    transplant-age patient lacks «transplant_contraindication» (Førstegangsbehandling); the nurse sees the
    missing fact but no link to a form she may not open, the physician gets the link."""
    spec = clinical_patient("ACTIVE_MYELOMA transplant-eligible")
    spec["status"] = []
    patient = make_patient(spec, today=timezone.localdate())
    response = in_english(client_for(nurse)).get(url(patient))
    assert response.status_code == 200
    assert 'data-testid="missing-nolink" data-path="transplant_contraindication"' in response.text
    response = in_english(client_for(physician)).get(url(patient))
    assert (f'href="/patients/{patient.pk}/record/clinical-status/" data-testid="missing-link" '
            'data-path="transplant_contraindication"') in response.text


def test_patient_assessment_htmx_returns_fragment(client_for, physician, mgus):
    response = in_english(client_for(physician)).get(url(mgus), **HTMX)
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'id="assessment"' in response.text
    assert "HX-Request" in response["Vary"]


def test_patient_assessment_as_of_a_past_date(client_for, physician, mgus):
    """As of 500 days ago only the records of 700 and 690 days ago count: M 17.5 g/L."""
    day = (timezone.localdate() - datetime.timedelta(days=500)).isoformat()
    response = in_english(client_for(physician)).get(url(mgus, as_of=day), **HTMX)
    assert response.status_code == 200
    assert '<td>17.5</td>' in response.text and '<td>18.2</td>' not in response.text


def test_patient_assessment_future_date_is_refused(client_for, physician, mgus):
    day = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    response = in_english(client_for(physician)).get(url(mgus, as_of=day))
    assert response.status_code == 200
    assert 'data-testid="date-errors"' in response.text
    assert '<td>18.2</td>' in response.text  # today's assessment instead


def test_patient_overview_links_to_assessment_and_responses(client_for, physician, mgus):
    text = client_for(physician).get(reverse("patients:overview", args=[mgus.pk])).text
    assert reverse("patients:assessment", args=[mgus.pk]) in text
    assert reverse("patients:responses", args=[mgus.pk]) in text


def test_record_form_preselects_the_analyte_from_the_link(client_for, physician, mgus):
    response = client_for(physician).get(reverse("patients:record", args=[mgus.pk, "lab"]) + "?analyte=beta2m")
    assert re.search(r'<option value="beta2m"[^>]*selected', response.text)


# The diagnosis each test patient meets (the criteria in tests/patients/factories.py): a relapse after
# treatment with progression recorded on the latest line is «behandlingskrevende» (Behandling av
# tilbakefall), so every relapse patient is active myeloma.
DIAGNOSIS = {
    "MGUS": "MGUS", "SMOLDERING_MYELOMA": "SMOLDERING_MYELOMA",
    "ACTIVE_MYELOMA transplant-eligible": "ACTIVE_MYELOMA", "ACTIVE_MYELOMA non-transplant": "ACTIVE_MYELOMA",
    "SOLITARY_PLASMACYTOMA": "SOLITARY_PLASMACYTOMA", "PLASMA_CELL_LEUKEMIA": "PLASMA_CELL_LEUKEMIA",
    "POEMS": "POEMS", "RELAPSE_LINE_2 lenalidomide-refractory": "ACTIVE_MYELOMA",
    "RELAPSE_LINE_3 after Isa-Kd": "ACTIVE_MYELOMA", "RELAPSE_LINE_4 triple-class exposed": "ACTIVE_MYELOMA",
    "RELAPSE_LINE_5_PLUS t(11;14)": "ACTIVE_MYELOMA",
}


def test_every_test_patient_has_its_expected_diagnosis():
    assert set(DIAGNOSIS) == set(PATIENTS)


@pytest.mark.parametrize("key", list(PATIENTS))
def test_patient_assessment_renders_every_demo_patient(client_for, physician, key):
    patient = seed(key)
    response = in_english(client_for(physician)).get(url(patient))
    assert response.status_code == 200
    code = re.search(r'data-testid="diagnosis-code">([A-Z_]+)<', response.text).group(1)
    assert code == DIAGNOSIS[key]
    # every missing fact of the summary is a link (the physician may record everything)
    summary = response.text.split('data-testid="missing"', 1)[-1].split("</section>", 1)[0]
    assert 'data-testid="missing-nolink"' not in summary


@pytest.mark.django_db
def test_a_reference_limit_from_the_catalogue_says_so_in_bokmal():
    with override("nb"):
        rows = {r["path"]: r for r in assessment.assess(seed("MGUS"))["facts_used"]}
    assert rows["labs.calcium_upper_limit_mmol_l"]["note_text"] == "standard referansegrense fra katalogen"


def test_the_workup_names_the_diagnosis_in_bokmal_not_by_its_code(client_for, physician):
    """«Hvilke pasienter» of fullutredning: smouldering myeloma; the reason reads the diagnosis as the page names
    it, not as the code SMOLDERING_MYELOMA."""
    text = client_for(physician).get(url(seed("SMOLDERING_MYELOMA")), HTTP_ACCEPT_LANGUAGE="nb").text
    assert "fullutredning: diagnose ulmende myelomatose" in text
    assert "diagnose SMOLDERING_MYELOMA" not in text
