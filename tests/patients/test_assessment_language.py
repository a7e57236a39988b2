"""The assessment page in bokmål reads Norwegian: no English sentence and no internal key in its clinical text
(issue 12 item 1), for every demo-like patient, with an English browser and a session set to bokmål."""

import html
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from guidelines.messages import Message
from patients import assessment
from patients.factlabels import fact_label
from tests.patients.assessment_helpers import NEW_BONE_LESION, seed
from tests.patients.factories import PATIENTS

# Frequent English words that do not occur in Norwegian clinical prose (not «for», «is», «by», which are
# Norwegian words too). Drug names, regimen and diagnosis codes, and the guidelines' quoted words are not
# among them.
ENGLISH = re.compile(
    r"\b(the|and|with|without|not|unknown|required|patient|patients|of|are|should|must|been|has|have|which|"
    r"when|from|than|after|before|treated|treatment|missing|needed|needs|disease|criteria|met|none|yes|"
    r"neither|nor|only|both|lesions?|marrow|bone|urine|line|given|undecided|recorded|months|days)\b",
    re.IGNORECASE,
)
# An internal key: a fact's JSON path or a lowercase snake_case name.
INTERNAL_KEY = re.compile(
    r"\b(?:labs|marrow|imaging|cytogenetics|poems|treatment_history|current|baseline)(?:\[\d+\])?\.[a-z_]+|"
    r"\b[a-z0-9]+_[a-z0-9_]+\b"
)

# Relapse patients need a new bone lesion to be assessed as relapses (tests/patients/test_assessment.py).
RELAPSE_KEYS = {key for key in PATIENTS if key.startswith("RELAPSE")}


def visible_text(page: str) -> str:
    """The assessment region's text as a reader sees it: no tags, scripts or attributes."""
    region = page.split('id="assessment"', 1)[1]
    region = re.sub(r"<(script|style)\b.*?</\1>", " ", region, flags=re.S)
    region = re.sub(r"<[^>]+>", " ", region)
    return " ".join(html.unescape(region).split())


def quoted_and_unconverted(context, evaluation):
    """Passages the page shows as written: the guidelines' section headings and source texts (quoted, in
    Norwegian or Danish, sometimes with an English note of the app), regimen option codes, and engine texts
    that are not messages yet (guidelines/treatment, supportive, followup, advice: branch i12-msg-tx)."""
    kept = {a["citation_text"] for a in context["ambiguities"]}
    kept |= {a["source_text"] for a in context["ambiguities"]}
    kept |= {c["text"] for c in context["citations"]}
    if context["treatment"]:
        kept |= {o["citation_text"] for o in context["treatment"]["options"]}
        kept |= {o["regimen"] for o in context["treatment"]["options"]}
    kept |= {i["citation_text"] for i in context["supportive_care"]}
    return {t for t in kept if t} | set(unconverted(evaluation.to_dict()))


def unconverted(value):
    """Engine texts (in reasons, notes, options …) that are plain strings, not messages."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("citation", "citations", "missing", "source_text", "regimen", "topic", "code", "setting",
                       "tier", "mandatory", "major", "minor", "myeloma_defining_events", "guideline_versions"):
                continue
            yield from unconverted(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from unconverted(item)
    elif isinstance(value, str) and not isinstance(value, Message) and " " in value:
        yield value


def remove(text, passages):
    for passage in sorted(passages, key=len, reverse=True):
        text = text.replace(" ".join(html.unescape(passage).split()), " ")
    return text


def nb_page(client_for, physician, patient):
    client = client_for(physician)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    response = client.get(reverse("patients:assessment", args=[patient.pk]), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200 and response.headers["Content-Language"] == "nb"
    return response.text


def demo_patient(key):
    return seed(key, imaging=NEW_BONE_LESION) if key in RELAPSE_KEYS else seed(key)


@pytest.mark.hazard("HAZ-065")
@pytest.mark.parametrize("key", list(PATIENTS))
def test_the_assessment_page_in_bokmal_has_no_english_sentence_and_no_internal_key(client_for, physician, key):
    patient = demo_patient(key)
    page = visible_text(nb_page(client_for, physician, patient))
    with translation.override("nb"):
        context = assessment.assess(patient)
    from guidelines.evaluate import evaluate
    from patients.facts import facts_for
    from regimens.library import from_database as protocol_library

    evaluation = evaluate(facts_for(patient)[0], library=protocol_library())
    text = remove(page, quoted_and_unconverted(context, evaluation))
    english = sorted({m.group(0).lower() for m in ENGLISH.finditer(text)})
    assert english == [], [text[max(0, m.start() - 60):m.end() + 60] for m in ENGLISH.finditer(text)][:5]
    keys = sorted({m.group(0) for m in INTERNAL_KEY.finditer(text)})
    assert keys == [], keys


@pytest.mark.hazard("HAZ-067")
def test_every_fact_the_engine_names_has_a_norwegian_label():
    """No fact path (patients/test_assessment.engine_paths: every field of the evaluate request) is shown as
    itself: each has a label in bokmål that is not its path and carries no internal key."""
    from tests.patients.engine_paths import engine_paths

    with translation.override("nb"):
        labels = {path: str(fact_label(path, line_numbers=[2])) for path in engine_paths()}
    assert [path for path, label in labels.items() if label == path or INTERNAL_KEY.search(label)] == []
    assert labels["labs.calcium_mmol_l"] == "Kalsium, albuminkorrigert (mmol/L)"
    assert labels["treatment_history[0].refractory_to"] == "Behandlingslinje 2: refraktær for"
    with translation.override("en"):
        assert str(fact_label("labs.calcium_mmol_l")) == "Calcium, albumin-corrected (mmol/L)"


def test_the_check_finds_english_prose_and_keys():
    """The word list catches an English reason and a JSON path, and lets Norwegian prose with drug names,
    codes and numbers through."""
    assert ENGLISH.search("ISS: β2-microglobulin unknown") and ENGLISH.search("no M-component in serum or urine "
                                                                            "and the marrow not examined")
    assert not ENGLISH.search("R-ISS II: ISS III med LD 300 U/L > øvre grense 205 (normal), ingen del(17p), t(4;14) "
                              "— lenalidomid, deksametason; Dara-VRd; ACTIVE_MYELOMA; FISH ufullstendig")
    assert INTERNAL_KEY.search("Mangler: labs.calcium_mmol_l") and INTERNAL_KEY.search("serum_m_protein_g_l")
    assert not INTERNAL_KEY.search("Kalsium, albuminkorrigert (mmol/L); ACTIVE_MYELOMA; VRd-induction")


@pytest.mark.parametrize("key", ["MGUS", "ACTIVE_MYELOMA transplant-eligible",
                                 "RELAPSE_LINE_2 lenalidomide-refractory"])
def test_every_engine_text_of_the_assessment_is_a_message(db, key):
    from guidelines.evaluate import evaluate
    from patients.facts import facts_for
    from regimens.library import from_database as protocol_library

    patient = demo_patient(key)
    evaluation = evaluate(facts_for(patient)[0], library=protocol_library())
    assert list(unconverted(evaluation.to_dict())) == []
