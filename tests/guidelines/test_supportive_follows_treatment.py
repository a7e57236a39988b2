"""Supportive care follows the treatment, not only the diagnosis drawn from today's labs (issue 13 item 3,
contract v1.1: ``supportive_care[].category`` and ``due_date``; docs/adr/0022-supportive-care-follows-the-treatment.md).

Handlingsprogram for myelomatose, «Støttebehandling» — «Infeksjonsforebyggende behandling» (Vaksiner, «Særlig
anbefaling for HMAS»; «Øvrig infeksjonsprofylakse», «Særlig anbefaling for HMAS, CAR-T og bispesifikke
antistoffer»), «Bisfosfonater og denosumab», «Tromboseprofylakse». Every date below is counted by hand from the
event the guideline names (reinfusion = ``transplant_date``, day 0; start of a bispecific =
``current_treatment.start_date``), in calendar months.
"""

import datetime as dt

import pytest

from guidelines.advice import SUPPORTIVE_CATEGORIES
from guidelines.facts import CurrentTreatment, Phase, Response, TreatmentLine

from .factories import BASE, POEMS_PATIENT, make
from .shipped import evaluate

VRD = ("bortezomib", "lenalidomide", "dexamethasone")
REINFUSION = dt.date(2026, 2, 20)
VRD_HMAS = TreatmentLine(line=1, regimen="VRd-induction", drugs=VRD, autologous_transplant=True,
                         transplant_date=REINFUSION, best_response=Response.CR)
R_MAINTENANCE = CurrentTreatment(regimen="R-maintenance", phase=Phase.MAINTENANCE, start_date=dt.date(2026, 5, 1))

# Today's labs after HMAS read as remission: no M-component and a normal FLC ratio (no plasma cell disorder by the
# table), a residual M-component (MGUS by the table), no clonal marker with 1 % plasma cells (not enough facts).
REMISSION_LABS = {
    "NO_PLASMA_CELL_DISORDER": ({"serum_m_protein_g_l": 0, "flc_kappa_mg_l": 15, "flc_lambda_mg_l": 14}, 0),
    "MGUS": ({"serum_m_protein_g_l": 2}, 3),
    "INSUFFICIENT_DATA": ({"serum_m_protein_g_l": 0, "flc_kappa_mg_l": 15, "flc_lambda_mg_l": 14}, 1),
}


def remission(code, *, history=(VRD_HMAS,), current=R_MAINTENANCE):
    labs, marrow = REMISSION_LABS[code]
    if code == "INSUFFICIENT_DATA":
        labs = {**labs, "urine_m_protein_mg_24h": None}
    return make(BASE, labs=labs, marrow={"clonal_plasma_cells_pct": marrow}, treatment_history=history,
                current_treatment=current)


def care(facts):
    evaluation = evaluate(facts)
    return evaluation, evaluation.supportive_care


def of(items, category):
    return [i for i in items if i.category == category]


def dated(items, fragment):
    """The due dates of the items whose text contains ``fragment``."""
    return [i.due_date for i in items if fragment in i.text]


REMISSIONS = [pytest.param(code, id=f"remisjon-etter-HMAS-{code}") for code in REMISSION_LABS]


@pytest.mark.hazard("HAZ-115")
@pytest.mark.parametrize("code", REMISSIONS)
def test_remission_after_hmas_keeps_the_myeloma_supportive_care(code):
    # «Alle pasienter bør få tillegg av Kalsiumpreparat med D-vitamin»; «Også pasienter uten skjelettskade ved
    # diagnosetidspunkt har effekt»; vaccines «Her følger vi anbefaling fra Folkehelseinstituttet … og EBMTs
    # anbefaling for pasienter som gjennomgår HMAS»
    evaluation, items = care(remission(code))
    assert str(evaluation.diagnosis.code) == code  # today's labs: not myeloma
    bone = " ".join(i.text for i in of(items, "bone"))
    assert "Zoledronate 4 mg iv over 15 min every 4 weeks" in bone
    assert "Dental assessment before starting a bisphosphonate" in bone and "1000/800" in bone
    vaccines = " ".join(i.text for i in of(items, "vaccine"))
    assert "PPV23 every 6 years" in vaccines and "seasonal vaccine every autumn" in vaccines
    assert "antibiotics are not recommended" in " ".join(i.text for i in of(items, "infection"))
    # the reader sees why: the items follow the treatment, not today's diagnosis
    assert all(any("supportive care follows the treatment" in r for r in i.reasons)
               for i in of(items, "bone") + of(items, "vaccine") + of(items, "infection"))


@pytest.mark.hazard("HAZ-115")
@pytest.mark.hazard("HAZ-116")
@pytest.mark.parametrize(("vaccine", "dates"), [
    # «Revaksinasjon med 3 doser PKV20 (Apexxnar/Prevenar20) 3, 4 og 5 måneder etter reinfusjon»: 20.02.2026 + 3, 4, 5
    pytest.param("PCV20 (Apexxnar/Prevenar20) —", [dt.date(2026, 5, 20), dt.date(2026, 6, 20), dt.date(2026, 7, 20)],
                 id="HMAS-PKV20-3-4-5-måneder-etter-reinfusjon"),
    # «deretter PPV23 (Pneumovax) 12 måneder etter reinfusjon»
    pytest.param("PPV23 (Pneumovax) —", [dt.date(2027, 2, 20)], id="HMAS-PPV23-12-måneder-etter-reinfusjon"),
    # Sars-CoV2: «Grunnvaksinasjon 3, 4 og 5 måneder etter reinfusjon»
    pytest.param("SARS-CoV-2 —", [dt.date(2026, 5, 20), dt.date(2026, 6, 20), dt.date(2026, 7, 20)],
                 id="HMAS-sars-cov-2-grunnvaksinasjon-3-4-5-måneder"),
    # «Tetravac 6, 7 og 12 måneder etter reinfusjon»
    pytest.param("Tetravac", [dt.date(2026, 8, 20), dt.date(2026, 9, 20), dt.date(2027, 2, 20)],
                 id="HMAS-tetravac-6-7-12-måneder"),
    # «Act-Hib 6, 7 og 12 måneder etter reinfusjon»
    pytest.param("Act-Hib", [dt.date(2026, 8, 20), dt.date(2026, 9, 20), dt.date(2027, 2, 20)],
                 id="HMAS-act-hib-6-7-12-måneder"),
    # «gulfebervaksine kan vurderes 2 år etter HMAS»
    pytest.param("yellow fever", [dt.date(2028, 2, 20)], id="HMAS-gulfeber-2-år-etter-HMAS"),
])
def test_hmas_revaccination_due_dates_from_reinfusion(vaccine, dates):
    _, items = care(remission("NO_PLASMA_CELL_DISORDER"))
    assert dated(of(items, "vaccine"), vaccine) == dates


@pytest.mark.hazard("HAZ-115")
@pytest.mark.hazard("HAZ-116")
@pytest.mark.parametrize("code", REMISSIONS)
def test_hmas_valaciclovir_until_3_months_after_reinfusion(code):
    # «HMAS: Til 3 måneder etter reinfusjon»: 20.02.2026 + 3 months = 20.05.2026
    _, items = care(remission(code))
    assert dated(of(items, "infection"), "HMAS: valaciclovir 250 mg × 2 until 3 months after reinfusion") == [
        dt.date(2026, 5, 20)]


@pytest.mark.hazard("HAZ-116")
def test_hmas_valaciclovir_end_in_a_short_month_is_the_last_day_and_said():
    # «Til 3 måneder etter reinfusjon» from 30.11.2025: February 2026 has 28 days → 28.02.2026, and the text says so
    line = TreatmentLine(line=1, regimen="VRd-induction", drugs=VRD, autologous_transplant=True,
                         transplant_date=dt.date(2025, 11, 30), best_response=Response.CR)
    _, items = care(remission("MGUS", history=(line,)))
    [item] = [i for i in of(items, "infection") if i.text.startswith("HMAS: valaciclovir")]
    assert item.due_date == dt.date(2026, 2, 28) and "last day of month" in item.text


@pytest.mark.hazard("HAZ-115")
def test_hmas_without_its_date_asks_for_the_transplant_date_of_the_line():
    # the schedule is dated «etter reinfusjon»: without the date it is given undated and the date is asked for
    line = TreatmentLine(line=1, regimen="VRd-induction", drugs=VRD, autologous_transplant=True)
    _, items = care(remission("NO_PLASMA_CELL_DISORDER", history=(line,)))
    for category in ("vaccine", "infection"):
        assert any("missing: treatment_history[0].transplant_date" in i.reasons for i in of(items, category))
    assert all(i.due_date is None for i in items)


@pytest.mark.hazard("HAZ-115")
def test_current_treatment_alone_counts_as_treated():
    # the request may give only ``current_treatment`` (lenalidomide maintenance) and no history: still treated for
    # myeloma, so «Alle pasienter bør få tillegg av Kalsiumpreparat med D-vitamin»
    _, items = care(remission("NO_PLASMA_CELL_DISORDER", history=()))
    assert "Calcium with vitamin D, 1000/800" in " ".join(i.text for i in of(items, "bone"))
    assert any("current treatment R-maintenance" in r for i in of(items, "bone") for r in i.reasons)


def test_radiotherapy_alone_is_not_systemic_treatment():
    # «Strålebehandling»: radiotherapy alone is not a systemic line — no myeloma package after it
    rt = TreatmentLine(line=1, regimen="strålebehandling 40 Gy mot Th8")
    _, items = care(remission("NO_PLASMA_CELL_DISORDER", history=(rt,), current=CurrentTreatment()))
    assert items == ()


@pytest.mark.hazard("HAZ-115")
@pytest.mark.parametrize(("current", "prophylaxis"), [
    pytest.param(R_MAINTENANCE, True, id="tromboseprofylakse-lenalidomid-vedlikehold"),
    pytest.param(CurrentTreatment(), False, id="ingen-tromboseprofylakse-uten-lenalidomid"),
])
def test_thrombosis_prophylaxis_follows_the_current_treatment(current, prophylaxis):
    # «Tromboseprofylakse ved lenalidomid og pomalidomid: Acetylsalicylsyre 75 mg»; the induction had no IMiD
    vcd = TreatmentLine(line=1, regimen="VCd", drugs=("bortezomib", "cyclophosphamide", "dexamethasone"),
                        autologous_transplant=True, transplant_date=REINFUSION, best_response=Response.CR)
    _, items = care(remission("NO_PLASMA_CELL_DISORDER", history=(vcd,), current=current))
    assert bool([i for i in of(items, "thrombosis") if "acetylsalicylic acid 75 mg" in i.text]) is prophylaxis


# --- bispecific antibodies: «Særlig anbefaling for … bispesifikke antistoffer» -------------------------------------

TRIPLE_CLASS = (
    TreatmentLine(line=1, regimen="VRd-induction", drugs=VRD, refractory_to=("lenalidomide",)),
    TreatmentLine(line=2, regimen="DPd", drugs=("daratumumab", "pomalidomide", "dexamethasone"),
                  refractory_to=("daratumumab", "pomalidomide")),
    TreatmentLine(line=3, regimen="Kd", drugs=("carfilzomib", "dexamethasone"), refractory_to=("carfilzomib",)),
)


def on_bispecific(regimen, start):
    line = TreatmentLine(line=4, regimen=regimen, drugs=(regimen,))
    return make(BASE, marrow={"clonal_plasma_cells_pct": 30}, treatment_history=(*TRIPLE_CLASS, line),
                current_treatment=CurrentTreatment(regimen=regimen, phase=Phase.INDUCTION, start_date=start))


BISPECIFICS = [pytest.param(r, id=f"bispesifikt-{r}") for r in ("teclistamab", "elranatamab", "talquetamab")]


@pytest.mark.hazard("HAZ-116")
@pytest.mark.parametrize("regimen", BISPECIFICS)
def test_bispecific_valaciclovir_from_start_for_at_least_one_year(regimen):
    # «Bispesifikke antistoff: 250-500 mg x 2 fra oppstart og i minst ett år. Seponering krever CD4 > 0,2 x 109/L»:
    # start 10.03.2026 → at least until 10.03.2027
    _, items = care(on_bispecific(regimen, dt.date(2026, 3, 10)))
    [item] = [i for i in of(items, "infection") if "valaciclovir 250–500 mg × 2 from start" in i.text]
    assert item.due_date == dt.date(2027, 3, 10)
    assert "CD4 > 0.2" in item.text


@pytest.mark.hazard("HAZ-116")
@pytest.mark.parametrize("regimen", BISPECIFICS)
def test_bispecific_pneumocystis_from_treatment_start(regimen):
    # Pneumocystis jirovecii: «Bispesifikke antistoff: Fra behandlingsstart og under behandling, eller inntil CD4 ≥ 0.2
    # x 109/L (det som er lengst)»
    _, items = care(on_bispecific(regimen, dt.date(2026, 3, 10)))
    [item] = [i for i in of(items, "infection") if "Pneumocystis prophylaxis from start" in i.text]
    assert item.due_date == dt.date(2026, 3, 10)
    assert "Trimethoprim-sulfamethoxazole 160/800 mg" in item.text


@pytest.mark.hazard("HAZ-116")
def test_bispecific_one_year_from_29_february_is_shown_as_the_last_day_of_february():
    # «i minst ett år» from 29.02.2024: 2025 has no 29 February → 28.02.2025, and the text says so
    _, items = care(on_bispecific("teclistamab", dt.date(2024, 2, 29)))
    [item] = [i for i in of(items, "infection") if "valaciclovir 250–500 mg × 2 from start" in i.text]
    assert item.due_date == dt.date(2025, 2, 28) and "last day of month" in item.text


@pytest.mark.hazard("HAZ-116")
def test_bispecific_without_start_date_is_undated_and_asks_for_it():
    _, items = care(on_bispecific("teclistamab", None))
    bispecific = [i for i in of(items, "infection") if i.text.startswith("Bispecific antibody")]
    assert len(bispecific) == 2 and all(i.due_date is None for i in bispecific)
    assert all("missing: current_treatment.start_date" in i.reasons for i in bispecific)


def test_bcma_bispecific_immunoglobulin_is_not_dated():
    # «Vurder å starte når IgG < 4,0 g/L»: a threshold, not a date (the regimen table's «fra 2. syklus» depends on
    # when cycle 2 is actually given): no due date
    _, items = care(on_bispecific("teclistamab", dt.date(2026, 3, 10)))
    [item] = [i for i in of(items, "infection") if i.text.startswith("BCMA bispecific")]
    assert item.due_date is None


# --- CAR-T and the HMAS date ----------------------------------------------------------------------------------------

@pytest.mark.hazard("HAZ-116")
def test_hmas_schedule_is_not_dated_from_a_car_t_line():
    # «3, 4 og 5 måneder etter reinfusjon» of the HMAS: a date recorded on a CAR-T line is not the HMAS reinfusion
    hmas = TreatmentLine(line=1, regimen="VRd-induction", drugs=VRD, autologous_transplant=True,
                         transplant_date=dt.date(2024, 1, 10), refractory_to=("lenalidomide",))
    car_t = TreatmentLine(line=4, regimen="cilta-cel CAR-T", transplant_date=dt.date(2026, 1, 5))
    _, items = care(make(BASE, marrow={"clonal_plasma_cells_pct": 30}, treatment_history=(*TRIPLE_CLASS[1:], hmas,
                                                                                           car_t)))
    assert dated(of(items, "vaccine"), "PCV20 (Apexxnar/Prevenar20) —")[0] == dt.date(2024, 4, 10)
    # CAR-T: «For CAR-T er det anbefalt revaksinasjon for pneumokokker fra 3-6 måneder etter CAR-T» (undated)
    assert any("from 3–6 months after CAR-T" in i.text and i.due_date is None for i in of(items, "vaccine"))


# --- no treatment: unchanged ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("facts", "categories"), [
    # the table's MGUS, untreated: no bone or vaccine package (Støttebehandling is for myeloma)
    pytest.param(make(BASE), set(), id="ubehandlet-MGUS"),
    pytest.param(make(BASE, labs={"serum_m_protein_g_l": 0, "flc_kappa_mg_l": 15, "flc_lambda_mg_l": 14},
                      marrow={"clonal_plasma_cells_pct": 0}), set(), id="ubehandlet-ingen-plasmacellesykdom"),
])
def test_no_treatment_no_myeloma_package(facts, categories):
    _, items = care(facts)
    assert {i.category for i in items} - {"anaemia", "hypercalcaemia"} == categories
    assert all(i.due_date is None for i in items)


def test_untreated_transplant_candidate_unchanged_undated_hmas_schedule():
    # planned HMAS, no reinfusion yet: the schedule is given undated and the reinfusion date asked for (as before)
    _, items = care(make(BASE, age=60, marrow={"clonal_plasma_cells_pct": 60}))
    assert any("missing: reinfusion_date" in i.reasons for i in of(items, "vaccine"))
    assert all(i.due_date is None for i in items)
    assert not any("supportive care follows the treatment" in r for i in items for r in i.reasons)


def test_treated_poems_still_follows_the_danish_guideline():
    # POEMS follows the Danish guideline: no myeloma supportive care, treated or not
    treated = make(POEMS_PATIENT, treatment_history=(TreatmentLine(line=1, regimen="Rd", drugs=(
        "lenalidomide", "dexamethasone")),))
    evaluation, items = care(treated)
    assert str(evaluation.diagnosis.code) == "POEMS" and items == ()


@pytest.mark.parametrize("facts", [
    pytest.param(remission("MGUS"), id="remisjon-etter-HMAS"),
    pytest.param(on_bispecific("teclistamab", dt.date(2026, 3, 10)), id="bispesifikt"),
])
def test_every_item_has_one_category_and_dates_are_iso_in_the_api_shape(facts):
    out = evaluate(facts).to_dict()["supportive_care"]
    assert out and all(item["category"] in SUPPORTIVE_CATEGORIES for item in out)
    assert all(item["due_date"] is None or dt.date.fromisoformat(item["due_date"]) for item in out)
    assert any(item["due_date"] for item in out)
