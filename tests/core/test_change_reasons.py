"""The reasons the app writes into the change log read in the reader's language (core/change_reasons.py);
the user's own words inside them stay as typed; an unknown text is shown as stored."""

import pytest
from django.utils import translation

from core.change_reasons import reason_text


@pytest.mark.parametrize("stored, nb, en", [
    ("Recorded", "Registrert", "Recorded"),
    ("Demo data (fictional patient)", "Demodata (fiktiv pasient)", "Demo data (fictional patient)"),
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
    ("bortezomib C1D1 given 2.3 mg at 2026-01-05 10:30",
     "bortezomib syklus 1 dag 1: gitt 2,3 mg 05.01.2026 10:30",
     "bortezomib cycle 1 day 1: given 2.3 mg at 05.01.2026 10:30"),
    ("lenalidomide C2D3 given at a reduced dose 10 mg at 2026-02-03 08:00 (correction of record 7): Kvalme",
     "lenalidomid syklus 2 dag 3: gitt med redusert dose 10 mg 03.02.2026 08:00 (korreksjon av registrering 7): "
     "Kvalme",
     "lenalidomide cycle 2 day 3: given at a reduced dose 10 mg at 03.02.2026 08:00 (correction of record 7): Kvalme"),
    ("dexamethasone C1D8 not given: Pasienten kastet opp",
     "deksametason syklus 1 dag 8: ikke gitt: Pasienten kastet opp",
     "dexamethasone cycle 1 day 8: not given: Pasienten kastet opp"),
    ("Second nurse confirmed: bortezomib cycle 1 day 1, given",
     "Andre sykepleier bekreftet: bortezomib syklus 1 dag 1, gitt",
     "Second nurse confirmed: bortezomib cycle 1 day 1, given"),
    ("Progression confirmed from the lab series (proposal 4): M-komponent 21 g/L",
     "Progresjon bekreftet fra laboratorieserien (forslag 4): M-komponent 21 g/L",
     "Progression confirmed from the lab series (proposal 4): M-komponent 21 g/L"),
    ("Old or missing blood tests acknowledged (Haemoglobin, Platelets): Cycle 2 released: kvalme bedre",
     "Blodprøver som mangler eller er gamle, bekreftet (Hemoglobin, Trombocytter): Syklus 2 frigitt: kvalme bedre",
     "Old or missing blood tests acknowledged (Haemoglobin, Platelets): Cycle 2 released: kvalme bedre"),
    ("new draft from version 3: typo in name", "nytt utkast fra versjon 3: typo in name",
     "new draft from version 3: typo in name"),
    ("loaded from VRd-induction.yaml", "lastet fra VRd-induction.yaml", "loaded from VRd-induction.yaml"),
    ("activated by admin", "aktivert av admin", "activated by admin"),
    ("retired: version 4 activated by admin", "utgått: versjon 4 aktivert av admin",
     "retired: version 4 activated by admin"),
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
