"""POEMS syndrome: screening, diagnostic criteria, workup and rehabilitation; the treatment choice is
guidelines/poems_treatment.py, given here once the criteria are met.

Source: Klinisk retningslinje POEMS syndrom (DMSG/DMCG, December 2023): "1. Anbefalinger
(Quick guide)" items 1–3 and 8–11, "Diagnostiske kriterier" (IMWG criteria based on the Mayo
criteria), "Udredning" and "Rehabilitering".
"""

from dataclasses import dataclass

from guidelines.advice import TreatmentAdvice
from guidelines.facts import PatientFacts
from guidelines.messages import Quantity, Term, gettext_noop, msg
from guidelines.poems_treatment import treatment
from guidelines.rules import Finding, dec, dedupe
from guidelines.sources import Ambiguity, Citation, ambiguity, poems

CITE_SCREENING = poems("Anbefalinger (Quick guide)", "Screening, items 1–3")
CITE_CRITERIA = poems("Diagnostiske kriterier")
CITE_WORKUP = poems("Udredning")
CITE_REHABILITATION = poems("Rehabilitering", "items 8–11")

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

FLC_ONLY_AMBIGUITY = ambiguity("poems_guideline.ambiguity_flc_only")
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
