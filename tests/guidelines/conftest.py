"""Fixtures of the guideline tests: the shipped protocol library as the engine's data, no database."""

import pytest

from tests.guidelines.shipped import LIBRARY


@pytest.fixture
def library():
    """regimens/protocols/*.yaml as guidelines.library.Library (regimens/library.py from_files)."""
    return LIBRARY
