"""Supportive care from the Norwegian myeloma action programme, chapter "Støttebehandling".

Sections: Tromboseprofylakse, Bisfosfonater og denosumab, Infeksjonsforebyggende behandling (vaccine table and
"Øvrig infeksjonsprofylakse"), Anemibehandling, Behandling av hyperkalsemi. Pure Python, no Django.
A fact a rule needs but does not have is named in the item's reasons as ``missing: <JSON path>``. Every
text is a message (guidelines.messages): a code, an English template and its parameters.

Supportive care follows the treatment, not only the diagnosis drawn from today's labs (contract v1.1;
docs/adr/0022-supportive-care-follows-the-treatment.md): ``treatment_events`` reads the one history reading
(guidelines.history) and ``current_treatment`` into TreatmentEvents — whether the patient has been treated for
myeloma, the HMAS reinfusion date (day 0), whether CAR-T was given, the start of a current bispecific — and
every item the guideline dates from such an event carries its ``due_date``.
"""

import calendar
from dataclasses import dataclass, replace
from datetime import date

from guidelines.advice import SupportiveItem
from guidelines.facts import ANTI_CD38, PROTEASOME_INHIBITORS, PatientFacts
from guidelines.history import CAR_T_WORDS, HistoryReading
from guidelines.messages import Message, Quantity, gettext_noop, msg
from guidelines.sources import myeloma
from guidelines.terms import drugs as terms
from guidelines.terms import sentences
from guidelines.treatment.common import (
    ACTIVE_MYELOMA,
    FIRST_LINE_TRANSPLANT,
    NO_PLASMA_CELL_DISORDER,
    PLASMA_CELL_LEUKEMIA,
    PLASMA_CELL_LEUKEMIA_SETTING,
    POEMS,
    RELAPSE_SETTINGS,
    beside,
)

S_THROMBOSIS = "Tromboseprofylakse"
S_BONE = "Bisfosfonater og denosumab"
S_INFECTION = "Infeksjonsforebyggende behandling"
S_ANAEMIA = "Anemibehandling"
S_HYPERCALCAEMIA = "Behandling av hyperkalsemi"

MYELOMA_DIAGNOSES = frozenset({ACTIVE_MYELOMA, PLASMA_CELL_LEUKEMIA})
HMAS_SETTINGS = frozenset({FIRST_LINE_TRANSPLANT, PLASMA_CELL_LEUKEMIA_SETTING})
THROMBOGENIC_IMIDS = frozenset({"lenalidomide", "pomalidomide"})
BCMA_BISPECIFICS = frozenset({"teclistamab", "elranatamab"})
BISPECIFICS = BCMA_BISPECIFICS | {"talquetamab"}

CALCIUM_LIMIT_MMOL_L = 2.90
IONISED_CALCIUM_LIMIT_MMOL_L = 1.45
CREATININE_BISPHOSPHONATE_LIMIT_UMOL_L = 400
IGG_LIMIT_G_L = 4.0
BISPHOSPHONATE_EGFR = 30  # «Bisfosfonater anbefales ikke hvis GFR<30 ml/min»


def add_months(start: date, months: int) -> tuple[date, Message | None]:
    """Calendar months after ``start``. When the day does not exist in the target month (31 Jan + 1 month) the
    last day of that month is used, and the returned remark says so — nothing is moved silently (None when the
    day exists)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    if start.day <= last:
        return date(year, month, start.day), None
    return date(year, month, last), msg("supportive.day_not_in_month", gettext_noop(
        "(day %(day)s does not exist in %(month)s: last day of month)"), day=start.day, month=f"{year}-{month:02d}")


def _dose_label(label: str, n: int) -> Message:
    if label == "dose":
        return msg("supportive.dose_n_of_3", gettext_noop("dose %(n)s of 3"), n=n)
    if label == "ppv23":
        return msg("supportive.ppv23_single_dose", gettext_noop("single dose, then every 6 years"))
    if label == "sars":
        return msg("supportive.sars_cov_2_dose", gettext_noop(
            "basic vaccination dose %(n)s of 3, then yearly booster"), n=n)
    return msg("supportive.tetravac_dose", gettext_noop("dose %(n)s of 3, then Boostrix every 10 years"), n=n)


def hmas_vaccination_schedule(reinfusion_date: date) -> tuple[tuple[date, str, Message], ...]:
    """Revaccination after HMAS, dated from stem cell reinfusion (Infeksjonsforebyggende behandling, Vaksiner,
    "Særlig anbefaling for HMAS"): PCV20 3, 4, 5 months then PPV23 12 months; SARS-CoV-2 basic vaccination 3, 4,
    5 months; Tetravac 6, 7, 12 months; Act-Hib 6, 7, 12 months. Returns (date, vaccine, dose label) by date."""
    plan = (
        ("PCV20 (Apexxnar/Prevenar20)", (3, 4, 5), "dose"),
        ("PPV23 (Pneumovax)", (12,), "ppv23"),
        ("SARS-CoV-2", (3, 4, 5), "sars"),
        ("Tetravac", (6, 7, 12), "tetravac"),
        ("Act-Hib", (6, 7, 12), "dose"),
    )
    rows = []
    for vaccine, months, label in plan:
        for n, month in enumerate(months, start=1):
            when, remark = add_months(reinfusion_date, month)
            if remark is None:
                text = msg("supportive.months_after_reinfusion", gettext_noop(
                    "%(months)s months after reinfusion: %(label)s"), months=month, label=_dose_label(label, n))
            else:
                text = msg("supportive.months_after_reinfusion_moved", gettext_noop(
                    "%(months)s months after reinfusion: %(label)s %(remark)s"), months=month,
                    label=_dose_label(label, n), remark=remark)
            rows.append((when, vaccine, text))
    return tuple(sorted(rows, key=lambda row: row[0]))


def _missing(path: str) -> Message:
    """A fact the rule needs and lacks, named in an item's reasons (patients.assessment links it to its form)."""
    return msg("supportive.missing", gettext_noop("missing: %(path)s"), path=path)


@dataclass(frozen=True)
class TreatmentEvents:
    """What supportive care reads from the treatment (history and ``current_treatment``), worked out once by
    ``treatment_events``.

    ``treated``: labels of the latest systemic treatment given and of the current one (empty: untreated) — a
    patient treated for myeloma keeps the myeloma package (bone, vaccines, infection prophylaxis) whatever
    today's labs say.
    ``reinfusion_date``: the latest HMAS stem cell reinfusion, day 0 (``treatment_history[].transplant_date`` of a
    line that is not CAR-T); ``reinfusion_missing``: the JSON path to ask for when a line records an
    autologous transplant without its date (on the latest line, no progression recorded). ``car_t``: CAR-T in
    the history or the current regimen.
    ``bispecific_start``: ``current_treatment.start_date`` when the current regimen is a bispecific antibody
    (``bispecific_drugs``); ``bispecific_missing``: that path when the start date is not known."""

    treated: tuple[str, ...] = ()
    reinfusion_date: date | None = None
    reinfusion_missing: str | None = None
    car_t: bool = False
    bispecific_drugs: tuple[str, ...] = ()
    bispecific_start: date | None = None
    bispecific_missing: str | None = None


NO_EVENTS = TreatmentEvents()


def treatment_events(facts: PatientFacts, history: HistoryReading, current_drugs=()) -> TreatmentEvents:
    """The events supportive care dates from, read from the one history reading and ``current_treatment``
    (``current_drugs``: the drugs of ``current_treatment.regimen``, from the protocol library).

    A ``transplant_date`` on a CAR-T line is not the HMAS reinfusion: the HMAS revaccination («3, 4 og 5 måneder
    etter reinfusjon») is not dated from it. Radiotherapy alone is not systemic treatment (history.systemic)."""
    current = facts.current_treatment
    current_car_t = any(word in (current.regimen or "").lower() for word in CAR_T_WORDS)
    # named by the latest line (with its HMAS and maintenance) and the current treatment when it is another one
    treated = [line.label for line in history.latest_group]
    if current.regimen and (current_drugs or current_car_t) and current.regimen not in {
            line.line.regimen for line in history.latest_group}:
        treated.append(msg("supportive.current_treatment", gettext_noop("current treatment %(regimen)s"),
                           regimen=current.regimen))
    hmas_dates = [line.line.transplant_date for line in history.lines
                  if line.line.transplant_date is not None and not line.car_t]
    # an undated transplant is asked for only on the latest line without recorded progression (in remission or on
    # maintenance after it): after a relapse the HMAS schedule is not asked for again
    undated = [line for line in history.latest_group if line.transplant and line.line.transplant_date is None
               and not line.car_t] if not history.progression else []
    bispecifics = tuple(sorted(frozenset(current_drugs) & BISPECIFICS))
    return TreatmentEvents(
        treated=tuple(treated),
        reinfusion_date=max(hmas_dates) if hmas_dates else None,
        reinfusion_missing=undated[-1].path("transplant_date") if undated and not hmas_dates else None,
        car_t=history.car_t or current_car_t,
        bispecific_drugs=bispecifics,
        bispecific_start=current.start_date if bispecifics else None,
        bispecific_missing="current_treatment.start_date" if bispecifics and current.start_date is None else None,
    )


def supportive_care(facts: PatientFacts, *, diagnosis_code: str, setting: str, egfr_ml_min: float | None,
                    regimen_drugs=(), reinfusion_date: date | None = None, igg_g_l: float | None = None,
                    car_t: bool = False, ionised_calcium_mmol_l: float | None = None,
                    events: TreatmentEvents = NO_EVENTS) -> tuple[SupportiveItem, ...]:
    """The supportive-care measures that apply to this patient and treatment (Støttebehandling).

    ``regimen_drugs`` are the drugs of the current or planned regimen (contract drug names); ``reinfusion_date``
    the HMAS stem cell reinfusion date; ``igg_g_l`` polyclonal serum IgG; ``car_t`` whether the patient gets or
    got CAR-T; ``events`` what the treatment says (``treatment_events``; its reinfusion date and CAR-T add to
    the arguments). POEMS follows the Danish guideline and gets nothing here.

    Follows the treatment: a patient treated for myeloma (``events.treated``) gets the myeloma package — bone
    protection («Også pasienter uten skjelettskade ved diagnosetidspunkt har effekt»), vaccines, infection
    prophylaxis — also when today's labs read as remission (MGUS, no plasma cell disorder, not enough facts);
    each such item says so in its reasons. An untreated patient is read by the diagnosis alone, as before."""
    if diagnosis_code == POEMS or (diagnosis_code == NO_PLASMA_CELL_DISORDER and not events.treated):
        return ()
    reinfusion_date = reinfusion_date or events.reinfusion_date
    car_t = car_t or events.car_t
    drugs = frozenset(regimen_drugs) | frozenset(events.bispecific_drugs)
    items = []
    items += _thrombosis(drugs)
    if diagnosis_code in MYELOMA_DIAGNOSES or events.treated:
        package = []
        package += _bone(facts, setting=setting, egfr_ml_min=egfr_ml_min)
        package += _vaccines(setting=setting, reinfusion_date=reinfusion_date, car_t=car_t, events=events)
        package += _infection(drugs, setting=setting, reinfusion_date=reinfusion_date, igg_g_l=igg_g_l, car_t=car_t,
                              events=events)
        if diagnosis_code not in MYELOMA_DIAGNOSES:
            follows = msg("supportive.follows_treatment", gettext_noop(
                "Treated for myeloma (%(treatment)s): supportive care follows the treatment, not only today's "
                "diagnosis %(diagnosis)s."), treatment=list(events.treated), diagnosis=diagnosis_code)
            package = [replace(item, reasons=(*item.reasons, follows)) for item in package]
        items += package
    items += _hypercalcaemia(facts, diagnosis_code=diagnosis_code, ionised_calcium_mmol_l=ionised_calcium_mmol_l)
    items += _anaemia(facts)
    return tuple(items)


def _thrombosis(drugs):
    """Tromboseprofylakse ved lenalidomid og pomalidomid: ASA 75 mg; high thrombosis risk: warfarin, DOAC or
    low-molecular-weight heparin (enoxaparin 40 mg or equivalent)."""
    imids = sorted(drugs & THROMBOGENIC_IMIDS)
    if not imids:
        return []
    return [SupportiveItem(
        "thrombosis",
        msg("supportive.thrombosis_prophylaxis", gettext_noop(
            "Thrombosis prophylaxis: acetylsalicylic acid 75 mg × 1 daily. High thrombosis risk (several risk "
            "factors): warfarin, a DOAC or low-molecular-weight heparin (enoxaparin 40 mg or equivalent) instead.")),
        myeloma(S_THROMBOSIS),
        (msg("supportive.regimen_contains", gettext_noop("Regimen contains %(drugs)s."), drugs=terms(imids)),),
    )]


def _each(kind, citation, *texts):
    """One item per text, all of one kind from one section."""
    return [SupportiveItem(kind, text, citation) for text in texts]


def _bone(facts, *, setting, egfr_ml_min):
    """Bisfosfonater og denosumab: zoledronate 4 mg iv over 15 min every 4 weeks; not if GFR < 30 (denosumab,
    watch hypocalcaemia, a final zoledronic acid dose when stopping denosumab); dental assessment; calcium +
    vitamin D 1000/800."""
    citation = myeloma(S_BONE)
    items = _each(
        "bone", citation,
        msg("supportive.dental_assessment", gettext_noop(
            "Dental assessment before starting a bisphosphonate (medical certificate for reimbursement), then every "
            "6 months: both bisphosphonates and denosumab can cause osteonecrosis of the jaw.")),
        msg("supportive.calcium_vitamin_d", gettext_noop(
            "Calcium with vitamin D, 1000/800, for all patients.")),
    )
    if egfr_ml_min is None:
        items.append(SupportiveItem("bone", msg("supportive.zoledronate_egfr_unknown", gettext_noop(
            "Zoledronate 4 mg iv over 15 min every 4 weeks — unless GFR < 30 mL/min, then denosumab: eGFR is "
            "unknown, so the choice cannot be made.")), citation, (_missing("labs.egfr_ml_min"),)))
        return items
    egfr = beside(egfr_ml_min, BISPHOSPHONATE_EGFR)
    if egfr_ml_min < BISPHOSPHONATE_EGFR:
        items.append(SupportiveItem("bone", msg("supportive.denosumab_below_30", gettext_noop(
            "Bisphosphonates are not recommended at GFR < 30 mL/min. Denosumab can be used; watch for "
            "hypocalcaemia. Give a final dose of zoledronic acid when denosumab is stopped.")), citation,
            (msg("supportive.egfr_below_30", gettext_noop("eGFR %(egfr)s < 30 mL/min."), egfr=egfr),)))
        return items
    reasons = [msg("supportive.egfr_30_or_more", gettext_noop("eGFR %(egfr)s ≥ 30 mL/min: bisphosphonate allowed."),
                   egfr=egfr)]
    lytic = facts.imaging.lytic_lesions
    if lytic is None:
        duration = msg("supportive.bisphosphonate_duration_unknown", gettext_noop(
            "Without osteolyses and in VGPR (read as VGPR or better): may stop after 12 doses. With osteolytic "
            "disease: after at least 12 doses every 3 months, continued until 4 years in total."))
        reasons.append(_missing("imaging.lytic_lesions"))
    elif lytic > 0:
        duration = msg("supportive.bisphosphonate_duration_osteolytic", gettext_noop(
            "Osteolytic disease: after at least 12 doses go to every 3 months, and continue until treatment has been "
            "given for 4 years."))
        reasons.append(msg("supportive.osteolytic_lesions", gettext_noop("%(count)s osteolytic lesion(s)."),
                           count=lytic))
    else:
        duration = msg("supportive.bisphosphonate_duration_no_osteolyses", gettext_noop(
            "No osteolyses: may stop after 12 doses if in VGPR (read as VGPR or better)."))
        reasons.append(msg("supportive.no_osteolytic_lesions", gettext_noop("No osteolytic lesions.")))
    zoledronate = msg("supportive.zoledronate", gettext_noop("Zoledronate 4 mg iv over 15 min every 4 weeks."))
    items.append(SupportiveItem("bone", sentences(zoledronate, duration), citation, tuple(reasons)))
    if setting in RELAPSE_SETTINGS:
        items.append(SupportiveItem("bone", msg("supportive.bisphosphonate_at_relapse", gettext_noop(
            "At relapse bisphosphonate treatment is assessed individually: total amount given, whether there is "
            "skeletal disease and whether it is increasing. A restart can be limited to one year, with the interval "
            "increased towards 3 months.")), citation,
            (msg("supportive.relapse_setting", gettext_noop("Relapse setting.")),)))
    return items


def _reinfusion_missing(events: TreatmentEvents) -> Message:
    return _missing(events.reinfusion_missing or "reinfusion_date")


def _vaccines(*, setting, reinfusion_date, car_t, events=NO_EVENTS):
    """Infeksjonsforebyggende behandling, Vaksiner: all patients (FHI), plus HMAS revaccination (EBMT).

    Dated from the HMAS reinfusion (day 0), each dose its own item with ``due_date``: «HMAS: Revaksinasjon med 3
    doser PKV20 (Apexxnar/Prevenar20) 3, 4 og 5 måneder etter reinfusjon, deretter PPV23 (Pneumovax) 12 måneder
    etter reinfusjon», Sars-CoV2 «Grunnvaksinasjon 3, 4 og 5 måneder etter reinfusjon», «Tetravac 6, 7 og 12
    måneder etter reinfusjon», «Act-Hib 6, 7 og 12 måneder etter reinfusjon»; «gulfebervaksine kan vurderes 2
    år etter HMAS». The CAR-T text («revaksinasjon for pneumokokker fra 3-6 måneder etter CAR-T») stays undated:
    the request carries no CAR-T reinfusion date."""
    citation = myeloma(S_INFECTION, "Vaksiner")
    items = _each(
        "vaccine", citation,
        msg("supportive.pneumococci", gettext_noop(
            "Pneumococci: PCV20 (Apexxnar/Prevenar20) first, PPV23 (Pneumovax) 8 weeks later; PCV20 is not repeated, "
            "PPV23 every 6 years. If earlier only PPV23: PCV20 from 1 year after PPV23.")),
        msg("supportive.influenza", gettext_noop(
            "Influenza: seasonal vaccine every autumn.")),
        msg("supportive.sars_cov_2", gettext_noop("SARS-CoV-2: yearly booster.")),
        msg("supportive.diphtheria_tetanus_pertussis", gettext_noop(
            "Diphtheria, tetanus, pertussis (polio): Boostrix every 10 years.")),
        msg("supportive.varicella_zoster", gettext_noop(
            "Varicella zoster: Shingrix, two doses two months apart, for everyone with myeloma (not reimbursed; no "
            "data on revaccination after HMAS).")),
        msg("supportive.hepatitis_b_vaccine", gettext_noop(
            "Hepatitis B: individual assessment (not reimbursed).")),
    )
    if setting in HMAS_SETTINGS or reinfusion_date is not None or events.reinfusion_missing:
        if reinfusion_date is None:
            items.append(SupportiveItem("vaccine", msg("supportive.hmas_revaccination_undated", gettext_noop(
                "After HMAS: PCV20 3, 4 and 5 months and PPV23 12 months after reinfusion; SARS-CoV-2 3, 4 and 5 "
                "months; Tetravac and Act-Hib 6, 7 and 12 months. Dates follow once the reinfusion date is known.")),
                citation, (_reinfusion_missing(events),)))
        else:
            for when, vaccine, label in hmas_vaccination_schedule(reinfusion_date):
                items.append(SupportiveItem("vaccine", msg("supportive.hmas_revaccination", gettext_noop(
                    "%(date)s: %(vaccine)s — %(label)s."), date=when, vaccine=vaccine, label=label), citation,
                    (msg("supportive.reinfusion", gettext_noop("Reinfusion %(date)s."), date=reinfusion_date),),
                    due_date=when))
        if reinfusion_date is None:
            items.append(SupportiveItem("vaccine", msg("supportive.no_live_vaccines", gettext_noop(
                "No live vaccines after HMAS as a rule; yellow fever vaccine may be considered 2 years after HMAS. "
                "BCG is contraindicated.")), citation))
        else:
            yellow_fever = add_months(reinfusion_date, 24)[0]
            items.append(SupportiveItem("vaccine", msg("supportive.no_live_vaccines_dated", gettext_noop(
                "No live vaccines after HMAS as a rule; yellow fever vaccine may be considered 2 years after HMAS "
                "(from %(date)s). BCG is contraindicated."), date=yellow_fever), citation, due_date=yellow_fever))
    if car_t:
        items.append(SupportiveItem("vaccine", msg("supportive.after_car_t_vaccination", gettext_noop(
            "After CAR-T: pneumococcal revaccination from 3–6 months after CAR-T. Update vaccination status before "
            "CAR-T or bispecifics if possible.")), citation))
    return items


def _infection(drugs, *, setting, reinfusion_date, igg_g_l, car_t, events=NO_EVENTS):
    """Infeksjonsforebyggende behandling, "Øvrig infeksjonsprofylakse".

    Dated items (``due_date``): HMAS valaciclovir «Til 3 måneder etter reinfusjon» (the end date); a current
    bispecific antibody started on ``events.bispecific_start``: valaciclovir «250-500 mg x 2 fra oppstart og i
    minst ett år» (the earliest stop, start + 12 months; «Seponering krever CD4 > 0,2 x 109/L») and Pneumocystis
    prophylaxis «Fra behandlingsstart og under behandling» (the start)."""
    citation = myeloma(S_INFECTION, "Øvrig infeksjonsprofylakse")
    items = [
        SupportiveItem("infection", msg("supportive.no_prophylactic_antibiotics", gettext_noop(
            "Prophylactic antibiotics are not recommended in Norway.")), citation),
        SupportiveItem("infection", msg("supportive.immunoglobulin_substitution", gettext_noop(
            "Immunoglobulin substitution (subcutaneous at home preferred) for hypogammaglobulinaemia with recurrent "
            "infections with encapsulated bacteria, or with one severe such infection; may be tried in major "
            "infection problems; stop if the infection tendency does not improve.")), citation),
        SupportiveItem("infection", msg("supportive.g_csf", gettext_noop(
            "G-CSF: consider at neutrophils < 0.5 × 10^9/L.")), citation),
    ]
    classes = sorted(drugs & (PROTEASOME_INHIBITORS | ANTI_CD38))
    if classes:
        items.append(SupportiveItem("infection", msg("supportive.herpes_zoster_prophylaxis", gettext_noop(
            "Herpes zoster prophylaxis: valaciclovir 250 mg × 2 po.")), citation,
            (msg("supportive.proteasome_inhibitor_or_cd38", gettext_noop(
                "Proteasome inhibitor / CD38 antibody: %(drugs)s."), drugs=terms(classes)),)))
    if setting in HMAS_SETTINGS or reinfusion_date is not None or events.reinfusion_missing:
        if reinfusion_date is not None:
            end, remark = add_months(reinfusion_date, 3)
            if remark is None:
                until = msg("supportive.until", gettext_noop("until %(date)s"), date=end)
            else:
                until = msg("supportive.until_moved", gettext_noop("until %(date)s %(remark)s"), date=end,
                            remark=remark)
            items.append(SupportiveItem("infection", msg("supportive.hmas_valaciclovir_dated", gettext_noop(
                "HMAS: valaciclovir 250 mg × 2 until 3 months after reinfusion (%(until)s); with proteasome-inhibitor "
                "consolidation, until at least 1–2 months after it ends."), until=until), citation, (),
                due_date=end))
        else:
            items.append(SupportiveItem("infection", msg("supportive.hmas_valaciclovir", gettext_noop(
                "HMAS: valaciclovir 250 mg × 2 until 3 months after reinfusion; with proteasome-inhibitor "
                "consolidation, until at least 1–2 months after it ends.")), citation, (_reinfusion_missing(events),)))
    bispecifics = sorted(drugs & BISPECIFICS)
    if car_t:
        items += [
            SupportiveItem("infection", msg("supportive.car_t_valaciclovir", gettext_noop(
                "CAR-T: valaciclovir 500 mg × 2 from reinfusion for at least one year; stopping requires CD4 > 0.2 × "
                "10^9/L. Consider varicella serology.")), citation),
            SupportiveItem("infection", sentences(msg("supportive.car_t_pneumocystis", gettext_noop(
                "CAR-T: Pneumocystis prophylaxis from reinfusion for 6 months or until CD4 ≥ 0.2 × 10^9/L, whichever "
                "is longer.")), PJP_REGIMEN), citation),
            SupportiveItem("infection", msg("supportive.car_t_immunoglobulin", gettext_noop(
                "CAR-T: immunoglobulin substitution from day +30 for at least 1 year; after 1 year continue until "
                "serum IgG > 4 g/L.")), citation),
        ]
    if bispecifics:
        reason = (msg("supportive.bispecific_antibody", gettext_noop("Bispecific antibody: %(drugs)s."),
                      drugs=terms(bispecifics)),)
        start = events.bispecific_start if set(events.bispecific_drugs) & set(bispecifics) else None
        if start is None:
            if events.bispecific_missing:
                reason = (*reason, _missing(events.bispecific_missing))
            items += [
                SupportiveItem("infection", msg("supportive.bispecific_valaciclovir", gettext_noop(
                    "Bispecific antibody: valaciclovir 250–500 mg × 2 from start for at least one year; stopping "
                    "requires CD4 > 0.2 × 10^9/L. Consider varicella serology.")), citation, reason),
                SupportiveItem("infection", sentences(msg("supportive.bispecific_pneumocystis", gettext_noop(
                    "Bispecific antibody: Pneumocystis prophylaxis from start and during treatment, or until CD4 ≥ "
                    "0.2 × 10^9/L, whichever is longer.")), PJP_REGIMEN), citation, reason),
            ]
        else:
            one_year, remark = add_months(start, 12)
            year_text = (one_year if remark is None else msg(
                "supportive.date_moved", gettext_noop("%(date)s %(remark)s"), date=one_year, remark=remark))
            reason = (*reason, msg("supportive.bispecific_started", gettext_noop(
                "Current bispecific treatment started %(date)s."), date=start))
            items += [
                SupportiveItem("infection", msg("supportive.bispecific_valaciclovir_dated", gettext_noop(
                    "Bispecific antibody: valaciclovir 250–500 mg × 2 from start (%(start)s) for at least one year "
                    "(until at least %(until)s); stopping requires CD4 > 0.2 × 10^9/L. Consider varicella "
                    "serology."), start=start, until=year_text), citation, reason, due_date=one_year),
                SupportiveItem("infection", sentences(msg("supportive.bispecific_pneumocystis_dated", gettext_noop(
                    "Bispecific antibody: Pneumocystis prophylaxis from start (%(start)s) and during treatment, or "
                    "until CD4 ≥ 0.2 × 10^9/L, whichever is longer."), start=start), PJP_REGIMEN), citation, reason,
                    due_date=start),
            ]
        items += _igg_bispecific(drugs, igg_g_l, citation)
    if car_t or bispecifics:
        items += [
            SupportiveItem("infection", msg("supportive.fluconazole", gettext_noop(
                "Fluconazole: consider at persistent neutropenia (< 0.5 × 10^9/L) and steroid use; consider mould "
                "prophylaxis at particularly high fungal risk.")), citation),
            SupportiveItem("infection", msg("supportive.g_csf_immunotherapy", gettext_noop(
                "G-CSF: avoid during bispecific step-up and early after CAR-T (may worsen cytokine release "
                "syndrome); low threshold later.")), citation),
            SupportiveItem("infection", msg("supportive.cmv", gettext_noop(
                "CMV: no prophylaxis; CMV DNA before start, monitor if positive; otherwise at clinical suspicion and "
                "in risk situations (e.g. steroids > 3 days).")), citation),
            SupportiveItem("infection", msg("supportive.hepatitis_b_immunotherapy", gettext_noop(
                "Hepatitis B: anti-HBc positive → prophylaxis, or monitor HBV DNA by PCR and treat viraemia; HBsAg "
                "positive → antiviral prophylaxis; PCR monitored throughout; in consultation with an infectious "
                "disease physician.")), citation),
        ]
    return items


PJP_REGIMEN = msg("supportive.pjp_regimen", gettext_noop(
    "Trimethoprim-sulfamethoxazole 160/800 mg (2 tablets Bactrim) 3 times weekly, or 80/400 mg daily; if intolerant: "
    "dapsone 100 mg po daily, inhaled pentamidine 300 mg once a month, or atovaquone 1.5 g daily."))
IGG_BISPECIFIC_BASE = msg("supportive.bcma_bispecific_substitution", gettext_noop(
    "continue until treatment ends or until IgG without substitution is > 4 g/L, whichever is longer. The regimen "
    "tables add: nearly all responders develop severe hypogammaglobulinaemia; substitution should usually start from "
    "cycle 2."))


def _igg_bispecific(drugs, igg_g_l, citation):
    """BCMA bispecifics: consider substitution when IgG < 4.0 g/L; talquetamab: standard criteria."""
    items = []
    bcma = sorted(drugs & BCMA_BISPECIFICS)
    if bcma:
        base = IGG_BISPECIFIC_BASE
        if igg_g_l is None:
            text = msg("supportive.bcma_bispecific_igg_unknown", gettext_noop(
                "BCMA bispecific: consider immunoglobulin substitution when IgG < 4.0 g/L; %(base)s"), base=base)
            reasons = (_missing("igg_g_l"),)
        elif igg_g_l < IGG_LIMIT_G_L:
            text = msg("supportive.bcma_bispecific_igg_low", gettext_noop(
                "BCMA bispecific: IgG %(igg)s < 4.0 g/L → consider starting immunoglobulin substitution; %(base)s"),
                igg=Quantity(igg_g_l), base=base)
            reasons = (msg("supportive.igg_below_4", gettext_noop("IgG %(igg)s g/L < 4.0 g/L."),
                           igg=Quantity(igg_g_l)),)
        else:
            text = msg("supportive.bcma_bispecific_igg_not_low", gettext_noop(
                "BCMA bispecific: IgG %(igg)s ≥ 4.0 g/L → the IgG criterion for substitution is not met; re-check "
                "IgG. %(base)s"), igg=Quantity(igg_g_l), base=base)
            reasons = (msg("supportive.igg_4_or_more", gettext_noop("IgG %(igg)s g/L ≥ 4.0 g/L."),
                           igg=Quantity(igg_g_l)),)
        items.append(SupportiveItem("infection", text, citation,
                                    (msg("supportive.drugs", gettext_noop("%(drugs)s."), drugs=terms(bcma)), *reasons)))
    if "talquetamab" in drugs:
        items.append(SupportiveItem("infection", msg("supportive.talquetamab_immunoglobulin", gettext_noop(
            "Talquetamab (GPRC5D): no primary immunoglobulin prophylaxis; substitution by the standard criteria "
            "(hypogammaglobulinaemia with recurrent or severe infections).")), citation,
            (msg("supportive.drugs", gettext_noop("%(drugs)s."), drugs=terms(["talquetamab"])),)))
    return items


def _hypercalcaemia(facts, *, diagnosis_code, ionised_calcium_mmol_l):
    """Behandling av hyperkalsemi, "Anbefaling": the first bullet (rehydration 4–6 L NaCl iv, diuretics) is for
    «Moderat/alvorlig hyperkalsemi (s-Ca>2,90 mmol/l eller ionisert Ca>1,45)»; the other bullets (bisphosphonate
    if creatinine < 400, steroids, start myeloma treatment, calcitonin, denosumab when refractory) are for
    hypercalcaemia in general: albumin-corrected calcium above the laboratory's upper limit, or — with the upper
    limit unknown — above 2.75 mmol/L (the absolute limit of the C criterion, Diagnostiske kriterier)."""
    calcium = facts.labs.calcium_mmol_l
    upper = facts.labs.calcium_upper_limit_mmol_l
    severe = []
    if calcium is not None and calcium > CALCIUM_LIMIT_MMOL_L:
        severe.append(msg("supportive.calcium_above_2_90", gettext_noop("s-Ca %(calcium)s > 2.90 mmol/L"),
                          calcium=Quantity(calcium)))
    if ionised_calcium_mmol_l is not None and ionised_calcium_mmol_l > IONISED_CALCIUM_LIMIT_MMOL_L:
        severe.append(msg("supportive.ionised_calcium_above_1_45", gettext_noop("ionised Ca %(calcium)s > 1.45 mmol/L"),
                          calcium=Quantity(ionised_calcium_mmol_l)))
    if severe:
        reason = (msg("supportive.moderate_severe_hypercalcaemia", gettext_noop(
            "Moderate/severe hypercalcaemia: %(findings)s."), findings=severe),)
    elif calcium is not None and upper is not None and calcium > upper:
        reason = (msg("supportive.hypercalcaemia_above_upper_limit", gettext_noop(
            "Hypercalcaemia: s-Ca %(calcium)s > upper reference limit %(upper)s mmol/L (≤ 2.90: not "
            "moderate/severe)."), calcium=Quantity(calcium), upper=Quantity(upper)),)
    elif calcium is not None and upper is None and calcium > 2.75:
        reason = (msg("supportive.hypercalcaemia_c_criterion", gettext_noop(
            "Hypercalcaemia: s-Ca %(calcium)s > 2.75 mmol/L (C criterion; upper reference limit unknown)."),
            calcium=Quantity(calcium)),)
    else:
        return []
    citation = myeloma(S_HYPERCALCAEMIA, "Anbefaling")
    creatinine = facts.labs.creatinine_umol_l
    if creatinine is None:
        bisphosphonate = msg("supportive.hypercalcaemia_bisphosphonate_creatinine_unknown", gettext_noop(
            "Bisphosphonate (dose per Legemiddelhåndboka; effect after 1–2 days, maximum after 3–7 days) can be given "
            "if creatinine < 400 µmol/L: creatinine unknown."))
        bis_reasons = (*reason, _missing("labs.creatinine_umol_l"))
    elif creatinine < CREATININE_BISPHOSPHONATE_LIMIT_UMOL_L:
        bisphosphonate = msg("supportive.hypercalcaemia_bisphosphonate", gettext_noop(
            "Creatinine %(creatinine)s < 400 µmol/L → bisphosphonate (dose per Legemiddelhåndboka; effect after 1–2 "
            "days, maximum after 3–7 days)."), creatinine=Quantity(creatinine))
        bis_reasons = reason
    else:
        bisphosphonate = msg("supportive.hypercalcaemia_no_bisphosphonate", gettext_noop(
            "Creatinine %(creatinine)s ≥ 400 µmol/L → no bisphosphonate (allowed only if creatinine < 400)."),
            creatinine=Quantity(creatinine))
        bis_reasons = reason
    bisphosphonate = sentences(bisphosphonate, msg("supportive.bisphosphonate_limits_differ", gettext_noop(
        "Note: the bone-protection section advises against bisphosphonates at GFR < 30 mL/min; the hypercalcaemia "
        "section uses creatinine < 400 µmol/L.")))
    items = []
    if severe:
        items.append(SupportiveItem("hypercalcaemia", msg("supportive.rehydration", gettext_noop(
            "Rehydration: 4–6 L NaCl iv; diuretics as needed.")), citation, reason))
    items += [
        SupportiveItem("hypercalcaemia", bisphosphonate, citation, bis_reasons),
        SupportiveItem("hypercalcaemia", msg("supportive.steroids", gettext_noop(
            "Steroids as in myeloma treatment (effect within 3–4 days).")), citation, reason),
    ]
    if diagnosis_code in MYELOMA_DIAGNOSES:
        items.append(SupportiveItem("hypercalcaemia", msg("supportive.start_myeloma_treatment", gettext_noop(
            "Start myeloma treatment quickly.")), citation, reason))
    items += [
        SupportiveItem("hypercalcaemia", msg("supportive.calcitonin", gettext_noop(
            "Calcitonin iv if a rapid fall in calcium is wanted (repeat: short half-life).")), citation, reason),
        SupportiveItem("hypercalcaemia", msg("supportive.denosumab_refractory_hypercalcaemia", gettext_noop(
            "Denosumab for treatment-refractory hypercalcaemia.")), citation, reason),
    ]
    return items


def _anaemia(facts):
    """Anemibehandling: exclude other common causes; ESA if none found and treatment is needed."""
    hb, lower = facts.labs.hemoglobin_g_dl, facts.labs.hemoglobin_lower_limit_g_dl
    if hb is None or lower is None or hb >= lower:
        return []
    return [SupportiveItem(
        "anaemia", msg("supportive.anaemia_workup", gettext_noop(
            "Anaemia: exclude other common causes — at least reticulocytes, MCV, ferritin, iron/transferrin "
            "saturation/TIBC, B12 and folate. If no other cause is found and treatment is needed, an "
            "erythropoiesis-stimulating agent (ESA) can be tried.")), myeloma(S_ANAEMIA),
        (msg("supportive.haemoglobin_below_lower_limit", gettext_noop(
            "Haemoglobin %(hb)s g/dL below the lower limit %(lower)s g/dL."), hb=Quantity(hb), lower=Quantity(lower)),),
    )]
