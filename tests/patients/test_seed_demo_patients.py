"""seed_demo_patients: idempotent, and every demo patient's facts fit the diagnosis
it stands for (Handlingsprogram for myelomatose, "Diagnostiske kriterier";
POEMS-retningslinjen, "Diagnostiske kriterier")."""

import io

import pytest
from django.core.management import call_command

from guidelines.labs import free_light_chains
from patients import identity
from patients.facts import facts_for
from patients.management.commands.seed_demo_patients import DEMO_PATIENTS
from patients.models import LabResult, Patient, TreatmentLine
from tests.guidelines.shipped import evaluate


def _seed():
    out = io.StringIO()
    call_command("seed_demo_patients", stdout=out)
    return out.getvalue()


def myeloma_defining_events(facts):
    """CRAB + SLiM as the guideline's table words them (written out here, in the
    test, from the seed text; the engine's own implementation lives elsewhere):
    C: albumin-corrected Ca > 0.25 mmol/L above the upper limit or > 2.75 mmol/L;
    R: creatinine > 177 µmol/L (eGFR < 40 not used here: demo creatinines decide);
    A: Hb < 10 g/dL or 2 g/dL below the lower limit;
    B: >= 1 osteolytic lesion >= 5 mm;
    S: >= 60 % clonal plasma cells; Li: FLC ratio >= 100 with involved FLC > 100 mg/L;
    M: >= 2 focal lesions on MRI."""
    labs, events = facts.labs, set()
    if labs.calcium_mmol_l is not None and (
        labs.calcium_mmol_l > 2.75 or labs.calcium_mmol_l > labs.calcium_upper_limit_mmol_l + 0.25
    ):
        events.add("C")
    if labs.creatinine_umol_l is not None and labs.creatinine_umol_l > 177:
        events.add("R")
    if labs.hemoglobin_g_dl is not None and (
        labs.hemoglobin_g_dl < 10 or labs.hemoglobin_g_dl < labs.hemoglobin_lower_limit_g_dl - 2
    ):
        events.add("A")
    if (facts.imaging.lytic_lesions or 0) >= 1:
        events.add("B")
    if (facts.marrow.clonal_plasma_cells_pct or 0) >= 60:
        events.add("S")
    flc = free_light_chains(labs.flc_kappa_mg_l, labs.flc_lambda_mg_l)
    if flc.ratio is not None:
        ratio = max(flc.ratio, 1 / flc.ratio)
        if ratio >= 100 and flc.involved_mg_l > 100:
            events.add("Li")
    if (facts.imaging.mri_focal_lesions or 0) >= 2:
        events.add("M")
    return events


def _facts(key):
    spec = next(s for s in DEMO_PATIENTS if s["key"] == key)
    return facts_for(Patient.objects.get(national_id=spec["national_id"]))[0]


@pytest.mark.django_db
def test_seed_demo_patients_is_idempotent():
    first = _seed()
    counts = (Patient.objects.count(), LabResult.objects.count(), TreatmentLine.objects.count())
    second = _seed()
    assert counts == (Patient.objects.count(), LabResult.objects.count(), TreatmentLine.objects.count())
    assert counts[0] == len(DEMO_PATIENTS) == 11
    assert first.count("created") == 11 and second.count("exists") == 11


@pytest.mark.django_db
def test_seed_demo_patients_have_synthetic_valid_national_ids():
    _seed()
    for patient in Patient.objects.all():
        parsed = identity.parse(patient.national_id)
        assert parsed.is_synthetic, patient.name
        assert patient.birth_date == parsed.birth_date


@pytest.mark.django_db
def test_seed_demo_patients_have_chartable_labs_and_history():
    _seed()
    for patient in Patient.objects.all():
        dates = set(LabResult.objects.filter(patient=patient).values_list("date", flat=True))
        assert len(dates) >= 2, patient.name
        assert patient.history.get().history_change_reason == "Demo data (fictional patient)"


@pytest.fixture
def seeded(db):
    _seed()


def test_demo_mgus_fits_mgus_criteria(seeded):
    """MGUS: < 10 % clonal plasma cells; serum M < 30 g/L; no myeloma-defining event."""
    facts = _facts("MGUS")
    assert facts.marrow.clonal_plasma_cells_pct < 10
    assert facts.labs.serum_m_protein_g_l < 30
    assert myeloma_defining_events(facts) == set()


def test_demo_smouldering_fits_criteria(seeded):
    """Ulmende myelomatose: serum M >= 30 g/L and/or marrow 10–59 %; no myeloma-defining event."""
    facts = _facts("SMOLDERING_MYELOMA")
    assert facts.labs.serum_m_protein_g_l == 35 and facts.marrow.clonal_plasma_cells_pct == 15
    assert myeloma_defining_events(facts) == set()
    assert facts.imaging.mri_focal_lesions == 1  # MRI done (needed to call smouldering), below the 2 of "M"


@pytest.mark.parametrize("key, born, events", [
    ("ACTIVE_MYELOMA transplant-eligible", 1968, {"A", "B"}),  # 58 y in November 2026
    ("ACTIVE_MYELOMA non-transplant", 1950, {"A", "B", "R"}),  # 76 y in November 2026
], ids=["active myeloma, 58 y, fit", "active myeloma, 76 y, unfit"])
def test_demo_active_myeloma_fits_criteria(seeded, key, born, events):
    """Behandlingskrevende myelomatose: >= 10 % clonal plasma cells and >= 1 myeloma-defining event."""
    facts = _facts(key)
    spec = next(s for s in DEMO_PATIENTS if s["key"] == key)
    assert Patient.objects.get(national_id=spec["national_id"]).birth_date.year == born
    assert facts.marrow.clonal_plasma_cells_pct >= 10
    assert myeloma_defining_events(facts) == events
    assert facts.treatment_history == ()


def test_demo_solitary_plasmacytoma_fits_criteria(seeded):
    """Solitary lesion (biopsy); no further lesions on CT and MRI; no myeloma-defining event."""
    facts = _facts("SOLITARY_PLASMACYTOMA")
    assert facts.imaging.plasmacytoma == "bone" and facts.imaging.plasmacytoma_biopsy_proven
    assert facts.imaging.plasmacytoma_count == 1
    assert facts.imaging.lytic_lesions == 0 and facts.imaging.mri_focal_lesions == 0
    assert facts.marrow.clonal_plasma_cells_pct < 10
    assert myeloma_defining_events(facts) == set()


def test_demo_plasma_cell_leukaemia_fits_criteria(seeded):
    """Plasmacelleleukemi: plasma cells > 5 % of leukocytes in blood."""
    facts = _facts("PLASMA_CELL_LEUKEMIA")
    assert facts.labs.circulating_plasma_cells_pct > 5


def test_demo_poems_fits_criteria(seeded):
    """POEMS: both mandatory (polyneuropathy, monoclonal plasma cell disorder), >= 1 major
    (sclerotic bone lesions, Castleman, VEGF > 200 ng/L), >= 1 minor."""
    facts = _facts("POEMS")
    assert facts.poems.polyneuropathy
    assert facts.labs.serum_m_protein_g_l > 0
    assert facts.imaging.sclerotic_bone_lesions and facts.labs.vegf_ng_l > 200
    assert facts.poems.organomegaly and facts.poems.extravascular_volume_overload
    assert myeloma_defining_events(facts) == set()


@pytest.mark.parametrize("key, lines, refractory", [
    ("RELAPSE_LINE_2 lenalidomide-refractory", 1, {"lenalidomide"}),
    ("RELAPSE_LINE_3 after Isa-Kd", 2, {"lenalidomide", "isatuximab", "carfilzomib"}),
    ("RELAPSE_LINE_4 triple-class exposed", 3, {"lenalidomide", "isatuximab", "carfilzomib", "pomalidomide"}),
    ("RELAPSE_LINE_5_PLUS t(11;14)", 4,
     {"lenalidomide", "isatuximab", "carfilzomib", "pomalidomide", "teclistamab"}),
], ids=["2nd line, lenalidomide-refractory", "3rd line after Isa-Kd", "4th line triple-class", "5th line t(11;14)"])
def test_demo_relapse_patients_have_their_history(seeded, key, lines, refractory):
    facts = _facts(key)
    assert len(facts.treatment_history) == lines
    assert [t.line for t in facts.treatment_history] == list(range(1, lines + 1))
    assert set().union(*(t.refractory_to for t in facts.treatment_history)) == refractory
    assert facts.marrow.clonal_plasma_cells_pct >= 10


@pytest.mark.hazard("HAZ-019")
@pytest.mark.parametrize("key, setting", [
    ("RELAPSE_LINE_2 lenalidomide-refractory", "RELAPSE_LINE_2"),
    ("RELAPSE_LINE_3 after Isa-Kd", "RELAPSE_LINE_3"),
    ("RELAPSE_LINE_4 triple-class exposed", "RELAPSE_LINE_4"),
    ("RELAPSE_LINE_5_PLUS t(11;14)", "RELAPSE_LINE_5_PLUS"),
], ids=["2nd line", "3rd line", "4th line", "5th line"])
def test_demo_relapse_patients_get_the_options_of_their_line(seeded, key, setting):
    # Each progressed on its latest line (refractory drugs recorded), so «Behandling av tilbakefall»
    # applies whether or not imaging was repeated at relapse.
    evaluation = evaluate(_facts(key))
    assert evaluation.diagnosis.code == "ACTIVE_MYELOMA"
    assert evaluation.treatment.setting == setting
    assert evaluation.treatment.options


def test_demo_line_4_is_triple_class_exposed(seeded):
    from guidelines.facts import ANTI_CD38, IMIDS, PROTEASOME_INHIBITORS

    facts = _facts("RELAPSE_LINE_4 triple-class exposed")
    exposed = set().union(*(t.drugs for t in facts.treatment_history))
    assert exposed & IMIDS and exposed & PROTEASOME_INHIBITORS and exposed & ANTI_CD38


def test_demo_line_5_has_t11_14(seeded):
    assert _facts("RELAPSE_LINE_5_PLUS t(11;14)").cytogenetics.t11_14 is True
