"""How a citation reads to a clinician: document short name, section heading, detail."""

from guidelines.sources import myeloma, poems


def test_citation_text():
    assert str(myeloma("Diagnostiske kriterier")) == "Handlingsprogram for myelomatose — Diagnostiske kriterier"
    assert str(poems("Responsevaluering", "VEGF respons")).endswith("— Responsevaluering (VEGF respons)")
