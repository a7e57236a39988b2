"""Patient facts for the guideline tests: a fully examined patient (the contract's example
request, an IgG MGUS) and a way to change single facts."""

from dataclasses import replace

from guidelines.facts import (
    Cytogenetics,
    Del1p32,
    Imaging,
    Isotype,
    Labs,
    Marrow,
    PatientFacts,
    Plasmacytoma,
    PoemsFindings,
    Sex,
)

BASE = PatientFacts(
    age=64, sex=Sex.MALE, weight_kg=80, height_cm=180, symptoms=False,
    labs=Labs(
        hemoglobin_g_dl=12.1, hemoglobin_lower_limit_g_dl=13.4, calcium_mmol_l=2.40, calcium_upper_limit_mmol_l=2.60,
        creatinine_umol_l=90, albumin_g_l=40, beta2m_mg_l=3.0, ldh_u_l=180, ldh_upper_limit_u_l=205,
        serum_m_protein_g_l=12, m_protein_isotype=Isotype.IGG, urine_m_protein_mg_24h=0, flc_kappa_mg_l=20,
        flc_lambda_mg_l=15, circulating_plasma_cells_pct=0, platelets_10e9_l=250,
    ),
    marrow=Marrow(clonal_plasma_cells_pct=5),
    imaging=Imaging(lytic_lesions=0, mri_focal_lesions=0, plasmacytoma=Plasmacytoma.NONE,
                    plasmacytoma_biopsy_proven=False, plasmacytoma_count=0, sclerotic_bone_lesions=False),
    cytogenetics=Cytogenetics(del17p=False, tp53_mutation=False, t4_14=False, t14_16=False, t14_20=False,
                              t11_14=False, gain1q=False, del1p32=Del1p32.NONE),
    poems=PoemsFindings(
        polyneuropathy=False, polyneuropathy_severe_rapidly_progressive=False,
        demyelinating_neuropathy_suspected_cidp=False, castleman=False, organomegaly=False,
        extravascular_volume_overload=False, endocrinopathy=(), skin_changes=False, papilledema=False,
        thrombocytosis_or_polycythemia=False, refractory_ascites=False, gynecomastia=False,
    ),
)


def make(base=BASE, *, labs=None, marrow=None, imaging=None, cytogenetics=None, poems=None, **top):
    """``base`` with the given facts replaced (nested groups as dicts)."""
    changes = dict(top)
    for name, value in (("labs", labs), ("marrow", marrow), ("imaging", imaging),
                        ("cytogenetics", cytogenetics), ("poems", poems)):
        if value is not None:
            changes[name] = replace(getattr(base, name), **value)
    return replace(base, **changes)


POEMS_PATIENT = make(
    labs={"serum_m_protein_g_l": 4, "m_protein_isotype": Isotype.IGA, "flc_kappa_mg_l": 10, "flc_lambda_mg_l": 40,
          "vegf_ng_l": 850},
    marrow={"clonal_plasma_cells_pct": 0},
    imaging={"sclerotic_bone_lesions": True, "sclerotic_bone_lesion_count": 1},
    poems={"polyneuropathy": True, "polyneuropathy_severe_rapidly_progressive": True, "organomegaly": True,
           "endocrinopathy": ("gonadal",)},
    symptoms=True,
)
