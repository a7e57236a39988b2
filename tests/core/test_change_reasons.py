"""The reasons the app writes into the change log read in the reader's language (core/change_reasons.py);
the user's own words inside them stay as typed; an unknown text is shown as stored."""

import pytest
from django.utils import translation

from core.change_reasons import reason_text


@pytest.mark.parametrize("stored, nb, en", [
    ("Recorded", "Registrert", "Recorded"),
    ("Issued", "Utstedt", "Issued"),
    ("Cycle 2 released", "Syklus 2 frigitt", "Cycle 2 released"),
    ("Cycle 2 released: kvalme bedre", "Syklus 2 frigitt: kvalme bedre", "Cycle 2 released: kvalme bedre"),
    ("Course ended (progression): M-komponent stigende",
     "Behandlingsforløp avsluttet (progresjon): M-komponent stigende",
     "Course ended (progression): M-komponent stigende"),
    ("Weight 80.0 kg -> 89.6 kg (12.0 %, limit 10.0 %) at the release of cycle 1: doses recomputed, to be "
     "verified again",
     "Vekt 80 kg → 89,6 kg (12 %, grense 10 %) ved frigivelse av syklus 1: dosene beregnet på nytt, skal "
     "verifiseres igjen",
     "Weight 80 kg → 89.6 kg (12 %, limit 10 %) at the release of cycle 1: doses recomputed, to be verified again"),
    ("Superseded by version 3: Ny vekt", "Erstattet av versjon 3: Ny vekt", "Superseded by version 3: Ny vekt"),
    ("Dose reduced: lenalidomide 25 -> 15 mg from cycle 2 (dose level 2): Utslett grad 2",
     "Dose redusert: lenalidomid 25 → 15 mg fra syklus 2 (dosetrinn 2): Utslett grad 2",
     "Dose reduced: lenalidomide 25 → 15 mg from cycle 2 (dose level 2): Utslett grad 2"),
    ("Cycle delayed: cycle 3 by 7 days (the following dates move): Nøytropeni",
     "Syklus utsatt: syklus 3 med 7 dager (de følgende datoene flyttes): Nøytropeni",
     "Cycle delayed: cycle 3 by 7 days (the following dates move): Nøytropeni"),
    ("Feil pasient", "Feil pasient", "Feil pasient"),
])
def test_a_written_reason_reads_in_the_readers_language(stored, nb, en):
    with translation.override("nb"):
        assert reason_text(stored) == nb
    with translation.override("en"):
        assert reason_text(stored) == en


def test_no_reason_is_empty():
    assert reason_text(None) == "" and reason_text("") == ""


def test_a_reason_inside_a_reason_reads_in_the_readers_language_too():
    stored = ("Superseded by version 2: Weight 80.0 kg -> 89.6 kg (12.0 %, limit 10.0 %) at the release of cycle 1: "
              "doses recomputed, to be verified again")
    with translation.override("nb"):
        assert reason_text(stored) == ("Erstattet av versjon 2: Vekt 80 kg → 89,6 kg (12 %, grense 10 %) ved "
                                       "frigivelse av syklus 1: dosene beregnet på nytt, skal verifiseres igjen")
