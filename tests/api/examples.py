"""Shared by the tests (not a test module)."""



EXAMPLE = {
    "age": 64, "sex": "male", "weight_kg": 80, "height_cm": 180, "frailty": "fit",
    "transplant_contraindication": False, "symptoms": False,
    "labs": {
        "hemoglobin_g_dl": 12.1, "hemoglobin_lower_limit_g_dl": 13.4, "calcium_mmol_l": 2.40,
        "calcium_upper_limit_mmol_l": 2.60, "creatinine_umol_l": 90, "egfr_ml_min": None, "albumin_g_l": 40,
        "beta2m_mg_l": 3.0, "ldh_u_l": 180, "ldh_upper_limit_u_l": 205, "serum_m_protein_g_l": 12,
        "m_protein_isotype": "IgG", "urine_m_protein_mg_24h": 0, "flc_kappa_mg_l": 20, "flc_lambda_mg_l": 15,
        "circulating_plasma_cells_pct": 0, "vegf_ng_l": None, "platelets_10e9_l": 250,
    },
    "marrow": {"clonal_plasma_cells_pct": 5},
    "imaging": {"lytic_lesions": 0, "mri_focal_lesions": 0, "plasmacytoma": "none",
                "plasmacytoma_biopsy_proven": False, "plasmacytoma_count": 0, "sclerotic_bone_lesions": False},
    "cytogenetics": {"del17p": False, "tp53_mutation": False, "t4_14": False, "t14_16": False, "t14_20": False,
                     "t11_14": False, "gain1q": False, "del1p32": "none"},
    "poems": {"polyneuropathy": False, "polyneuropathy_severe_rapidly_progressive": False,
              "demyelinating_neuropathy_suspected_cidp": False, "castleman": False, "organomegaly": False,
              "extravascular_volume_overload": False, "endocrinopathy": [], "skin_changes": False,
              "papilledema": False, "thrombocytosis_or_polycythemia": False, "refractory_ascites": False,
              "gynecomastia": False},
    "treatment_history": [
        {"line": 1, "regimen": "VRd-induction", "drugs": ["bortezomib", "lenalidomide", "dexamethasone"],
         "refractory_to": ["lenalidomide"], "intolerant_to": [], "autologous_transplant": True,
         "months_from_transplant_to_progression": 4, "best_response": "VGPR"},
    ],
}


RESPONSE_EXAMPLE = {
    "baseline": {"serum_m_protein_g_l": 30, "urine_m_protein_mg_24h": 400, "flc_kappa_mg_l": 15,
                 "flc_lambda_mg_l": 12, "marrow_plasma_cells_pct": 40},
    "nadir": {"serum_m_protein_g_l": 10},
    "current": {"serum_m_protein_g_l": 14, "urine_m_protein_mg_24h": 90, "serum_ife_negative": False,
                "urine_ife_negative": False, "marrow_plasma_cells_pct": None, "flc_ratio_normal": None,
                "marrow_clonal_cells_absent": None, "mrd_negative": None, "new_crab": False},
}


def post(client, url, body, **headers):
    return client.post(url, body, content_type="application/json", **headers)


def texts(body, path=""):
    """(path, texts, messages) of every text field with its structured sibling, anywhere in ``body``."""
    found = []
    if isinstance(body, dict):
        for key, value in body.items():
            if key.endswith("_messages"):
                found.append((f"{path}.{key[:-9]}", body[key[:-9]], value))
            elif key.endswith("_message") and f"{key[:-8]}" in body:
                found.append((f"{path}.{key[:-8]}", [body[key[:-8]]], [value]))
            else:
                found += texts(value, f"{path}.{key}")
    elif isinstance(body, list):
        for i, value in enumerate(body):
            found += texts(value, f"{path}[{i}]")
    return found
