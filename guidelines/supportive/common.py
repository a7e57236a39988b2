"""What the sections of «Støttebehandling» share: their headings, the limits and drug sets they read, and
how an item names a missing fact."""


from guidelines.advice import SupportiveItem
from guidelines.messages import Message, gettext_noop, msg
from guidelines.treatment.common import (
    ACTIVE_MYELOMA,
    FIRST_LINE_TRANSPLANT,
    PLASMA_CELL_LEUKEMIA,
    PLASMA_CELL_LEUKEMIA_SETTING,
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

def _missing(path: str) -> Message:
    """A fact the rule needs and lacks, named in an item's reasons (patients.assessment links it to its form)."""
    return msg("supportive.missing", gettext_noop("missing: %(path)s"), path=path)

def _each(kind, citation, *texts):
    """One item per text, all of one kind from one section."""
    return [SupportiveItem(kind, text, citation) for text in texts]
