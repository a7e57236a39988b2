"""«Strålebehandling»: radiotherapy — the solitary plasmacytoma, the emergencies and the plasmacytoma at
relapse.

Source: Handlingsprogram for myelomatose 1.2, "Strålebehandling" and its sections (Solitært plasmacytom i
ben, Ekstramedullært plasmacytom, Truende tverrsnittslesjon, Smertefulle lesjoner, Postoperativ
strålebehandling, Andre romoppfyllende prosesser, Tilbakefall med plasmacytomer). The fractionations are
the guideline's: radiotherapy is not a protocol of the regimen library, so its option codes are
descriptive (DESCRIPTIVE).
"""

from dataclasses import dataclass
from enum import StrEnum

from guidelines.advice import Option, TreatmentAdvice
from guidelines.diagnosis import possible_clinical_relapse
from guidelines.facts import PatientFacts, Plasmacytoma
from guidelines.history import HistoryReading
from guidelines.messages import Message, gettext_noop, msg
from guidelines.sources import Citation, myeloma
from guidelines.treatment.common import NONE, S_RADIOTHERAPY, S_RELAPSE, SOLITARY_PLASMACYTOMA_RADIOTHERAPY, Builder
from guidelines.treatment.monitoring import MONITORING, progression_date_path

# Option codes of this chapter (no library protocol: the dose is the fractionation the code names).
DESCRIPTIVE = frozenset({"radiotherapy-2Gy-x20", "radiotherapy-2Gy-x25", "radiotherapy-3Gy-x10", "radiotherapy-8Gy-x1",
                         "radiotherapy-20-30Gy"})


def solitary_plasmacytoma(facts: PatientFacts) -> TreatmentAdvice:
    """Strålebehandling, "Solitært plasmacytom i ben" / "Ekstramedullært plasmacytom" / "Anbefalinger
    plasmacytomer": curative radiotherapy 2 Gy x 20; plasmacytoma > 5 cm: consider 2 Gy x 25."""
    b = Builder(SOLITARY_PLASMACYTOMA_RADIOTHERAPY, DESCRIPTIVE)
    citation = myeloma(S_RADIOTHERAPY, "Solitært plasmacytom i ben")
    b.reasons.append(msg("radiotherapy.solitary_plasmacytoma", gettext_noop(
        "True solitary plasmacytoma: radiotherapy with curative dose (Anbefalinger plasmacytomer).")))
    b.option("radiotherapy-2Gy-x20", 1, msg("radiotherapy.curative_2gy_x20", gettext_noop(
        "Curative radiotherapy, recommended dose 2 Gy x 20 (total 40 Gy).")), citation)
    b.option("radiotherapy-2Gy-x25", 2, msg("radiotherapy.over_5cm_2gy_x25", gettext_noop(
        "Plasmacytoma > 5 cm: consider 2 Gy x 25 (total 50 Gy). Size is not among the facts: the clinician checks "
        "it.")), citation)
    b.notes.append(msg("radiotherapy.no_systemic_if_asymptomatic", gettext_noop(
        "Supplementary systemic treatment is not indicated in asymptomatic disease.")))
    b.notes.append(msg("radiotherapy.systemic_first_if_more_lesions", gettext_noop(
        "If more lesions or myeloma are found, systemic treatment as for myeloma comes first.")))
    if facts.imaging.plasmacytoma == Plasmacytoma.EXTRAMEDULLARY:
        b.notes.append(msg("radiotherapy.extramedullary", gettext_noop(
            "Extramedullary plasmacytoma: treated like the others; where the tumour was completely removed "
            "surgically the benefit of radiotherapy can be discussed — in doubt, give curative doses. PET-CT at "
            "diagnosis.")))
        b.cite(myeloma(S_RADIOTHERAPY, "Ekstramedullært plasmacytom"))
    return b.build()


def plasmacytoma_relapse_advice(facts: PatientFacts, history: HistoryReading) -> TreatmentAdvice:
    """Strålebehandling, «Tilbakefall med plasmacytomer»: a new plasmacytoma without systemic progression."""
    last = history.latest
    b = Builder(NONE)
    b.cite(myeloma(S_RADIOTHERAPY, "Tilbakefall med plasmacytomer"))
    b.cite(myeloma(S_RELAPSE))
    b.reasons.append(msg("radiotherapy.relapse_with_plasmacytoma", gettext_noop(
        "Relapse with plasmacytoma after line %(line)s, without recorded systemic progression: during treatment "
        "with good systemic control, radiotherapy and the systemic treatment continued; in a treatment pause, "
        "systemic treatment restarted and radiotherapy considered (Tilbakefall med plasmacytomer). No new line is "
        "recommended; if the disease has progressed systemically, record the progression date on that line and the "
        "next line's options are shown."), line=last.number))
    possible = possible_clinical_relapse(facts)
    if possible:
        b.reasons.append(msg("radiotherapy.also_possible_clinical_relapse", gettext_noop(
            "Also on the current facts: %(events)s — a clinical relapse if new or worsening (then record the "
            "progression date); they may persist from before or come from the treatment."), events=list(possible)))
    b.lack(progression_date_path(history))
    b.notes.append(MONITORING)
    return b.build()


class RadiotherapyIndication(StrEnum):
    SPINAL_CORD_COMPRESSION = "spinal_cord_compression"
    PAINFUL_LESION = "painful_lesion"
    POSTOPERATIVE = "postoperative"
    UNOPERATED_FRACTURE = "unoperated_fracture"
    SPACE_OCCUPYING = "space_occupying"
    SOLITARY_PLASMACYTOMA = "solitary_plasmacytoma"
    RELAPSE_PLASMACYTOMA = "relapse_plasmacytoma"


@dataclass(frozen=True)
class RadiotherapyAdvice:
    indication: RadiotherapyIndication
    options: tuple[Option, ...]
    notes: tuple[Message, ...]
    emergency: bool
    citation: Citation


def radiotherapy_advice(indication: RadiotherapyIndication | str, *,
                        on_systemic_treatment: bool | None = None) -> RadiotherapyAdvice:
    """Strålebehandling and "Situasjoner hvor strålebehandling, kirurgisk behandling og kjemoterapi vurderes opp
    mot hverandre". ``on_systemic_treatment`` is for a new plasmacytoma at relapse ("Tilbakefall med
    plasmacytomer"): during treatment with good systemic control, or in a treatment pause."""
    indication = RadiotherapyIndication(indication)
    notes, options, emergency = [], [], False
    if indication == RadiotherapyIndication.SPINAL_CORD_COMPRESSION:
        citation = myeloma(S_RADIOTHERAPY, "Truende tverrsnittslesjon")
        emergency = True
        notes += [
            msg("radiotherapy.cord_emergency_dexamethasone", gettext_noop(
                "Medical emergency. Dexamethasone 40 mg × 1 started at once (40 mg daily for up to 4 days).")),
            msg("radiotherapy.cord_mri", gettext_noop(
                "MRI of the spine as an emergency (CT myelography if MRI is contraindicated).")),
            msg("radiotherapy.cord_transfer", gettext_noop(
                "Transfer to a hospital with radiotherapy, preferably with neurosurgery.")),
            msg("radiotherapy.cord_3gy_x10_within_24h", gettext_noop(
                "Radiotherapy 3 Gy × 10 started within 24 hours.")),
            msg("radiotherapy.cord_laminectomy", gettext_noop(
                "Progressive symptoms, need for stabilisation, uncertain diagnosis or radiotherapy not possible: "
                "consider acute laminectomy.")),
        ]
        options.append(Option("radiotherapy-3Gy-x10", 1, msg("radiotherapy.cord_option", gettext_noop(
            "3 Gy × 10, start within 24 hours.")), citation))
    elif indication == RadiotherapyIndication.PAINFUL_LESION:
        citation = myeloma(S_RADIOTHERAPY, "Smertefulle lesjoner")
        notes.append(msg("radiotherapy.painful_chemotherapy_or_radiotherapy", gettext_noop(
            "Chemotherapy or radiotherapy; radiotherapy well indicated if pain is hard to relieve with chemotherapy "
            "or analgesics.")))
        options.append(Option("radiotherapy-8Gy-x1", 1, msg("radiotherapy.painful_8gy_x1", gettext_noop(
            "Single fraction 8 Gy × 1 usually suffices; may be repeated to the same area.")), citation))
        options.append(Option("radiotherapy-20-30Gy", 2, msg("radiotherapy.painful_20_30gy", gettext_noop(
            "Traditionally 20–30 Gy over 1–2 weeks.")), citation))
    elif indication == RadiotherapyIndication.POSTOPERATIVE:
        citation = myeloma(S_RADIOTHERAPY, "Postoperativ strålebehandling")
        options.append(Option("radiotherapy-3Gy-x10", 1, msg("radiotherapy.postoperative_3gy_x10", gettext_noop(
            "3 Gy × 10 after fracture surgery.")), citation))
    elif indication == RadiotherapyIndication.UNOPERATED_FRACTURE:
        citation = myeloma(S_RADIOTHERAPY, "Postoperativ strålebehandling")
        notes.append(msg("radiotherapy.unoperated_fracture", gettext_noop(
            "Reasonable to irradiate fractures that are not operated, although documentation is weak; the guideline "
            "gives no dose for this situation. Fracture: surgery if orthopaedic indication.")))
    elif indication == RadiotherapyIndication.SPACE_OCCUPYING:
        citation = myeloma(S_RADIOTHERAPY, "Andre romoppfyllende prosesser som truer viktige strukturer")
        options.append(Option("radiotherapy-3Gy-x10", 1, msg("radiotherapy.space_occupying_3gy_x10", gettext_noop(
            "3 Gy × 10 is usually first choice.")), citation))
        notes.append(msg("radiotherapy.stenting", gettext_noop(
            "Stenting may be considered in bile ducts and urinary tract.")))
    elif indication == RadiotherapyIndication.SOLITARY_PLASMACYTOMA:
        citation = myeloma(S_RADIOTHERAPY, "Solitært plasmacytom i ben")
        options.append(Option("radiotherapy-2Gy-x20", 1, msg("radiotherapy.curative_2gy_x20_short", gettext_noop(
            "Curative: 2 Gy × 20.")), citation))
        options.append(Option("radiotherapy-2Gy-x25", 2, msg("radiotherapy.over_5cm_2gy_x25_short", gettext_noop(
            "Plasmacytoma > 5 cm: consider 2 Gy × 25.")), citation))
    else:
        citation = myeloma(S_RADIOTHERAPY, "Tilbakefall med plasmacytomer")
        if on_systemic_treatment is True:
            notes.append(msg("radiotherapy.relapse_on_treatment", gettext_noop(
                "New plasmacytoma during treatment with good systemic control: radiotherapy and continue the "
                "systemic treatment.")))
        elif on_systemic_treatment is False:
            notes.append(msg("radiotherapy.relapse_in_pause", gettext_noop(
                "New plasmacytoma in a treatment pause: restart systemic treatment and assess whether radiotherapy "
                "is also needed.")))
        else:
            notes.append(msg("radiotherapy.relapse_treatment_unknown", gettext_noop(
                "During treatment with good systemic control: radiotherapy and continue systemic treatment. In a "
                "treatment pause: restart systemic treatment, assess radiotherapy in addition. (Whether the patient "
                "is on treatment is not known.)")))
    notes.append(msg("radiotherapy.concurrent_drugs_and_reirradiation", gettext_noop(
        "Drugs in current use can be given at the same time as radiotherapy if medically needed; re-irradiation is "
        "usually safe if the earlier effect was good and lasting (> 6–12 months), judged by the radiotherapy unit.")))
    return RadiotherapyAdvice(indication, tuple(options), tuple(notes), emergency, citation)
