"""«Strålebehandling»: radiotherapy — the solitary plasmacytoma, the emergencies and the plasmacytoma at
relapse.

Source: Handlingsprogram for myelomatose 1.2, "Strålebehandling" and its sections (Solitært plasmacytom i
ben, Ekstramedullært plasmacytom, Truende tverrsnittslesjon, Smertefulle lesjoner, Postoperativ
strålebehandling, Andre romoppfyllende prosesser, Tilbakefall med plasmacytomer). The fractionations are
the guideline's: radiotherapy is not a protocol of the regimen library, so its option codes are
descriptive (DESCRIPTIVE).
"""

from dataclasses import dataclass, replace
from enum import StrEnum

from guidelines.advice import Option, TreatmentAdvice
from guidelines.diagnosis import possible_clinical_relapse
from guidelines.facts import PatientFacts, Phase, Plasmacytoma
from guidelines.history import HistoryReading
from guidelines.messages import Message, Quantity, Quote, gettext_noop, msg
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
    size = facts.imaging.plasmacytoma_size_cm
    if size is None:
        b.option("radiotherapy-2Gy-x25", 2, msg("radiotherapy.over_5cm_2gy_x25", gettext_noop(
            "Plasmacytoma > 5 cm: consider 2 Gy x 25 (total 50 Gy). The size is not recorded: the clinician checks "
            "it.")), citation)
        b.lack("imaging.plasmacytoma_size_cm")
    elif size > 5:
        b.option("radiotherapy-2Gy-x25", 2, msg("radiotherapy.size_over_5cm", gettext_noop(
            "Plasmacytoma %(size)s > 5 cm: consider 2 Gy x 25 (total 50 Gy)."), size=Quantity(size, "cm")), citation)
    else:
        b.reasons.append(msg("radiotherapy.size_at_most_5cm", gettext_noop(
            "Plasmacytoma %(size)s, not > 5 cm: 2 Gy x 20."), size=Quantity(size, "cm")))
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
    FRACTURE = "fracture"
    IMPENDING_FRACTURE = "impending_fracture"
    POSTOPERATIVE = "postoperative"
    UNOPERATED_FRACTURE = "unoperated_fracture"
    SPACE_OCCUPYING = "space_occupying"
    SOLITARY_PLASMACYTOMA = "solitary_plasmacytoma"
    RELAPSE_PLASMACYTOMA = "relapse_plasmacytoma"


EMERGENCY, ROUTINE = "emergency", "routine"


@dataclass(frozen=True)
class RadiotherapyAdvice:
    """One indication for radiotherapy or surgery (contract v1.1, ``treatment.radiotherapy[]``): ``dose`` the
    guideline's fractionation («3 Gy × 10»; None where it gives none), ``urgency`` «emergency» or «routine»,
    ``surgery`` what it says of surgery (None where nothing), ``missing`` the facts it lacks."""

    indication: RadiotherapyIndication
    options: tuple[Option, ...]
    notes: tuple[Message, ...]
    emergency: bool
    citation: Citation
    dose: str | None = None
    surgery: Message | None = None
    missing: tuple[str, ...] = ()

    @property
    def urgency(self) -> str:
        return EMERGENCY if self.emergency else ROUTINE


# The drug doses of these sections are not engine data (no protocol of the library holds them): the
# guideline's own words are quoted (docs/adr/0019-radiotherapy-and-surgery-indications.md).
CORD_STEROIDS = msg("radiotherapy.cord_steroids", gettext_noop(
    "Start steroids with a good oedema-reducing effect at once; the guideline's words: %(treatment)s and "
    "%(dose)s. No protocol of the library holds this dose: prescribe it as a single order."),
    treatment=Quote("«Dexametason 40 mg x1 startes umiddelbart»"),
    dose=Quote("«Steroiddose dexametason 40 mg daglig i opptil 4 dager»"))
CONCURRENT = msg("radiotherapy.concurrent_drugs", gettext_noop(
    "The drugs in current use can be given at the same time as radiotherapy if medically needed."))
# «Generelt anbefales å prioritere medikamentell behandling for å spare benmargsreserver.»
DRUGS_FIRST = msg("radiotherapy.drugs_first", gettext_noop(
    "In general drug treatment comes first, to spare the bone marrow reserves; the need for radiotherapy often "
    "falls away when systemic treatment is given first."))


def _spinal_cord_compression():
    """«Truende tverrsnittslesjon»: «en medisinsk akuttsituasjon»; steroids, radiotherapy «innen 1 døgn» /
    «3 Gy x10 startes innen 24 timer»; acute laminectomy when radiotherapy cannot start."""
    citation = myeloma(S_RADIOTHERAPY, "Truende tverrsnittslesjon")
    notes = (
        CORD_STEROIDS,
        msg("radiotherapy.cord_mri", gettext_noop(
            "MRI of the spine as an emergency (CT myelography if MRI is contraindicated).")),
        msg("radiotherapy.cord_transfer", gettext_noop(
            "Transfer to a hospital with radiotherapy, preferably with neurosurgery.")),
        msg("radiotherapy.cord_3gy_x10_within_24h", gettext_noop(
            "Radiotherapy 3 Gy × 10 started within 24 hours.")),
    )
    surgery = msg("radiotherapy.cord_laminectomy", gettext_noop(
        "Progressive symptoms, need for stabilisation, uncertain diagnosis or radiotherapy not possible: "
        "consider acute laminectomy."))
    option = Option("radiotherapy-3Gy-x10", 1, msg("radiotherapy.cord_option", gettext_noop(
        "3 Gy × 10, start within 24 hours.")), citation)
    return RadiotherapyAdvice(RadiotherapyIndication.SPINAL_CORD_COMPRESSION, (option,), notes, True, citation,
                              "3 Gy × 10", surgery)


def _painful_lesion():
    citation = myeloma(S_RADIOTHERAPY, "Smertefulle lesjoner")
    notes = (msg("radiotherapy.painful_chemotherapy_or_radiotherapy", gettext_noop(
        "Chemotherapy or radiotherapy; radiotherapy well indicated if pain is hard to relieve with chemotherapy "
        "or analgesics.")), DRUGS_FIRST)
    options = (
        Option("radiotherapy-8Gy-x1", 1, msg("radiotherapy.painful_8gy_x1", gettext_noop(
            "Single fraction 8 Gy × 1 usually suffices; may be repeated to the same area.")), citation),
        Option("radiotherapy-20-30Gy", 2, msg("radiotherapy.painful_20_30gy", gettext_noop(
            "Traditionally 20–30 Gy over 1–2 weeks.")), citation),
    )
    return RadiotherapyAdvice(RadiotherapyIndication.PAINFUL_LESION, options, notes, False, citation, "8 Gy × 1")


FRACTURE_SURGERY = msg("radiotherapy.fracture_surgery", gettext_noop(
    "Fracture: surgery if orthopaedic indication (Kirurgisk behandling: «fraktur, truende fraktur og sammenfall i "
    "columna med truende tverrsnittslesjon»); kyphoplasty of a fractured vertebra can relieve pain."))


def _fracture(postoperative):
    """«Fraktur bør behandles kirurgisk hvis ortopedisk indikasjon»; «Postoperativ strålebehandling»: 3 Gy x 10
    after fracture surgery; «rimelig å strålebehandle frakturer som ikke opereres» (no dose given)."""
    citation = myeloma(S_RADIOTHERAPY, "Postoperativ strålebehandling")
    if postoperative:
        return _postoperative()
    notes = (msg("radiotherapy.unoperated_fracture", gettext_noop(
        "Reasonable to irradiate fractures that are not operated, although documentation is weak; the guideline "
        "gives no dose for this situation. Fracture: surgery if orthopaedic indication.")),)
    missing = ("emergency.postoperative",) if postoperative is None else ()
    return RadiotherapyAdvice(RadiotherapyIndication.FRACTURE, (), notes, False, citation, None, FRACTURE_SURGERY,
                              missing)


def _impending_fracture():
    """«Truende fraktur og fraktur»: surgery or radiotherapy on a clinical assessment; discussed with an
    orthopaedic surgeon and an oncologist; prophylactic surgery at high fracture risk."""
    citation = myeloma(S_RADIOTHERAPY, "Truende fraktur og fraktur")
    notes = (
        msg("radiotherapy.impending_clinical_assessment", gettext_noop(
            "Surgery or radiotherapy: the indication rests on a clinical assessment of pain, function, general health "
            "and expected survival; no study shows that radiotherapy prevents fracture.")),
        DRUGS_FIRST,
    )
    surgery = msg("radiotherapy.impending_orthopaedic", gettext_noop(
        "Great pain increasing on loading with a lesion thinning the cortex: candidate for prophylactic treatment, "
        "to be discussed with an orthopaedic surgeon and an oncologist; with a high fracture risk prophylactic "
        "surgery is reasonable; in the upper arm and the spine surgery is rarely indicated before a fracture."))
    return RadiotherapyAdvice(RadiotherapyIndication.IMPENDING_FRACTURE, (), notes, False, citation, None, surgery)


def _three_gy_times_ten(indication, heading, why, note):
    """An indication whose subsection gives 3 Gy × 10 as its one fractionation: the option says ``why``."""
    citation = myeloma(S_RADIOTHERAPY, heading)
    option = Option("radiotherapy-3Gy-x10", 1, why, citation)
    return RadiotherapyAdvice(indication, (option,), (note,), False, citation, "3 Gy × 10")


def _postoperative():
    return _three_gy_times_ten(
        RadiotherapyIndication.POSTOPERATIVE, "Postoperativ strålebehandling",
        msg("radiotherapy.postoperative_3gy_x10", gettext_noop("3 Gy × 10 after fracture surgery.")),
        msg("radiotherapy.postoperative_why", gettext_noop(
            "Fracture surgery rarely removes the tumour: postoperative radiotherapy can improve the long-term "
            "result.")))


def _space_occupying():
    return _three_gy_times_ten(
        RadiotherapyIndication.SPACE_OCCUPYING, "Andre romoppfyllende prosesser som truer viktige strukturer",
        msg("radiotherapy.space_occupying_3gy_x10", gettext_noop("3 Gy × 10 is usually first choice.")),
        msg("radiotherapy.stenting", gettext_noop("Stenting may be considered in bile ducts and urinary tract.")))


def _solitary(size_cm=None):
    """«anbefalt dose er 2 Gy x 20 og ved plasmacytomer >5 cm vurderes gitt 2 Gy x 25»."""
    citation = myeloma(S_RADIOTHERAPY, "Solitært plasmacytom i ben")
    options = [Option("radiotherapy-2Gy-x20", 1, msg("radiotherapy.curative_2gy_x20_short", gettext_noop(
        "Curative: 2 Gy × 20.")), citation)]
    if size_cm is None or size_cm > 5:
        options.append(Option("radiotherapy-2Gy-x25", 2, msg("radiotherapy.over_5cm_2gy_x25_short", gettext_noop(
            "Plasmacytoma > 5 cm: consider 2 Gy × 25.")), citation))
    dose = "2 Gy × 25" if size_cm is not None and size_cm > 5 else "2 Gy × 20"
    missing = ("imaging.plasmacytoma_size_cm",) if size_cm is None else ()
    return RadiotherapyAdvice(RadiotherapyIndication.SOLITARY_PLASMACYTOMA, tuple(options), (), False, citation, dose,
                              None, missing)


def _relapse_plasmacytoma(on_systemic_treatment, systemic_progression=False):
    """«Tilbakefall med plasmacytomer»: during treatment with good systemic control, radiotherapy and the systemic
    treatment continued; in a treatment pause, systemic treatment restarted and radiotherapy considered."""
    citation = myeloma(S_RADIOTHERAPY, "Tilbakefall med plasmacytomer")
    missing = ()
    if systemic_progression:
        notes = (msg("radiotherapy.relapse_systemic_progression", gettext_noop(
            "New plasmacytoma with systemic progression recorded: not «god kontroll på den systemiske sykdommen» — "
            "the next line of treatment applies; whether radiotherapy is needed in addition is assessed.")),)
    elif on_systemic_treatment is True:
        notes = (msg("radiotherapy.relapse_on_treatment", gettext_noop(
            "New plasmacytoma during treatment with good systemic control: radiotherapy and continue the "
            "systemic treatment.")),)
    elif on_systemic_treatment is False:
        notes = (msg("radiotherapy.relapse_in_pause", gettext_noop(
            "New plasmacytoma in a treatment pause: restart systemic treatment and assess whether radiotherapy "
            "is also needed.")),)
    else:
        notes = (msg("radiotherapy.relapse_treatment_unknown", gettext_noop(
            "During treatment with good systemic control: radiotherapy and continue systemic treatment. In a "
            "treatment pause: restart systemic treatment, assess radiotherapy in addition. (Whether the patient "
            "is on treatment is not known.)")),)
        missing = ("current_treatment.phase",)
    return RadiotherapyAdvice(RadiotherapyIndication.RELAPSE_PLASMACYTOMA, (), notes, False, citation, None, None,
                              missing)


def radiotherapy_advice(indication: RadiotherapyIndication | str, *, on_systemic_treatment: bool | None = None,
                        postoperative: bool | None = None, size_cm: float | None = None) -> RadiotherapyAdvice:
    """Strålebehandling and "Situasjoner hvor strålebehandling, kirurgisk behandling og kjemoterapi vurderes opp
    mot hverandre": the advice for one indication. ``on_systemic_treatment`` is for a new plasmacytoma at relapse
    ("Tilbakefall med plasmacytomer"): during treatment with good systemic control, or in a treatment pause."""
    indication = RadiotherapyIndication(indication)
    build = {
        RadiotherapyIndication.SPINAL_CORD_COMPRESSION: _spinal_cord_compression,
        RadiotherapyIndication.PAINFUL_LESION: _painful_lesion,
        RadiotherapyIndication.FRACTURE: lambda: _fracture(postoperative),
        RadiotherapyIndication.UNOPERATED_FRACTURE: lambda: _fracture(False),
        RadiotherapyIndication.IMPENDING_FRACTURE: _impending_fracture,
        RadiotherapyIndication.POSTOPERATIVE: _postoperative,
        RadiotherapyIndication.SPACE_OCCUPYING: _space_occupying,
        RadiotherapyIndication.SOLITARY_PLASMACYTOMA: lambda: _solitary(size_cm),
        RadiotherapyIndication.RELAPSE_PLASMACYTOMA: lambda: _relapse_plasmacytoma(on_systemic_treatment),
    }[indication]
    advice = build()
    if indication == RadiotherapyIndication.UNOPERATED_FRACTURE:
        advice = replace(advice, indication=indication, missing=())
    return replace(advice, notes=(*advice.notes, CONCURRENT))


def on_systemic_treatment(facts: PatientFacts) -> bool | None:
    """``current_treatment.phase``: induction or maintenance is «under behandling», off_treatment a
    «behandlingspause»; None when not known."""
    phase = facts.current_treatment.phase
    return None if phase is None else phase != Phase.OFF_TREATMENT


def indications(facts: PatientFacts, history: HistoryReading, *, plasmacytoma_relapse: bool = False,
                systemic_progression: bool = False, solitary: bool = False) -> tuple[RadiotherapyAdvice, ...]:
    """Every indication for radiotherapy or surgery the facts show, emergency first (contract v1.1
    ``treatment.radiotherapy``): the ``emergency`` findings (a fracture with ``postoperative`` is the
    postoperative advice), a solitary plasmacytoma (``solitary``) and a new plasmacytoma at relapse
    (``plasmacytoma_relapse``; ``systemic_progression`` when the latest line records progression). Earlier
    radiotherapy in the history adds «Rebestråling» to each."""
    e = facts.emergency
    found = []
    if e.spinal_cord_compression:
        found.append(radiotherapy_advice(RadiotherapyIndication.SPINAL_CORD_COMPRESSION))
    if e.painful_lesion:
        found.append(radiotherapy_advice(RadiotherapyIndication.PAINFUL_LESION))
    if e.fracture:
        found.append(radiotherapy_advice(RadiotherapyIndication.FRACTURE, postoperative=e.postoperative))
    elif e.postoperative:
        found.append(radiotherapy_advice(RadiotherapyIndication.POSTOPERATIVE))
    if e.impending_fracture:
        found.append(radiotherapy_advice(RadiotherapyIndication.IMPENDING_FRACTURE))
    if e.space_occupying:
        found.append(radiotherapy_advice(RadiotherapyIndication.SPACE_OCCUPYING))
    if solitary:
        found.append(radiotherapy_advice(RadiotherapyIndication.SOLITARY_PLASMACYTOMA,
                                         size_cm=facts.imaging.plasmacytoma_size_cm))
    if plasmacytoma_relapse:
        advice = _relapse_plasmacytoma(on_systemic_treatment(facts), systemic_progression)
        found.append(replace(advice, notes=(*advice.notes, CONCURRENT)))
    earlier = [line.label for line in history.lines if line.radiotherapy_only or line.line.regimen in DESCRIPTIVE]
    if earlier:
        note = msg("radiotherapy.reirradiation", gettext_noop(
            "Earlier radiotherapy is recorded (%(lines)s): re-irradiation is limited by the tolerance of the "
            "neighbouring normal tissue, assessed by the radiotherapy unit; if the earlier effect was good and "
            "lasting (> 6–12 months) new irradiation is usually safe and probably useful (Rebestråling)."),
            lines=earlier)
        found = [replace(a, notes=(*a.notes, note)) for a in found]
    return tuple(found)
