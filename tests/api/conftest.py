"""API test fixtures: small fakes for the treatment and supportive-care rules, which are
written in parallel (guidelines.treatment, guidelines.supportive)."""

import sys
import types

import pytest

from guidelines.advice import TreatmentAdvice


@pytest.fixture(autouse=True)
def fake_rule_modules(monkeypatch):
    treatment = types.ModuleType("guidelines.treatment")
    treatment.recommend = lambda facts, **kw: TreatmentAdvice(setting="OBSERVE", notes=("fake",))
    supportive = types.ModuleType("guidelines.supportive")
    supportive.supportive_care = lambda facts, **kw: ()
    monkeypatch.setitem(sys.modules, "guidelines.treatment", treatment)
    monkeypatch.setitem(sys.modules, "guidelines.supportive", supportive)
