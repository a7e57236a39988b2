"""What is known about one patient at one point in time: the engine's input.

Mirrors the request of ``POST /api/v1/evaluate`` (shared/contract/api-v1.md):
same names, same units. ``None`` means *not known* — never "normal". Rules
that need an unknown fact list its JSON path in ``missing`` instead of guessing.
"""

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"


class Frailty(StrEnum):
    FIT = "fit"
    UNFIT = "unfit"
    FRAIL = "frail"


class Isotype(StrEnum):
    IGG = "IgG"
    IGA = "IgA"
    IGM = "IgM"
    IGD = "IgD"
    IGE = "IgE"
    LIGHT_CHAIN = "light_chain"


class Plasmacytoma(StrEnum):
    """A plasmacytoma on imaging: none, of bone, or extramedullary (soft tissue)."""

    NONE = "none"
    BONE = "bone"
    EXTRAMEDULLARY = "extramedullary"


class Del1p32(StrEnum):
    NONE = "none"
    MONOALLELIC = "monoallelic"
    BIALLELIC = "biallelic"


class Response(StrEnum):
    """IMWG response categories (Handlingsprogram, tabell 8.2)."""

    MRD_NEGATIVE_CR = "MRD_NEGATIVE_CR"
    SCR = "SCR"
    CR = "CR"
    VGPR = "VGPR"
    PR = "PR"
    MR = "MR"
    SD = "SD"
    PD = "PD"
    NOT_EVALUABLE = "NOT_EVALUABLE"


ENDOCRINOPATHIES = (
    "adrenal", "thyroid", "gonadal", "parathyroid", "pancreas", "pituitary", "diabetes", "hypothyroidism",
)

DRUGS = (
    "bortezomib", "lenalidomide", "dexamethasone", "daratumumab", "isatuximab", "carfilzomib",
    "pomalidomide", "cyclophosphamide", "belantamab mafodotin", "melphalan", "mesna", "filgrastim",
    "teclistamab", "elranatamab", "talquetamab", "venetoclax", "elotuzumab", "thalidomide",
    "ixazomib", "bendamustine",
)

# Drug classes the guideline reasons with (Behandling av tilbakefall, Fjerdelinjebehandling).
IMIDS = frozenset({"lenalidomide", "pomalidomide", "thalidomide"})
PROTEASOME_INHIBITORS = frozenset({"bortezomib", "carfilzomib", "ixazomib"})
ANTI_CD38 = frozenset({"daratumumab", "isatuximab"})
BCMA_DIRECTED = frozenset({"belantamab mafodotin", "teclistamab", "elranatamab"})
GPRC5D_DIRECTED = frozenset({"talquetamab"})


@dataclass(frozen=True)
class Labs:
    """Blood and urine values, in the contract's units (shared/contract/api-v1.md)."""

    hemoglobin_g_dl: float | None = None
    hemoglobin_lower_limit_g_dl: float | None = None
    calcium_mmol_l: float | None = None  # albumin-corrected
    calcium_upper_limit_mmol_l: float | None = None
    creatinine_umol_l: float | None = None
    egfr_ml_min: float | None = None  # when None: CKD-EPI 2021 from creatinine, age, sex
    albumin_g_l: float | None = None
    beta2m_mg_l: float | None = None
    ldh_u_l: float | None = None
    ldh_upper_limit_u_l: float | None = None
    serum_m_protein_g_l: float | None = None
    m_protein_isotype: Isotype | None = None
    urine_m_protein_mg_24h: float | None = None
    flc_kappa_mg_l: float | None = None
    flc_lambda_mg_l: float | None = None
    circulating_plasma_cells_pct: float | None = None  # % of leukocytes, blood smear
    vegf_ng_l: float | None = None
    platelets_10e9_l: float | None = None
    igg_g_l: float | None = None  # polyclonal serum IgG (extra optional input; supportive care)


@dataclass(frozen=True)
class Marrow:
    clonal_plasma_cells_pct: float | None = None


@dataclass(frozen=True)
class Imaging:
    """Imaging findings: low-dose CT / X-ray, whole-body MRI, plasmacytomas and (POEMS) sclerotic lesions."""

    lytic_lesions: int | None = None  # >= 5 mm on low-dose CT / X-ray, not counting a biopsied plasmacytoma
    mri_focal_lesions: int | None = None  # >= 5 mm on whole-body MRI
    plasmacytoma: Plasmacytoma | None = None
    plasmacytoma_biopsy_proven: bool | None = None
    plasmacytoma_count: int | None = None
    sclerotic_bone_lesions: bool | None = None
    # extra optional input: number of (osteosclerotic / mixed) bone lesions on CT — the POEMS «foci»
    sclerotic_bone_lesion_count: int | None = None
    # v1.1: true extramedullary disease (plasmacytoma not related to bone; CAR-T «Kjent ekstramedullær sykdom»)
    extramedullary_disease: bool | None = None
    plasmacytoma_size_cm: float | None = None  # v1.1: the largest plasmacytoma (radiotherapy «> 5 cm»)


@dataclass(frozen=True)
class Cytogenetics:
    """FISH / mutation findings of the clonal plasma cells: the high-risk markers of IMS/IMWG 2024 and R2-ISS,
    and t(11;14) (venetoclax)."""

    del17p: bool | None = None
    tp53_mutation: bool | None = None
    t4_14: bool | None = None
    t14_16: bool | None = None
    t14_20: bool | None = None
    t11_14: bool | None = None
    gain1q: bool | None = None
    del1p32: Del1p32 | None = None


@dataclass(frozen=True)
class PoemsFindings:
    """The clinical findings of the POEMS criteria (Danish guideline, Diagnostiske kriterier)."""

    polyneuropathy: bool | None = None
    polyneuropathy_severe_rapidly_progressive: bool | None = None
    demyelinating_neuropathy_suspected_cidp: bool | None = None
    castleman: bool | None = None
    organomegaly: bool | None = None
    extravascular_volume_overload: bool | None = None  # oedema, pleural effusion or ascites
    endocrinopathy: tuple[str, ...] | None = None  # any of ENDOCRINOPATHIES
    skin_changes: bool | None = None
    papilledema: bool | None = None
    thrombocytosis_or_polycythemia: bool | None = None
    refractory_ascites: bool | None = None
    gynecomastia: bool | None = None


class ProgressionInInduction(StrEnum):
    """«Primært refraktær sykdom» (contract v1.1, ``treatment_history[].progression_in_induction``): progression
    «i starten av induksjonsbehandlingen», «sent i induksjonsbehandling», or none (suboptimal response)."""

    EARLY = "early"
    LATE = "late"
    NONE = "none"


@dataclass(frozen=True)
class TreatmentLine:
    line: int
    regimen: str | None = None  # a regimen code or free text
    drugs: tuple[str, ...] = ()
    refractory_to: tuple[str, ...] = ()  # progression on or within 60 days of stopping
    intolerant_to: tuple[str, ...] = ()
    autologous_transplant: bool | None = None
    months_from_transplant_to_progression: float | None = None
    best_response: Response | None = None
    transplant_date: date | None = None  # extra optional input: HMAS stem cell reinfusion date
    # extra optional input: the date the disease progressed on or after this line (table 8.2), also
    # when that was more than 60 days after stopping (then not "refractory")
    progression_date: date | None = None
    progression_in_induction: ProgressionInInduction | None = None  # None: not known
    # contract v1.1: the line's dates (the end of a radiotherapy line dates «afsluttet strålebehandling»)
    start_date: date | None = None
    end_date: date | None = None
    tandem_transplant_date: date | None = None  # contract v1.1: reinfusion (day 0) of the second (tandem) HMAS
    radiotherapy_gy: float | None = None  # contract v1.1: radiotherapy given on this line, total Gy


class Phase(StrEnum):
    """Where the patient stands in the current treatment (contract v1.1, ``current_treatment.phase``)."""

    INDUCTION = "induction"
    MAINTENANCE = "maintenance"
    OFF_TREATMENT = "off_treatment"


@dataclass(frozen=True)
class CurrentTreatment:
    """The treatment the patient is on now (contract v1.1, ``current_treatment``)."""

    regimen: str | None = None  # a regimen code or free text
    phase: Phase | None = None
    start_date: date | None = None
    mrd_negative_months: float | None = None  # MRD-negative CR lasting so far


@dataclass(frozen=True)
class Emergency:
    """Skeletal and space-occupying findings that call for radiotherapy or surgery (contract v1.1, ``emergency``;
    Handlingsprogram, «Situasjoner hvor strålebehandling, kirurgisk behandling og kjemoterapi vurderes opp mot
    hverandre»). ``space_occupying`` is an extra optional field («Andre romoppfyllende prosesser som truer
    viktige strukturer»)."""

    spinal_cord_compression: bool | None = None  # «Truende tverrsnittslesjon»
    painful_lesion: bool | None = None
    fracture: bool | None = None
    impending_fracture: bool | None = None
    postoperative: bool | None = None  # after fracture surgery
    space_occupying: bool | None = None


@dataclass(frozen=True)
class CarTFindings:
    """Organ function and comorbidity for the CAR-T prioritisation (contract v1.1, ``car_t``; «Komorbiditet og
    organfunksjon»). ``blood_plasma_cells_pct``: a recent blood smear (absent: ``labs.circulating_plasma_cells_pct``).
    Extra optional fields: ``al_amyloidosis`` («Behandling gis kun i henhold til indikasjon») and
    ``fish_tp53_date``, the date of the FISH/TP53 analysis the high-risk status rests on («etter siste
    tilbakefall»)."""

    lvef_pct: float | None = None
    spo2_room_air_pct: float | None = None
    liver_cirrhosis: bool | None = None
    serious_comorbidity: bool | None = None
    blood_plasma_cells_pct: float | None = None
    al_amyloidosis: bool | None = None
    fish_tp53_date: date | None = None


@dataclass(frozen=True)
class PatientFacts:
    age: int
    sex: Sex | None = None
    weight_kg: float | None = None
    height_cm: float | None = None
    frailty: Frailty | None = None
    transplant_contraindication: bool | None = None
    symptoms: bool | None = None  # symptoms plausibly caused by the plasma cell disease
    labs: Labs = field(default_factory=Labs)
    marrow: Marrow = field(default_factory=Marrow)
    imaging: Imaging = field(default_factory=Imaging)
    cytogenetics: Cytogenetics = field(default_factory=Cytogenetics)
    poems: PoemsFindings = field(default_factory=PoemsFindings)
    treatment_history: tuple[TreatmentLine, ...] = ()
    current_treatment: CurrentTreatment = field(default_factory=CurrentTreatment)
    emergency: Emergency = field(default_factory=Emergency)
    car_t: CarTFindings = field(default_factory=CarTFindings)
