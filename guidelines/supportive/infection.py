"""«Infeksjonsforebyggende behandling» (Støttebehandling): the vaccine table (with the HMAS revaccination
dated from the reinfusion) and «Øvrig infeksjonsprofylakse»."""

import calendar
from datetime import date

from guidelines.advice import SupportiveItem
from guidelines.facts import ANTI_CD38, PROTEASOME_INHIBITORS
from guidelines.messages import Message, Quantity, gettext_noop, msg
from guidelines.sources import myeloma
from guidelines.supportive.common import (
    BCMA_BISPECIFICS,
    BISPECIFICS,
    HMAS_SETTINGS,
    IGG_LIMIT_G_L,
    S_INFECTION,
    _each,
    _missing,
)
from guidelines.supportive.events import NO_EVENTS, TreatmentEvents
from guidelines.terms import drugs as terms
from guidelines.terms import sentences


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
