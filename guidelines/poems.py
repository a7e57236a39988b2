"""POEMS syndrome: screening, diagnostic criteria, workup, treatment choice, rehabilitation.

Source: Klinisk retningslinje POEMS syndrom (DMSG/DMCG, December 2023): "1. Anbefalinger
(Quick guide)" items 1–11, "Diagnostiske kriterier" (IMWG criteria based on the Mayo
criteria), "Udredning", "Strålebehandling", "Systemisk behandling", "Tromboseprofylakse"
and "Rehabilitering".
"""

import calendar
from dataclasses import dataclass
from datetime import date

from guidelines.advice import Option, TreatmentAdvice
from guidelines.facts import Frailty, PatientFacts, TreatmentLine
from guidelines.history import radiotherapy_only
from guidelines.messages import Quantity, Quote, Term, gettext_noop, msg
from guidelines.rules import Finding, dec, dedupe
from guidelines.sources import Ambiguity, Citation, ambiguity, poems

CITE_SCREENING = poems("Anbefalinger (Quick guide)", "Screening, items 1–3")
CITE_CRITERIA = poems("Diagnostiske kriterier")
CITE_WORKUP = poems("Udredning")
CITE_TREATMENT = poems("Anbefalinger (Quick guide)", "Behandling, items 4–7")
CITE_RADIOTHERAPY = poems("Strålebehandling")
CITE_SYSTEMIC = poems("Systemisk behandling")
CITE_THROMBOSIS = poems("Tromboseprofylakse")
CITE_REHABILITATION = poems("Rehabilitering", "items 8–11")
CITE_RELAPSE = poems("Relaps behandling")

# The POEMS guideline's systemic regimens that are not protocols of the library: descriptive option codes with
# the drugs they name (Systemisk behandling). Mel-HMAS is a library regimen (REGIMENS: the drug this chapter
# names for it, checked against the library by tests/guidelines/test_library_guard.py).
OPTION_DRUGS = {
    "lenalidomide-dexamethasone": ("lenalidomide", "dexamethasone"),
    "melphalan-dexamethasone": ("melphalan", "dexamethasone"),
}
REGIMENS = {"Mel-HMAS": frozenset({"melphalan"})}

VEGF_ELEVATED_NG_L = 200  # «Værdier > 200 ng/L betragtes som forhøjede»
PAPILLOEDEMA = msg("poems_guideline.name_papilloedema", gettext_noop("papilloedema"))
ORGANOMEGALY = msg("poems_guideline.name_organomegaly", gettext_noop("organomegaly"))

MANDATORY = ("polyneuropathy", "monoclonal_plasma_cell_disorder")
MAJOR = ("sclerotic_bone_lesions", "castleman", "vegf_elevated")
MINOR = (
    "organomegaly", "extravascular_volume_overload", "endocrinopathy", "skin_changes", "papilledema",
    "thrombocytosis_or_polycythemia",
)
# «diabetes og hypothyroidose er ikke tilstrækkelig som eneste manifestation»
ENDOCRINOPATHIES_THAT_COUNT = frozenset({"adrenal", "thyroid", "gonadal", "parathyroid", "pancreas", "pituitary"})

WORKUP = (
    msg("poems_guideline.workup_eng", gettext_noop(
        "Neurologist's assessment and nerve conduction studies (ENG): sensorimotor length-dependent "
        "demyelinating polyneuropathy")),
    msg("poems_guideline.workup_history", gettext_noop(
        "History: B symptoms and endocrine disturbances incl. menstrual disturbances and sexual dysfunction")),
    msg("poems_guideline.workup_examination", gettext_noop(
        "Examination: lymphadenopathy, gynaecomastia, pleural effusion, organomegaly, neurological examination incl. "
        "areflexia and gait disturbance (incl. positive Romberg), skin changes")),
    msg("poems_guideline.workup_m_component", gettext_noop(
        "M-component in serum and urine (24-hour urine; alternatively morning spot urine), serum free light chains; "
        "immunofixation when clinically suspected and electrophoresis is negative")),
    msg("poems_guideline.workup_blood_panel", gettext_noop(
        "Haemoglobin, MCV, reticulocytes, leukocytes with differential, platelets, ionised calcium, urate, urea, "
        "creatinine, sodium, potassium, IgA, IgG, IgM, urine protein; eGFR (24-hour urine creatinine clearance or "
        "Cr-EDTA clearance if serum creatinine is raised)")),
    msg("poems_guideline.workup_albumin_b2m_ldh", gettext_noop(
        "Albumin, β2-microglobulin, LDH")),
    msg("poems_guideline.workup_liver_coagulation", gettext_noop(
        "ALAT, alkaline phosphatase, bilirubin, factor II VII X, APTT, CRP, ferritin, cobalamin, folate, "
        "haptoglobin, DAT")),
    msg("poems_guideline.workup_endocrine", gettext_noop(
        "Endocrine screening (at diagnosis and with new symptoms): TSH; PTH and vitamin D; LH, FSH and "
        "oestradiol/androgens; HbA1c; (24-h urine cortisol), serum cortisol, ACTH and Synacthen test; prolactin and "
        "possibly IGF-1")),
    msg("poems_guideline.workup_vegf", gettext_noop(
        "Plasma VEGF-A (Aarhus University Hospital; > 200 ng/L elevated, expected normal < 100 ng/L)")),
    msg("poems_guideline.workup_ecg_echo", gettext_noop(
        "ECG and echocardiography (right heart function, pulmonary hypertension)")),
    msg("poems_guideline.workup_lung_function", gettext_noop(
        "Pulmonary function tests incl. DLCO if dyspnoea, especially when ASCT is considered")),
    msg("poems_guideline.workup_ophthalmology", gettext_noop(
        "Ophthalmology for papilloedema")),
    msg("poems_guideline.workup_dermatology", gettext_noop(
        "Possibly dermatological assessment")),
    msg("poems_guideline.workup_lumbar_puncture", gettext_noop(
        "Possibly lumbar puncture with flow cytometry and spinal fluid protein")),
    msg("poems_guideline.workup_ct", gettext_noop(
        "CT of neck, thorax, abdomen and pelvis with contrast, plus bone window from skull to knees (tell the "
        "radiologist that POEMS is suspected); FDG-PET/CT may be considered")),
    msg("poems_guideline.workup_marrow", gettext_noop(
        "Bone marrow: smears of marrow and blood, aspirate, biopsy with immunohistochemistry for clonality")),
)

REHABILITATION = (
    msg("poems_guideline.rehab_neuropathic", gettext_noop(
        "8. Neuropathic complaints: physiotherapy, occupational therapy, walking aids or wheelchair; neuropathic pain "
        "by usual standards")),
    msg("poems_guideline.rehab_neurorehabilitation", gettext_noop(
        "9. When neuropathy dominates: conference with neurologists about neurorehabilitation")),
    msg("poems_guideline.rehab_endocrine", gettext_noop(
        "10. Endocrine problems treated by usual standards; watch for onset during/after treatment")),
    msg("poems_guideline.rehab_oedema", gettext_noop(
        "11. Oedema / extravascular symptoms: diuretics and possibly ultrasound-guided centesis by usual standard")),
)

NOTES = (
    msg("poems_guideline.note_neurotoxicity", gettext_noop(
        "Caution with regimens that can cause neurotoxicity, e.g. bortezomib- and thalidomide-containing regimens; "
        "treatment with them is not contraindicated (item 6). Bortezomib s.c. once weekly to reduce neuropathy risk; "
        "thalidomide cannot be recommended in POEMS (Systemisk behandling).")),
    msg("poems_guideline.note_thrombosis", gettext_noop(
        "Thrombosis prophylaxis: aspirin (or another platelet inhibitor, e.g. aspirin 75 mg) and LMWH/DOAC from "
        "diagnosis; may stop at clinical remission and VEGF normalisation (item 7). Continue LMWH during continuous "
        "IMiD or other thrombogenic treatment.")),
    msg("poems_guideline.note_anti_vegf", gettext_noop(
        "Anti-VEGF treatment is not recommended outside clinical trials.")),
    msg("poems_guideline.note_infection", gettext_noop(
        "Infection prophylaxis incl. vaccination and antivirals as for the corresponding myeloma regimens.")),
)

FOCI_AMBIGUITY = ambiguity("poems_guideline.ambiguity_foci")
FLC_ONLY_AMBIGUITY = ambiguity("poems_guideline.ambiguity_flc_only")
AGE_AMBIGUITY = ambiguity("poems_guideline.ambiguity_age")
MARROW_AMBIGUITY = ambiguity("poems_guideline.ambiguity_marrow")

# Item 5 and «Strålebehandling» on progression after radiotherapy, the seed's words.
ITEM_5_AFTER_RADIOTHERAPY = Quote("«samt patienter med tegn på progression 3-6 mdr efter afsluttet "
                                  "strålebehandling (D)»")
SALVAGE_AFTER_RADIOTHERAPY = Quote("«Systemisk salvage terapi kan initieres efter failure af strålebehandling»")
RELAPSE_SYSTEMIC = Quote("«Relapsbehandling kan være svarende til myelomatose algoritmer mhp systemisk behandling, "
                         "inkl en ny HDT behandling»")
WINDOW_MONTHS = (3, 6)  # «3-6 mdr efter afsluttet strålebehandling» (item 5)
RADIOTHERAPY_FAILURE_AMBIGUITY = ambiguity("poems_guideline.ambiguity_radiotherapy_failure")


def radiotherapy_lines(facts: PatientFacts) -> list[tuple[int, TreatmentLine]]:
    """The history lines that gave radiotherapy, with their index in the request: ``radiotherapy_gy`` given
    (contract v1.1), or a line that is radiotherapy alone by its words (guidelines.history.radiotherapy_only)."""
    return [(i, line) for i, line in enumerate(facts.treatment_history)
            if line.radiotherapy_gy or radiotherapy_only(line)]


def months_after(start: date, months: int) -> date:
    """Calendar months after ``start``; a day the target month lacks (31 Aug + 3 months) becomes its last day
    (RADIOTHERAPY_FAILURE_AMBIGUITY says so)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def _after_radiotherapy(facts: PatientFacts):
    """Item 5 / Strålebehandling / Relaps behandling for a patient whose history records radiotherapy: (setting
    reason, missing paths, progressed) for the latest radiotherapy line, or None without one. Progression is a
    ``progression_date`` on that line or on a later one (the earliest of them); its place against «3-6 mdr efter
    afsluttet strålebehandling» is dated from the line's ``end_date``."""
    lines = radiotherapy_lines(facts)
    if not lines:
        return None
    index, rt = max(lines, key=lambda item: (item[1].line, item[0]))
    path = f"treatment_history[{index}]"
    dose = (Quantity(rt.radiotherapy_gy, "Gy") if rt.radiotherapy_gy
            else msg("poems_guideline.radiotherapy_dose_unknown", gettext_noop("dose not recorded")))
    progressions = [line.progression_date for line in facts.treatment_history
                    if line.line >= rt.line and line.progression_date is not None]
    if not progressions:
        return msg("poems_guideline.radiotherapy_given_no_progression", gettext_noop(
            "Radiotherapy (%(dose)s) is recorded on line %(line)s and no progression after it: no new treatment is "
            "chosen from these facts; follow the response (M-component and VEGF, full response evaluation after 3–6 "
            "months). If the disease progresses, record the progression date: progression after radiotherapy is "
            "treated systemically (item 5, %(quote)s), not with radiotherapy again."),
            dose=dose, line=rt.line, quote=ITEM_5_AFTER_RADIOTHERAPY), (f"{path}.progression_date",), False
    progressed = min(progressions)
    if rt.end_date is None:
        return msg("poems_guideline.progression_after_radiotherapy_end_unknown", gettext_noop(
            "Progression on %(progression)s after radiotherapy (%(dose)s, line %(line)s): systemic treatment — "
            "%(salvage)s; radiotherapy is not offered again. The end of the radiotherapy is not recorded, so the "
            "3–6 months of item 5 cannot be dated."),
            progression=progressed, dose=dose, line=rt.line, salvage=SALVAGE_AFTER_RADIOTHERAPY), \
            (f"{path}.end_date",), True
    earliest, latest = (months_after(rt.end_date, m) for m in WINDOW_MONTHS)
    common = {"progression": progressed, "dose": dose, "line": rt.line, "end": rt.end_date, "earliest": earliest,
              "latest": latest}
    if progressed < earliest:
        text = msg("poems_guideline.progression_before_3_months_after_radiotherapy", gettext_noop(
            "Progression on %(progression)s, before 3 months after the end of radiotherapy (%(dose)s, line "
            "%(line)s, ended %(end)s; 3–6 months: %(earliest)s – %(latest)s): failure of radiotherapy — systemic "
            "treatment, %(salvage)s; radiotherapy is not offered again."),
            salvage=SALVAGE_AFTER_RADIOTHERAPY, **common)
    elif progressed <= latest:
        text = msg("poems_guideline.progression_3_6_months_after_radiotherapy", gettext_noop(
            "Progression on %(progression)s, 3–6 months after the end of radiotherapy (%(dose)s, line %(line)s, "
            "ended %(end)s; 3–6 months: %(earliest)s – %(latest)s): systemic treatment (item 5, %(quote)s); "
            "radiotherapy is not offered again."),
            quote=ITEM_5_AFTER_RADIOTHERAPY, **common)
    else:
        text = msg("poems_guideline.progression_after_6_months_after_radiotherapy", gettext_noop(
            "Progression on %(progression)s, more than 6 months after the end of radiotherapy (%(dose)s, line "
            "%(line)s, ended %(end)s; 3–6 months: %(earliest)s – %(latest)s): relapse after radiotherapy — systemic "
            "treatment (Relaps behandling, %(relapse)s); radiotherapy is not offered again."),
            relapse=RELAPSE_SYSTEMIC, **common)
    return text, (), True


@dataclass(frozen=True)
class PoemsAssessment:
    """Screening, criteria and (when the criteria are met) treatment for POEMS syndrome.
    ``criteria_met`` is None when the known facts cannot decide it."""

    screen_positive: bool | None
    criteria_met: bool | None
    mandatory: tuple[str, ...] = ()
    major: tuple[str, ...] = ()
    minor: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    citations: tuple[Citation, ...] = (CITE_SCREENING, CITE_CRITERIA)
    ambiguities: tuple[Ambiguity, ...] = ()
    workup: tuple[str, ...] = ()
    treatment: TreatmentAdvice | None = None
    rehabilitation: tuple[str, ...] = ()


def _flag(value: bool | None, name, path: str) -> Finding:
    if value is None:
        return Finding(None, msg(
            "poems_guideline.finding_unknown", gettext_noop("%(finding)s unknown"), finding=name), (path,))
    return Finding(value, msg("poems_guideline.finding_yes_no", gettext_noop("%(finding)s: %(value)s"), finding=name,
                              value=value))


def flc_ratio_abnormal(facts: PatientFacts) -> bool:
    """Serum FLC ratio outside 0.26–1.65 (kappa/lambda), both chains known and lambda > 0."""
    k, lam = facts.labs.flc_kappa_mg_l, facts.labs.flc_lambda_mg_l
    return k is not None and lam is not None and lam > 0 and not dec(0.26) <= dec(k) / dec(lam) <= dec(1.65)


def m_component(facts: PatientFacts) -> Finding:
    """«S- eller urin-M-komponent» (Diagnostiske kriterier, mandatory criterion 2): serum or urine
    M-component > 0. An abnormal FLC ratio alone is not one (FLC_ONLY_AMBIGUITY)."""
    labs = facts.labs
    if labs.serum_m_protein_g_l is not None and labs.serum_m_protein_g_l > 0:
        return Finding(True, msg("poems_guideline.serum_m_component", gettext_noop("serum M-component %(m)s"),
                                 m=Quantity(labs.serum_m_protein_g_l, "g/L")))
    if labs.urine_m_protein_mg_24h is not None and labs.urine_m_protein_mg_24h > 0:
        return Finding(True, msg("poems_guideline.urine_m_component", gettext_noop("urine M-component %(m)s"),
                                 m=Quantity(labs.urine_m_protein_mg_24h, "mg/24 h")))
    missing = tuple(p for p, v in (("labs.serum_m_protein_g_l", labs.serum_m_protein_g_l),
                                   ("labs.urine_m_protein_mg_24h", labs.urine_m_protein_mg_24h)) if v is None)
    if missing:
        return Finding(None, msg(
            "poems_guideline.m_component_unknown", gettext_noop("M-component not fully known")), missing)
    return Finding(False, msg("poems_guideline.no_m_component", gettext_noop("no M-component in serum or urine")))


def _screening_m_component(facts: PatientFacts) -> Finding:
    """Screening item 1's «M-komponent (især lambda-letkæde)»: serum/urine M-component or an abnormal
    FLC ratio (a light-chain M-component)."""
    found = m_component(facts)
    if found.met is not True and flc_ratio_abnormal(facts):
        k, lam = facts.labs.flc_kappa_mg_l, facts.labs.flc_lambda_mg_l
        return Finding(True, msg("poems_guideline.abnormal_flc_ratio", gettext_noop(
            "abnormal FLC ratio %(kappa)s/%(lam)s (light-chain M-component)"), kappa=Quantity(k), lam=Quantity(lam)))
    return found


def screening(facts: PatientFacts) -> tuple[bool | None, tuple[str, ...], tuple[str, ...]]:
    """(screen_positive, reasons, missing) by Quick guide items 1–3:
    1. «alvorlig og hastigt fremadskridende polyneuropati og en af følgende: M-komponent (især
    lambda-letkæde), thrombocytose, ødem eller papilødem»; 2. «erhvervet demyeliniserende
    neuropati, med mistanke om CIDP»; 3. «refraktær ascites, gynækomasti eller organomegali af
    uafklaret årsag»."""
    p = facts.poems
    reasons, missing = [], []
    severe = _flag(p.polyneuropathy_severe_rapidly_progressive,
                   msg("poems_guideline.name_severe_polyneuropathy", gettext_noop(
                       "severe, rapidly progressive polyneuropathy")),
                   "poems.polyneuropathy_severe_rapidly_progressive")
    companions = [
        _screening_m_component(facts),
        _flag(p.thrombocytosis_or_polycythemia, msg(
            "poems_guideline.name_thrombocytosis", gettext_noop("thrombocytosis")),
              "poems.thrombocytosis_or_polycythemia"),
        _flag(p.extravascular_volume_overload, msg("poems_guideline.name_oedema", gettext_noop("oedema")),
              "poems.extravascular_volume_overload"),
        _flag(p.papilledema, PAPILLOEDEMA, "poems.papilledema"),
    ]
    item1: bool | None
    if severe.met is False:
        item1 = False
    elif any(c.met for c in companions):
        item1 = True if severe.met else None
    elif all(c.met is False for c in companions):
        item1 = False
    else:
        item1 = None
    if item1:
        reasons.append(msg("poems_guideline.screening_item_1", gettext_noop(
            "screening item 1: severe, rapidly progressive polyneuropathy with %(findings)s"),
            findings=[c.reason for c in companions if c.met]))
    elif item1 is None:
        missing += list(severe.missing) + [m for c in companions if c.met is None for m in c.missing]
    item2 = _flag(p.demyelinating_neuropathy_suspected_cidp, msg("poems_guideline.name_cidp", gettext_noop(
        "acquired demyelinating neuropathy, suspected CIDP")), "poems.demyelinating_neuropathy_suspected_cidp")
    if item2.met:
        reasons.append(msg("poems_guideline.screening_item_2", gettext_noop(
            "screening item 2: acquired demyelinating neuropathy with suspected CIDP")))
    item3 = [
        _flag(p.refractory_ascites, msg("poems_guideline.name_refractory_ascites", gettext_noop("refractory ascites")),
              "poems.refractory_ascites"),
        _flag(p.gynecomastia, msg(
            "poems_guideline.name_gynaecomastia", gettext_noop("gynaecomastia")), "poems.gynecomastia"),
        _flag(p.organomegaly, ORGANOMEGALY, "poems.organomegaly"),
    ]
    if any(f.met for f in item3):
        reasons.append(msg("poems_guideline.screening_item_3", gettext_noop(
            "screening item 3 (of unexplained cause): %(findings)s"), findings=[f.reason for f in item3 if f.met]))
    results = [item1, item2.met, *[f.met for f in item3]]
    if any(results):
        return True, tuple(reasons), ()
    if all(r is False for r in results):
        return False, (msg(
            "poems_guideline.no_screening_trigger", gettext_noop("no screening trigger (items 1–3)")),), ()
    missing += list(item2.missing) + [m for f in item3 for m in f.missing]
    return None, (msg("poems_guideline.screening_undecided", gettext_noop("screening undecided")),), dedupe(missing)


def criteria(facts: PatientFacts) -> dict[str, Finding]:
    """Each IMWG/Mayo criterion (Danish guideline, Diagnostiske kriterier)."""
    p, labs = facts.poems, facts.labs
    monoclonal = m_component(facts)
    marrow = facts.marrow.clonal_plasma_cells_pct
    if monoclonal.met is not True and marrow is not None and marrow > 0:
        monoclonal = Finding(True, msg("poems_guideline.marrow_infiltration", gettext_noop(
            "monoclonal plasma cell infiltration of the marrow (%(pct)s %%)"), pct=Quantity(marrow)))
    elif monoclonal.met is False and marrow is None:
        monoclonal = Finding(None, msg("poems_guideline.no_m_component_marrow_unknown", gettext_noop(
            "no M-component; marrow not examined")), ("marrow.clonal_plasma_cells_pct",))
    if monoclonal.met is not True and flc_ratio_abnormal(facts):
        monoclonal = Finding(monoclonal.met, msg("poems_guideline.flc_ratio_alone_not_enough", gettext_noop(
            "%(finding)s; an abnormal FLC ratio alone does not satisfy the mandatory criterion"),
            finding=monoclonal.reason), monoclonal.missing)
    if labs.vegf_ng_l is None:
        vegf = Finding(None, msg(
            "poems_guideline.vegf_unknown", gettext_noop("plasma VEGF unknown")), ("labs.vegf_ng_l",))
    elif labs.vegf_ng_l > VEGF_ELEVATED_NG_L:
        vegf = Finding(True, msg("poems_guideline.vegf_elevated", gettext_noop("plasma VEGF %(vegf)s > 200"),
                                 vegf=Quantity(labs.vegf_ng_l, "ng/L")))
    else:
        vegf = Finding(False, msg("poems_guideline.vegf_not_elevated", gettext_noop("plasma VEGF %(vegf)s ≤ 200"),
                                  vegf=Quantity(labs.vegf_ng_l, "ng/L")))
    if p.endocrinopathy is None:
        endo = Finding(None, msg("poems_guideline.endocrinopathy_unknown", gettext_noop("endocrinopathy unknown")),
                       ("poems.endocrinopathy",))
    elif counted := sorted(set(p.endocrinopathy) & ENDOCRINOPATHIES_THAT_COUNT):
        endo = Finding(True, msg("poems_guideline.endocrinopathy", gettext_noop("endocrinopathy: %(kinds)s"),
                                 kinds=[Term(k) for k in counted]))
    elif p.endocrinopathy:
        endo = Finding(False, msg("poems_guideline.endocrinopathy_not_counted", gettext_noop(
            "endocrinopathy: %(kinds)s only (diabetes and hypothyroidism alone do not count)"),
            kinds=[Term(k) for k in p.endocrinopathy]))
    else:
        endo = Finding(False, msg("poems_guideline.no_endocrinopathy", gettext_noop("no endocrinopathy")))
    return {
        "polyneuropathy": _flag(p.polyneuropathy, msg(
            "poems_guideline.name_polyneuropathy", gettext_noop("polyneuropathy")),
                                "poems.polyneuropathy"),
        "monoclonal_plasma_cell_disorder": monoclonal,
        "sclerotic_bone_lesions": _flag(facts.imaging.sclerotic_bone_lesions, msg(
            "poems_guideline.name_sclerotic_bone_lesions", gettext_noop("sclerotic bone lesions")),
            "imaging.sclerotic_bone_lesions"),
        "castleman": _flag(p.castleman, msg("poems_guideline.name_castleman", gettext_noop("Castleman disease")),
                           "poems.castleman"),
        "vegf_elevated": vegf,
        "organomegaly": _flag(p.organomegaly, ORGANOMEGALY, "poems.organomegaly"),
        "extravascular_volume_overload": _flag(p.extravascular_volume_overload, msg(
            "poems_guideline.name_extravascular_volume_overload", gettext_noop("oedema, pleural effusion or ascites")),
            "poems.extravascular_volume_overload"),
        "endocrinopathy": endo,
        "skin_changes": _flag(p.skin_changes, msg("poems_guideline.name_skin_changes", gettext_noop("skin changes")),
                              "poems.skin_changes"),
        "papilledema": _flag(p.papilledema, PAPILLOEDEMA, "poems.papilledema"),
        "thrombocytosis_or_polycythemia": _flag(p.thrombocytosis_or_polycythemia, msg(
            "poems_guideline.name_thrombocytosis_or_polycythaemia", gettext_noop("thrombocytosis/polycythaemia")),
            "poems.thrombocytosis_or_polycythemia"),
    }


def _group(findings, names) -> tuple[bool | None, tuple[str, ...]]:
    """(at least one met?, met names)."""
    met = tuple(n for n in names if findings[n].met)
    if met:
        return True, met
    if all(findings[n].met is False for n in names):
        return False, ()
    return None, ()


def treatment(facts: PatientFacts) -> TreatmentAdvice:
    """Treatment choice for diagnosed POEMS (Quick guide items 4–7; Strålebehandling; Systemisk
    behandling; Tromboseprofylakse): radiotherapy 40–50 Gy, curative intent, for localised
    disease (≤ 2 (3) bone foci on CT) without marrow involvement; with 1–2 dominant lesions and
    minimal marrow involvement radiotherapy «kan initieres» (equal standing with systemic
    treatment); otherwise systemic cytoreductive treatment including HDT with ASCT for younger
    (physiologically < 70), fit patients. The setting is left NONE while the foci or the marrow
    needed for the choice are unknown; with clonal plasma cells in the marrow the setting is systemic
    whatever the count, and the count is listed as missing (it decides whether radiotherapy stands
    beside systemic treatment)."""
    foci = facts.imaging.sclerotic_bone_lesion_count
    marrow = facts.marrow.clonal_plasma_cells_pct
    missing = []
    radiotherapy = Option(
        regimen="radiotherapy-40-50Gy", rank=1,
        note=msg("poems_guideline.option_radiotherapy", gettext_noop(
            "Radiotherapy 40–50 Gy to localised disease, curative intent (item 4). Consider PET-CT before; "
            "pelvic/sacral lesion in an ASCT candidate: consider stem cell harvest before radiotherapy. Systemic "
            "treatment if progression 3–6 months after radiotherapy (item 5).")),
        citation=CITE_TREATMENT,
    )
    young_fit = facts.age < 70 and facts.frailty == Frailty.FIT
    if facts.frailty is None:
        missing.append("frailty")
    if young_fit:
        systemic = (
            Option("Mel-HMAS", 1, msg("poems_guideline.option_hdt_asct", gettext_noop(
                "High-dose melphalan (Mel140–200 as in the myeloma guidelines) with ASCT for younger, fit patients "
                "(item 5); lenalidomide-dexamethasone induction may control symptoms until transplant (remember "
                "stem cell harvest).")), CITE_SYSTEMIC),
            Option("lenalidomide-dexamethasone", 2, msg("poems_guideline.option_rd_induction", gettext_noop(
                "Lenalidomide-dexamethasone (as induction before ASCT; not as maintenance after ASCT).")),
                CITE_SYSTEMIC),
        )
    else:
        systemic = (
            Option("lenalidomide-dexamethasone", 1, msg("poems_guideline.option_rd_first_line", gettext_noop(
                "Lenalidomide-dexamethasone, 1st line for elderly/unfit patients, continuous to maintain response; "
                "frail/elderly: lenalidomide 15 mg (Systemisk behandling).")), CITE_SYSTEMIC),
            Option("melphalan-dexamethasone", 2, msg("poems_guideline.option_md", gettext_noop(
                "Melphalan-dexamethasone for patients who are not ASCT candidates (stem cell toxic: not if HDT with "
                "ASCT is planned).")), CITE_SYSTEMIC),
        )
    frailty = Term(str(facts.frailty) if facts.frailty else "unknown")
    reasons = [msg("poems_guideline.hdt_candidate", gettext_noop(
        "age %(age)s, frailty %(frailty)s: HDT/ASCT candidate (physiologically < 70, fit)"),
        age=facts.age, frailty=frailty) if young_fit else msg("poems_guideline.not_hdt_candidate", gettext_noop(
            "age %(age)s, frailty %(frailty)s: not an HDT/ASCT candidate by age < 70 and fit"),
            age=facts.age, frailty=frailty)]
    ambiguities = [FOCI_AMBIGUITY, AGE_AMBIGUITY]
    irradiated = _after_radiotherapy(facts)
    if irradiated is not None:
        text, lacking, progressed = irradiated
        missing += lacking
        reasons.insert(0, text)
        ambiguities.append(RADIOTHERAPY_FAILURE_AMBIGUITY)
        setting, options = ("POEMS_SYSTEMIC", systemic) if progressed else ("NONE", ())
    elif foci is not None and (foci == 0 or foci > 3):
        setting, options = "POEMS_SYSTEMIC", systemic
        reasons.insert(0, msg("poems_guideline.no_focus", gettext_noop(
            "%(foci)s bone foci on CT: no localised focus to irradiate — systemic treatment"), foci=foci)
            if foci == 0 else msg("poems_guideline.disseminated_foci", gettext_noop(
                "%(foci)s bone foci on CT: more than 3 foci, disseminated disease — systemic treatment"), foci=foci))
    elif foci is None and marrow is not None and marrow > 0:
        # Marrow involved: systemic treatment whatever the count; only with 1–2 dominant lesions could
        # radiotherapy stand beside it («et enkelt eller 2 knoglelæsioner»), so the count is asked for.
        setting, options = "POEMS_SYSTEMIC", systemic
        missing.append("imaging.sclerotic_bone_lesion_count")
        reasons.insert(0, msg("poems_guideline.marrow_foci_needed", gettext_noop(
            "%(pct)s %% clonal marrow plasma cells: systemic treatment; the number of bone foci on CT is needed to "
            "tell whether radiotherapy (1–2 dominant lesions) is an option as well"), pct=Quantity(marrow)))
    elif foci is None or marrow is None:
        setting, options = "NONE", ()
        if foci is None:
            missing.append("imaging.sclerotic_bone_lesion_count")
        if marrow is None:
            missing.append("marrow.clonal_plasma_cells_pct")
        reasons.insert(0, msg("poems_guideline.treatment_undecided", gettext_noop(
            "radiotherapy or systemic treatment undecided: the number of bone foci on CT and the marrow involvement "
            "are needed")))
    elif marrow == 0 and foci <= 2:
        setting, options = "POEMS_RADIOTHERAPY", (radiotherapy,)
        reasons.insert(0, msg("poems_guideline.localised", gettext_noop(
            "localised disease: %(foci)s bone focus/foci ≤ 2 and no clonal plasma cells in the marrow"), foci=foci))
    elif marrow == 0:
        setting = "POEMS_RADIOTHERAPY"
        options = (radiotherapy, systemic[0])
        reasons.insert(0, msg("poems_guideline.three_foci", gettext_noop(
            "3 foci without marrow involvement: the guideline's «≤ 2 (3) foci» — radiotherapy and systemic "
            "treatment of equal standing")))
    elif foci <= 2:
        setting = "POEMS_SYSTEMIC"
        options = (*systemic, Option(radiotherapy.regimen, 1, msg(
            "poems_guideline.option_radiotherapy_minimal_marrow", gettext_noop(
            "With 1–2 dominant bone lesions and minimal marrow involvement radiotherapy may be started; monitor "
            "M-component and VEGF after 6–12 months for the need of systemic treatment.")), CITE_RADIOTHERAPY))
        ambiguities.append(MARROW_AMBIGUITY)
        reasons.insert(0, msg("poems_guideline.dominant_lesions_with_marrow", gettext_noop(
            "%(foci)s dominant bone lesion(s) and %(pct)s %% clonal marrow plasma cells: systemic treatment, or "
            "radiotherapy if the marrow involvement is minimal (equal standing)"), foci=foci, pct=Quantity(marrow)))
    else:
        setting, options = "POEMS_SYSTEMIC", systemic
        reasons.insert(0, msg("poems_guideline.disseminated", gettext_noop(
            "disseminated disease: %(foci)s foci with %(pct)s %% clonal marrow plasma cells"), foci=foci,
            pct=Quantity(marrow)))
    citations = (CITE_TREATMENT, CITE_RADIOTHERAPY, CITE_SYSTEMIC, CITE_THROMBOSIS)
    if irradiated is not None:
        citations += (CITE_RELAPSE,)
    return TreatmentAdvice(
        setting=setting, options=tuple(sorted(options, key=lambda o: o.rank)), notes=NOTES, reasons=tuple(reasons),
        missing=dedupe(missing), citations=citations,
        ambiguities=tuple(ambiguities),
    )


def assess(facts: PatientFacts) -> PoemsAssessment:
    """Screening and IMWG/Mayo criteria for POEMS (Danish guideline, Diagnostiske kriterier):
    «to mandatoriske kriterier» (both required: polyneuropathy and a monoclonal plasma cell
    disorder), «Major kriterier (plus mindst én …)» (sclerotic bone lesions, Castleman, VEGF >
    200 ng/L) and «Minor kriterier (plus mindst én …)»."""
    screen_positive, screen_reasons, screen_missing = screening(facts)
    findings = criteria(facts)
    mandatory = tuple(n for n in MANDATORY if findings[n].met)
    mandatory_known = all(findings[n].met is not None for n in MANDATORY)
    major_ok, major = _group(findings, MAJOR)
    minor_ok, minor = _group(findings, MINOR)
    reasons = list(screen_reasons)
    if len(mandatory) == 2 and major_ok and minor_ok:
        met = True
    elif (mandatory_known and len(mandatory) < 2) or major_ok is False or minor_ok is False:
        met = False
    else:
        met = None
    reasons += [f.reason for f in findings.values() if f.met is not None]
    relevant = screen_positive or any(findings[n].met for n in (*MANDATORY, *MAJOR))
    missing = list(screen_missing)
    if met is None and relevant:
        missing += [p for f in findings.values() if f.met is None for p in f.missing]
    reasons.append({True: msg("poems_guideline.criteria_met", gettext_noop(
                        "POEMS criteria met (both mandatory, ≥ 1 major, ≥ 1 minor)")),
                    False: msg("poems_guideline.criteria_not_met", gettext_noop("POEMS criteria not met")),
                    None: msg("poems_guideline.criteria_undecided", gettext_noop("POEMS criteria undecided"))}[met])
    citations = [CITE_SCREENING, CITE_CRITERIA]
    if met:
        advice = treatment(facts)
        citations += [CITE_WORKUP, *advice.citations, CITE_REHABILITATION]
    else:
        advice = None
    ambiguities = list(advice.ambiguities) if advice else []
    if findings["monoclonal_plasma_cell_disorder"].met is not True and flc_ratio_abnormal(facts):
        ambiguities.insert(0, FLC_ONLY_AMBIGUITY)
    return PoemsAssessment(
        screen_positive=screen_positive, criteria_met=met, mandatory=mandatory, major=major, minor=minor,
        reasons=tuple(reasons), missing=dedupe(missing), citations=dedupe(citations),
        ambiguities=tuple(ambiguities),
        workup=WORKUP if (screen_positive or met) else (),
        treatment=advice, rehabilitation=REHABILITATION if met else (),
    )
