"""Supportive care, case by case from Handlingsprogram for myelomatose, chapter "Støttebehandling".

Dates in the HMAS schedule are counted by hand from the reinfusion date (calendar months).
"""

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guidelines.advice import SupportiveItem
from guidelines.facts import DRUGS, Imaging, Labs, PatientFacts
from guidelines.supportive import add_months, hmas_vaccination_schedule, supportive_care
from guidelines.treatment import DIAGNOSIS_CODES, SETTINGS
from tests.guidelines.strategies import patient_facts

MM = "ACTIVE_MYELOMA"


def care(facts=None, *, diagnosis=MM, setting="FIRST_LINE_NON_TRANSPLANT", egfr=80, **kw):
    return supportive_care(facts or PatientFacts(age=72), diagnosis_code=diagnosis, setting=setting,
                           egfr_ml_min=egfr, **kw)


def topic(items, name):
    return [i for i in items if i.topic == name]


def text(items, name=None):
    return " ".join(i.text for i in items if name is None or i.topic == name)


# --- Tromboseprofylakse ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("drugs", "prophylaxis"),
    [
        pytest.param(("lenalidomide", "dexamethasone"), True, id="tromboseprofylakse-lenalidomid"),
        pytest.param(("pomalidomide", "dexamethasone"), True, id="tromboseprofylakse-pomalidomid"),
        pytest.param(("bortezomib", "dexamethasone"), False, id="ingen-tromboseprofylakse-uten-IMiD"),
    ],
)
def test_thrombosis_prophylaxis(drugs, prophylaxis):
    # "Acetylsalicylsyre 75 mg. Hvis pasienten har høy tromboserisiko bør warfarin, DOAC eller lavmolekylært
    # heparin (enoxaparin 40 mg eller ekvivalent) brukes."
    items = topic(care(regimen_drugs=drugs), "thrombosis")
    assert bool(items) is prophylaxis
    if prophylaxis:
        assert "acetylsalicylic acid 75 mg" in items[0].text
        assert all(w in items[0].text for w in ("warfarin", "DOAC", "enoxaparin 40 mg"))
        assert items[0].citation.section == "Tromboseprofylakse"


# --- Bisfosfonater og denosumab -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("egfr", "zoledronate"),
    [
        pytest.param(29, False, id="bisfosfonat-ikke-ved-GFR-29-denosumab"),
        pytest.param(30, True, id="bisfosfonat-GFR-30"),
        pytest.param(31, True, id="bisfosfonat-GFR-31"),
    ],
)
def test_bisphosphonate_gfr_threshold(egfr, zoledronate):
    # "Bisfosfonater anbefales ikke hvis GFR<30 ml/min. Denosumab kan brukes i denne situasjonen"
    bone = text(care(egfr=egfr), "bone")
    assert ("Zoledronate 4 mg iv over 15 min every 4 weeks" in bone) is zoledronate
    assert ("Denosumab can be used" in bone) is not zoledronate
    if not zoledronate:
        assert "hypocalcaemia" in bone and "final dose of zoledronic acid" in bone


def test_bisphosphonate_gfr_unknown():
    items = topic(care(egfr=None), "bone")
    assert any("missing: labs.egfr_ml_min" in i.reasons for i in items)


@pytest.mark.parametrize(
    ("lytic", "expected", "absent"),
    [
        pytest.param(0, "may stop after 12 doses", "every 3 months", id="bisfosfonat-uten-osteolyser-VGPR-12-doser"),
        pytest.param(2, "every 3 months", "may stop after 12 doses",
                     id="bisfosfonat-osteolytisk-sykdom-hver-3-mnd-til-4-år"),
        pytest.param(None, "every 3 months", None, id="bisfosfonat-osteolyser-ukjent"),
    ],
)
def test_bisphosphonate_duration(lytic, expected, absent):
    facts = PatientFacts(age=72, imaging=Imaging(lytic_lesions=lytic))
    bone = text(care(facts), "bone")
    assert expected in bone
    if absent:
        assert absent not in bone
    if lytic:
        assert "4 years" in bone
    if lytic is None:
        assert any("missing: imaging.lytic_lesions" in i.reasons for i in topic(care(facts), "bone"))


def test_dental_and_calcium_vitamin_d():
    bone = text(care(), "bone")
    assert "Dental assessment before" in bone and "every 6 months" in bone
    assert "1000/800" in bone


def test_bisphosphonate_at_relapse_individual():
    assert "At relapse bisphosphonate treatment is assessed individually" in text(care(setting="RELAPSE_LINE_2"))


@pytest.mark.parametrize("diagnosis", ["MGUS", "SMOLDERING_MYELOMA", "SOLITARY_PLASMACYTOMA"])
def test_no_bone_or_vaccine_package_outside_myeloma(diagnosis):
    items = care(diagnosis=diagnosis)
    assert not topic(items, "bone") and not topic(items, "vaccine")


@pytest.mark.parametrize("diagnosis", ["POEMS", "NO_PLASMA_CELL_DISORDER"])
def test_nothing_for_poems_or_no_disorder(diagnosis):
    assert care(diagnosis=diagnosis, regimen_drugs=("lenalidomide",)) == ()


# --- Vaksiner -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "fragment",
    [
        pytest.param("PPV23 (Pneumovax) 8 weeks later", id="pneumokokk-PKV20-så-PPV23-8-uker"),
        pytest.param("PPV23 every 6 years", id="pneumokokk-PPV23-hvert-6-år"),
        pytest.param("seasonal vaccine every autumn", id="influensa-hver-høst"),
        pytest.param("SARS-CoV-2: yearly booster", id="sars-cov-2-årlig"),
        pytest.param("Boostrix every 10 years", id="difteri-stivkrampe-kikhoste-boostrix-10-år"),
        pytest.param("Shingrix, two doses two months apart", id="varicella-zoster-shingrix"),
        pytest.param("Hepatitis B: individual assessment", id="hepatitt-B-individuell"),
    ],
)
def test_vaccines_for_all_patients(fragment):
    assert fragment in text(care(), "vaccine")


def test_hmas_schedule_dates():
    # Reinfusion 2026-01-15: +3 = 2026-04-15, +4 = 05-15, +5 = 06-15, +6 = 07-15, +7 = 08-15, +12 = 2027-01-15
    schedule = hmas_vaccination_schedule(date(2026, 1, 15))
    by_vaccine = {}
    for when, vaccine, _ in schedule:
        by_vaccine.setdefault(vaccine.split(" (")[0], []).append(when)
    assert by_vaccine["PCV20"] == [date(2026, 4, 15), date(2026, 5, 15), date(2026, 6, 15)]
    assert by_vaccine["PPV23"] == [date(2027, 1, 15)]
    assert by_vaccine["SARS-CoV-2"] == [date(2026, 4, 15), date(2026, 5, 15), date(2026, 6, 15)]
    assert by_vaccine["Tetravac"] == [date(2026, 7, 15), date(2026, 8, 15), date(2027, 1, 15)]
    assert by_vaccine["Act-Hib"] == [date(2026, 7, 15), date(2026, 8, 15), date(2027, 1, 15)]
    assert [row[0] for row in schedule] == sorted(row[0] for row in schedule)
    assert len(schedule) == 13


def test_hmas_schedule_end_of_month_is_shown():
    # 2026-01-31 + 3 months: April has 30 days → 2026-04-30, and the label says why
    first = hmas_vaccination_schedule(date(2026, 1, 31))[0]
    assert first[0] == date(2026, 4, 30) and "last day of month" in first[2]


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        pytest.param(date(2026, 11, 10), 3, date(2027, 2, 10), id="over-årsskifte"),
        pytest.param(date(2024, 11, 30), 3, date(2025, 2, 28), id="februar-ikke-skuddår"),
        pytest.param(date(2023, 11, 30), 3, date(2024, 2, 29), id="februar-skuddår"),
    ],
)
def test_add_months(start, months, expected):
    assert add_months(start, months)[0] == expected


def test_hmas_items_with_reinfusion_date():
    items = care(setting="FIRST_LINE_TRANSPLANT", reinfusion_date=date(2026, 1, 15),
                 regimen_drugs=("bortezomib", "lenalidomide", "dexamethasone"))
    vaccines = text(items, "vaccine")
    assert "2026-04-15: PCV20" in vaccines
    assert "yellow fever vaccine may be considered 2 years after HMAS (from 2028-01-15)" in vaccines
    assert "BCG is contraindicated" in vaccines
    # "HMAS: Til 3 måneder etter reinfusjon" → 2026-04-15
    assert "until 3 months after reinfusion (until 2026-04-15)" in text(items, "infection")


def test_hmas_items_without_reinfusion_date():
    items = care(setting="FIRST_LINE_TRANSPLANT")
    assert any("missing: reinfusion_date" in i.reasons for i in items if i.topic == "vaccine")
    assert any("missing: reinfusion_date" in i.reasons for i in items if i.topic == "infection")


# --- Øvrig infeksjonsprofylakse -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("drugs", "valaciclovir"),
    [
        pytest.param(("bortezomib",), True, id="valaciklovir-proteasomhemmer"),
        pytest.param(("carfilzomib",), True, id="valaciklovir-karfilzomib"),
        pytest.param(("daratumumab",), True, id="valaciklovir-CD38-antistoff"),
        pytest.param(("lenalidomide", "dexamethasone"), False, id="ingen-valaciklovir-Rd"),
    ],
)
def test_valaciclovir_pi_or_cd38(drugs, valaciclovir):
    # "Valaciklovir 250 mg x 2 po til alle pasienter som får proteasomhemmer og CD38 antistoff."
    assert ("valaciclovir 250 mg × 2 po" in text(care(regimen_drugs=drugs), "infection")) is valaciclovir


def test_general_infection_items():
    infection = text(care(), "infection")
    assert "antibiotics are not recommended" in infection
    assert "recurrent infections with encapsulated bacteria, or with one severe" in infection
    assert "G-CSF: consider at neutrophils < 0.5" in infection


def test_car_t_prophylaxis():
    infection = text(care(car_t=True), "infection")
    assert "valaciclovir 500 mg × 2 from reinfusion for at least one year" in infection
    assert "CD4 > 0.2" in infection
    assert "from reinfusion for 6 months or until CD4 ≥ 0.2" in infection
    assert "from day +30 for at least 1 year; after 1 year continue until serum IgG > 4 g/L" in infection
    assert "CMV DNA before start" in infection and "anti-HBc" in infection and "Fluconazole" in infection
    assert "pneumococcal revaccination from 3–6 months after CAR-T" in text(care(car_t=True), "vaccine")


def test_bispecific_prophylaxis():
    infection = text(care(regimen_drugs=("teclistamab",), igg_g_l=5), "infection")
    assert "valaciclovir 250–500 mg × 2 from start for at least one year" in infection
    assert "Trimethoprim-sulfamethoxazole 160/800 mg" in infection
    assert all(w in infection for w in ("dapsone 100 mg", "pentamidine 300 mg", "atovaquone 1.5 g"))
    assert "avoid during bispecific step-up" in infection


@pytest.mark.parametrize(
    ("igg", "consider"),
    [
        pytest.param(3.9, True, id="immunglobulin-BCMA-bispesifikk-IgG-3.9-under-4"),
        pytest.param(4.0, False, id="immunglobulin-BCMA-bispesifikk-IgG-4.0-ikke-under"),
        pytest.param(4.1, False, id="immunglobulin-BCMA-bispesifikk-IgG-4.1"),
    ],
)
def test_igg_threshold_bcma_bispecific(igg, consider):
    # "Vurder å starte når IgG < 4,0 g/L"
    infection = text(care(regimen_drugs=("elranatamab",), igg_g_l=igg), "infection")
    assert ("consider starting immunoglobulin substitution" in infection) is consider


def test_igg_unknown_bcma_bispecific():
    items = care(regimen_drugs=("teclistamab",))
    assert any("missing: igg_g_l" in i.reasons for i in items)


def test_talquetamab_standard_immunoglobulin_criteria():
    infection = text(care(regimen_drugs=("talquetamab",), igg_g_l=3.0), "infection")
    assert "Talquetamab (GPRC5D): no primary immunoglobulin prophylaxis" in infection
    assert "BCMA bispecific" not in infection


# --- Behandling av hyperkalsemi -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("calcium", "ionised", "rehydration"),
    [
        # upper limit 2.60: 2.90 is hypercalcaemia, but not «Moderat/alvorlig»
        pytest.param(2.90, None, False, id="hyperkalsemi-s-Ca-2.90-ikke-over"),
        pytest.param(2.91, None, True, id="hyperkalsemi-s-Ca-2.91-moderat-alvorlig"),
        pytest.param(2.70, 1.45, False, id="hyperkalsemi-ionisert-1.45-ikke-over"),
        pytest.param(2.50, 1.46, True, id="hyperkalsemi-ionisert-1.46"),
    ],
)
def test_hypercalcaemia_threshold(calcium, ionised, rehydration):
    # "Moderat/alvorlig hyperkalsemi (s-Ca>2,90 mmol/l eller ionisert Ca>1,45): Rehydrering, 4–6 l NaCl. iv."
    # — the threshold belongs to the rehydration bullet only; the others apply to any hypercalcaemia.
    facts = PatientFacts(age=72, labs=Labs(calcium_mmol_l=calcium, calcium_upper_limit_mmol_l=2.60,
                                           creatinine_umol_l=100))
    joined = text(topic(care(facts, ionised_calcium_mmol_l=ionised), "hypercalcaemia"))
    assert ("4–6 L NaCl iv" in joined) is rehydration
    assert "Steroids" in joined and "Calcitonin" in joined and "bisphosphonate" in joined
    assert "Denosumab for treatment-refractory" in joined and "Start myeloma treatment quickly" in joined


@pytest.mark.parametrize(
    ("calcium", "upper", "advice"),
    [
        # hypercalcaemia = above the laboratory's upper reference limit
        pytest.param(2.61, 2.60, True, id="hyperkalsemi-over-referanseverdi-2.61"),
        pytest.param(2.60, 2.60, False, id="hyperkalsemi-ved-referanseverdi-2.60"),
        # upper limit unknown: C criterion «> 2,75 mmol/L»
        pytest.param(2.76, None, True, id="hyperkalsemi-C-kriterium-2.76-referanse-ukjent"),
        pytest.param(2.75, None, False, id="hyperkalsemi-C-kriterium-2.75-referanse-ukjent"),
    ],
)
def test_hypercalcaemia_advice_is_not_limited_to_2_90(calcium, upper, advice):
    facts = PatientFacts(age=72, labs=Labs(calcium_mmol_l=calcium, calcium_upper_limit_mmol_l=upper,
                                           creatinine_umol_l=100))
    joined = text(topic(care(facts), "hypercalcaemia"))
    assert ("Steroids" in joined and "Denosumab" in joined and "Calcitonin" in joined) is advice
    assert "4–6 L NaCl" not in joined


@pytest.mark.parametrize(
    ("creatinine", "fragment"),
    [
        pytest.param(399, "Creatinine 399 < 400 µmol/L → bisphosphonate", id="hyperkalsemi-kreatinin-399-bisfosfonat"),
        pytest.param(400, "Creatinine 400 ≥ 400 µmol/L → no bisphosphonate", id="hyperkalsemi-kreatinin-400-ikke"),
        pytest.param(None, "creatinine unknown", id="hyperkalsemi-kreatinin-ukjent"),
    ],
)
def test_hypercalcaemia_bisphosphonate_creatinine(creatinine, fragment):
    # "Bisfosfonat ... Kan gis hvis kreatinin er < 400."
    facts = PatientFacts(age=72, labs=Labs(calcium_mmol_l=3.2, creatinine_umol_l=creatinine))
    assert fragment in text(care(facts), "hypercalcaemia")


def test_hypercalcaemia_outside_myeloma_does_not_say_start_myeloma_treatment():
    facts = PatientFacts(age=72, labs=Labs(calcium_mmol_l=3.2, creatinine_umol_l=100))
    joined = text(care(facts, diagnosis="MGUS"), "hypercalcaemia")
    assert "4–6 L NaCl" in joined and "Start myeloma treatment" not in joined


# --- Anemibehandling ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("hb", "lower", "workup"),
    [
        pytest.param(10.0, 13.4, True, id="anemi-utredning-under-nedre-grense"),
        pytest.param(13.4, 13.4, False, id="ikke-anemi-ved-nedre-grense"),
        pytest.param(10.0, None, False, id="anemi-grense-ukjent"),
    ],
)
def test_anaemia_workup(hb, lower, workup):
    facts = PatientFacts(age=72, labs=Labs(hemoglobin_g_dl=hb, hemoglobin_lower_limit_g_dl=lower))
    items = topic(care(facts), "anaemia")
    assert bool(items) is workup
    if workup:
        assert all(w in items[0].text for w in ("reticulocytes", "MCV", "ferritin", "TIBC", "B12", "folate", "ESA"))


# --- Properties -----------------------------------------------------------------------------------------------

@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    facts=patient_facts,
    diagnosis=st.sampled_from(DIAGNOSIS_CODES),
    setting=st.sampled_from(SETTINGS),
    egfr=st.none() | st.floats(min_value=0, max_value=200),
    drugs=st.lists(st.sampled_from(DRUGS), max_size=5, unique=True).map(tuple),
    reinfusion=st.none() | st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
    igg=st.none() | st.floats(min_value=0, max_value=40),
    car_t=st.booleans(),
)
def test_supportive_care_never_raises(facts, diagnosis, setting, egfr, drugs, reinfusion, igg, car_t):
    items = supportive_care(facts, diagnosis_code=diagnosis, setting=setting, egfr_ml_min=egfr, regimen_drugs=drugs,
                            reinfusion_date=reinfusion, igg_g_l=igg, car_t=car_t)
    assert all(isinstance(i, SupportiveItem) for i in items)
    assert {i.topic for i in items} <= {"thrombosis", "bone", "vaccine", "infection", "hypercalcaemia", "anaemia"}
    assert all(i.citation.document == "myeloma" for i in items)
