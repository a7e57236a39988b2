"""The drugs of each regimen code the engine names (contract regimen table, shared/contract/api-v1.md,
plus the POEMS guideline's descriptive codes). Pure data: used where a history line names a regimen but not its
drugs (guidelines.treatment) and to give supportive care the drugs of the recommended regimen
(guidelines.evaluate). The regimen library (regimens app) stays the source of doses; this is only which drugs."""

REGIMEN_DRUGS = {
    "VRd-induction": ("bortezomib", "lenalidomide", "dexamethasone"),
    "Dara-VRd-induction": ("daratumumab", "bortezomib", "lenalidomide", "dexamethasone"),
    "Isa-VRd-induction": ("isatuximab", "bortezomib", "lenalidomide", "dexamethasone"),
    "Cy-mobilisation": ("cyclophosphamide", "mesna", "filgrastim"),
    "Mel-HMAS": ("melphalan",),
    "R-maintenance": ("lenalidomide",),
    "VR-maintenance": ("bortezomib", "lenalidomide"),
    "Dara-R-maintenance": ("daratumumab", "lenalidomide"),
    "Isa-R-maintenance": ("isatuximab", "lenalidomide"),
    "Dara-VRd": ("daratumumab", "bortezomib", "lenalidomide", "dexamethasone"),
    "Isa-VRd": ("isatuximab", "bortezomib", "lenalidomide", "dexamethasone"),
    "DRd": ("daratumumab", "lenalidomide", "dexamethasone"),
    "Isa-Kd": ("isatuximab", "carfilzomib", "dexamethasone"),
    "BPd": ("belantamab mafodotin", "pomalidomide", "dexamethasone"),
    "BVd": ("belantamab mafodotin", "bortezomib", "dexamethasone"),
    "PCd": ("pomalidomide", "cyclophosphamide", "dexamethasone"),
    "Pd": ("pomalidomide", "dexamethasone"),
    "Isa-Pd": ("isatuximab", "pomalidomide", "dexamethasone"),
    "Dara-Pd": ("daratumumab", "pomalidomide", "dexamethasone"),
    "teclistamab": ("teclistamab",),
    "elranatamab": ("elranatamab",),
    "talquetamab": ("talquetamab",),
    "Elo-Pd": ("elotuzumab", "pomalidomide", "dexamethasone"),
    "Ven-Dex": ("venetoclax", "dexamethasone"),
    "Anti-CD38-KRd-PCL": ("carfilzomib", "lenalidomide", "dexamethasone"),  # + daratumumab or isatuximab
}

# POEMS guideline, Systemisk behandling (descriptive codes of guidelines.poems). Mel-HMAS is above.
POEMS_REGIMEN_DRUGS = {
    "lenalidomide-dexamethasone": ("lenalidomide", "dexamethasone"),
    "melphalan-dexamethasone": ("melphalan", "dexamethasone"),
}
ALL_REGIMEN_DRUGS = {**REGIMEN_DRUGS, **POEMS_REGIMEN_DRUGS}
# Words that mark a history line as CAR-T (free-text regimen names).
CAR_T_WORDS = ("car-t", "cart", "cilta-cel", "ide-cel", "ciltacabtagene", "idecabtagene")


def drugs_of(regimen: str | None) -> tuple[str, ...]:
    """The drugs of a regimen code; () for codes without a fixed drug list (radiotherapy, alkylator names
    without a regimen, «anti-CD38-monotherapy» — daratumumab or isatuximab) and for free text."""
    if regimen in ALL_REGIMEN_DRUGS:
        return ALL_REGIMEN_DRUGS[regimen]
    return ()
