"""Numbers on the pages a clinician reads, for a patient whose values are not round: each at its
rule's precision (core/formatting.py) with a decimal comma in bokmål, dates dd.mm.åååå, and no
number with more decimals than its rule. The expected values are worked out here from first
principles (CKD-EPI 2021, Mosteller), not read from the app."""

import datetime
import json
import math
import re
from decimal import ROUND_HALF_UP, Decimal
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from patients import actions
from tests.patients.factories import ANNE_ID

pytestmark = [pytest.mark.hazard("HAZ-055"), pytest.mark.django_db]

NB = {"HTTP_ACCEPT_LANGUAGE": "nb"}
DATE = re.compile(r"\b\d{2}\.\d{2}\.\d{4}\b")
TIME = re.compile(r"\b\d{2}:\d{2}\b")
DECIMAL = re.compile(r"(?<![\d.,])\d+([.,])(\d+)(?![\d.,]*\d)")

HEIGHT, WEIGHT, CREATININE = Decimal("165"), Decimal("67.5"), Decimal("78")
KAPPA, LAMBDA = Decimal("12.3"), Decimal("380.5")


@pytest.fixture
def anne(physician):
    """Anne (female, born 14.03.1961) with values that give a non-round eGFR, BSA and FLC ratio."""
    patient = actions.register_patient(by=physician, name="Anne Testesen", national_id=ANNE_ID)
    today = timezone.localdate()
    sampled = today - datetime.timedelta(days=3)
    actions.record_height_weight(by=physician, patient=patient, date=today - datetime.timedelta(days=5),
                                 height_cm=HEIGHT, weight_kg=WEIGHT)
    for analyte, value in (("creatinine", CREATININE), ("calcium", Decimal("2.41")), ("hemoglobin", Decimal("11.7")),
                           ("m_protein", Decimal("18.2")), ("flc_kappa", KAPPA), ("flc_lambda", LAMBDA),
                           ("beta2m", Decimal("3.4")), ("albumin", Decimal("38")), ("platelets", Decimal("160"))):
        actions.record_lab_result(by=physician, patient=patient, date=sampled, analyte=analyte, value=value)
    actions.record_lab_result(by=physician, patient=patient, date=sampled - datetime.timedelta(days=30),
                              analyte="hemoglobin", value=Decimal("11.6"))
    actions.record_marrow(by=physician, patient=patient, date=sampled, clonal_plasma_cells_pct=Decimal("35.5"))
    return patient


def half_up(value, places):
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def expected_egfr(patient):
    """CKD-EPI 2021, female: 142 × min(Scr/0.7, 1)^-0.241 × max(Scr/0.7, 1)^-1.200 × 0.9938^age × 1.012."""
    age = patient.age_on(timezone.localdate())
    scr = float(CREATININE) / 88.4
    return 142 * min(scr / 0.7, 1) ** -0.241 * max(scr / 0.7, 1) ** -1.200 * 0.9938 ** age * 1.012


def text_of(html):
    """The page's text as a reader sees it: no tags, no scripts (the chart data is checked apart)."""
    html = re.sub(r"<script\b.*?</script>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def decimals_in(text):
    """Every number with decimals (dates and times left out): [(separator, decimals)]."""
    return [(m.group(1), m.group(2)) for m in DECIMAL.finditer(TIME.sub(" ", DATE.sub(" ", text)))]


def test_overview_and_lab_section_write_every_number_at_its_precision_with_a_decimal_comma(client_for, physician,
                                                                                          anne):
    client = client_for(physician)
    html = client.get(reverse("patients:overview", args=[anne.pk]), {"labs": "1"}, **NB).text
    text = text_of(html)
    assert "165 cm" in text and "67,5 kg" in text  # height a whole number, weight one decimal
    start = html.index('data-testid="lab-table"')
    table = text_of(html[start:html.index("</table>", start)])
    for shown in ("2,41 mmol/L", "11,7 g/dL", "18,2 g/L", "12,3 mg/L", "380,5 mg/L", "3,4 mg/L", "38 g/L",
                  "78 µmol/L", "160 10⁹/L", "2,15–2,51", "11,7–15,3", "45–90"):
        value, _space, unit = shown.partition(" ")
        assert value in table and (not unit or unit in table), shown
    assert "35,5" in text  # the marrow finding, 0–1 decimals
    found = decimals_in(text)
    assert found and all(sep == "," for sep, _d in found), found  # bokmål: never a decimal point
    assert all(len(d) <= 2 for _sep, d in found), found  # the most any rule here allows (calcium)
    sampled = timezone.localdate() - datetime.timedelta(days=3)
    assert sampled.strftime("%d.%m.%Y") in text

    charts = {c["key"]: c for c in json.loads(re.search(r'id="lab-chart-data" type="application/json">(.*?)</script>',
                                                          html, re.S).group(1))}
    hb = charts["hemoglobin"]
    earlier = sampled - datetime.timedelta(days=30)
    assert hb["labels"] == [earlier.strftime("%d.%m.%Y"), sampled.strftime("%d.%m.%Y")]
    # 11.6 → 11.7 g/dL and the female reference 11.7–15.3: the axis spans them, at least the minimum span of
    # 4 g/dL (so a 0.1 g/dL change is a fortieth of the axis, not all of it), with a tenth as margin
    assert hb["reference"] == [11.7, 15.3]
    assert hb["y"]["min"] <= 11.6 and hb["y"]["max"] >= 15.3
    assert hb["y"]["max"] - hb["y"]["min"] >= 4


def test_assessment_writes_the_derived_values_and_the_facts_at_their_precision(client_for, physician, anne):
    html = client_for(physician).get(reverse("patients:assessment", args=[anne.pk]), **NB).text
    egfr = expected_egfr(anne)
    bsa = math.sqrt(float(HEIGHT) * float(WEIGHT) / 3600)  # Mosteller: √(165 × 67.5 / 3600) = 1.7589…
    ratio = float(KAPPA) / float(LAMBDA)  # 12.3 / 380.5 = 0.03232…
    assert round(bsa, 4) == 1.7589 and round(ratio, 5) == 0.03233

    derived = html[html.index('data-testid="derived-values"'):]
    derived = text_of(derived[:derived.index("</dl>")])
    assert f"eGFR {half_up(egfr, 0)} mL/min/1,73 m²" in derived
    assert "1,76 m²" in derived  # BSA, two decimals
    assert "0,0323" in derived  # FLC ratio, three significant digits
    assert "368,2 mg/L" in derived  # dFLC 380.5 − 12.3, one decimal

    facts = html[html.index('data-testid="facts-used"'):]
    facts = facts[:facts.index("</table>")]
    rows = dict(re.findall(r'data-path="([^"]+)"><td>[^<]*</td><td>([^<]*)</td>', facts))
    assert rows["weight_kg"] == "67,5" and rows["height_cm"] == "165"
    assert rows["labs.calcium_mmol_l"] == "2,41" and rows["labs.calcium_upper_limit_mmol_l"] == "2,51"
    assert rows["labs.hemoglobin_g_dl"] == "11,7" and rows["labs.creatinine_umol_l"] == "78"
    assert rows["labs.serum_m_protein_g_l"] == "18,2" and rows["marrow.clonal_plasma_cells_pct"] == "35,5"
    found = decimals_in(text_of(facts))
    assert found and all(sep == "," and len(d) <= 2 for sep, d in found), found


def test_no_derived_value_appears_anywhere_on_the_assessment_with_more_decimals_than_its_rule(client_for,
                                                                                               physician, anne):
    text = text_of(client_for(physician).get(reverse("patients:assessment", args=[anne.pk]), **NB).text)
    egfr = int(expected_egfr(anne))
    # eGFR whole, BSA two decimals: no «71.75…», «71,7543», «1.7589…» anywhere on the page
    assert re.findall(rf"\b{egfr}[.,]\d+", text) == []
    assert re.findall(r"\b1[.,]75\d+", text) == []  # the BSA 1.7589… (the formula's own constants stay)
